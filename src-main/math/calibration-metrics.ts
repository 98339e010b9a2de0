/**
 * How well probabilities mean what they say: a reliability diagram (predictions binned by value,
 * each bin's mean prediction against its observed frequency), the expected calibration error
 * (the bins' gaps weighted by their share of the predictions) and the area under the ROC curve
 * (how well the predictions rank right above wrong, whatever their scale).
 */

export interface ReliabilityBin {
  /** The bin's range of predictions: [low, high), the last one closed. */
  low: number;
  high: number;
  count: number;
  /** Mean prediction and observed frequency of the bin (0 when empty). */
  meanPredicted: number;
  observed: number;
}

export interface Reliability {
  bins: ReliabilityBin[];
  /** Expected calibration error, in [0, 1]. */
  ece: number;
  /** Mean prediction and observed frequency over everything. */
  meanPredicted: number;
  observed: number;
  count: number;
}

/** The reliability diagram of `samples` in `binCount` equal-width bins over [0, 1]. */
export function reliability(samples: readonly { p: number; correct: boolean }[], binCount = 10): Reliability {
  const bins: ReliabilityBin[] = Array.from({ length: binCount }, (_, b) => ({ low: b / binCount, high: (b + 1) / binCount, count: 0, meanPredicted: 0, observed: 0 }));
  let sumP = 0, sumY = 0;
  for (const s of samples) {
    if (!(s.p >= 0 && s.p <= 1)) throw new Error(`reliability: prediction ${s.p} is not in [0, 1]`);
    const bin = bins[Math.min(binCount - 1, Math.floor(s.p * binCount))];
    bin.count++; bin.meanPredicted += s.p; bin.observed += s.correct ? 1 : 0;
    sumP += s.p; sumY += s.correct ? 1 : 0;
  }
  let ece = 0;
  for (const b of bins) {
    if (b.count === 0) continue;
    b.meanPredicted /= b.count; b.observed /= b.count;
    ece += (b.count / samples.length) * Math.abs(b.meanPredicted - b.observed);
  }
  const n = samples.length;
  return { bins, ece, meanPredicted: n ? sumP / n : 0, observed: n ? sumY / n : 0, count: n };
}

/** Area under the ROC curve of `samples` (ties count half); 0.5 when one class is missing. */
export function rocAuc(samples: readonly { p: number; correct: boolean }[]): number {
  const sorted = [...samples].sort((a, b) => a.p - b.p);
  let pos = 0, neg = 0, rankSum = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j].p === sorted[i].p) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k].correct) { pos++; rankSum += rank; } else neg++;
    i = j;
  }
  if (pos === 0 || neg === 0) return 0.5;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
