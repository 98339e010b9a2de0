/**
 * The model a live stream decodes with: the package, its two graphs (streaming, for chunks; whole
 * utterance, for finals), the VTLN its finals use with the stream's warp vote, and a hot swap
 * waiting for the next utterance boundary. The online recognizer decides when the boundary is;
 * this holds what changes there. Whether a package can take over a running stream is
 * model-swap.ts's question.
 */
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';
import type { FeatureMatrix } from '../../src-shared/features/feature-matrix.ts';
import type { ModelPackage } from '../model/model-package.ts';
import { OfflineAcousticSession } from './offline-acoustic-session.ts';
import type { OnlineRecognizerOptions } from './online-recognizer-options.ts';
import type { DecoderSet, RecognitionMode } from './recognition-decoders.ts';
import { OnlineAcousticSession } from './online-acoustic-session.ts';
import { posteriorsWithVtln, vtlnForModel, type VtlnOptions } from './vtln.ts';
import { WarpVote } from './warp-vote.ts';

/** The recognizer's options for its graphs, and for VTLN (vtlnForModel decides with each package's metadata). */
export type SwappableModelOptions = Pick<OnlineRecognizerOptions, 'provider' | 'threads' | 'vtln'>;

interface Graphs {
  session: OfflineAcousticSession;
  stream: OnlineAcousticSession;
}

/** A model to move to at the next utterance boundary, its graphs already loaded. */
export interface PendingSwap extends Graphs {
  model: ModelPackage;
  /** New decoder factory (undefined: keep the decoders in use), and the set it built for the mode at swap time. */
  factory?: (mode: RecognitionMode) => DecoderSet;
  decoders?: DecoderSet;
}

const sameMode = (a: RecognitionMode, b: RecognitionMode): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Both graphs of `model` (one thread each unless `threads` says otherwise). */
async function loadGraphs(model: ModelPackage, opts: SwappableModelOptions): Promise<Graphs> {
  // Chunks are a dozen frames: one thread beats a pool whose hand-offs cost more than the work.
  const stream = await OnlineAcousticSession.create(model, { provider: opts.provider, threads: opts.threads ?? 1 });
  try {
    return { stream, session: await OfflineAcousticSession.create(model, { provider: opts.provider, threads: opts.threads }) };
  } catch (e) {
    await stream.release();
    throw e;
  }
}

async function releaseGraphs(g: Graphs): Promise<void> {
  await Promise.all([g.session.release(), g.stream.release()]);
}

export class SwappableModel {
  private pending: PendingSwap | null = null;
  /** VTLN for finals with the package in use (vtlnForModel), null for none. */
  private vtlnOpts: VtlnOptions | null;
  /** Stream-level VTLN vote (replaced on a new stream and on a swap). */
  private vote: WarpVote;

  private constructor(private pkg: ModelPackage, private graphs: Graphs, private readonly opts: SwappableModelOptions) {
    this.vtlnOpts = vtlnForModel(opts.vtln, pkg.metadata);
    this.vote = new WarpVote(this.vtlnOpts?.maxProbeSec ?? Infinity);
  }

  /** Loads both graphs of `model`. */
  static async load(model: ModelPackage, opts: SwappableModelOptions): Promise<SwappableModel> {
    return new SwappableModel(model, await loadGraphs(model, opts), opts);
  }

  /** The package in use. */
  get model(): ModelPackage {
    return this.pkg;
  }

  /** The streaming graph in use. */
  get stream(): OnlineAcousticSession {
    return this.graphs.stream;
  }

  /** The VTLN finals use with the package in use (null: none). */
  get vtln(): VtlnOptions | null {
    return this.vtlnOpts;
  }

  get swapPending(): boolean {
    return this.pending !== null;
  }

  /** A new stream: the warp is voted on afresh. */
  restartVote(): void {
    this.vote = new WarpVote(this.vtlnOpts?.maxProbeSec ?? Infinity);
  }

  /**
   * Loads a swap to `model`: both graphs and, with `factory`, the decoders of `mode`. Nothing is
   * kept when this fails.
   */
  async prepare(model: ModelPackage, factory: ((mode: RecognitionMode) => DecoderSet) | undefined, mode: RecognitionMode): Promise<PendingSwap> {
    const pending: PendingSwap = { model, ...await loadGraphs(model, this.opts) };
    try {
      if (factory) {
        pending.factory = factory;
        pending.decoders = factory(mode);
      }
    } catch (e) {
      await releaseGraphs(pending);
      throw e;
    }
    return pending;
  }

  /** Makes `p` the swap waiting for the boundary; a swap waiting already is released. */
  async setPending(p: PendingSwap): Promise<void> {
    const replaced = this.pending;
    this.pending = p;
    if (replaced) await releaseGraphs(replaced);
  }

  /** Releases a prepared swap that will not happen. */
  async discard(p: PendingSwap): Promise<void> {
    await releaseGraphs(p);
  }

  /**
   * At an utterance boundary: puts the waiting swap's model in place and releases the old graphs;
   * the VTLN warp is chosen afresh by the new model. Returns the swap's decoder factory and the
   * decoders for `mode` (built again unless those built at swap time fit), or null when the
   * decoders in use stay (no swap, or one without a factory).
   */
  async applyPending(mode: RecognitionMode): Promise<{ factory: (mode: RecognitionMode) => DecoderSet; decoders: DecoderSet } | null> {
    const p = this.pending;
    if (!p) return null;
    this.pending = null;
    const old = this.graphs;
    this.pkg = p.model;
    this.graphs = { session: p.session, stream: p.stream };
    const decoders = p.factory ? { factory: p.factory, decoders: p.decoders && sameMode(p.decoders.mode, mode) ? p.decoders : p.factory(mode) } : null;
    this.vtlnOpts = vtlnForModel(this.opts.vtln, p.model.metadata);
    this.restartVote();
    await releaseGraphs(old);
    return decoders;
  }

  /**
   * Whole-utterance posteriors ([frames, numUnits]): with test-time VTLN over `pcm` (the
   * utterance's samples) when the model uses it and pcm is given, each such final voting for the
   * stream's warp; else over `feats`. At most feats.frames frames.
   */
  async finalPosteriors(pcm: Float32Array | null, feats: FeatureMatrix): Promise<{ logprobs: Float32Array; frames: number }> {
    if (this.vtlnOpts && pcm) {
      const r = await posteriorsWithVtln(pcm, this.pkg, this.graphs.session, { ...this.vtlnOpts, warps: this.vote.candidates(this.vtlnOpts.warps) });
      this.vote.vote(r.warp, pcm.length / SAMPLE_RATE);
      const frames = Math.min(r.features.frames, feats.frames);
      return { logprobs: r.logprobs.subarray(0, frames * this.pkg.architecture.numUnits), frames };
    }
    return { logprobs: await this.graphs.session.run(feats), frames: feats.frames };
  }

  /** Releases the graphs in use and those of a waiting swap. */
  async release(): Promise<void> {
    const pending = this.pending;
    this.pending = null;
    await Promise.all([releaseGraphs(this.graphs), ...(pending ? [releaseGraphs(pending)] : [])]);
  }
}
