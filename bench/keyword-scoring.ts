/**
 * Scores keyword-spotter detections against a stream's truth (bench/stream-set.ts): recall overall,
 * per context, per voice and per keyword; false alarms in total, per hour of stream, and by the
 * kind of segment they fell in.
 */
import type { KeywordOccurrence, StreamSegmentKind, StreamTruth } from './stream-set.ts';

/** One detection; times in seconds from the start of the stream. */
export interface KeywordHit {
  keyword: string;
  start: number;
  end: number;
}

export interface RecallFigure {
  found: number;
  total: number;
  /** found / total; NaN when total is 0. */
  recall: number;
}

export interface KeywordScore {
  recall: RecallFigure;
  byContext: Record<KeywordOccurrence['context'], RecallFigure>;
  byVoice: Record<string, RecallFigure>;
  byKeyword: Record<string, RecallFigure>;
  falseAlarms: {
    count: number;
    perHour: number;
    /** Where each false alarm's midpoint fell. Hits in keyword segments are wrong-keyword or repeated hits. */
    byWhere: Record<StreamSegmentKind, number>;
    /** Of `count`: extra hits on an occurrence that an earlier hit already matched. */
    repeats: number;
  };
  matched: { occurrence: KeywordOccurrence; hit: KeywordHit }[];
  unmatchedHits: KeywordHit[];
}

const figure = (found: number, total: number): RecallFigure => ({ found, total, recall: total > 0 ? found / total : NaN });

/**
 * A hit matches an unmatched occurrence of the same keyword when the spans overlap once the
 * occurrence is widened by toleranceSec (default 0.3 s) on both sides; when several qualify, the
 * one with the nearest centre. Hits are taken in time order and each occurrence matches at most
 * one hit; a hit that only overlaps already matched occurrences is a false alarm (a repeat).
 * Greedy matching in time order is enough here: occurrences of one keyword in a stream are
 * separated by other segments, so a hit rarely overlaps two of them.
 */
export function scoreKeywordHits(truth: StreamTruth, hits: readonly KeywordHit[], opts: { toleranceSec?: number } = {}): KeywordScore {
  const tol = opts.toleranceSec ?? 0.3;
  if (!(tol >= 0)) throw new Error(`scoreKeywordHits: toleranceSec must be >= 0, got ${tol}`);
  const overlaps = (h: KeywordHit, o: KeywordOccurrence) => h.keyword === o.keyword && h.start <= o.end + tol && h.end >= o.start - tol;
  const centre = (x: { start: number; end: number }) => (x.start + x.end) / 2;

  const taken = new Set<KeywordOccurrence>();
  const matched: KeywordScore['matched'] = [];
  const unmatchedHits: KeywordHit[] = [];
  let repeats = 0;
  for (const hit of [...hits].sort((a, b) => a.start - b.start)) {
    const candidates = truth.occurrences.filter((o) => overlaps(hit, o));
    const free = candidates.filter((o) => !taken.has(o));
    if (free.length === 0) {
      unmatchedHits.push(hit);
      if (candidates.length > 0) repeats++;
      continue;
    }
    const best = free.reduce((a, b) => (Math.abs(centre(b) - centre(hit)) < Math.abs(centre(a) - centre(hit)) ? b : a));
    taken.add(best);
    matched.push({ occurrence: best, hit });
  }

  const group = (key: (o: KeywordOccurrence) => string): Record<string, RecallFigure> => {
    const out: Record<string, RecallFigure> = {};
    for (const o of truth.occurrences) {
      const f = out[key(o)] ?? figure(0, 0);
      out[key(o)] = figure(f.found + (taken.has(o) ? 1 : 0), f.total + 1);
    }
    return out;
  };
  const byContext = group((o) => o.context);

  const byWhere: Record<StreamSegmentKind, number> = { 'keyword-alone': 0, 'keyword-in-sentence': 0, 'sentence': 0, 'pause': 0, 'noise-burst': 0, 'music': 0 };
  for (const hit of unmatchedHits) {
    const at = centre(hit);
    const seg = truth.segments.find((s) => at >= s.start && at < s.end) ?? truth.segments[truth.segments.length - 1];
    if (seg) byWhere[seg.kind]++;
  }

  return {
    recall: figure(taken.size, truth.occurrences.length),
    byContext: { 'alone': byContext['alone'] ?? figure(0, 0), 'in-sentence': byContext['in-sentence'] ?? figure(0, 0) },
    byVoice: group((o) => o.voice),
    byKeyword: group((o) => o.keyword),
    falseAlarms: { count: unmatchedHits.length, perHour: unmatchedHits.length / (truth.durationSec / 3600), byWhere, repeats },
    matched,
    unmatchedHits,
  };
}

/** A few lines for a terminal: recall overall / by context / by voice / by keyword, false alarms by where. */
export function formatKeywordScore(s: KeywordScore): string {
  const pct = (f: RecallFigure) => `${f.found}/${f.total} (${Number.isNaN(f.recall) ? '-' : (100 * f.recall).toFixed(0)}%)`;
  const list = (r: Record<string, RecallFigure>) => Object.entries(r).map(([k, f]) => `${k} ${pct(f)}`).join(', ');
  const where = Object.entries(s.falseAlarms.byWhere).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  return [
    `recall ${pct(s.recall)}; alone ${pct(s.byContext.alone)}, in sentence ${pct(s.byContext['in-sentence'])}`,
    `  by voice: ${list(s.byVoice)}`,
    `  by keyword: ${list(s.byKeyword)}`,
    `false alarms ${s.falseAlarms.count} (${s.falseAlarms.perHour.toFixed(1)}/h; repeats ${s.falseAlarms.repeats}); where: ${where}`,
  ].join('\n');
}
