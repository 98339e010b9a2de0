/**
 * Stand-in recordings of non-speech sound commands (clap, whistle, click, snap, knock) for tests
 * and for trying the sound-unit training path where nobody can record: 16 kHz mono PCM in
 * [-1, 1], every call a new variant drawn from `rng` (band, colour, duration, level, repeats).
 *
 * A clip is: low noise floor throughout (RMS -66..-50 dBFS, white or pink-ish), 0.3..0.8 s of it
 * before the sound, the sound, 0.3..0.8 s after. The sound's peak is -20..-3 dBFS.
 *   clap    a noise burst band-shaped around 0.6..2.5 kHz (Q 0.5..2.5, tilt), attack 0.5..2 ms,
 *           exponential decay (tau 6..25 ms) plus a faint room tail; a double clap 30% of the
 *           time (150..350 ms apart).
 *   whistle a sine 1..3 kHz with vibrato (4..7 Hz, 0.3..2.5 %) and a glide (x0.8..1.25 over the
 *           note), 0.3..1 s, 20..80 ms fades, weak 2nd harmonic and breath noise.
 *   click   a 0.3..3 ms broadband transient (impulse plus decaying noise); sometimes high-passed.
 *   snap    a sharp transient plus bright noise (1.8..4.5 kHz, tau 3..10 ms) and a brief
 *           ringing partial at 1.2..3 kHz.
 *   knock   1..3 raps 120..260 ms apart, each 2..3 damped low resonances (90..600 Hz, tau
 *           12..60 ms) with a short thud of low-passed noise at the onset.
 * References for the shapes: Repp 1987 "The sound of two hands clapping" (clap spectra peak
 * 0.5..3 kHz, ~5 ms decay-dominated bursts); modal synthesis of impacts (van den Doel et al.,
 * "FoleyAutomatic", SIGGRAPH 2001: a struck object as a sum of exponentially damped sinusoids).
 */
import { filterByGain, smoothStep } from './augment/fft.ts';
import type { Rng } from './rng.ts';
import { SAMPLE_RATE } from '../../../src-shared/features/config.ts';

export type SoundKind = 'clap' | 'whistle' | 'click' | 'snap' | 'knock';
export const SOUND_KINDS: readonly SoundKind[] = ['clap', 'whistle', 'click', 'snap', 'knock'];

const dbToAmp = (db: number): number => 10 ** (db / 20);

/** A new stand-in recording of `kind`: noise floor, the sound, noise floor (see the header). */
export function synthesizeSound(kind: SoundKind, rng: Rng): Float32Array {
  const event = synthesizeEvent(kind, rng);
  let peak = 0;
  for (const v of event) peak = Math.max(peak, Math.abs(v));
  const gain = peak > 0 ? dbToAmp(rng.uniform(-20, -3)) / peak : 0;
  const lead = Math.round(rng.uniform(0.3, 0.8) * SAMPLE_RATE);
  const tail = Math.round(rng.uniform(0.3, 0.8) * SAMPLE_RATE);
  const out = noiseFloor(lead + event.length + tail, dbToAmp(rng.uniform(-66, -50)), rng);
  for (let i = 0; i < event.length; i++) out[lead + i] += gain * event[i];
  for (let i = 0; i < out.length; i++) out[i] = Math.max(-1, Math.min(1, out[i]));
  return out;
}

function synthesizeEvent(kind: SoundKind, rng: Rng): Float32Array {
  switch (kind) {
    case 'clap': return clap(rng);
    case 'whistle': return whistle(rng);
    case 'click': return click(rng);
    case 'snap': return snap(rng);
    case 'knock': return knock(rng);
    default: throw new Error(`synthesizeSound: unknown kind ${JSON.stringify(kind)} (one of ${SOUND_KINDS.join(', ')})`);
  }
}

/** Gaussian noise of RMS `rms`, white or (half the time) with a gentle low-frequency tilt. */
function noiseFloor(n: number, rms: number, rng: Rng): Float32Array {
  const white = Float32Array.from({ length: n }, () => rng.gauss());
  if (rng.chance(0.5)) {
    for (let i = 0; i < n; i++) white[i] *= rms;
    return white;
  }
  // One-pole low-pass (pole 0.9): more energy at low frequencies, like room and fan noise.
  const out = new Float32Array(n);
  let y = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    y = 0.9 * y + white[i];
    out[i] = y;
    sq += y * y;
  }
  const scale = sq > 0 ? rms / Math.sqrt(sq / n) : 0;
  for (let i = 0; i < n; i++) out[i] *= scale;
  return out;
}

/** Band-shaping gain: a resonance at fc with quality q (second-order band-pass magnitude) times a spectral tilt. */
function bandGain(fc: number, q: number, tiltDbPerOct: number): (hz: number) => number {
  return (hz) => {
    if (hz <= 0) return 0;
    const r = hz / fc - fc / hz;
    return (1 / Math.sqrt(1 + q * q * r * r)) * 2 ** ((tiltDbPerOct / 20) * Math.log2(hz / fc));
  };
}

function clapBurst(rng: Rng): Float32Array {
  const tau = rng.uniform(0.006, 0.025);
  const attack = rng.uniform(0.0005, 0.002);
  const n = Math.round((attack + 6 * tau) * SAMPLE_RATE);
  const x = new Float32Array(n);
  const roomTau = rng.uniform(0.03, 0.08);
  const room = dbToAmp(rng.uniform(-40, -26));
  for (let i = 0; i < n; i++) {
    const t = i / SAMPLE_RATE;
    const env = t < attack ? t / attack : Math.exp(-(t - attack) / tau) + room * Math.exp(-(t - attack) / roomTau);
    x[i] = env * rng.gauss();
  }
  return filterByGain(x, SAMPLE_RATE, bandGain(rng.uniform(600, 2500), rng.uniform(0.5, 2.5), rng.uniform(-3, 2)), 512);
}

function clap(rng: Rng): Float32Array {
  const first = clapBurst(rng);
  if (!rng.chance(0.3)) return first;
  const gap = Math.round(rng.uniform(0.15, 0.35) * SAMPLE_RATE);
  const second = clapBurst(rng);
  const out = new Float32Array(Math.max(first.length, gap + second.length));
  out.set(first);
  const level = rng.uniform(0.6, 1.2);
  for (let i = 0; i < second.length; i++) out[gap + i] += level * second[i];
  return out;
}

function whistle(rng: Rng): Float32Array {
  const dur = rng.uniform(0.3, 1);
  const n = Math.round(dur * SAMPLE_RATE);
  const f0 = rng.uniform(1000, 3000);
  const f1 = Math.min(3000, Math.max(1000, f0 * rng.uniform(0.8, 1.25)));
  const vibRate = rng.uniform(4, 7);
  const vibDepth = rng.uniform(0.003, 0.025);
  const vibPhase = rng.uniform(0, 2 * Math.PI);
  const fade = Math.min(rng.uniform(0.02, 0.08), dur / 4);
  const h2 = rng.uniform(0, 0.1);
  const breath = dbToAmp(rng.uniform(-40, -26));
  const out = new Float32Array(n);
  let phase = rng.uniform(0, 2 * Math.PI);
  for (let i = 0; i < n; i++) {
    const t = i / SAMPLE_RATE;
    const glide = f0 * (f1 / f0) ** (t / dur);
    const f = glide * (1 + vibDepth * Math.sin(2 * Math.PI * vibRate * t + vibPhase));
    phase += (2 * Math.PI * f) / SAMPLE_RATE;
    const env = Math.min(1, t / fade, (dur - t) / fade);
    out[i] = env * (Math.sin(phase) + h2 * Math.sin(2 * phase) + breath * rng.gauss());
  }
  return out;
}

function click(rng: Rng): Float32Array {
  const dur = rng.uniform(0.0003, 0.003);
  const n = Math.max(4, Math.round(dur * SAMPLE_RATE));
  const tau = dur / rng.uniform(2, 5);
  const x = new Float32Array(n + 16);
  x[0] = rng.chance(0.5) ? 1 : -1;
  for (let i = 1; i < x.length; i++) x[i] = 0.7 * Math.exp(-i / SAMPLE_RATE / tau) * rng.gauss();
  if (!rng.chance(0.4)) return x;
  const cut = rng.uniform(300, 1500);
  return filterByGain(x, SAMPLE_RATE, (hz) => smoothStep(hz, cut * 0.7, cut), 256);
}

function snap(rng: Rng): Float32Array {
  const tau = rng.uniform(0.003, 0.01);
  const n = Math.round(8 * tau * SAMPLE_RATE);
  const noise = new Float32Array(n);
  for (let i = 0; i < n; i++) noise[i] = Math.exp(-i / SAMPLE_RATE / tau) * rng.gauss();
  const out = filterByGain(noise, SAMPLE_RATE, bandGain(rng.uniform(1800, 4500), rng.uniform(0.7, 2), 0), 512);
  const fr = rng.uniform(1200, 3000);
  const ringTau = rng.uniform(0.002, 0.008);
  const ring = rng.uniform(0.2, 0.6);
  const ph = rng.uniform(0, 2 * Math.PI);
  for (let i = 0; i < n; i++) {
    const t = i / SAMPLE_RATE;
    out[i] += ring * Math.exp(-t / ringTau) * Math.sin(2 * Math.PI * fr * t + ph);
  }
  out[0] += rng.uniform(0.5, 1);
  return out;
}

function rap(rng: Rng, modes: { f: number; tau: number; amp: number }[]): Float32Array {
  const longest = Math.max(...modes.map((m) => m.tau));
  const n = Math.round(5 * longest * SAMPLE_RATE);
  const out = new Float32Array(n);
  for (const m of modes) {
    const f = m.f * rng.uniform(0.97, 1.03);
    const amp = m.amp * rng.uniform(0.8, 1.2);
    for (let i = 0; i < n; i++) {
      const t = i / SAMPLE_RATE;
      out[i] += amp * Math.exp(-t / m.tau) * Math.sin(2 * Math.PI * f * t);
    }
  }
  const thudLen = Math.round(rng.uniform(0.003, 0.008) * SAMPLE_RATE);
  const thud = new Float32Array(thudLen);
  for (let i = 0; i < thudLen; i++) thud[i] = (1 - i / thudLen) * rng.gauss();
  const low = filterByGain(thud, SAMPLE_RATE, (hz) => 1 - smoothStep(hz, 800, 1600), 256);
  const level = rng.uniform(0.1, 0.4);
  for (let i = 0; i < thudLen; i++) out[i] += level * low[i];
  return out;
}

function knock(rng: Rng): Float32Array {
  const modes = Array.from({ length: rng.int(2, 3) }, (_, i) => ({
    f: rng.uniform(90, 600), tau: rng.uniform(0.012, 0.06), amp: i === 0 ? 1 : rng.uniform(0.3, 0.9),
  }));
  const count = rng.int(1, 3);
  const raps: { at: number; x: Float32Array; level: number }[] = [];
  let at = 0;
  for (let r = 0; r < count; r++) {
    raps.push({ at, x: rap(rng, modes), level: rng.uniform(0.7, 1.1) });
    at += Math.round(rng.uniform(0.12, 0.26) * SAMPLE_RATE);
  }
  const out = new Float32Array(Math.max(...raps.map((r) => r.at + r.x.length)));
  for (const r of raps) for (let i = 0; i < r.x.length; i++) out[r.at + i] += r.level * r.x[i];
  return out;
}
