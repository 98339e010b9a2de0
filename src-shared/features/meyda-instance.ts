import MeydaModule from 'meyda';
import type { FeatureConfig } from './config.ts';

/**
 * The part of Meyda 5's default export that Hark uses. Meyda ships ESM-style typings for a
 * CommonJS bundle, so under NodeNext the typed default import is the namespace; at run time
 * (Node or a bundler) it is the Meyda object itself. This interface types what we touch.
 */
export interface MeydaApi {
  sampleRate: number;
  bufferSize: number;
  melBands: number;
  numberOfMFCCCoefficients: number;
  windowingFunction: string;
  /** Mel filter bank cached by extract(): max(melBands, numberOfMFCCCoefficients) rows of bufferSize / 2 + 1 weights. */
  melFilterBank?: number[][];
  barkScale?: unknown;
  chromaFilterBank?: unknown;
  extract(feature: 'mfcc', signal: Float32Array): number[];
  windowing(signal: Float32Array, windowName: string): ArrayLike<number>;
}

function resolveMeyda(): MeydaApi {
  const mod = MeydaModule as unknown as { default?: MeydaApi } & MeydaApi;
  const api = typeof mod.extract === 'function' ? mod : mod.default;
  if (!api || typeof api.extract !== 'function') throw new Error('meyda: unexpected module shape (no extract function)');
  return api;
}

/**
 * A private Meyda object configured for `cfg`. Meyda keeps its configuration and its cached
 * filter banks in fields of one shared object, and its cache check misses some changes (a new
 * bufferSize or sampleRate with the same melBands keeps the stale mel bank). A shallow copy with
 * the caches cleared gives each configuration its own, correct state; the global is never touched.
 */
export function createMeydaInstance(cfg: FeatureConfig): MeydaApi {
  const inst: MeydaApi = Object.assign({}, resolveMeyda());
  inst.sampleRate = cfg.sampleRate;
  inst.bufferSize = cfg.frameLength;
  inst.melBands = cfg.melBands;
  inst.numberOfMFCCCoefficients = cfg.numMfcc;
  inst.windowingFunction = 'hanning';
  inst.melFilterBank = undefined;
  inst.barkScale = undefined;
  inst.chromaFilterBank = undefined;
  return inst;
}

/** Tables that define Meyda's MFCC for `cfg`, taken from Meyda itself. */
export interface MeydaTables {
  /** Meyda's Hann window (0.5 - 0.5 cos(2 pi i / (N - 1)), stored as float32), length frameLength. */
  window: Float64Array;
  /** Meyda's mel filter bank rows (melBands of them), restricted to bins [0, frameLength / 2). */
  melFilterBank: Float64Array[];
}

/** Reads Meyda's window and mel filter bank for `cfg` (one extract on a silent frame builds the bank). */
export function meydaTables(cfg: FeatureConfig): MeydaTables {
  const inst = createMeydaInstance(cfg);
  const n = cfg.frameLength;
  inst.extract('mfcc', new Float32Array(n));
  const bank = inst.melFilterBank;
  if (!bank || bank.length !== Math.max(cfg.melBands, cfg.numMfcc)) throw new Error('meyda: mel filter bank missing after extract');
  const window = Float64Array.from(inst.windowing(new Float32Array(n).fill(1), 'hanning'));
  // Meyda's melBands extractor reads only the first bufferSize / 2 bins (it drops Nyquist).
  const melFilterBank = bank.map((row) => Float64Array.from(row.slice(0, n / 2)));
  return { window, melFilterBank };
}
