/**
 * Instrumental music, synthesized: a melody and a bass line in one key and tempo, notes of
 * harmonic tones (random timbre: harmonic roll-off, vibrato, attack and decay), chords held under
 * them, and a drum pattern (a pitch-falling kick, a noise snare, a hi-hat). Music is the hard
 * negative of voice activity detection: voiced, pitched, with onsets at a syllable's rate. It is
 * what the word-confidence calibration and the tests play to check that music gives no words.
 */
import type { Rng } from '../rng.ts';
import { SAMPLE_RATE } from '../../../../src-shared/features/config.ts';

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const MINOR = [0, 2, 3, 5, 7, 8, 10];
const PENTATONIC = [0, 2, 4, 7, 9];

export interface MusicOptions {
  /** Whether to add drums (default: a coin toss). */
  drums?: boolean;
  /** Whether to hold chords under the melody (default: a coin toss). */
  chords?: boolean;
}

/** `n` samples of music at `rate`, peak about 0.5. */
export function makeMusic(n: number, rng: Rng, opts: MusicOptions = {}, rate = SAMPLE_RATE): Float32Array {
  const out = new Float32Array(n);
  const scale = rng.pick([MAJOR, MINOR, PENTATONIC]);
  const root = rng.int(45, 57); // MIDI A2..A3
  const beat = 60 / rng.uniform(70, 160);
  const timbre = { rolloff: rng.uniform(0.8, 2.2), harmonics: rng.int(3, 12), vibrato: rng.uniform(0, 0.006), decay: rng.uniform(0.5, 4) };
  const midiHz = (m: number) => 440 * Math.pow(2, (m - 69) / 12);
  const degree = (d: number) => root + 12 * Math.floor(d / scale.length) + scale[((d % scale.length) + scale.length) % scale.length];
  // Melody: a random walk over the scale, notes of 1/2, 1 or 2 beats, an octave or two above the root.
  let t = 0, d = scale.length + rng.int(0, scale.length - 1);
  while (t < n / rate) {
    const len = beat * rng.pick([0.5, 1, 1, 2]);
    d = Math.max(scale.length - 2, Math.min(3 * scale.length, d + rng.int(-2, 2)));
    if (!rng.chance(0.1)) tone(out, rate, t, len, midiHz(degree(d)), 0.25, timbre, rng);
    t += len;
  }
  // Bass on every other beat, chords per bar.
  const withChords = opts.chords ?? rng.chance(0.5);
  for (let bar = 0; bar * 4 * beat < n / rate; bar++) {
    const chordRoot = rng.pick([0, 3, 4, 5]);
    for (let b = 0; b < 4; b += 2) tone(out, rate, (bar * 4 + b) * beat, 2 * beat, midiHz(degree(chordRoot) - 12), 0.2, { ...timbre, harmonics: 4 }, rng);
    if (withChords) for (const k of [0, 2, 4]) tone(out, rate, bar * 4 * beat, 4 * beat, midiHz(degree(chordRoot + k)), 0.08, { ...timbre, decay: 0.6 }, rng);
  }
  if (opts.drums ?? rng.chance(0.6)) drums(out, rate, beat, rng);
  let peak = 0;
  for (const v of out) peak = Math.max(peak, Math.abs(v));
  if (peak > 0) for (let i = 0; i < n; i++) out[i] *= 0.5 / peak;
  return out;
}

interface Timbre { rolloff: number; harmonics: number; vibrato: number; decay: number }

/** Adds a harmonic tone starting at `start` seconds, `len` long, with a short attack and exponential decay. */
function tone(out: Float32Array, rate: number, start: number, len: number, hz: number, amp: number, timbre: Timbre, rng: Rng): void {
  const i0 = Math.round(start * rate);
  const count = Math.min(out.length - i0, Math.round(len * rate));
  if (count <= 0) return;
  const attack = 0.01 * rate;
  const phase = rng.uniform(0, 2 * Math.PI);
  for (let h = 1; h <= timbre.harmonics && hz * h < rate / 2 - 200; h++) {
    const a = amp / Math.pow(h, timbre.rolloff);
    const w = (2 * Math.PI * hz * h) / rate;
    for (let i = 0; i < count; i++) {
      const env = Math.min(1, i / attack) * Math.exp((-timbre.decay * i) / rate);
      const vib = 1 + timbre.vibrato * Math.sin((2 * Math.PI * 5.5 * i) / rate);
      out[i0 + i] += a * env * Math.sin(w * vib * i + phase * h);
    }
  }
}

/** Kick on beats 1 and 3, snare on 2 and 4, hi-hat on every half beat. */
function drums(out: Float32Array, rate: number, beat: number, rng: Rng): void {
  for (let k = 0; k * beat * 0.5 < out.length / rate; k++) {
    const i0 = Math.round(k * beat * 0.5 * rate);
    const onBeat = k % 2 === 0;
    const beatNo = Math.floor(k / 2) % 4;
    if (onBeat && (beatNo === 0 || beatNo === 2)) {
      for (let i = 0; i < 0.15 * rate && i0 + i < out.length; i++) out[i0 + i] += 0.5 * Math.exp(-i / (0.04 * rate)) * Math.sin(2 * Math.PI * (50 + 80 * Math.exp(-i / (0.02 * rate))) * (i / rate));
    }
    if (onBeat && (beatNo === 1 || beatNo === 3)) {
      for (let i = 0; i < 0.12 * rate && i0 + i < out.length; i++) out[i0 + i] += 0.25 * Math.exp(-i / (0.03 * rate)) * rng.gauss();
    }
    for (let i = 0; i < 0.03 * rate && i0 + i < out.length; i++) out[i0 + i] += 0.06 * Math.exp(-i / (0.006 * rate)) * rng.gauss();
  }
}
