/** `hark train`: synthesize data, train the acoustic model, export the model package. */
import { DEFAULT_TRAIN_OPTIONS, runTraining } from '../train/train-run.ts';
import { CELL_TYPES, type CellType } from '../../src-shared/model/metadata.ts';
import { helpText, parseCommand, type CommandSpec } from './cli-args.ts';
import { cmnWindowOption } from './cmn-window-option.ts';
import { timeBudgetOption } from './time-budget-option.ts';
import { dropoutOption, dropoutOptionSpec } from './dropout-option.ts';
import { gradientWorkersOption, threadsOptionSpec } from './threads-option.ts';
import { trainingProgress } from './progress-bar.ts';
import { runInterruptibly } from './interrupt.ts';
import { join } from 'node:path';

const d = DEFAULT_TRAIN_OPTIONS;
export const trainSpec: CommandSpec = {
  name: 'train',
  summary: 'Train a phoneme CTC acoustic model on synthesized speech and export it as a model package.',
  usage: 'hark train --out DIR [options]',
  options: {
    out: { type: 'string', help: 'Output model folder (model.onnx, model.json, checkpoint/)' },
    data: { type: 'string', help: 'Folder for the synthesized corpora (train/, heldout/)', default: d.dataDir },
    clips: { type: 'number', help: 'Training utterances to synthesize', default: d.clips },
    'heldout-clips': { type: 'number', help: 'Held-out utterances (held-out voices and text)', default: d.heldoutClips },
    cell: { type: 'string', help: 'Recurrent cell', default: d.cell, choices: [...CELL_TYPES] },
    unidirectional: { type: 'boolean', help: 'Forward-only layers instead of bidirectional' },
    layers: { type: 'number', help: 'Recurrent layers', default: d.layers },
    hidden: { type: 'number', help: 'Hidden units per direction', default: d.hidden },
    epochs: { type: 'number', help: 'Epochs (each with fresh augmentation)', default: d.epochs },
    lr: { type: 'number', help: 'Adam learning rate', default: d.learningRate },
    'lr-decay': { type: 'number', help: 'Learning-rate factor per epoch', default: d.lrDecay },
    'clip-norm': { type: 'number', help: 'Global gradient-norm clip', default: d.clipNorm },
    'batch-frames': { type: 'number', help: 'Padded frames per batch (batch size x length)', default: d.maxBatchFrames },
    seed: { type: 'number', help: 'Seed for data, initialization and batch order', default: d.seed },
    'time-budget': { type: 'number', help: 'Stop after this many minutes (checkpoint kept; run again to resume)' },
    'eval-clips': { type: 'number', help: 'Held-out clips evaluated after each epoch', default: d.evalClips },
    name: { type: 'string', help: 'Model name written into its metadata', default: d.name },
    'cmn-window': { type: 'number', help: 'Sliding-window cepstral mean normalization over this many 10 ms frames (0 = off)', default: 0 },
    threads: threadsOptionSpec,
    dropout: dropoutOptionSpec,
  },
};

export async function trainCommand(argv: string[]): Promise<number> {
  const { options: o, help } = parseCommand(trainSpec, argv);
  if (help) { process.stdout.write(helpText(trainSpec)); return 0; }
  if (!o.out) { process.stderr.write(`train: --out DIR is required\n\n${helpText(trainSpec)}`); return 2; }
  const cmnWindow = cmnWindowOption('train', o['cmn-window']);
  const gradientWorkers = gradientWorkersOption('train', o.threads);
  const progress = trainingProgress();
  return runInterruptibly('train', join(String(o.out), 'checkpoint'), async ({ signal, stepTaken }) => {
    await runTraining({
      out: String(o.out), dataDir: String(o.data), clips: Number(o.clips), heldoutClips: Number(o['heldout-clips']),
      cell: o.cell as CellType, bidirectional: !o.unidirectional, layers: Number(o.layers), hidden: Number(o.hidden),
      epochs: Number(o.epochs), learningRate: Number(o.lr), lrDecay: Number(o['lr-decay']), clipNorm: Number(o['clip-norm']),
      maxBatchFrames: Number(o['batch-frames']), seed: Number(o.seed), evalClips: Number(o['eval-clips']), name: String(o.name),
      timeBudgetMin: timeBudgetOption('train', o['time-budget']), cmnWindow, gradientWorkers, dropout: dropoutOption('train', o.dropout),
      log: progress.log, progress: (r) => { stepTaken(); progress.progress(r); }, signal,
    });
    return 0;
  });
}
