/**
 * Real train clips longer than training takes (`hark adapt --max-clip-sec`), cut into pieces at
 * pauses between words instead of being left out (`--split-long`). The starting model aligns each
 * clip's phonemes to its frames (CTC Viterbi, decode/ctc-forward.ts); a cut goes in the middle of
 * the blank frames between the last phoneme of one word and the first of the next, as few cuts as
 * fit the limit, in the widest pauses (planPieces). Stretches that cannot be made short enough (one
 * word longer than the limit, or no pause) are left out, as are clips the
 * model cannot align or hears too badly for its alignment to be trusted (greedy PER over
 * `maxGreedyPer`). The pieces are written once as WAV files with a manifest beside them
 * (`pieces.json`) and read from there afterwards, so a resumed run trains on the same pieces.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeAudioFile } from '../../../audio/index.ts';
import { encodeWav } from '../../../audio/wav-writer.ts';
import { ctcViterbiAlign } from '../../../decode/ctc-forward.ts';
import { greedyDecode } from '../../../decode/ctc-greedy-decoder.ts';
import { OfflineAcousticSession } from '../../../engine/offline-acoustic-session.ts';
import { NO_VTLN, posteriorsWithVtln } from '../../../engine/vtln.ts';
import type { Lexicon } from '../../../lexicon/lexicon.ts';
import { editDistance } from '../../../math/edit-distance.ts';
import type { ModelPackage } from '../../../model/model-package.ts';
import { SAMPLE_RATE, type FeatureConfig } from '../../../../src-shared/features/config.ts';
import { textToUnitIds } from '../../text-labels.ts';
import type { RealClipRecord } from './build-real-set.ts';

/** A word's model frames on the alignment: its first phoneme's first frame to its last phoneme's last. */
export interface WordSpan {
  first: number;
  last: number;
}

/** One planned piece: model frames [start, end) holding words firstWord..lastWord (inclusive). */
export interface PiecePlan {
  start: number;
  end: number;
  firstWord: number;
  lastWord: number;
}

/**
 * Pieces of at most `maxFrames` frames covering `totalFrames`, cut only in the middle of pauses of at
 * least `minGap` blank frames between words, chosen by dynamic programming over the possible cuts:
 * the most words kept, then the fewest pieces, then the widest narrowest pause cut. Every word lies
 * wholly inside one piece; a stretch that cannot be cut short enough is left out with its words.
 * Throws on spans that are not in order inside the clip.
 */
export function planPieces(words: readonly WordSpan[], totalFrames: number, maxFrames: number, minGap = 1): PiecePlan[] {
  if (!(maxFrames > 0) || !Number.isInteger(maxFrames)) throw new Error(`planPieces: maxFrames must be a positive whole number, got ${maxFrames}`);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!(w.first >= 0 && w.last >= w.first && w.last < totalFrames) || (i > 0 && w.first <= words[i - 1].last)) {
      throw new Error(`planPieces: word ${i} spans frames ${w.first}..${w.last}, not in order inside 0..${totalFrames - 1}`);
    }
  }
  if (words.length === 0) return [];
  // Nodes: the clip's start, each usable pause (a cut after word `word`), the clip's end.
  const nodes: { at: number; word: number; gap: number }[] = [{ at: 0, word: -1, gap: Infinity }];
  for (let i = 0; i + 1 < words.length; i++) {
    const gap = words[i + 1].first - words[i].last - 1;
    if (gap >= minGap) nodes.push({ at: Math.floor((words[i].last + 1 + words[i + 1].first) / 2), word: i, gap });
  }
  nodes.push({ at: totalFrames, word: words.length - 1, gap: Infinity });
  type Best = { kept: number; pieces: number; narrowest: number; from: number };
  const best: Best[] = [{ kept: 0, pieces: 0, narrowest: Infinity, from: -1 }];
  const better = (a: Best, b: Best) => a.kept !== b.kept ? a.kept > b.kept : a.pieces !== b.pieces ? a.pieces < b.pieces : a.narrowest > b.narrowest;
  for (let k = 1; k < nodes.length; k++) {
    let top: Best | null = null;
    for (let j = 0; j < k; j++) {
      const fits = nodes[k].at - nodes[j].at <= maxFrames;
      const count = nodes[k].word - nodes[j].word;
      const cand: Best = {
        kept: best[j].kept + (fits ? count : 0), pieces: best[j].pieces + (fits ? 1 : 0),
        narrowest: Math.min(best[j].narrowest, nodes[k].gap), from: j,
      };
      if (!top || better(cand, top)) top = cand;
    }
    best.push(top!);
  }
  const out: PiecePlan[] = [];
  for (let k = nodes.length - 1; k > 0; k = best[k].from) {
    const j = best[k].from;
    if (nodes[k].at - nodes[j].at <= maxFrames) out.push({ start: nodes[j].at, end: nodes[k].at, firstWord: nodes[j].word + 1, lastWord: nodes[k].word });
  }
  return out.reverse();
}

/** The sample where model frame `frame` begins to be the nearer one's: halfway between its centre and the previous frame's. */
export function cutSample(frame: number, features: FeatureConfig): number {
  const frameSamples = features.hopLength * features.subsample;
  const centre = ((features.stack - 1) * features.hopLength + features.frameLength) / 2;
  return Math.max(0, Math.round(frame * frameSamples + centre - frameSamples / 2));
}

/** A piece as training reads it. */
export interface LongClipPiece {
  /** The clip it was cut from (its validation membership is that clip's). */
  parent: string;
  /** WAV file, relative to the pieces folder. */
  file: string;
  text: string;
  samples: number;
}

export interface LongClipPiecesReport {
  /** Clips longer than the limit that were offered. */
  clips: number;
  /** Clips that gave at least one piece. */
  split: number;
  pieces: number;
  /** Seconds of audio in the pieces, and in the offered clips. */
  pieceSeconds: number;
  clipSeconds: number;
  /** Clips left out: the model could not align them, or heard them too badly. */
  unaligned: number;
  misheard: number;
  /** Words left out with a stretch that could not be cut short enough. */
  wordsDropped: number;
}

export interface LongClipPiecesOptions {
  /** The real set's folder (its clips' files are relative to it). */
  setDir: string;
  /** Where the pieces and their manifest go. */
  outDir: string;
  maxClipSec: number;
  /** Clips whose greedy PER through the model is above this are not cut (default 0.5). */
  maxGreedyPer?: number;
  log?: (line: string) => void;
}

interface PiecesManifest {
  model: string;
  maxClipSec: number;
  maxGreedyPer: number;
  report: LongClipPiecesReport;
  pieces: LongClipPiece[];
}

/**
 * Cuts `clips` (the real train clips longer than `maxClipSec`) with `model`'s alignment, or reads the
 * pieces made before in `outDir` (only when they were made by the same model and limits: otherwise
 * it refuses rather than mix two cuttings).
 */
export async function longClipPieces(
  clips: readonly RealClipRecord[], model: ModelPackage, lexicon: Lexicon, o: LongClipPiecesOptions,
): Promise<{ pieces: LongClipPiece[]; report: LongClipPiecesReport }> {
  const maxGreedyPer = o.maxGreedyPer ?? 0.5;
  const modelName = `${model.metadata.name} ${model.metadata.version}`;
  const manifestPath = join(o.outDir, 'pieces.json');
  if (existsSync(manifestPath)) {
    const m = JSON.parse(await readFile(manifestPath, 'utf8')) as PiecesManifest;
    if (m.model !== modelName || m.maxClipSec !== o.maxClipSec || m.maxGreedyPer !== maxGreedyPer) {
      throw new Error(`${manifestPath} holds pieces cut by ${m.model} at ${m.maxClipSec} s (greedy PER limit ${m.maxGreedyPer}), not by ${modelName} at ${o.maxClipSec} s (${maxGreedyPer}): use another data folder or remove it`);
    }
    return { pieces: m.pieces, report: m.report };
  }
  await mkdir(o.outDir, { recursive: true });
  const U = model.architecture.numUnits;
  // The first piece runs to its cut's sample and the last from its cut to the clip's end, which lies up to
  // an analysis window and the stacked frames beyond the last model frame: keep that margin free.
  const f = model.features;
  const margin = f.frameLength + (f.stack + 1) * f.hopLength * f.subsample;
  const maxFrames = Math.floor((o.maxClipSec * SAMPLE_RATE - margin) / (f.hopLength * f.subsample));
  if (maxFrames < 1) throw new Error(`long clip pieces: ${o.maxClipSec} s is too short to cut to`);
  const report: LongClipPiecesReport = { clips: clips.length, split: 0, pieces: 0, pieceSeconds: 0, clipSeconds: 0, unaligned: 0, misheard: 0, wordsDropped: 0 };
  const pieces: LongClipPiece[] = [];
  const session = await OfflineAcousticSession.create(model, { threads: 1 });
  try {
    for (const c of clips) {
      const pcm = (await decodeAudioFile(join(o.setDir, c.file))).samples;
      report.clipSeconds += pcm.length / SAMPLE_RATE;
      const words = c.text.trim().split(/\s+/).filter((w) => w !== '');
      const wordIds = words.map((w) => textToUnitIds(w, lexicon));
      const labels = wordIds.flat();
      const { logprobs, features } = await posteriorsWithVtln(pcm, model, session, NO_VTLN);
      const T = features.frames;
      const greedy = greedyDecode(logprobs, T, U).units;
      if (editDistance(labels, greedy) / Math.max(1, labels.length) > maxGreedyPer) {
        report.misheard++;
        continue;
      }
      const aligned = ctcViterbiAlign(logprobs, T, U, labels);
      if (!aligned) {
        report.unaligned++;
        continue;
      }
      const spans: WordSpan[] = [];
      let k = 0;
      for (const ids of wordIds) {
        spans.push({ first: aligned.spans[k].first, last: aligned.spans[k + ids.length - 1].last });
        k += ids.length;
      }
      const plan = planPieces(spans, T, maxFrames);
      const kept = plan.reduce((n, p) => n + p.lastWord - p.firstWord + 1, 0);
      report.wordsDropped += words.length - kept;
      if (plan.length > 0) report.split++;
      for (const [i, p] of plan.entries()) {
        const from = p.start === 0 ? 0 : cutSample(p.start, model.features);
        const to = p.end === T ? pcm.length : Math.min(pcm.length, cutSample(p.end, model.features));
        if (to - from > o.maxClipSec * SAMPLE_RATE) throw new Error(`long clip pieces: piece ${i + 1} of ${c.id} came out ${((to - from) / SAMPLE_RATE).toFixed(2)} s long, over ${o.maxClipSec} s`);
        const file = `${c.id}.piece${i + 1}.wav`;
        await writeFile(join(o.outDir, file), encodeWav(pcm.subarray(from, to), SAMPLE_RATE));
        pieces.push({ parent: c.id, file, text: words.slice(p.firstWord, p.lastWord + 1).join(' '), samples: to - from });
        report.pieces++;
        report.pieceSeconds += (to - from) / SAMPLE_RATE;
      }
    }
  } finally {
    await session.release();
  }
  report.pieceSeconds = Number(report.pieceSeconds.toFixed(1));
  report.clipSeconds = Number(report.clipSeconds.toFixed(1));
  const manifest: PiecesManifest = { model: modelName, maxClipSec: o.maxClipSec, maxGreedyPer, report, pieces };
  await writeFile(manifestPath + '.tmp', JSON.stringify(manifest, null, 1) + '\n');
  await rename(manifestPath + '.tmp', manifestPath);
  o.log?.(`long real clips: ${report.clips} over ${o.maxClipSec} s (${(report.clipSeconds / 60).toFixed(1)} min) cut into ${report.pieces} pieces (${(report.pieceSeconds / 60).toFixed(1)} min) from ${report.split} clips; ${report.misheard} heard too badly to align, ${report.unaligned} unalignable, ${report.wordsDropped} words in stretches too long to cut`);
  return { pieces, report };
}
