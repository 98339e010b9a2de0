/**
 * `hark export`: write a model package (model.onnx + model.stream.onnx + model.json) from a
 * training checkpoint (src-main/train/checkpoint.ts), or re-export an existing package (--model:
 * weights read back from its model.onnx), e.g. to add the streaming graph or change its chunking. The checkpoint holds the weights and the architecture
 * (config.arch); the feature configuration and normalization come from the model.json next to the
 * checkpoint folder or from --metadata. No tfjs is involved: the weights go straight to the
 * ONNX writer, and the result is loaded back through the engine before the command succeeds.
 * `--int8` writes int8 weights (LSTM models; model/int8-weights.ts) and records it in the card
 * (metadata.quantization); an int8 package is never a source: export from its float reference.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { TRAINING_METADATA_FILE } from '../model/training-metadata-file.ts';
import type { ArchitectureSpec, ModelMetadata } from '../../src-shared/model/metadata.ts';
import { OfflineAcousticSession } from '../engine/offline-acoustic-session.ts';
import { OnlineAcousticSession } from '../engine/online-acoustic-session.ts';
import { checkModelMetadata, loadModelPackage } from '../model/model-package.ts';
import { DEFAULT_STREAMING, exportOnnxModel } from '../model/write-model.ts';
import { JSON_FILE } from '../model/package-files.ts';
import { readAcousticWeights } from '../model/read-onnx-weights.ts';
import { loadCheckpoint, type NamedArray } from '../train/checkpoint.ts';
import { gatesOf, type AcousticModelWeights, type DirectionWeights } from '../model/weights.ts';
import { helpText, parseCommand, UsageError, type CommandSpec } from './cli-args.ts';

export const exportSpec: CommandSpec = {
  name: 'export',
  summary: 'Export a model package (model.onnx + model.stream.onnx + model.json) from a training checkpoint or another package.',
  usage: 'hark export (--checkpoint DIR | --model DIR) --out DIR [--int8] [--metadata FILE] [--chunk-frames N] [--lookahead-frames N]',
  options: {
    checkpoint: { type: 'string', help: 'Checkpoint folder (checkpoint.json + checkpoint.bin)' },
    model: { type: 'string', help: 'Re-export this model package (weights read from its model.onnx)' },
    out: { type: 'string', help: 'Output model folder (may equal --model)' },
    metadata: { type: 'string', help: 'model.json supplying features and normalization (default: <checkpoint>/../model.json, else ../training-metadata.json)' },
    'chunk-frames': { type: 'number', help: `Streaming chunk size Nc in model frames (default: the source's, else ${DEFAULT_STREAMING.chunkFrames})` },
    'lookahead-frames': { type: 'number', help: `Streaming look-ahead Nr in model frames (default: the source's, else ${DEFAULT_STREAMING.lookaheadFrames})` },
    int8: { type: 'boolean', help: 'Write int8 weights (dynamic quantization, LSTM models only; about 2x faster on one thread, 4x smaller; see bench/results/inference-cost.json). Default: float32' },
  },
};

const ARCH_KEYS = ['cell', 'bidirectional', 'layers', 'hidden', 'inputDim', 'numUnits'] as const;

/**
 * AcousticModelWeights from checkpoint tensors in AcousticModel.variables() order: per layer the
 * forward kernel, recurrent, bias, then the backward ones (bidirectional), then output kernel, bias.
 */
export function weightsFromCheckpoint(arch: ArchitectureSpec, tensors: readonly NamedArray[], source: string): AcousticModelWeights {
  const dirs = arch.bidirectional ? 2 : 1;
  const gh = gatesOf(arch.cell) * arch.hidden;
  const expected = arch.layers * dirs * 3 + 2;
  if (tensors.length !== expected) {
    throw new Error(`checkpoint ${source}: ${tensors.length} weight tensors, a ${JSON.stringify(arch)} model has ${expected}`);
  }
  let i = 0;
  const take = (len: number, what: string): Float32Array => {
    const t = tensors[i++];
    if (t.data.length !== len) throw new Error(`checkpoint ${source}: tensor ${t.name} (${what}) has ${t.data.length} values, expected ${len}`);
    return t.data;
  };
  const direction = (inputSize: number, what: string): DirectionWeights => ({
    kernel: take(inputSize * gh, `${what} kernel`), recurrent: take(arch.hidden * gh, `${what} recurrent`), bias: take(gh, `${what} bias`),
  });
  const layers = Array.from({ length: arch.layers }, (_, l) => {
    const inputSize = l === 0 ? arch.inputDim : dirs * arch.hidden;
    const forward = direction(inputSize, `layer ${l} forward`);
    return arch.bidirectional ? { inputSize, forward, backward: direction(inputSize, `layer ${l} backward`) } : { inputSize, forward };
  });
  const output = { kernel: take(dirs * arch.hidden * arch.numUnits, 'output kernel'), bias: take(arch.numUnits, 'output bias') };
  return { spec: { ...arch }, layers, output };
}

/** metadata.streaming with the command-line overrides applied (validated). */
function streamingOf(base: ModelMetadata, o: Record<string, unknown>): { chunkFrames: number; lookaheadFrames: number } {
  const chunkFrames = o['chunk-frames'] !== undefined ? Number(o['chunk-frames']) : base.streaming?.chunkFrames ?? DEFAULT_STREAMING.chunkFrames;
  const lookaheadFrames = o['lookahead-frames'] !== undefined ? Number(o['lookahead-frames']) : base.streaming?.lookaheadFrames ?? DEFAULT_STREAMING.lookaheadFrames;
  if (!Number.isInteger(chunkFrames) || chunkFrames < 1) throw new UsageError(`export: --chunk-frames must be an integer >= 1, got ${chunkFrames}`);
  if (!Number.isInteger(lookaheadFrames) || lookaheadFrames < 0) throw new UsageError(`export: --lookahead-frames must be an integer >= 0, got ${lookaheadFrames}`);
  return { chunkFrames, lookaheadFrames };
}

export async function exportCommand(argv: string[]): Promise<number> {
  const { options: o, positionals, help } = parseCommand(exportSpec, argv);
  if (help) { process.stdout.write(helpText(exportSpec)); return 0; }
  if (positionals.length) throw new UsageError(`export: unexpected argument "${positionals[0]}"`);
  if ((o.checkpoint === undefined) === (o.model === undefined) || o.out === undefined) {
    throw new UsageError(`export: one of --checkpoint DIR or --model DIR, and --out DIR, are required\n\n${helpText(exportSpec)}`);
  }
  const out = String(o.out);
  let weights: AcousticModelWeights;
  let metadata: ModelMetadata;
  let source: string;
  if (o.model !== undefined) {
    const pkg = await loadModelPackage(resolve(String(o.model)));
    weights = readAcousticWeights(pkg.onnx);
    metadata = { ...pkg.metadata, streaming: streamingOf(pkg.metadata, o) };
    source = pkg.onnxPath;
  } else {
    const ckptDir = resolve(String(o.checkpoint));
    // Default: the package's model.json, or during training the metadata `hark train` writes first.
    const besideJson = join(dirname(ckptDir), JSON_FILE);
    const metaPath = o.metadata !== undefined ? String(o.metadata) : existsSync(besideJson) ? besideJson : join(dirname(ckptDir), TRAINING_METADATA_FILE);
    const ckpt = await loadCheckpoint(ckptDir);
    if (!ckpt) throw new Error(`no checkpoint in ${ckptDir} (expected checkpoint.json and checkpoint.bin)`);
    const arch = (ckpt.config as { arch?: ArchitectureSpec } | null)?.arch;
    if (!arch || typeof arch !== 'object') throw new Error(`checkpoint ${ckptDir}: checkpoint.json has no config.arch`);
    let base: unknown;
    try {
      base = JSON.parse(await readFile(metaPath, 'utf8'));
    } catch (e) {
      throw new Error(`cannot read the metadata ${metaPath} (features and normalization; pass --metadata FILE): ${(e as Error).message}`);
    }
    checkModelMetadata(base, metaPath);
    const differing = ARCH_KEYS.filter((k) => base.architecture[k] !== arch[k]);
    if (differing.length) {
      throw new Error(`${metaPath} describes architecture ${JSON.stringify(base.architecture)}, the checkpoint ${JSON.stringify(arch)} (differing: ${differing.join(', ')})`);
    }
    weights = weightsFromCheckpoint(arch, ckpt.weights, ckptDir);
    metadata = {
      ...base,
      architecture: { ...arch },
      createdAt: new Date().toISOString(),
      streaming: streamingOf(base, o),
      training: { ...(base.training ?? {}), exportedFromCheckpoint: { step: ckpt.step, epoch: ckpt.epoch, batchInEpoch: ckpt.batchInEpoch } },
    };
    source = `checkpoint ${ckptDir} step ${ckpt.step}`;
  }
  const { quantization: _sourceQuantization, ...floatMetadata } = metadata;
  metadata = o.int8 === true
    ? { ...floatMetadata, quantization: { weights: 'int8', floatReference: `${metadata.name} ${metadata.version}` } }
    : floatMetadata;
  const written = await exportOnnxModel(weights, metadata, out);
  const pkg = await loadModelPackage(out);
  const session = await OfflineAcousticSession.create(pkg, { threads: 1 });
  await session.release();
  const stream = await OnlineAcousticSession.create(pkg, { threads: 1 });
  await stream.release();
  const { chunkFrames, lookaheadFrames } = written.metadata.streaming ?? DEFAULT_STREAMING;
  process.stdout.write(`exported ${written.onnxPath} (${written.bytes} bytes${o.int8 === true ? ', int8 weights' : ''}), ${written.streamOnnxPath} (chunks of ${chunkFrames} frames, look-ahead ${lookaheadFrames}) and ${written.jsonPath} from ${source}\n`);
  return 0;
}
