/**
 * Cuts a long recording, fed as PCM chunks, into segments at pauses, so that file mode runs the
 * whole-utterance graph per segment and holds only about one segment of audio at a time.
 *
 * Once maxSec (plus the right context) of audio past the segment's start is buffered, the cut is
 * placed in [minSec, maxSec] of the segment: in the middle of the longest stretch the file VAD
 * (FILE_VAD, the energy VAD the one-pass path and the live endpointing use) hears as unvoiced, or,
 * when every frame there is voiced (no pause came), at the quietest model frame (lowest c0). Cuts
 * fall on model-frame boundaries of the file (multiples of hop * subsample samples), so a segment's
 * model frames are the file's model frames: frame j of a segment starting at sample s is file frame
 * s / (hop * subsample) + j, and its times move onto the file's timeline by exactly s / rate.
 * Each segment comes with up to contextSec of the neighbouring audio on each side (the acoustic
 * model's left and right context; the decoders see only the segment's own frames).
 */
import type { FeatureConfig } from '../../src-shared/features/config.ts';
import { computeMfcc } from '../../src-shared/features/mfcc.ts';
import { voicedModelFramesOfC0 } from './speech-presence.ts';

export interface SegmentingOptions {
  /** Inputs up to this long are recognized in one pass (OfflineRecognizer.recognizePcm), as before segmenting existed. */
  onePassMaxSec: number;
  /** A segment is at least this long (but the last). */
  minSec: number;
  /** A segment is at most this long: with no pause before it, the cut goes at the quietest point. */
  maxSec: number;
  /** Audio on each side of a segment given to the acoustic model as context (not decoded). */
  contextSec: number;
}

/**
 * 60 s in one pass: the live path's cap on an utterance (MAX_UTTERANCE_SEC); such a file's PCM,
 * features and posteriors take a few tens of MB. Segments of 10 to 30 s cut at pauses, with 1 s of
 * context each side: on three 11 s clips of four sentences (held-out espeak voice, 68 words) cut
 * into 4-7 s segments, 1 s of context gave 25 word errors against the truth (one pass: 26) and 8
 * word edits from the one-pass words; no context gave 28 and 12 (2 s: 24 and 8, at twice the
 * extra model time). Memory held: about maxSec + 2 contextSec of PCM, at most 64 s.
 */
export const DEFAULT_SEGMENTING: SegmentingOptions = { onePassMaxSec: 60, minSec: 10, maxSec: 30, contextSec: 1 };

export interface AudioSegment {
  /** The segment's first sample on the file's timeline (a multiple of the model frame hop). */
  start: number;
  /** Samples in the segment. */
  length: number;
  /** The segment with its context: samples [start - before, start + length + after) of the file. */
  pcm: Float32Array;
  before: number;
  after: number;
  /** The file's last segment (its frames run to the end of `pcm`). */
  last: boolean;
}

/** Checks segmenting options; throws naming the bad one. */
export function segmentingOptions(over: Partial<SegmentingOptions> = {}): SegmentingOptions {
  const o = { ...DEFAULT_SEGMENTING, ...over };
  for (const k of ['onePassMaxSec', 'minSec', 'maxSec', 'contextSec'] as const) {
    if (!(Number.isFinite(o[k]) && o[k] >= 0)) throw new Error(`segmenting.${k} must be a finite number >= 0, got ${o[k]}`);
  }
  if (!(o.minSec > 0 && o.maxSec >= o.minSec)) throw new Error(`segmenting needs 0 < minSec <= maxSec, got ${o.minSec} and ${o.maxSec}`);
  return o;
}

export class PauseSegmenter {
  /** Samples per model frame (hop * subsample). */
  readonly frameSamples: number;
  private readonly minSamples: number;
  private readonly maxSamples: number;
  private readonly context: number;
  /** Audio held: file samples [bufStart, bufStart + bufLen). */
  private buf: Float32Array;
  private bufStart = 0;
  private bufLen = 0;
  /** Where the next segment starts. */
  private segStart = 0;
  private ended = false;

  constructor(private readonly cfg: FeatureConfig, opts: SegmentingOptions) {
    this.frameSamples = cfg.hopLength * cfg.subsample;
    const frames = (sec: number) => Math.max(1, Math.round((sec * cfg.sampleRate) / this.frameSamples)) * this.frameSamples;
    this.minSamples = frames(opts.minSec);
    this.maxSamples = frames(opts.maxSec);
    // The last model frame of a segment reads (stack - 1) hops plus a window past its start.
    this.context = Math.max(frames(opts.contextSec), frames((cfg.frameLength + (cfg.stack - 1) * cfg.hopLength) / cfg.sampleRate));
    this.buf = new Float32Array(this.maxSamples + 2 * this.context + cfg.sampleRate);
  }

  /** Samples fed so far. */
  get totalSamples(): number {
    return this.bufStart + this.bufLen;
  }

  /** Adds audio; returns the segments it completes. */
  push(chunk: Float32Array): AudioSegment[] {
    if (this.ended) throw new Error('PauseSegmenter.push after finish');
    const out: AudioSegment[] = [];
    for (let at = 0; at < chunk.length;) {
      // Take only what keeps the buffer within its capacity, cutting segments as they fill.
      const room = this.buf.length - this.bufLen;
      const take = Math.min(room, chunk.length - at);
      this.buf.set(chunk.subarray(at, at + take), this.bufLen);
      this.bufLen += take;
      at += take;
      while (this.totalSamples - this.segStart >= this.maxSamples + this.context) out.push(this.cut(this.chooseCut(), false));
      if (this.buf.length - this.bufLen === 0) this.compact();
    }
    return out;
  }

  /** The end of the input: the remaining segments (the last marked `last`). */
  finish(): AudioSegment[] {
    this.ended = true;
    const out: AudioSegment[] = [];
    while (this.totalSamples - this.segStart > this.maxSamples) out.push(this.cut(this.chooseCut(), false));
    if (this.totalSamples > this.segStart || this.segStart === 0) out.push(this.cut(this.totalSamples, true));
    else if (out.length > 0) out[out.length - 1].last = true;
    return out;
  }

  /** Drops audio no later segment needs (before the next segment's left context). */
  private compact(): void {
    const keepFrom = Math.max(this.bufStart, this.segStart - this.context);
    const drop = keepFrom - this.bufStart;
    if (drop <= 0) throw new Error('PauseSegmenter: buffer full with nothing to drop');
    this.buf.copyWithin(0, drop, this.bufLen);
    this.bufLen -= drop;
    this.bufStart = keepFrom;
  }

  /** File sample where the current segment ends (see the file comment). */
  private chooseCut(): number {
    const F = this.frameSamples;
    const from = this.segStart + this.minSamples;
    const frames = (this.maxSamples - this.minSamples) / F;
    if (frames === 0) return from;
    const cfg = this.cfg;
    // The analysis windows of the region's model frames reach past its end.
    const end = Math.min(this.totalSamples, from + frames * F + cfg.frameLength + (cfg.stack - 1) * cfg.hopLength);
    const mfcc = computeMfcc(this.buf.subarray(from - this.bufStart, end - this.bufStart), cfg);
    const c0 = new Float32Array(mfcc.frames);
    for (let i = 0; i < mfcc.frames; i++) c0[i] = mfcc.data[i * cfg.numMfcc];
    const voiced = voicedModelFramesOfC0(c0, cfg, frames);
    let best = -1, bestLen = 0;
    for (let f = 0; f < frames;) {
      if (voiced[f]) { f++; continue; }
      let e = f;
      while (e < frames && !voiced[e]) e++;
      if (e - f > bestLen) { bestLen = e - f; best = (f + e) >> 1; }
      f = e;
    }
    if (best < 0) {
      let quietest = Infinity;
      for (let f = 0; f < frames; f++) {
        let e = 0;
        for (let a = f * cfg.subsample; a < Math.min(c0.length, f * cfg.subsample + cfg.stack); a++) e += c0[a];
        if (e < quietest) { quietest = e; best = f; }
      }
    }
    return from + Math.max(0, best) * F;
  }

  /** Emits the segment [segStart, end) with its context and moves on. */
  private cut(end: number, last: boolean): AudioSegment {
    const before = Math.min(this.context, this.segStart - this.bufStart);
    const after = last ? 0 : Math.min(this.context, this.totalSamples - end);
    const pcm = this.buf.slice(this.segStart - before - this.bufStart, end + after - this.bufStart);
    const seg: AudioSegment = { start: this.segStart, length: end - this.segStart, pcm, before, after, last };
    this.segStart = end;
    return seg;
  }
}
