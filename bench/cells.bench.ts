// Cell comparison: LSTM, GRU and simple RNN, each uni- and bidirectional, trained by `hark train`
// on the same data (the first --clips utterances of the training corpus) for the same number of
// epochs, then compared on held-out phoneme error rate, parameters, training and inference speed.
// Run: node bin/run-ts.mjs bench/cells.bench.ts [--clips 2000 --epochs 6 --hidden 96 --layers 2 --batch-frames 1500]
// Writes bench/results/cells.json (and trains into runs/cells/<variant>/).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values } = parseArgs({ options: {
  clips: { type: 'string', default: '2000' }, epochs: { type: 'string', default: '6' },
  hidden: { type: 'string', default: '96' }, layers: { type: 'string', default: '2' }, only: { type: 'string' },
  'batch-frames': { type: 'string', default: '1500' },
} });

const variants = ['lstm', 'gru', 'rnn'].flatMap((cell) => [{ cell, bi: true }, { cell, bi: false }]).filter((v) => !values.only || values.only.split(',').includes(`${v.cell}-${v.bi ? 'bi' : 'uni'}`));
const rows: Record<string, unknown>[] = [];
for (const v of variants) {
  const name = `${v.cell}-${v.bi ? 'bi' : 'uni'}`;
  const out = join(root, 'runs', 'cells', name);
  const args = [join(root, 'bin', 'hark.mjs'), 'train', '--out', out, '--clips', values.clips!, '--epochs', values.epochs!, '--cell', v.cell,
    '--hidden', values.hidden!, '--layers', values.layers!, '--eval-clips', '60', '--lr-decay', '0.85', '--lr', '0.003', '--batch-frames', values['batch-frames']!, '--name', `cells-${name}`, ...(v.bi ? [] : ['--unidirectional'])];
  const t0 = performance.now();
  execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const trainSec = (performance.now() - t0) / 1000;
  const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
  const history = meta.training.history as { framesPerSec: number }[];
  const session = await ort.InferenceSession.create(join(out, 'model.onnx'), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const T = 2000; // one minute of audio at 33.3 model frames per second
  const x = new ort.Tensor('float32', new Float32Array(T * meta.architecture.inputDim).map((_, i) => Math.sin(i)), [1, T, meta.architecture.inputDim]);
  await session.run({ features: x });
  const r0 = performance.now();
  await session.run({ features: x });
  const inferMs = performance.now() - r0;
  const row = {
    variant: name, parameters: meta.training.parameters, epochs: history.length,
    heldoutPerClean: meta.metrics.heldoutPerClean, heldoutPerAugmented: meta.metrics.heldoutPerAugmented,
    trainFramesPerSec: history.reduce((s, h) => s + h.framesPerSec, 0) / history.length, trainMinutes: trainSec / 60,
    inferenceXRealTime: 60000 / inferMs,
  };
  rows.push(row);
  console.log(`${name.padEnd(9)} params ${String(row.parameters).padStart(8)}  PER clean ${(100 * row.heldoutPerClean).toFixed(1)}%  augmented ${(100 * row.heldoutPerAugmented).toFixed(1)}%  train ${row.trainFramesPerSec.toFixed(0)} frames/s  inference ${row.inferenceXRealTime.toFixed(0)}x real time`);
}
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'cells.json'), JSON.stringify({ date: new Date().toISOString(), clips: Number(values.clips), epochs: Number(values.epochs), hidden: Number(values.hidden), layers: Number(values.layers), rows }, null, 2) + '\n');
