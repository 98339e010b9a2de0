/**
 * Keyword spotting of a live stream under several frequency warps. Warp 1 listens to the
 * recognizer's own streaming posteriors; each extra warp has its frames in the utterance's
 * UtteranceFrames (from its own front-end, OnlineInput), its own forward state through the
 * streaming graph and its own spotter state. A keyword heard under several warps is reported once
 * (RecentKeywordHits). Spotter states run on across utterances; chunk states restart with each.
 *
 * Hit times are seconds on the stream's audio timeline: spotter frame f counts from the global
 * model frame where the current keyword list took effect, shifted by frameTimeOffsetSec.
 */
import { modelFrameSec, type FeatureConfig } from '../../src-shared/features/config.ts';
import type { PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import { KeywordSpotter, type KeywordHit, type KeywordSpec, type KeywordSpotterOptions, type KeywordState } from '../decode/keyword-spotter.ts';
import { Lexicon } from '../lexicon/lexicon.ts';
import { withUserWords } from '../lexicon/user-lexicon.ts';
import type { UserWord } from '../lexicon/user-vocabulary.ts';
import { RecentKeywordHits } from './recent-keyword-hits.ts';
import type { ChunkState, OnlineAcousticSession } from './online-acoustic-session.ts';
import type { UtteranceFrames } from './utterance-frames.ts';
import { frameTimeOffsetSec } from './word-times.ts';

/**
 * Keyword spotting listens unwarped only. A second listener with the spectrum scaled by 0.8 (for
 * higher voices) was chosen on synthesized voices before real speech was in training. On real
 * speech of the validation slice (each threshold run exactly, bench/real-keywords.bench.ts) its
 * effect is within the noise: the best recall within 5 / 10 / 20 false alarms per hour was
 * 56% / 58% / 73% with [1, 0.8] and 58% / 73% / 73% with [1] for DEFAULT_KEYWORD_OPTIONS' twelve
 * content words, 18% / 28% / 47% and 13% / 25% / 49% for all 24 words of 6+ letters in 3+ clips.
 * It still helps synthesized voices (the held-out hour of bench/keyword-sweep.bench.ts: 82% at
 * 6/h with [1, 0.8], 76% at 5/h with [1], threshold -1.2). One listener was kept: the set that
 * chose the threshold favoured it, and it is half the keyword spotter's model work.
 * `keywordWarps` (OnlineRecognizerOptions) still adds warps.
 */
export const DEFAULT_KEYWORD_WARPS: readonly number[] = [1];

let sharedLexicon: PronunciationLookup | null = null;

/** Keywords can be any word: CMUdict + G2P, loaded once per process. */
function lexiconForKeywords(): PronunciationLookup {
  sharedLexicon ??= new Lexicon();
  return sharedLexicon;
}

/**
 * The spotter for `keywords` (null for none) over a model whose output units are `units`
 * (ModelMetadata.units); the user's words are pronounced first.
 */
export function buildKeywordSpotter(
  keywords: readonly KeywordSpec[] | undefined,
  opts: { lexicon?: PronunciationLookup; userWords?: readonly UserWord[]; keyword?: Partial<KeywordSpotterOptions> },
  units: readonly string[],
): KeywordSpotter | null {
  if (!keywords || keywords.length === 0) return null;
  return new KeywordSpotter(keywords, withUserWords(opts.lexicon ?? lexiconForKeywords(), opts.userWords), opts.keyword, units);
}

/** The warps other than 1 in `warps`, in order, each once; throws for a warp outside [0.5, 2]. */
export function extraKeywordWarps(warps: readonly number[]): number[] {
  const extra: number[] = [];
  for (const w of warps) {
    if (!(w >= 0.5 && w <= 2)) throw new Error(`keyword warps must be in [0.5, 2], got ${w}`);
    if (w !== 1 && !extra.includes(w)) extra.push(w);
  }
  return extra;
}

/** One warp other than 1: its forward state over the utterance (null: not started yet) and its spotter state. */
interface ExtraWarp {
  warp: number;
  chunkState: ChunkState | null;
  kws: KeywordState | null;
}

export class KeywordWarpBank {
  private spotter: KeywordSpotter | null;
  /** Spotter state of warp 1. */
  private kws: KeywordState | null;
  private readonly extra: ExtraWarp[];
  /** Hits already reported (the same occurrence heard under another warp is not reported again). */
  private readonly recentHits = new RecentKeywordHits();
  /** Global model frame where the current spotter states started counting. */
  private offset = 0;
  private readonly frameSec: number;
  private readonly timeOffsetSec: number;

  /**
   * @param warps the extra warps (extraKeywordWarps), in UtteranceFrames' warp order
   * @param onPosteriors sees each extra warp's posterior rows as they are spotted
   */
  constructor(
    features: FeatureConfig,
    warps: readonly number[],
    spotter: KeywordSpotter | null,
    private readonly onPosteriors?: (logprobs: Float32Array, frames: number, numUnits: number, warp: number) => void,
  ) {
    this.frameSec = modelFrameSec(features);
    this.timeOffsetSec = frameTimeOffsetSec(features);
    this.spotter = spotter;
    this.kws = spotter?.init() ?? null;
    this.extra = warps.map((warp) => ({ warp, chunkState: null, kws: spotter?.init() ?? null }));
  }

  /**
   * Runs frames [s, e) of each extra warp through `stream` with [e, le) as look-ahead, carrying
   * each warp's forward state. Returns each warp's posteriors ([le - s, numUnits]), or null for a
   * warp that does not listen now (no keywords, or `fed` false: its frames are not being fed).
   */
  async runChunk(stream: OnlineAcousticSession, frames: UtteranceFrames, s: number, e: number, le: number, fed: boolean): Promise<(Float32Array | null)[]> {
    const out: (Float32Array | null)[] = [];
    for (const [i, w] of this.extra.entries()) {
      if (!this.spotter || !w.kws || !fed) { out.push(null); continue; }
      const r = await stream.runChunk(frames.warpRows(i, s, e), frames.warpRows(i, e, le), w.chunkState ?? stream.initialState());
      w.chunkState = r.state;
      out.push(r.logprobs);
    }
    return out;
  }

  /**
   * Spots one frame: `row` is warp 1's posteriors, row `i` of each `warpRows` entry (runChunk's)
   * the extra warps'. Returns the new hits, warp 1's first.
   */
  spotFrame(row: Float32Array, warpRows: readonly (Float32Array | null)[], i: number, U: number): KeywordHit[] {
    if (!this.spotter || !this.kws) return [];
    const hits = this.place(this.spotter.advance(this.kws, row, 1, U, this.frameSec));
    this.extra.forEach((w, k) => {
      const wr = warpRows[k];
      if (!wr || !w.kws) return;
      const wrow = wr.subarray(i * U, (i + 1) * U);
      this.onPosteriors?.(wrow, 1, U, w.warp);
      hits.push(...this.place(this.spotter!.advance(w.kws, wrow, 1, U, this.frameSec)));
    });
    return hits;
  }

  /** Reports what every warp's spotter still holds (end of stream). */
  flush(): KeywordHit[] {
    const hits: KeywordHit[] = [];
    if (this.spotter && this.kws) hits.push(...this.place(this.spotter.flush(this.kws, this.frameSec)));
    for (const w of this.extra) if (this.spotter && w.kws) hits.push(...this.place(this.spotter.flush(w.kws, this.frameSec)));
    return hits;
  }

  /**
   * Replaces the spotter (null: no spotting) from global model frame `globalFrame` on; returns
   * what the old one still held.
   */
  setSpotter(spotter: KeywordSpotter | null, globalFrame: number): KeywordHit[] {
    const hits = this.flush();
    this.spotter = spotter;
    this.kws = spotter?.init() ?? null;
    for (const w of this.extra) w.kws = spotter?.init() ?? null;
    if (this.kws) this.offset = globalFrame;
    return hits;
  }

  /** A new utterance: the extra warps' forward states start afresh. */
  restartChunks(): void {
    for (const w of this.extra) w.chunkState = null;
  }

  /** A new stream: spotter states and the hit memory start afresh (keywords kept). */
  reset(): void {
    this.kws = this.spotter?.init() ?? null;
    for (const w of this.extra) w.kws = this.spotter?.init() ?? null;
    this.recentHits.clear();
    this.offset = 0;
  }

  /** Hits moved onto the stream's timeline, less the occurrences already reported. */
  private place(hits: readonly KeywordHit[]): KeywordHit[] {
    const shift = this.offset * this.frameSec + this.timeOffsetSec;
    const out: KeywordHit[] = [];
    for (const h of hits) {
      const start = Math.max(0, h.start + shift);
      const end = Math.max(0, h.end + shift);
      if (this.recentHits.accept(h.keyword, start, end)) out.push({ keyword: h.keyword, start, end, score: h.score });
    }
    return out;
  }
}
