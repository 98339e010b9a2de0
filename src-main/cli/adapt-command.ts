/** `hark adapt`: continue training a model package on synthesized speech mixed with real speech. */
import { join } from 'node:path';
import { DEFAULT_ADAPT_OPTIONS, runAdaptation } from '../train/adapt-run.ts';
import { helpText, parseCommand, UsageError, type CommandSpec } from './cli-args.ts';
import { timeBudgetOption } from './time-budget-option.ts';
import { cmnWindowOption } from './cmn-window-option.ts';
import { dropoutOption, dropoutOptionSpec } from './dropout-option.ts';
import { gradientWorkersOption, threadsOptionSpec } from './threads-option.ts';
import { trainingProgress } from './progress-bar.ts';
import { runInterruptibly } from './interrupt.ts';

const d = DEFAULT_ADAPT_OPTIONS;
export const adaptSpec: CommandSpec = {
  name: 'adapt',
  summary: 'Adapt a model package to real voices: training continues on synthesized speech mixed with the train part of a real-speech set.',
  usage: 'hark adapt --model DIR --out DIR [--real data/real] [options]',
  options: {
    model: { type: 'string', help: 'Model package to start from (weights, front end and normalization are kept)' },
    out: { type: 'string', help: 'Output model folder (model.onnx, model.stream.onnx, model.json, checkpoint/); run again to resume' },
    data: { type: 'string', help: 'Folder for the synthesized corpora', default: d.dataDir },
    'synth-clips': { type: 'number', help: 'Synthesized utterances', default: d.synthClips },
    'wide-synth-clips': { type: 'number', help: 'More synthesized utterances by every family (SVOX Pico and GnuSpeech too), each a different talker', default: d.wideSynthClips },
    'mbrola-clips': { type: 'number', help: 'More synthesized utterances by the MBROLA voices (diphones of real speakers; Debian: mbrola, mbrola-us1/us2/us3/en1)', default: d.mbrolaClips },
    'family-weights': { type: 'string', help: 'Share of synthesized utterances per synthesizer family, JSON', default: JSON.stringify(d.familyWeights) },
    real: { type: 'string', help: 'Real-speech set folder (hark real-set); its train split is mixed in' },
    'real-repeat': { type: 'number', help: 'Times each real clip is used per epoch (freshly augmented each time)', default: d.realRepeat },
    'less-heard-repeat': { type: 'number', help: 'Use the clips of train speakers with under 10 minutes of real audio this many times more per epoch (1 = as the others)', default: 1 },
    'real-exclude': { type: 'string', help: 'Comma-separated real sources to leave out' },
    'warp-prob': { type: 'number', help: 'Share of training clips whose pitch and formants are scaled together at constant duration (a longer or shorter vocal tract: another speaker) (default: 0.4)' },
    'warp-range': { type: 'string', help: 'Range of that scale, LOW,HIGH (default: 0.86,1.16)' },
    epochs: { type: 'number', help: 'Epochs', default: d.epochs },
    lr: { type: 'number', help: 'Adam learning rate', default: d.learningRate },
    'lr-decay': { type: 'number', help: 'Learning-rate factor per epoch', default: d.lrDecay },
    'batch-frames': { type: 'number', help: 'Padded frames per batch (the default fits 192 units; 3 x 256 trains with 2400, --workers-only and --max-clip-sec 6; 4 x 256, the shipped network, with 1800, --workers-only and --max-clip-sec 4.5: docs/DEVELOPERS.md)', default: d.maxBatchFrames },
    seed: { type: 'number', help: 'Seed for the synthesized texts and voices, augmentation and batch order', default: d.seed },
    'time-budget': { type: 'number', help: 'Stop after this many minutes (checkpoint kept; run again to resume); 0 trains nothing and exports the best epoch so far' },
    'eval-clips': { type: 'number', help: 'Held-out synthesized clips evaluated after each epoch', default: d.evalClips },
    'cmn-window': { type: 'number', help: 'Sliding-window cepstral mean normalization over this many 10 ms frames in the adapted model (0 = off; default: the starting package\'s setting, off for models without CMN)' },
    'music-negatives': { type: 'number', help: 'Synthesized music clips trained with no words, so that music is heard as nothing (0 = none)', default: 0 },
    'babble-negatives': { type: 'number', help: 'Babble clips (4-8 synthesized talkers at once) trained with no words, so that a crowd is heard as nothing (0 = none)', default: 0 },
    widen: { type: 'number', help: 'Units per direction of the adapted model, when wider than the starting package (the network is widened without changing its output, then trained)' },
    deepen: { type: 'number', help: 'Recurrent layers of the adapted model, when more than the starting package\'s (new layers go on top as near copies of their input, then train; a deeper network needs a smaller --batch-frames)' },
    threads: threadsOptionSpec,
    dropout: dropoutOptionSpec,
    'max-clip-sec': { type: 'number', help: 'Leave clips longer than this many seconds out of training (a wide network\'s longest sequences can exhaust tfjs WASM\'s heap)' },
    'split-long': { type: 'boolean', help: 'Cut real train clips longer than --max-clip-sec at pauses between words (by the starting model\'s alignment) and train on the pieces instead of leaving the clips out' },
    'average-epochs': { type: 'number', help: 'Keep the weights of the last N epochs (OUT/epochs/) and export their mean when it measures better on the validation slice than every single epoch (1 = no averaging)', default: 1 },
    'workers-only': { type: 'boolean', help: 'Every shard of a batch is computed by a worker thread (one per --threads) and the main thread only steps the optimizer: keeps the main thread\'s tfjs WASM heap small, for wide networks' },
  },
};

/** A count of clips to make (--music-negatives, --babble-negatives, --mbrola-clips): a whole number from 0 to 100000. */
export function clipCountOption(flag: string, v: unknown): number {
  return wholeNumberOption(flag, v, 0, 100_000);
}

/** A whole number from lo to hi (of `unit`, said in the error), or a UsageError naming --flag. */
function wholeNumberOption(flag: string, v: unknown, lo: number, hi: number, unit?: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < lo || n > hi) throw new UsageError(`adapt: --${flag} must be a whole number${unit ? ` of ${unit}` : ''} from ${lo} to ${hi}, got ${String(v)}`);
  return n;
}

export function maxClipSecOption(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`adapt: --max-clip-sec must be a positive number of seconds, got ${String(v)}`);
  return n;
}

export function lessHeardRepeatOption(v: unknown): number {
  return wholeNumberOption('less-heard-repeat', v, 1, 20);
}

/** --warp-prob: a share of clips, 0 to 1. */
export function warpProbOption(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new UsageError(`adapt: --warp-prob must be a number from 0 to 1, got ${String(v)}`);
  return n;
}

/** --warp-range LOW,HIGH: 0.5 <= LOW <= HIGH <= 2 (scales outside make no voice). */
export function warpRangeOption(v: unknown): [number, number] | undefined {
  if (v === undefined) return undefined;
  const parts = String(v).split(',').map((x) => Number(x.trim()));
  if (parts.length !== 2 || !parts.every(Number.isFinite) || parts[0] < 0.5 || parts[1] > 2 || parts[0] > parts[1]) {
    throw new UsageError(`adapt: --warp-range must be LOW,HIGH with 0.5 <= LOW <= HIGH <= 2, got ${String(v)}`);
  }
  return [parts[0], parts[1]];
}

/** --split-long cuts clips longer than --max-clip-sec of the real set: it needs both. */
export function splitLongOption(on: boolean, maxClipSec: unknown, real: unknown): boolean {
  if (on && (maxClipSec === undefined || real === undefined)) throw new UsageError('adapt: --split-long cuts the real clips longer than --max-clip-sec: give --max-clip-sec and --real too');
  return on;
}

export function widenOption(v: unknown): number | undefined {
  return v === undefined ? undefined : wholeNumberOption('widen', v, 1, 2048, 'units');
}

export function averageEpochsOption(v: unknown): number {
  return wholeNumberOption('average-epochs', v, 1, 50, 'epochs');
}

export function deepenOption(v: unknown): number | undefined {
  return v === undefined ? undefined : wholeNumberOption('deepen', v, 1, 12, 'layers');
}

export async function adaptCommand(argv: string[]): Promise<number> {
  const { options: o, help } = parseCommand(adaptSpec, argv);
  if (help) { process.stdout.write(helpText(adaptSpec)); return 0; }
  if (!o.model || !o.out) throw new UsageError('adapt: --model DIR and --out DIR are required');
  let familyWeights: Record<string, number>;
  try { familyWeights = JSON.parse(String(o['family-weights'])) as Record<string, number>; } catch { throw new UsageError('adapt: --family-weights must be JSON, e.g. {"espeak":0.5,"flite":0.5}'); }
  const cmnWindow = cmnWindowOption('adapt', o['cmn-window']);
  const workersOnly = o['workers-only'] === true;
  // --threads counts the threads that compute: with --workers-only all of them are workers.
  const gradientWorkers = gradientWorkersOption('adapt', o.threads) + (workersOnly ? 1 : 0);
  const progress = trainingProgress();
  return runInterruptibly('adapt', join(String(o.out), 'checkpoint'), async ({ signal, stepTaken }) => {
    await runAdaptation({
      modelDir: String(o.model), out: String(o.out), dataDir: String(o.data), synthClips: Number(o['synth-clips']), wideSynthClips: Number(o['wide-synth-clips']), mbrolaClips: clipCountOption('mbrola-clips', o['mbrola-clips']), familyWeights,
      realSet: o.real === undefined ? undefined : String(o.real), realRepeat: Number(o['real-repeat']), lessHeardRepeat: lessHeardRepeatOption(o['less-heard-repeat']),
      realExclude: o['real-exclude'] === undefined ? [] : String(o['real-exclude']).split(','),
      warpProb: warpProbOption(o['warp-prob']), warpRange: warpRangeOption(o['warp-range']),
      epochs: Number(o.epochs), learningRate: Number(o.lr), lrDecay: Number(o['lr-decay']), maxBatchFrames: Number(o['batch-frames']),
      seed: Number(o.seed), evalClips: Number(o['eval-clips']), timeBudgetMin: timeBudgetOption('adapt', o['time-budget']),
      cmnWindow, gradientWorkers, dropout: dropoutOption('adapt', o.dropout), mainThreadShard: !workersOnly, musicNegatives: clipCountOption('music-negatives', o['music-negatives']), babbleNegatives: clipCountOption('babble-negatives', o['babble-negatives']), widenHidden: widenOption(o.widen), deepenLayers: deepenOption(o.deepen), maxClipSec: maxClipSecOption(o['max-clip-sec']), splitLong: splitLongOption(o['split-long'] === true, o['max-clip-sec'], o.real),
      averageEpochs: averageEpochsOption(o['average-epochs']),
      log: progress.log, progress: (r) => { stepTaken(); progress.progress(r); }, signal,
    });
    return 0;
  });
}
