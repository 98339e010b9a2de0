/**
 * WSOLA time stretching: changes duration by `ratio` without changing pitch or formants.
 * Hann frames of FRAME samples are overlap-added at hop FRAME/2; each next frame is taken near
 * its nominal input position, shifted by up to ±TOLERANCE samples to the offset whose waveform
 * best matches the natural continuation of the previous frame (max cross-correlation).
 * ref: Verhelst & Roelands, "An overlap-add technique based on waveform similarity (WSOLA)", ICASSP 1993.
 */

const FRAME = 512;
const HOP = FRAME / 2;
const TOLERANCE = 160;
/** Coarse search works on every DECIM-th sample, then refines ±DECIM at full resolution. */
const DECIM = 4;

let hann: Float32Array | null = null;

function window(): Float32Array {
  if (!hann) {
    hann = new Float32Array(FRAME);
    for (let i = 0; i < FRAME; i++) hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FRAME); // periodic: sums to 1 at 50% overlap
  }
  return hann;
}

function sampleAt(x: Float32Array, i: number): number {
  return i >= 0 && i < x.length ? x[i] : 0;
}

/** Correlation of x[a..a+len) with x[b..b+len), sampling every `step`. */
function correlate(x: Float32Array, a: number, b: number, len: number, step: number): number {
  let acc = 0;
  for (let i = 0; i < len; i += step) acc += sampleAt(x, a + i) * sampleAt(x, b + i);
  return acc;
}

/** Output is round(x.length * ratio) samples long; ratio > 1 is slower. Valid for 0.5 <= ratio <= 2. */
export function timeStretch(x: Float32Array, ratio: number): Float32Array {
  if (!(ratio >= 0.5 && ratio <= 2)) throw new Error(`timeStretch: ratio must be in [0.5, 2], got ${ratio}`);
  const outLen = Math.round(x.length * ratio);
  const out = new Float32Array(outLen);
  if (outLen === 0) return out;
  const norm = new Float32Array(outLen);
  const w = window();
  const matchLen = HOP;
  let prev = 0; // input start of the previous frame
  for (let k = 0; k * HOP < outLen; k++) {
    let start: number;
    if (k === 0) {
      start = 0;
    } else {
      const nominal = Math.round((k * HOP) / ratio);
      const target = prev + HOP; // natural continuation of the previous frame
      let best = nominal;
      let bestScore = -Infinity;
      for (let d = -TOLERANCE; d <= TOLERANCE; d += DECIM) {
        const s = correlate(x, target, nominal + d, matchLen, DECIM);
        if (s > bestScore) { bestScore = s; best = nominal + d; }
      }
      const coarse = best;
      for (let d = -DECIM + 1; d < DECIM; d++) {
        const s = correlate(x, target, coarse + d, matchLen, 1);
        if (d === -DECIM + 1 || s > bestScore) { bestScore = s; best = coarse + d; }
      }
      start = best;
    }
    const o = k * HOP;
    for (let i = 0; i < FRAME && o + i < outLen; i++) {
      out[o + i] += w[i] * sampleAt(x, start + i);
      norm[o + i] += w[i];
    }
    prev = start;
  }
  for (let i = 0; i < outLen; i++) if (norm[i] > 1e-3) out[i] /= norm[i];
  return out;
}
