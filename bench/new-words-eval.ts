// Ten words the shipped model has never been trained on (invented names and uncommon technical
// terms), as commands in phrase mode, spoken by the four held-out voices: the "before retraining"
// figure. Pronunciations come from the user vocabulary as `hark words add` fills it
// (CMUdict, else the G2P guess), so this measures "recognized at once, without training".
// Each voice says each phrase twice (different prosody); the phrase list also has to reject
// out-of-list speech, so ten ordinary commands are mixed in as distractors.
// Used by bench/new-words.bench.ts (before retraining) and bench/retrain.bench.ts (before and after).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OfflineRecognizer } from '../src-main/engine/offline-recognizer.ts';
import { Lexicon } from '../src-main/lexicon/lexicon.ts';
import { UserVocabulary } from '../src-main/lexicon/user-vocabulary.ts';
import { createRng } from '../src-main/train/data/rng.ts';
import { HELDOUT_VOICES, synthesize } from '../src-main/train/data/synth/index.ts';

/** Never in the training text (invented, or technical terms outside the corpora). */
export const NEW_WORDS = ['zorblat', 'quindle', 'vexomar', 'plumbrix', 'tesmora', 'kivvik', 'yarnolt', 'grubnitz', 'kubectl', 'nginx'];
export const NEW_WORD_PHRASES = NEW_WORDS.map((w) => `open ${w}`);
const DISTRACTORS = ['open the browser', 'next slide', 'close the window', 'call my mother', 'stop listening'];

/** Phrase-mode accuracy of NEW_WORD_PHRASES on the held-out voices with `modelDir` (default: the shipped model). */
export async function evaluateNewWords(modelDir?: string) {
  const t0 = performance.now();
  // Filled as `hark words add` would, never saved.
  const vocab = UserVocabulary.load(join(tmpdir(), `hark-new-words-${process.pid}-unsaved.json`));
  const lexicon = new Lexicon();
  for (const w of NEW_WORDS) vocab.add(w, [], lexicon);
  const rec = await OfflineRecognizer.create({ ...(modelDir ? { modelDir } : {}), mode: { kind: 'phrases', items: NEW_WORD_PHRASES }, userWords: vocab.list() });
  const rng = createRng(11);
  let correct = 0, total = 0, falseAccepts = 0, distractors = 0;
  const byVoice: Record<string, { correct: number; total: number }> = {};
  const byWord: Record<string, number> = {};
  for (const voice of HELDOUT_VOICES) {
    byVoice[voice] = { correct: 0, total: 0 };
    for (let rep = 0; rep < 2; rep++) {
      for (const phrase of NEW_WORD_PHRASES) {
        const r = await rec.recognizePcm(await synthesize(phrase, voice, rng.fork()));
        total++;
        byVoice[voice].total++;
        if (r.phrase === phrase) { correct++; byVoice[voice].correct++; byWord[phrase] = (byWord[phrase] ?? 0) + 1; }
      }
    }
    for (const d of DISTRACTORS) {
      const r = await rec.recognizePcm(await synthesize(d, voice, rng.fork()));
      distractors++;
      if (r.phrase !== null && r.phrase !== undefined) falseAccepts++;
    }
  }
  return {
    model: `${rec.model.metadata.name} ${rec.model.metadata.version}`,
    words: vocab.list().map((w) => ({ word: w.word, pronunciation: w.pronunciations[0].join(' '), source: w.source })),
    accuracy: correct / total,
    correct, total,
    byVoice: Object.fromEntries(Object.entries(byVoice).map(([k, v]) => [k, v.correct / v.total])),
    byPhrase: Object.fromEntries(NEW_WORD_PHRASES.map((p) => [p, (byWord[p] ?? 0) / (HELDOUT_VOICES.length * 2)])),
    distractorFalseAccepts: `${falseAccepts} of ${distractors}`,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
  };
}
