/**
 * Windowed-sinc low-pass design for the polyphase resampler.
 * ref: J. F. Kaiser, "Nonrecursive digital filter design using the I0-sinh window function" (1974);
 *      Oppenheim & Schafer, Discrete-Time Signal Processing, 3rd ed., section 7.6 (Kaiser formulas).
 * ref: J. O. Smith, "Digital Audio Resampling", https://ccrma.stanford.edu/~jos/resample/
 */

/** Modified Bessel function of the first kind, order 0, by its power series (converges for all x). */
export function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Kaiser's beta for a stopband attenuation of `attenuationDb` (> 0) decibels. */
export function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  return 0;
}

/** Low-pass design in continuous time; frequencies in Hz. */
export interface LowpassSpec {
  /** -6 dB point: the sinc's cutoff. */
  cutoffHz: number;
  /** Width of the transition band (passband edge to stopband edge). */
  transitionHz: number;
  /** Stopband attenuation in dB (> 21). */
  stopbandDb: number;
}

/**
 * A polyphase table of the filter sampled on the input grid. For an output at input position
 * p = i + r/phases (i integer, 0 <= r <= phases), y = sum_j table[r * taps + j] * x[i - half + 1 + j]
 * with j in [0, taps), taps = 2 * half. Row `phases` equals row 0 shifted by one tap, so linear
 * interpolation between rows r and r + 1 is always possible. Each row sums to exactly 1 (unit DC gain).
 */
export interface PolyphaseTable {
  phases: number;
  half: number;
  taps: number;
  coeffs: Float32Array;
}

/**
 * Samples h(t) = 2 fc/fs sinc(2 fc t / fs) * kaiser(t / W) at t = r/phases + half - 1 - j
 * (t in input samples, fs the input rate). W, the half-length, follows Kaiser's length formula
 * N = (A - 7.95) / (2.285 * 2 pi * df / fs).
 */
export function designPolyphaseTable(inputRate: number, spec: LowpassSpec, phases: number): PolyphaseTable {
  const { cutoffHz, transitionHz, stopbandDb } = spec;
  if (!(cutoffHz > 0 && cutoffHz <= inputRate / 2)) throw new Error(`cutoffHz ${cutoffHz} must be in (0, ${inputRate / 2}]`);
  if (!(transitionHz > 0)) throw new Error(`transitionHz ${transitionHz} must be > 0`);
  if (!(stopbandDb > 21)) throw new Error(`stopbandDb ${stopbandDb} must be > 21`);
  if (!(Number.isInteger(phases) && phases >= 1)) throw new Error(`phases ${phases} must be a positive integer`);
  const width = (stopbandDb - 7.95) / (2 * 2.285 * 2 * Math.PI * (transitionHz / inputRate));
  const half = Math.max(1, Math.ceil(width));
  const taps = 2 * half;
  const beta = kaiserBeta(stopbandDb);
  const i0Beta = besselI0(beta);
  const scale = (2 * cutoffHz) / inputRate;
  const coeffs = new Float32Array((phases + 1) * taps);
  const row = new Float64Array(taps);
  for (let r = 0; r <= phases; r++) {
    let sum = 0;
    for (let j = 0; j < taps; j++) {
      const t = r / phases + half - 1 - j;
      const u = t / width;
      let h = 0;
      if (Math.abs(u) < 1) {
        const arg = Math.PI * scale * t;
        const sinc = arg === 0 ? 1 : Math.sin(arg) / arg;
        h = scale * sinc * (besselI0(beta * Math.sqrt(1 - u * u)) / i0Beta);
      }
      row[j] = h;
      sum += h;
    }
    for (let j = 0; j < taps; j++) coeffs[r * taps + j] = row[j] / sum;
  }
  return { phases, half, taps, coeffs };
}
