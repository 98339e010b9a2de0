import { designPolyphaseTable, type PolyphaseTable } from './kaiser-sinc-filter.ts';

/**
 * Band-limited sample-rate conversion by windowed-sinc (Kaiser) polyphase interpolation.
 * ref: J. O. Smith, "Digital Audio Resampling", https://ccrma.stanford.edu/~jos/resample/
 *
 * Timing contract: output sample n sits at time n / toRate, the same instant as input position
 * n * fromRate / toRate (zero phase, no added delay). A signal of `len` input samples yields
 * ceil(len * toRate / fromRate) output samples; samples before the start and after the end are zero.
 */
export interface ResamplerOptions {
  /**
   * Passband edge as a fraction of the lower Nyquist frequency, min(from, to) / 2. The stopband
   * starts at that Nyquist frequency, so nothing above it aliases by more than -stopbandDb; the
   * sinc cutoff sits midway. Default 0.9375 (7.5 kHz flat, 8 kHz stopped when converting to 16 kHz).
   * Lower values give shorter filters: faster, with a softer top octave.
   */
  passband?: number;
  /** Stopband attenuation in dB. Default 80. */
  stopbandDb?: number;
}

const DEFAULTS: Required<ResamplerOptions> = { passband: 0.9375, stopbandDb: 80 };
/** Ratios out/in = L/M (lowest terms) with L up to this use an exact phase per output; others interpolate. */
const MAX_EXACT_PHASES = 1024;
/** Phase resolution of the interpolated table used for irrational-looking ratios. */
const INTERPOLATED_PHASES = 512;
const MIN_RATE = 1;
const MAX_RATE = 10_000_000;

const tableCache = new Map<string, PolyphaseTable>();

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function checkRate(name: string, rate: number): void {
  if (!(Number.isFinite(rate) && rate >= MIN_RATE && rate <= MAX_RATE)) {
    throw new Error(`${name} must be a finite rate in [${MIN_RATE}, ${MAX_RATE}] Hz, got ${rate}`);
  }
}

/** sum_j a[ia + j] * b[ib + j] for j in [0, n); n is even (taps = 2 * half). */
function dot(a: Float32Array, ia: number, b: Float32Array, ib: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  for (let j = 0; j < n; j += 2) {
    s0 += a[ia + j] * b[ib + j];
    s1 += a[ia + j + 1] * b[ib + j + 1];
  }
  return s0 + s1;
}

/**
 * Streaming resampler: feed chunks with `process`, then call `flush` once at the end.
 * The concatenated outputs equal `resample` of the concatenated input, sample for sample.
 */
export class StreamingResampler {
  readonly fromRate: number;
  readonly toRate: number;
  private readonly table: PolyphaseTable;
  /** Exact rational mode: out/in = up/down; -1 in interpolated mode. */
  private readonly up: number;
  private readonly down: number;
  private readonly step: number;
  /** Input samples held; buf[0] is absolute input index bufStart (negative indices are zeros). */
  private buf: Float32Array;
  private bufStart: number;
  private received = 0;
  /** Next output index, its integer input position and phase numerator (exact mode). */
  private nextOut = 0;
  private pos = 0;
  private phase = 0;
  private finished = false;

  constructor(fromRate: number, toRate: number, options: ResamplerOptions = {}) {
    checkRate('fromRate', fromRate);
    checkRate('toRate', toRate);
    const { passband, stopbandDb } = { ...DEFAULTS, ...options };
    if (!(passband > 0 && passband < 1)) throw new Error(`passband must be in (0, 1), got ${passband}`);
    if (!(stopbandDb > 21 && stopbandDb <= 200)) throw new Error(`stopbandDb must be in (21, 200], got ${stopbandDb}`);
    this.fromRate = fromRate;
    this.toRate = toRate;
    this.step = fromRate / toRate;
    let phases = INTERPOLATED_PHASES;
    this.up = -1;
    this.down = -1;
    if (Number.isInteger(fromRate) && Number.isInteger(toRate)) {
      const g = gcd(fromRate, toRate);
      if (toRate / g <= MAX_EXACT_PHASES) {
        this.up = toRate / g;
        this.down = fromRate / g;
        phases = this.up;
      }
    }
    const nyquist = Math.min(fromRate, toRate) / 2;
    const spec = { cutoffHz: nyquist * (1 + passband) / 2, transitionHz: nyquist * (1 - passband), stopbandDb };
    const key = `${fromRate}/${toRate}/${passband}/${stopbandDb}/${phases}`;
    let table = tableCache.get(key);
    if (!table) {
      table = designPolyphaseTable(fromRate, spec, phases);
      if (tableCache.size > 64) tableCache.clear();
      tableCache.set(key, table);
    }
    this.table = table;
    this.buf = new Float32Array(table.half);
    this.bufStart = -table.half;
  }

  /** Input samples the resampler must see beyond an output's position before emitting it. */
  get lookaheadSamples(): number {
    return this.table.half;
  }

  /** Feeds input; returns every output sample that the input so far determines. */
  process(chunk: Float32Array): Float32Array {
    if (this.finished) throw new Error('StreamingResampler.process called after flush');
    this.append(chunk);
    this.received += chunk.length;
    return this.emit(this.received - this.table.half);
  }

  /** Ends the stream: returns the remaining outputs, treating the input after the end as zeros. */
  flush(): Float32Array {
    if (this.finished) throw new Error('StreamingResampler.flush called twice');
    this.finished = true;
    this.append(new Float32Array(this.table.half + 1));
    return this.emit(Infinity, this.outputLength(this.received));
  }

  /** Number of outputs a stream of `inputLength` samples produces in all. */
  outputLength(inputLength: number): number {
    if (this.up > 0) return Math.ceil((inputLength * this.up) / this.down);
    return Math.ceil(inputLength / this.step);
  }

  private append(chunk: Float32Array): void {
    const keepFrom = Math.max(this.bufStart, this.pos - this.table.half + 1);
    const kept = this.buf.subarray(keepFrom - this.bufStart);
    const next = new Float32Array(kept.length + chunk.length);
    next.set(kept);
    next.set(chunk, kept.length);
    this.buf = next;
    this.bufStart = keepFrom;
  }

  /** Emits outputs whose integer position is below `posLimit`, and at most up to output index `outLimit`. */
  private emit(posLimit: number, outLimit = Infinity): Float32Array {
    const { coeffs, taps, half, phases } = this.table;
    const buf = this.buf;
    const count = this.countReady(posLimit, outLimit);
    const out = new Float32Array(count);
    for (let o = 0; o < count; o++) {
      const base = this.pos - half + 1 - this.bufStart;
      if (this.up > 0) {
        out[o] = dot(coeffs, this.phase * taps, buf, base, taps);
        this.phase += this.down;
        if (this.phase >= this.up) {
          this.pos += Math.floor(this.phase / this.up);
          this.phase %= this.up;
        }
      } else {
        const where = this.nextOut * this.step;
        const f = (where - this.pos) * phases;
        const r = Math.min(phases - 1, Math.floor(f));
        const frac = f - r;
        const a = dot(coeffs, r * taps, buf, base, taps);
        const b = dot(coeffs, (r + 1) * taps, buf, base, taps);
        out[o] = a + frac * (b - a);
        this.pos = Math.floor((this.nextOut + 1) * this.step);
      }
      this.nextOut++;
    }
    return out;
  }

  /** Outputs from nextOut on whose input position p satisfies floor(p) < posLimit and index < outLimit. */
  private countReady(posLimit: number, outLimit: number): number {
    let hi = outLimit;
    if (Number.isFinite(posLimit)) {
      // Smallest n with floor(n * step) >= posLimit, i.e. n * from >= posLimit * to.
      let n: number;
      if (this.up > 0) {
        n = Math.ceil((posLimit * this.up) / this.down);
      } else {
        // Settle n against the same floating-point product emit() uses.
        n = Math.max(this.nextOut, Math.ceil(posLimit / this.step));
        while (n > this.nextOut && Math.floor((n - 1) * this.step) >= posLimit) n--;
        while (Math.floor(n * this.step) < posLimit) n++;
      }
      hi = Math.min(hi, n);
    }
    return Math.max(0, hi - this.nextOut);
  }
}

/**
 * Resamples a whole signal from `fromRate` to `toRate` (Hz, any positive ratio).
 * Returns a copy when the rates are equal. See StreamingResampler for the timing contract.
 */
export function resample(x: Float32Array, fromRate: number, toRate: number, options?: ResamplerOptions): Float32Array {
  if (fromRate === toRate) {
    checkRate('fromRate', fromRate);
    return x.slice();
  }
  const r = new StreamingResampler(fromRate, toRate, options);
  const head = r.process(x);
  const tail = r.flush();
  if (tail.length === 0) return head;
  const out = new Float32Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}
