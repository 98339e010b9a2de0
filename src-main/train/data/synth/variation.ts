/**
 * Per-utterance speaker variation ("wide" style): parameters that make one synthesizer voice sound like
 * many people — vocal-tract length (formant scaling), pitch level and range, speaking rate, breathiness,
 * voicing, jitter-like roughness and rhythm. Everything is drawn synchronously from the utterance's rng,
 * in a fixed order, so a seed gives the same audio every time.
 *
 * Ranges are kept to what adult talkers do: formants ±10 % (about the spread of adult vocal-tract
 * lengths of one sex), pitch level ±12 %, pitch span ×0.6..1.5, rate ±20 %.
 */
import type { Rng } from '../rng.ts';
import type { VoiceInfo } from './voices.ts';

const fmt = (x: number, digits = 0): string => x.toFixed(digits);

/**
 * espeak-ng: a variant file = the voice's own variant file (`base`, may be empty) followed by lines that
 * override it (espeak-ng takes the last value of a keyword). `formant N freq% height% width%` lines of
 * the base are scaled (every formant by one vocal-tract factor plus a small per-formant jitter).
 */
export function espeakVariantFile(base: string, gender: VoiceInfo['gender'], rng: Rng): string {
  const lines = base.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('//'));
  const formants = new Map<number, number[]>();
  let pitch: [number, number] | null = null;
  let stressAdd: number[] = [0, 0, 0, 0, 0, 0, 0, 0];
  for (const l of lines) {
    const w = l.split(/\s+/);
    const nums = w.slice(1).map(Number);
    if (w[0] === 'formant' && nums.length >= 4 && nums.every(Number.isFinite)) formants.set(nums[0], nums.slice(1));
    else if (w[0] === 'pitch' && nums.length >= 2 && nums.every(Number.isFinite)) pitch = [nums[0], nums[1]];
    else if (w[0] === 'stressAdd' && nums.length >= 8 && nums.every(Number.isFinite)) stressAdd = nums.slice(0, 8);
  }
  // espeak-ng's defaults where the variant sets none (a male voice: pitch 82 118; formants 100 %).
  pitch ??= gender === 'female' ? [140, 200] : [82, 118];
  const out = [...lines, '// hark per-utterance variation'];

  // One vocal-tract factor moves every resonance; formants 1..5 also get a small jitter of their own.
  const tract = rng.uniform(0.9, 1.1);
  for (let n = 1; n <= 8; n++) {
    const [freq, height, width, ...rest] = formants.get(n) ?? [100, 100, 100];
    const own = n <= 5;
    const f = freq * tract * (own ? rng.uniform(0.97, 1.03) : 1);
    const h = height * (own ? rng.uniform(0.85, 1.15) : 1);
    const wd = width * (own ? rng.uniform(0.85, 1.3) : 1);
    out.push(`formant ${n} ${fmt(f)} ${fmt(h)} ${fmt(wd)}${rest.length ? ' ' + rest.join(' ') : ''}`);
  }
  // `pitch <base> <top>` in Hz: the level moves ±12 %, the span above it (the contour's size) ×0.6..1.5.
  const level = pitch[0] * rng.uniform(0.88, 1.12);
  const top = level + Math.max(10, pitch[1] - pitch[0]) * rng.uniform(0.6, 1.5);
  out.push(`pitch ${fmt(level)} ${fmt(top)}`);
  // Breath noise added to the formants (0 = none; the f2 variant uses 2..3): half the utterances get some.
  if (rng.next() < 0.5) {
    const level = rng.int(1, 4);
    out.push(`breath ${[0, ...Array.from({ length: 7 }, () => rng.int(0, level))].join(' ')}`);
    out.push(`breathw ${Array.from({ length: 8 }, (_, i) => fmt((i < 2 ? 150 : 250) * rng.uniform(0.7, 1.5))).join(' ')}`);
  }
  out.push(`voicing ${rng.int(85, 115)}`);
  out.push(`roughness ${rng.int(0, 4)}`);
  out.push(`flutter ${rng.int(0, 5)}`);
  out.push(`consonants ${rng.int(85, 120)}`);
  out.push(`stressAdd ${stressAdd.map((v) => v + rng.int(-12, 12)).join(' ')}`);
  // Intonation group (which tunes commas and questions get; 0 keeps the language's).
  const group = rng.pick([0, 0, 1, 2, 3]);
  if (group !== 0) out.push(`intonation ${group}`);
  return out.join('\n') + '\n';
}

/** espeak-ng command-line prosody of the wide style: words per minute, pitch 0..99, word gap (10 ms units). */
export function espeakWideArgs(rng: Rng): string[] {
  return ['-s', String(rng.int(125, 195)), '-p', String(rng.int(30, 70)), '-g', String(rng.int(0, 2))];
}

/** Mean and standard deviation of F0 in Hz for a talker of `gender` (unknown: anywhere from men to women). */
function drawF0(gender: VoiceInfo['gender'], rng: Rng): { mean: number; std: number } {
  const [lo, hi] = gender === 'female' ? [155, 235] : gender === 'male' ? [85, 145] : [85, 235];
  const mean = rng.uniform(lo, hi);
  // Pitch movement in proportion to the level: 8..22 % of the mean (flat to lively).
  return { mean, std: mean * rng.uniform(0.08, 0.22) };
}

/** flite `--setf` settings: duration stretch (>1 slower) and the F0 target mean and deviation. */
export function fliteWideArgs(gender: VoiceInfo['gender'], rng: Rng): string[] {
  const stretch = rng.uniform(0.8, 1.25);
  const f0 = drawF0(gender, rng);
  return ['--setf', `duration_stretch=${stretch.toFixed(3)}`, '--setf', `int_f0_target_mean=${fmt(f0.mean)}`, '--setf', `int_f0_target_stddev=${fmt(f0.std)}`];
}

/**
 * festival: Duration_Stretch, and for the diphone voices (whose intonation is the linear-regression
 * model `int_lr_params`) the target F0 mean and deviation. HTS voices keep their own F0 model.
 */
export function festivalWideEval(voice: string, gender: VoiceInfo['gender'], rng: Rng): string {
  const stretch = rng.uniform(0.8, 1.25).toFixed(3);
  const f0 = drawF0(gender, rng);
  const f0Setting = voice.endsWith('_diphone')
    ? ` (set! int_lr_params '((target_f0_mean ${fmt(f0.mean)}) (target_f0_std ${fmt(f0.std)}) (model_f0_mean 170) (model_f0_std 34)))`
    : '';
  return `(begin (voice_${voice}) (Parameter.set 'Duration_Stretch ${stretch})${f0Setting})`;
}

/** SVOX Pico markup: speaking rate and pitch in percent of the voice's own (both female voices). */
export function picoMarkup(text: string, rng: Rng): string {
  const speed = rng.int(80, 125);
  const pitch = rng.int(85, 118);
  return `<speed level="${speed}"><pitch level="${pitch}">${text}</pitch></speed>`;
}

export interface GnuSpeechSettings {
  /** Contents of voice_<name>.txt (the tube model's size and glottal source). */
  voiceFile: string;
  /** Contents of trm_control_model.txt (tempo, pitch and intonation). */
  controlModel: string;
}

/**
 * GnuSpeech: scales the voice's vocal-tract length, glottal pulse shape, breathiness and reference pitch,
 * and draws tempo and intonation. Its random intonation and pitch drift are switched off: they come from
 * an unseeded generator, and the drawn intonation settings vary the contour instead.
 */
export function gnuspeechSettings(baseVoiceFile: string, baseControlModel: string, voiceName: string, rng: Rng): GnuSpeechSettings {
  const tract = rng.uniform(0.93, 1.07);
  const tp = rng.uniform(0.85, 1.15);
  const tn = rng.uniform(0.85, 1.15);
  const breathiness = rng.uniform(0.3, 3);
  const pitchShift = rng.uniform(-2, 2);
  const set = (file: string, key: string, f: (v: number) => number): string =>
    file.replace(new RegExp(`^(${key}\\s*=\\s*)(-?[0-9.]+)`, 'm'), (_, k: string, v: string) => `${k}${f(Number(v)).toFixed(3)}`);
  let voiceFile = baseVoiceFile;
  voiceFile = set(voiceFile, 'vocal_tract_length', (v) => v * tract);
  voiceFile = set(voiceFile, 'glottal_pulse_tp', (v) => v * tp);
  voiceFile = set(voiceFile, 'glottal_pulse_tn_min', (v) => v * tn);
  voiceFile = set(voiceFile, 'glottal_pulse_tn_max', (v) => v * tn);
  voiceFile = set(voiceFile, 'breathiness', () => breathiness);
  voiceFile = set(voiceFile, 'reference_glottal_pitch', (v) => v + pitchShift);

  const tempo = rng.uniform(0.8, 1.2);
  const pitchOffset = rng.uniform(-2.5, 2.5);
  const notional = rng.uniform(0, 4);
  const pretonicRange = rng.uniform(-3.5, -0.5);
  const pretonicLift = rng.uniform(2, 6);
  const tonicRange = rng.uniform(-11, -5);
  const tonicMovement = rng.uniform(2, 6);
  let cm = baseControlModel;
  cm = cm.replace(/^voice_name\s*=.*$/m, `voice_name = ${voiceName}`);
  cm = set(cm, 'tempo', () => tempo);
  cm = set(cm, 'pitch_offset', (v) => v + pitchOffset);
  cm = set(cm, 'notional_pitch', () => notional);
  cm = set(cm, 'pretonic_range', () => pretonicRange);
  cm = set(cm, 'pretonic_lift', () => pretonicLift);
  cm = set(cm, 'tonic_range', () => tonicRange);
  cm = set(cm, 'tonic_movement', () => tonicMovement);
  cm = cm.replace(/^intonation_drift\s*=.*$/m, 'intonation_drift = 0').replace(/^random_intonation\s*=.*$/m, 'random_intonation = 0');
  return { voiceFile, controlModel: cm };
}
