/**
 * Phrase-list calibration: the confidence scale of phrase mode (PhraseDecoder: threshold,
 * temperature, certainty floor) depends on how sure of itself the acoustic model is, and a model
 * adapted to real voices is more confident on everything, noise included. This measures, for one
 * model, the settings that decide best on clips it is never evaluated on (training voices with the
 * training augmentation, a command list and rejections no benchmark uses, and noise of seeds no
 * benchmark draws) and stores them in the package as ModelMetadata.decoding.phrase.
 */
import type { PhraseChoices } from '../../src-shared/model/metadata.ts';
import { DEFAULT_PHRASE_OPTIONS, PhraseDecoder, phraseDecision, type PhraseScore } from '../decode/phrase-decoder.ts';
import { OfflineAcousticSession } from '../engine/offline-acoustic-session.ts';
import { speechPosteriors } from '../engine/speech-presence.ts';
import { NO_VTLN, posteriorsWithVtln, vtlnForModel } from '../engine/vtln.ts';
import { Lexicon } from '../lexicon/lexicon.ts';
import type { ModelPackage } from '../model/model-package.ts';
import { augment } from './data/augment/augment.ts';
import { makeNoise, mixAtSnr, NOISE_KINDS } from './data/augment/noise.ts';
import { makeMusic } from './data/augment/music.ts';
import { createRng, type Rng } from './data/rng.ts';
import { readRealManifest, type RealClipRecord } from './data/real/build-real-set.ts';
import { isValidationClip } from './data/real/real-split.ts';
import { decodeAudioFile } from '../audio/index.ts';
import { join } from 'node:path';
import { synthesize } from './data/synth/index.ts';
import { buildTextCorpus } from './data/text-corpus.ts';

/** Training voices used only to calibrate (never the held-out ones). */
export const CALIBRATION_VOICES = ['espeak:en-us+m3', 'espeak:en-gb+f2', 'flite:kal', 'flite:awb', 'festival:kal_diphone', 'espeak:en-us-nyc+Andrea'];

/** The calibration command list: desktop commands that no benchmark's list contains. */
export const CALIBRATION_COMMANDS = [
  'open the mail', 'close the tab', 'next track', 'previous track', 'save the file', 'print the page',
  'show notifications', 'hide the window', 'turn up the brightness', 'turn down the brightness', 'start the timer', 'stop the timer',
  'page down', 'page up', 'undo', 'redo', 'copy the link', 'paste it here', 'switch the language', 'answer the call',
];

/** Speech the calibration list must reject: near misses and other requests. */
export const CALIBRATION_REJECTS = [
  'open the map', 'close the door', 'next week', 'save the date', 'print two copies', 'show me the weather',
  'start the car', 'page one', 'copy the address', 'switch it off', 'answer the question', 'turn left at the corner',
  'what is the score', 'find my keys', 'book a table', 'send the report',
];

export interface CalibrationClip {
  pcm: Float32Array;
  /** The listed phrase said, or null when the clip must be rejected. */
  expected: string | null;
  voice: string;
  kind: 'in-list' | 'out-of-list' | 'noise';
}

/** Pads `pcm` with 0.1-0.4 s either side and mixes in room noise at 15-30 dB SNR. */
export function inRoomNoise(pcm: Float32Array, rng: Rng): Float32Array {
  const kind = rng.pick(['white', 'pink', 'brown', 'babble'] as const);
  const pad = Math.round(rng.uniform(0.1, 0.4) * 16000);
  const x = new Float32Array(pcm.length + 2 * pad);
  x.set(pcm, pad);
  return mixAtSnr(x, makeNoise(kind, x.length, rng), rng.uniform(15, 30));
}

/** `text` said by `voice` in a room; `harsh` runs the training augmentation chain first. */
export async function speakInRoom(text: string, voice: string, rng: Rng, harsh = false): Promise<Float32Array> {
  const pcm = await synthesize(text, voice, rng.fork());
  return inRoomNoise(harsh ? augment(pcm, rng) : pcm, rng);
}

export interface PhraseClipSetOptions {
  voices: readonly string[];
  commands: readonly string[];
  rejects: readonly string[];
  seed: number;
  /** Training augmentation over the speech (for training voices, which the model knows too well). */
  harsh?: boolean;
  /** Noise clips of 1-3 s with a peak of 0.02-0.3, per voice (default 4). */
  noisePerVoice?: number;
  /** More noise clips of 1-3 s at plain amplitudes 0.02-0.1 (default 0). */
  quietNoise?: number;
  /** Synthesized music clips of 2-6 s (src-main/train/data/augment/music.ts), to be rejected (default 0). */
  music?: number;
}

/**
 * Phrase-mode clips: every command and 6 rejects by each voice, two ordinary sentences per voice
 * (rejects), and noise.
 */
export async function phraseClipSet(o: PhraseClipSetOptions): Promise<CalibrationClip[]> {
  const rng = createRng(o.seed);
  const say = (text: string, voice: string) => speakInRoom(text, voice, rng, o.harsh ?? false);
  const clips: CalibrationClip[] = [];
  for (const voice of o.voices) {
    for (const c of o.commands) clips.push({ pcm: await say(c, voice), expected: c, voice, kind: 'in-list' });
    for (let i = 0; i < 6; i++) clips.push({ pcm: await say(rng.pick(o.rejects), voice), expected: null, voice, kind: 'out-of-list' });
  }
  const sentences = buildTextCorpus({ seed: o.seed + 1, count: 2 * o.voices.length, mix: { commands: 0, digits: 0, numbers: 0, sentences: 1 }, sentencePart: 'heldout' });
  for (const [i, s] of sentences.entries()) {
    const voice = o.voices[i % o.voices.length];
    clips.push({ pcm: await say(s, voice), expected: null, voice, kind: 'out-of-list' });
  }
  const noisePerVoice = o.noisePerVoice ?? 4;
  for (let i = 0; i < noisePerVoice * o.voices.length; i++) {
    const kind = NOISE_KINDS[i % NOISE_KINDS.length];
    const noise = makeNoise(kind, Math.round(rng.uniform(1, 3) * 16000), rng);
    let peak = 0;
    for (const v of noise) peak = Math.max(peak, Math.abs(v));
    const gain = rng.uniform(0.02, 0.3) / Math.max(1e-9, peak);
    clips.push({ pcm: noise.map((v) => v * gain), expected: null, voice: `noise:${kind}`, kind: 'noise' });
  }
  for (let i = 0; i < (o.quietNoise ?? 0); i++) {
    const kind = NOISE_KINDS[i % NOISE_KINDS.length];
    const amp = rng.uniform(0.02, 0.1);
    clips.push({ pcm: makeNoise(kind, Math.round(rng.uniform(1, 3) * 16000), rng).map((v) => v * amp), expected: null, voice: `noise:${kind}`, kind: 'noise' });
  }
  for (let i = 0; i < (o.music ?? 0); i++) {
    const gain = rng.uniform(0.05, 1.2);
    clips.push({ pcm: makeMusic(Math.round(rng.uniform(2, 6) * 16000), rng).map((v) => v * gain), expected: null, voice: 'music', kind: 'noise' });
  }
  return clips;
}

/** A clip's raw phrase scores, from which any phrase options' decision follows (phraseDecision). */
export interface ScoredClip {
  clip: CalibrationClip;
  scores: PhraseScore[];
  certainty: number;
  /** Whether the clip contains speech as the recognizers decide it (speech-presence.ts); false = rejected whatever the settings. */
  speech: boolean;
}

/** Runs the model once per clip (with the package's test-time VTLN choice) and scores `phrases`. */
export async function scorePhraseClips(model: ModelPackage, phrases: readonly string[], clips: readonly CalibrationClip[]): Promise<ScoredClip[]> {
  const session = await OfflineAcousticSession.create(model, { threads: 1 });
  const vtln = vtlnForModel(undefined, model.metadata) ?? NO_VTLN;
  const decoder = new PhraseDecoder(phrases, new Lexicon(), {}, model.metadata.units);
  try {
    const out: ScoredClip[] = [];
    for (const clip of clips) {
      const p = await posteriorsWithVtln(clip.pcm, model, session, vtln);
      const heard = speechPosteriors(clip.pcm, p, model);
      const r = decoder.decode(heard.logprobs, p.features.frames, model.architecture.numUnits, model.frameSec);
      out.push({ clip, scores: r.scores, certainty: r.certainty, speech: heard.speech });
    }
    return out;
  } finally {
    await session.release();
  }
}

export type PhraseSettings = Required<PhraseChoices>;

export interface PhraseTally {
  accuracy: number;
  correct: number;
  total: number;
  falseAccept: number;
  falseReject: number;
  confusion: number;
}

/** How the clips fare with `p`: accepted phrase equal to the expected one (or a rejection of a reject). */
export function phraseAccuracy(scored: readonly ScoredClip[], p: PhraseSettings, units: number): PhraseTally {
  let correct = 0, falseAccept = 0, falseReject = 0, confusion = 0;
  for (const s of scored) {
    const d = phraseDecision(s.scores, s.certainty, units, p);
    const answer = s.speech && d.confidence >= p.threshold ? s.scores[d.index].phrase : null;
    if (answer === s.clip.expected) correct++;
    else if (s.clip.expected === null) falseAccept++;
    else if (answer === null) falseReject++;
    else confusion++;
  }
  return { accuracy: scored.length ? correct / scored.length : 0, correct, total: scored.length, falseAccept, falseReject, confusion };
}

export const CALIBRATION_TEMPERATURES = [0.5, 1, 1.5, 2, 3, 4, 6];
export const CALIBRATION_CERTAINTY_FLOORS = [0.3, 0.5, 0.7];

/**
 * Grid search: among the settings with the best accuracy on `scored`, the first temperature and
 * certainty floor to reach it, with the threshold in the middle of its longest plateau at that
 * accuracy (the most robust choice, not the edge of it).
 */
export function searchPhraseSettings(scored: readonly ScoredClip[], units: number): { settings: PhraseSettings; tally: PhraseTally } {
  let best: PhraseSettings = { threshold: DEFAULT_PHRASE_OPTIONS.threshold, temperature: DEFAULT_PHRASE_OPTIONS.temperature, minCertainty: DEFAULT_PHRASE_OPTIONS.minCertainty };
  let bestAcc = -1;
  for (const temperature of CALIBRATION_TEMPERATURES) {
    for (const minCertainty of CALIBRATION_CERTAINTY_FLOORS) {
      const accs: number[] = [];
      for (let i = 0; i <= 100; i++) accs.push(phraseAccuracy(scored, { temperature, minCertainty, threshold: i / 100 }, units).accuracy);
      let top = -1;
      for (const a of accs) top = Math.max(top, a);
      if (top <= bestAcc + 1e-9) continue;
      let runStart = -1;
      let bestRun = [0, 0];
      for (let i = 0; i <= 101; i++) {
        const on = i <= 100 && accs[i] >= top - 1e-9;
        if (on && runStart < 0) runStart = i;
        if (!on && runStart >= 0) {
          if (i - runStart > bestRun[1] - bestRun[0]) bestRun = [runStart, i];
          runStart = -1;
        }
      }
      bestAcc = top;
      best = { temperature, minCertainty, threshold: Math.round((bestRun[0] + bestRun[1] - 1) / 2) / 100 };
    }
  }
  return { settings: best, tally: phraseAccuracy(scored, best, units) };
}

/** The calibration set of CALIBRATION_VOICES, commands and rejects (seed fixed: the same clips every run). */
export const CALIBRATION_SET: PhraseClipSetOptions = {
  voices: CALIBRATION_VOICES, commands: CALIBRATION_COMMANDS, rejects: CALIBRATION_REJECTS, seed: 2718, harsh: true, noisePerVoice: 4, quietNoise: 48, music: 48,
};

export interface PhraseCalibration {
  settings: PhraseSettings;
  tally: PhraseTally;
  /** The same clips with DEFAULT_PHRASE_OPTIONS. */
  withDefaults: PhraseTally;
  byKind: Record<CalibrationClip['kind'], PhraseTally>;
}

/** Real clips of at most this many words make the real calibration lists. */
export const REAL_CALIBRATION_MAX_WORDS = 4;
/** Phrases per real calibration list. */
export const REAL_CALIBRATION_LIST = 20;

/**
 * Real-speech phrase lists from the validation slice of the train speakers of a real set (`hark
 * real-set`; never the dev speakers, which the benchmarks measure): its clips of at most
 * REAL_CALIBRATION_MAX_WORDS words, in lists of REAL_CALIBRATION_LIST distinct texts, each list's
 * own clips in-list and the next list's first six clips out-of-list.
 */
export async function realCalibrationLists(setDir: string): Promise<{ phrases: string[]; clips: CalibrationClip[] }[]> {
  const recs = (await readRealManifest(setDir))
    .filter((r) => r.split === 'train' && isValidationClip(r.id) && r.text.split(' ').length <= REAL_CALIBRATION_MAX_WORDS)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const groups: RealClipRecord[][] = [];
  let cur: RealClipRecord[] = [];
  for (const r of recs) {
    if (!cur.some((c) => c.text === r.text) && new Set(cur.map((c) => c.text)).size >= REAL_CALIBRATION_LIST) { groups.push(cur); cur = []; }
    cur.push(r);
  }
  if (cur.length) groups.push(cur);
  const clip = async (r: RealClipRecord, expected: string | null): Promise<CalibrationClip> => ({
    pcm: (await decodeAudioFile(join(setDir, r.file))).samples, expected, voice: `real:${r.speaker}`, kind: expected === null ? 'out-of-list' : 'in-list',
  });
  const out: { phrases: string[]; clips: CalibrationClip[] }[] = [];
  for (const [i, g] of groups.entries()) {
    const next = groups[(i + 1) % groups.length];
    const clips = [...await Promise.all(g.map((r) => clip(r, r.text)))];
    if (next !== g) for (const r of next.slice(0, 6)) if (!g.some((x) => x.text === r.text)) clips.push(await clip(r, null));
    out.push({ phrases: [...new Set(g.map((r) => r.text))], clips });
  }
  return out;
}

/**
 * Calibrates `model`'s phrase settings on CALIBRATION_SET (about a minute of synthesis and
 * decoding) and, with `realSetDir`, on real-speech lists of its validation slice too
 * (realCalibrationLists): synthesized training voices alone make a model look surer of real
 * people than it is.
 */
export async function calibratePhrases(model: ModelPackage, set: PhraseClipSetOptions = CALIBRATION_SET, realSetDir?: string): Promise<PhraseCalibration> {
  const scored = await scorePhraseClips(model, set.commands, await phraseClipSet(set));
  if (realSetDir !== undefined) for (const list of await realCalibrationLists(realSetDir)) scored.push(...await scorePhraseClips(model, list.phrases, list.clips));
  const U = model.architecture.numUnits;
  const { settings, tally } = searchPhraseSettings(scored, U);
  const kinds = ['in-list', 'out-of-list', 'noise'] as const;
  const byKind = Object.fromEntries(kinds.map((k) => [k, phraseAccuracy(scored.filter((s) => s.clip.kind === k), settings, U)])) as PhraseCalibration['byKind'];
  const defaults: PhraseSettings = { threshold: DEFAULT_PHRASE_OPTIONS.threshold, temperature: DEFAULT_PHRASE_OPTIONS.temperature, minCertainty: DEFAULT_PHRASE_OPTIONS.minCertainty };
  return { settings, tally, withDefaults: phraseAccuracy(scored, defaults, U), byKind };
}
