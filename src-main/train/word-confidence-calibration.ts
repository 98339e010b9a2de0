/**
 * Word confidence calibration (src-main/decode/word-confidence.ts): decodes clips no benchmark
 * uses in open dictation, labels every word right or wrong by aligning it with the transcript, and
 * fits the logistic map from the word's features to "right". The clips: training voices with the
 * training augmentation saying sentences of the training part of the text corpus, the validation
 * slice of the real set's train speakers (never dev) when given, and synthesized music (every word
 * heard in it is wrong).
 */
import { type WordConfidenceChoices } from '../../src-shared/model/metadata.ts';
import { DEFAULT_LM_PATH } from '../model/package-paths.ts';
import { dictationLexicon } from '../decode/dictation-lm.ts';
import { wordConfidenceFeatures } from '../decode/word-confidence.ts';
import { OfflineAcousticSession } from '../engine/offline-acoustic-session.ts';
import { buildDecoders, pronunciationIds } from '../engine/recognition-decoders.ts';
import { speechPosteriors } from '../engine/speech-presence.ts';
import { NO_VTLN, posteriorsWithVtln, vtlnForModel } from '../engine/vtln.ts';
import { alignedHits, transcriptWords } from '../math/edit-distance.ts';
import { fitLogistic, logisticPredict } from '../math/logistic-regression.ts';
import { reliability, rocAuc, type Reliability } from '../math/calibration-metrics.ts';
import type { ModelPackage } from '../model/model-package.ts';
import { decodeAudioFile } from '../audio/index.ts';
import { join } from 'node:path';
import { makeMusic } from './data/augment/music.ts';
import { readRealManifest } from './data/real/build-real-set.ts';
import { isValidationClip } from './data/real/real-split.ts';
import { createRng } from './data/rng.ts';
import { buildTextCorpus } from './data/text-corpus.ts';
import { CALIBRATION_VOICES, speakInRoom } from './phrase-calibration.ts';

/** A clip to decode: `text` is its transcript, null when nothing in it is speech (music). */
export interface WordCalibrationClip {
  pcm: Float32Array;
  text: string | null;
  source: 'synthesized' | 'real' | 'music';
}

/** One decoded word: its features, raw n-best confidence and whether the transcript has it there. */
export interface WordSample {
  features: number[];
  raw: number;
  correct: boolean;
  source: WordCalibrationClip['source'];
}

/** Sentences per calibration voice, and music clips, of the synthesized part. */
export const WORD_CALIBRATION_SENTENCES_PER_VOICE = 6;
export const WORD_CALIBRATION_MUSIC_CLIPS = 16;

/** The synthesized calibration clips (fixed seed: the same clips every run). */
export async function syntheticWordClips(seed = 4242): Promise<WordCalibrationClip[]> {
  const rng = createRng(seed);
  const texts = buildTextCorpus({ seed, count: WORD_CALIBRATION_SENTENCES_PER_VOICE * CALIBRATION_VOICES.length, mix: { commands: 0, digits: 0, numbers: 0, sentences: 1 }, sentencePart: 'train' });
  const clips: WordCalibrationClip[] = [];
  for (const [i, text] of texts.entries()) clips.push({ pcm: await speakInRoom(text, CALIBRATION_VOICES[i % CALIBRATION_VOICES.length], rng, true), text, source: 'synthesized' });
  for (let i = 0; i < WORD_CALIBRATION_MUSIC_CLIPS; i++) {
    const gain = rng.uniform(0.1, 1.6);
    clips.push({ pcm: makeMusic(Math.round(rng.uniform(3, 8) * 16000), rng).map((v) => v * gain), text: null, source: 'music' });
  }
  return clips;
}

/** The validation slice of the real set's train speakers (never dev), as calibration clips. */
export async function realWordClips(setDir: string): Promise<WordCalibrationClip[]> {
  const recs = (await readRealManifest(setDir)).filter((r) => r.split === 'train' && isValidationClip(r.id)).sort((a, b) => (a.id < b.id ? -1 : 1));
  const out: WordCalibrationClip[] = [];
  for (const r of recs) out.push({ pcm: (await decodeAudioFile(join(setDir, r.file))).samples, text: r.text, source: 'real' });
  return out;
}

/**
 * Decodes `clips` in open dictation with `model` (its VTLN choice, its speech gate, raw n-best
 * confidences) and returns every word's features and label.
 */
export async function wordSamples(model: ModelPackage, clips: readonly WordCalibrationClip[], lmPath = DEFAULT_LM_PATH): Promise<WordSample[]> {
  const units = model.metadata.units;
  const decoders = buildDecoders({ mode: { kind: 'dictation' }, units, lmPath, decoding: { ...model.metadata.decoding, words: undefined } }, model.frameSec);
  const prons = pronunciationIds(dictationLexicon(lmPath), units);
  const session = await OfflineAcousticSession.create(model, { threads: 1 });
  const vtln = vtlnForModel(undefined, model.metadata) ?? NO_VTLN;
  const U = model.architecture.numUnits;
  try {
    const out: WordSample[] = [];
    for (const clip of clips) {
      const p = await posteriorsWithVtln(clip.pcm, model, session, vtln);
      const heard = speechPosteriors(clip.pcm, p, model);
      if (!heard.speech) continue;
      const T = p.features.frames;
      const r = decoders.decode(heard.logprobs, T, U);
      const hits = alignedHits(clip.text === null ? [] : transcriptWords(clip.text.toLowerCase()), r.words.map((w) => w.word));
      for (const [k, w] of r.words.entries()) {
        out.push({ features: wordConfidenceFeatures(w, heard.logprobs, T, U, model.frameSec, prons), raw: w.confidence ?? 0, correct: hits[k], source: clip.source });
      }
    }
    return out;
  } finally {
    await session.release();
  }
}

export interface WordCalibration {
  choices: WordConfidenceChoices;
  words: number;
  bySource: Record<WordSample['source'], number>;
  /** On the calibration words themselves: the raw n-best posterior, then the calibrated confidence. */
  raw: { reliability: Reliability; auc: number };
  calibrated: { reliability: Reliability; auc: number };
}

/** Fits the calibration to `samples` (at least 50 words, both labels present). */
export function fitWordCalibration(samples: readonly WordSample[]): WordCalibration {
  if (samples.length < 50) throw new Error(`word calibration needs at least 50 decoded words, got ${samples.length}`);
  const ys = samples.map((s) => s.correct);
  if (ys.every(Boolean) || !ys.some(Boolean)) throw new Error('word calibration needs both right and wrong words');
  const m = fitLogistic(samples.map((s) => s.features), ys, { l2: 0.01 });
  const choices: WordConfidenceChoices = { features: 'v1', bias: round6(m.bias), weights: m.weights.map(round6) };
  const calibrated = samples.map((s) => logisticPredict(choices, s.features));
  const bySource = { synthesized: 0, real: 0, music: 0 };
  for (const s of samples) bySource[s.source]++;
  return {
    choices, words: samples.length, bySource,
    raw: { reliability: reliability(samples.map((s) => ({ p: s.raw, correct: s.correct }))), auc: rocAuc(samples.map((s) => ({ p: s.raw, correct: s.correct }))) },
    calibrated: { reliability: reliability(samples.map((s, i) => ({ p: calibrated[i], correct: s.correct }))), auc: rocAuc(samples.map((s, i) => ({ p: calibrated[i], correct: s.correct }))) },
  };
}

/** Calibrates `model`'s word confidences on the synthesized clips and, with `realSetDir`, the real validation slice. */
export async function calibrateWordConfidence(model: ModelPackage, realSetDir?: string): Promise<WordCalibration> {
  const clips = await syntheticWordClips();
  if (realSetDir !== undefined) clips.push(...await realWordClips(realSetDir));
  return fitWordCalibration(await wordSamples(model, clips));
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
