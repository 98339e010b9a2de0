/**
 * The only place Hark creates onnxruntime sessions. Runs the whole-utterance graph of a model
 * package: "features" float32 [1, T, inputDim] -> "logprobs" float32 [1, T, numUnits].
 */
import * as ort from 'onnxruntime-node';
import { assertMatrix, type FeatureMatrix } from '../../src-shared/features/feature-matrix.ts';
import { INPUT_NAME, OUTPUT_NAME } from '../model/graph-io-names.ts';
import { ModelMismatchError, type ModelPackage } from '../model/model-package.ts';

export type ExecutionProvider = 'cpu' | 'cuda';

/** onnxruntime graph optimization levels, from none to every fusion and layout change. */
export const GRAPH_OPTIMIZATION_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;
export type GraphOptimizationLevel = (typeof GRAPH_OPTIMIZATION_LEVELS)[number];

export interface AcousticSessionOptions {
  /** 'cuda' is used only when asked for; it fails with a clear error where the build lacks it. */
  provider?: ExecutionProvider;
  /** Intra-op threads (default DEFAULT_SESSION_THREADS). */
  threads?: number;
  /** Graph optimization level (default 'all'; bench/inference-cost.bench.ts measures the others). */
  graphOptimization?: GraphOptimizationLevel;
}

/**
 * Intra-op threads when the caller names none: 1. bench/results/inference-cost.json (shipped model,
 * 2-core machine busy with other work, load average 7.5-11.7; medians of 7 interleaved runs)
 * measured one thread 2.1x faster than two for the whole-utterance graph (3.45 vs 7.13 ms per
 * second of audio; best runs 2.43 vs 5.78) and 3.0x for the streaming graph (7.8 vs 23.8 ms/s),
 * with identical posteriors; an earlier run of the same benchmark gave 2.3x and 2.8x. Per-step LSTM
 * products of one utterance are too small to share, and a second thread waits on busy cores.
 * Not measured on an idle machine. (onnxruntime's own default was one thread per core.)
 */
export const DEFAULT_SESSION_THREADS = 1;

/** Thrown when onnxruntime cannot provide the requested execution provider. */
export class ProviderUnavailableError extends Error {
  constructor(readonly provider: ExecutionProvider, reason: string) {
    super(`execution provider "${provider}" is not available: ${reason}`);
    this.name = 'ProviderUnavailableError';
  }
}

/**
 * An onnxruntime session for one graph of a package (`path` names it in errors); validates the
 * options. Used by OfflineAcousticSession and OnlineAcousticSession.
 */
export async function createOrtSession(bytes: Uint8Array, path: string, opts: AcousticSessionOptions): Promise<ort.InferenceSession> {
  const provider = opts.provider ?? 'cpu';
  if (provider !== 'cpu' && provider !== 'cuda') throw new Error(`unknown execution provider "${String(provider)}" (expected cpu or cuda)`);
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1)) {
    throw new Error(`threads must be a positive integer, got ${opts.threads}`);
  }
  const level = opts.graphOptimization ?? 'all';
  if (!(GRAPH_OPTIMIZATION_LEVELS as readonly string[]).includes(level)) {
    throw new Error(`graph optimization must be one of ${GRAPH_OPTIMIZATION_LEVELS.join(', ')}, got "${String(level)}"`);
  }
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: [provider],
    graphOptimizationLevel: level,
    intraOpNumThreads: opts.threads ?? DEFAULT_SESSION_THREADS,
    interOpNumThreads: 1,
  };
  try {
    return await ort.InferenceSession.create(bytes, sessionOptions);
  } catch (e) {
    const msg = (e as Error).message;
    if (provider === 'cuda') throw new ProviderUnavailableError('cuda', `${msg} (this onnxruntime-node build or machine has no CUDA support; use --provider cpu)`);
    throw new ModelMismatchError(path, `onnxruntime cannot load the graph: ${msg}`);
  }
}

export class OfflineAcousticSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly inputDim: number,
    readonly numUnits: number,
    readonly provider: ExecutionProvider,
  ) {}

  /** Creates the session for `pkg`; checks the graph's input and output names. */
  static async create(pkg: ModelPackage, opts: AcousticSessionOptions = {}): Promise<OfflineAcousticSession> {
    const provider = opts.provider ?? 'cpu';
    const session = await createOrtSession(pkg.onnx, pkg.onnxPath, opts);
    if (session.inputNames.length !== 1 || session.inputNames[0] !== INPUT_NAME || !session.outputNames.includes(OUTPUT_NAME)) {
      await session.release();
      throw new ModelMismatchError(pkg.onnxPath, `graph inputs [${session.inputNames.join(', ')}] / outputs [${session.outputNames.join(', ')}], expected input "${INPUT_NAME}" and output "${OUTPUT_NAME}"`);
    }
    return new OfflineAcousticSession(session, pkg.architecture.inputDim, pkg.architecture.numUnits, provider);
  }

  /**
   * Log-probabilities of one utterance: row-major [T, numUnits] for T = features.frames, in one
   * call whatever the length. T = 0 returns an empty array without calling onnxruntime.
   */
  async run(features: FeatureMatrix): Promise<Float32Array> {
    assertMatrix(features, 'OfflineAcousticSession.run features', this.inputDim);
    const T = features.frames;
    if (T === 0) return new Float32Array(0);
    const out = await this.session.run({ [INPUT_NAME]: new ort.Tensor('float32', features.data, [1, T, this.inputDim]) });
    const lp = out[OUTPUT_NAME];
    const dims = lp.dims;
    if (lp.type !== 'float32' || dims.length !== 3 || dims[0] !== 1 || dims[1] !== T || dims[2] !== this.numUnits) {
      throw new Error(`model output "${OUTPUT_NAME}" has type ${lp.type} shape [${dims.join(', ')}], expected float32 [1, ${T}, ${this.numUnits}]`);
    }
    const data = lp.data as Float32Array;
    for (const t of Object.values(out)) if (t !== lp) t.dispose();
    return data;
  }

  /** Frees the native session; the object cannot run afterwards. */
  async release(): Promise<void> {
    await this.session.release();
  }
}
