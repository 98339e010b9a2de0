// Training throughput in model frames per second on the tfjs WASM backend: before and after
// Hark's kernel fixes (transposed matmul, heap-view slice/unpack/gather, the fused LSTM cell), for the
// first shipped architecture; then whole training steps through train() (gradients, clipping, Adam)
// on 1 thread and on every core (data-parallel gradient workers, trainer.ts), for the first shipped
// architecture, today's (3 x 256) and the deeper run's (4 x 256; every shard on a worker, as
// `hark adapt --workers-only` runs them).
// Run on an otherwise idle machine: node bin/run-ts.mjs bench/train-throughput.bench.ts [--out NAME]; run the same file from an
// older checkout (its src) for the figures before a change on the same machine.
// Writes bench/results/train-throughput.json. Each variant runs in its own process, since the
// fixes replace kernels process-wide.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initTrainingBackend } from '../src-main/train/tf-backend.ts';
import { AcousticModel } from '../src-main/train/acoustic-model.ts';
import { ctcLoss } from '../src-main/train/ctc-loss.ts';
import { packBatch, type Batch } from '../src-main/train/batch.ts';
import { train } from '../src-main/train/trainer.ts';
import { availableParallelism } from 'node:os';
import type { CellType } from '../src-shared/model/metadata.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** The commit measured (the bench is also run from an older checkout for a before/after on one machine). */
function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: here, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
const [mode, cellArg, hiddenArg, layersArg, threadsArg, batchArg, workersOnlyArg] = process.argv.slice(2);

/** One measurement: frames/s over `steps` training steps after one warm-up step. */
async function measure(fix: boolean, cell: CellType, hidden: number): Promise<{ framesPerSec: number; msPerStep: number }> {
  await initTrainingBackend({ prefer: 'wasm', fixTransposedMatMul: fix });
  const B = 32, T = 100, steps = 3;
  const m = new AcousticModel({ cell, bidirectional: true, layers: 3, hidden, inputDim: 117, numUnits: 40 }, 1);
  const opt = tf.train.adam(1e-3);
  const x = tf.randomNormal([T, B, 117], 0, 1, 'float32', 1) as tf.Tensor3D;
  const lengths = Array.from({ length: B }, (_, i) => T - (i % 7));
  const labels = Array.from({ length: B }, (_, b) => Array.from({ length: 25 }, (_, j) => 1 + ((j * 7 + b) % 39)));
  const step = () => {
    const { value, grads } = tf.variableGrads(() => ctcLoss(m.forward(x, lengths), labels, lengths));
    opt.applyGradients(grads as Parameters<typeof opt.applyGradients>[0]);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const ms = (performance.now() - t0) / steps;
  const frames = lengths.reduce((a, b) => a + b, 0);
  return { framesPerSec: frames / (ms / 1000), msPerStep: ms };
}

/** Whole training steps through train(): frames/s over steps 2..8 of B x 100-frame batches. */
async function measureSteps(cell: CellType, hidden: number, layers: number, threads: number, B: number, workersOnly: boolean): Promise<{ framesPerSec: number; msPerStep: number }> {
  await initTrainingBackend({ prefer: 'wasm' });
  const T = 100, dim = 117, steps = 8;
  let seed = 1;
  const rand = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32 - 0.5; };
  const batches: Batch[] = Array.from({ length: steps }, () => packBatch(Array.from({ length: B }, (_, b) => ({
    features: Float32Array.from({ length: (T - (b % 7)) * dim }, rand), frames: T - (b % 7), labels: Array.from({ length: 25 }, (_, j) => 1 + ((j * 7 + b) % 39)),
  })), dim));
  const perStep: number[] = [];
  await train({ arch: { cell, bidirectional: true, layers, hidden, inputDim: dim, numUnits: 40 }, epochs: 1, learningRate: 1e-3, lrDecay: 1, clipNorm: 5, seed: 1, checkpointEverySec: 1e9, gradientWorkers: workersOnly ? threads : threads - 1, mainThreadShard: !workersOnly }, {
    batchesPerEpoch: () => batches.length,
    async *batches(_epoch, skip) { for (let i = skip; i < batches.length; i++) yield batches[i]; },
  }, { onStep: (r) => perStep.push(r.frames / r.framesPerSec) });
  const timed = perStep.slice(1);
  const sec = timed.reduce((a, b) => a + b, 0) / timed.length;
  const frames = batches[0].lengths.reduce((a, b) => a + b, 0);
  return { framesPerSec: frames / sec, msPerStep: sec * 1000 };
}

if (mode === 'child-fix' || mode === 'child-nofix') {
  const r = await measure(mode === 'child-fix', cellArg as CellType, Number(hiddenArg));
  process.stdout.write(JSON.stringify(r) + '\n');
} else if (mode === 'child-steps') {
  const r = await measureSteps(cellArg as CellType, Number(hiddenArg), Number(layersArg), Number(threadsArg), Number(batchArg), workersOnlyArg === 'workers-only');
  process.stdout.write(JSON.stringify(r) + '\n');
} else {
  const results: Record<string, unknown>[] = [];
  for (const [cell, hidden] of [['lstm', 192]] as const) {
    for (const variant of ['nofix', 'fix']) {
      const out = execFileSync(process.execPath, [join(here, '..', 'bin', 'run-ts.mjs'), fileURLToPath(import.meta.url), `child-${variant}`, cell, String(hidden)], { encoding: 'utf8' });
      const r = JSON.parse(out.trim().split('\n').pop()!) as { framesPerSec: number; msPerStep: number };
      // Model frames are 30 ms of audio each.
      const row = { cell, hidden, layers: 3, bidirectional: true, batch: '32 x 100 frames', kernels: variant === 'fix' ? 'fixed' : 'as shipped', ...r, audioSecPerSec: r.framesPerSec * 0.03 };
      results.push(row);
      console.log(`${cell} bi 3x${hidden} wasm ${row.kernels.padEnd(10)} ${r.framesPerSec.toFixed(0).padStart(6)} frames/s  ${r.msPerStep.toFixed(0)} ms/step  ${row.audioSecPerSec.toFixed(1)} s audio/s`);
    }
  }
  const speedup = (results[1].framesPerSec as number) / (results[0].framesPerSec as number);
  console.log(`speed-up from the kernel fixes: ${speedup.toFixed(2)}x`);

  // Whole steps, 1 thread vs every core. The larger network does not fit 32 x 100 frames in tfjs
  // WASM's heap (the backend aborts allocating), so it runs on 16-sequence batches.
  const cores = availableParallelism();
  const steps: Record<string, unknown>[] = [];
  for (const [cell, hidden, layers, B, wide] of [['lstm', 192, 3, 32, false], ['lstm', 256, 3, 16, true], ['lstm', 256, 4, 12, true], ['lstm', 288, 5, 16, false]] as const) {
    for (const threads of [...new Set([1, cores])]) {
      // The 256-unit networks train with every shard on a worker (hark adapt --workers-only), as their runs do.
      const workersOnly = wide && threads > 1;
      const base = { cell, hidden, layers, bidirectional: true, batch: `${B} x 100 frames`, threads, ...(workersOnly ? { workersOnly } : {}) };
      try {
        const out = execFileSync(process.execPath, [join(here, '..', 'bin', 'run-ts.mjs'), fileURLToPath(import.meta.url), 'child-steps', cell, String(hidden), String(layers), String(threads), String(B), workersOnly ? 'workers-only' : ''], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        const r = JSON.parse(out.trim().split('\n').pop()!) as { framesPerSec: number; msPerStep: number };
        const row = { ...base, ...r, audioSecPerSec: r.framesPerSec * 0.03 };
        steps.push(row);
        console.log(`train() ${cell} bi ${layers}x${hidden} B=${B} ${threads} thread(s)${workersOnly ? ' (workers only)' : ''} ${r.framesPerSec.toFixed(0).padStart(6)} frames/s  ${r.msPerStep.toFixed(0)} ms/step  ${row.audioSecPerSec.toFixed(1)} s audio/s`);
      } catch (e) {
        const stderr = String((e as { stderr?: string }).stderr ?? '');
        const error = /Aborted\(\)/.test(stderr) ? 'tfjs WASM aborted (heap exhausted)' : (e as Error).message.split('\n')[0];
        steps.push({ ...base, error });
        console.log(`train() ${cell} bi ${layers}x${hidden} B=${B} ${threads} thread(s) failed: ${error}`);
      }
    }
  }
  mkdirSync(join(here, 'results'), { recursive: true });
  const out = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : 'train-throughput';
  writeFileSync(join(here, 'results', `${out}.json`), JSON.stringify({ date: new Date().toISOString(), cores, commit: gitCommit(), results, speedup, trainSteps: steps }, null, 2) + '\n');
}
