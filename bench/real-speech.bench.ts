// Accuracy on REAL human speech: the dev part of the real set (hark real-set; speakers never
// trained on), beside the held-out synthesized voices, with PocketSphinx on the same clips:
//   greedy phoneme error rate (no VTLN and with test-time VTLN), isolated words as a phrase list,
//   read-sentence dictation WER.
// Run: node bin/run-ts.mjs bench/real-speech.bench.ts [--model DIR] [--set data/real] [--split dev] [--per-only | --words-only] [--out NAME]
// Writes bench/results/real-speech.json (NAME.json with --out).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { resolveModelDir } from '../src-main/model/package-paths.ts';
import { OfflineAcousticSession } from '../src-main/engine/offline-acoustic-session.ts';
import { DEFAULT_VTLN } from '../src-main/engine/vtln.ts';
import { packageGreedyPer, type PcmEvalClip } from '../src-main/train/package-phoneme-error.ts';
import { OfflineRecognizer } from '../src-main/engine/offline-recognizer.ts';
import { decodeAudioFile } from '../src-main/audio/index.ts';
import { Lexicon } from '../src-main/lexicon/lexicon.ts';
import { errorRate, transcriptWords } from '../src-main/math/edit-distance.ts';
import { textToUnitIds } from '../src-main/train/text-labels.ts';
import { readRealManifest } from '../src-main/train/data/real/build-real-set.ts';
import { HELDOUT_VOICES, sentenceSet } from './eval-sets.ts';
import { pocketsphinxBatch, pocketsphinxMissingWords } from './pocketsphinx-batch.ts';
import { isValidationClip } from '../src-main/train/data/real/real-split.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: {
  model: { type: 'string' }, set: { type: 'string', default: 'data/real' }, split: { type: 'string', default: 'dev' },
  out: { type: 'string' }, 'synth-sentences': { type: 'string', default: '6' }, 'no-pocketsphinx': { type: 'boolean' },
  /** A second dictation LM to measure too, e.g. PocketSphinx's en-us.lm.bin (with its search weights). */
  'also-lm': { type: 'string' },
  /** Greedy PER only (e.g. on --split val, the validation slice of the train speakers that decides what ships). */
  'per-only': { type: 'boolean' },
  /** Isolated words only (to compare phrase-mode settings or gates on one model without the rest). */
  'words-only': { type: 'boolean' },
} });
const setDir = resolve(values.set!);
const all = await readRealManifest(setDir);
// 'val': the validation slice of the train speakers (hark adapt never trains on it; see readRealTrainClips).
const clips = values.split === 'val' ? all.filter((r) => r.split === 'train' && isValidationClip(r.id)) : all.filter((r) => r.split === values.split);
if (clips.length === 0) throw new Error(`no ${values.split} clips in ${setDir}/manifest.jsonl (run: npx hark real-set)`);
const modelDir = resolveModelDir(values.model);
const model = await loadModelPackage(modelDir);
const session = await OfflineAcousticSession.create(model, { threads: 1 });
const lexicon = new Lexicon();

const pct = (x: number) => Number((100 * x).toFixed(1));
const words = transcriptWords;

// The isolated-word clips (section 2): the dev clips of the word sources (one word or a short name each).
const wordClips = clips.filter((c) => /\.(words?|letter)\./.test(c.id) && /^(qabcs|klettres)$/.test(c.source) && !/\.letter\./.test(c.id));
const items = [...new Set(wordClips.map((c) => c.text))].sort();

// 1. Greedy phoneme error rate.
const pcmOf = new Map<string, Float32Array>();
const realPer: PcmEvalClip[] = [];
for (const c of clips) {
  const pcm = (await decodeAudioFile(join(setDir, c.file))).samples;
  pcmOf.set(c.id, pcm);
  realPer.push({ pcm, labels: textToUnitIds(c.text, lexicon), group: c.source });
}
if (values['words-only']) await isolatedWordsOnly();
const synth = await sentenceSet(HELDOUT_VOICES, Number(values['synth-sentences']));
const synthPer: PcmEvalClip[] = synth.map((s) => ({ pcm: s.pcm, labels: textToUnitIds(s.expected!, lexicon), group: 'synth' }));
const realPlain = await packageGreedyPer(model, session, realPer, [1]);
const realVtln = await packageGreedyPer(model, session, realPer, DEFAULT_VTLN.warps);
const clipsIn = (g: string) => realPer.filter((c) => g === 'all' || c.group === g).length;
const per = {
  realBySource: Object.fromEntries([...Object.keys(realPlain.byGroup), 'all'].map((g) => [g, {
    clips: clipsIn(g), plain: pct(g === 'all' ? realPlain.per : realPlain.byGroup[g]), vtln: pct(g === 'all' ? realVtln.per : realVtln.byGroup[g]),
  }])),
  synthHeldout: { clips: synth.length, plain: pct((await packageGreedyPer(model, session, synthPer, [1])).per), vtln: pct((await packageGreedyPer(model, session, synthPer, DEFAULT_VTLN.warps)).per) },
};
console.log('greedy PER', JSON.stringify(per));
if (values['per-only']) {
  const out = { model: { dir: modelDir, name: model.metadata.name, version: model.metadata.version }, split: values.split, clips: clips.length, greedyPer: per };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', `${values.out ?? `real-speech-${values.split}`}.json`), JSON.stringify(out, null, 2) + '\n');
  process.exit(0);
}

// 2. Isolated words as a phrase list.
const { correct: wordsCorrect, rejected: wordsRejected, closestCorrect: wordsClosest } = await isolatedWords();

/**
 * `correct`: the phrase list as Hark runs it, a rejection counting as a miss. `closestCorrect`: the
 * same decodes read as a forced choice (a rejected clip counts when the item its rejection names as
 * closest is right), which is how PocketSphinx's grammar search answers: it never rejects.
 */
async function isolatedWords(): Promise<{ correct: number; rejected: number; closestCorrect: number }> {
  const phraseRec = await OfflineRecognizer.create({ model, mode: { kind: 'phrases', items }, lexicon });
  let correct = 0, rejected = 0, closestCorrect = 0;
  for (const c of wordClips) {
    const r = await phraseRec.recognizePcm(pcmOf.get(c.id)!);
    if (r.phrase === c.text) correct++;
    else if (r.phrase === null) rejected++;
    if ((r.phrase ?? r.rejection?.closest) === c.text) closestCorrect++;
  }
  await phraseRec.dispose();
  return { correct, rejected, closestCorrect };
}

function isolatedWordsResult(r: { correct: number; rejected: number; closestCorrect: number }) {
  const n = Math.max(1, wordClips.length);
  return { items: items.length, clips: wordClips.length, accuracy: pct(r.correct / n), rejected: r.rejected, forcedChoiceAccuracy: pct(r.closestCorrect / n) };
}

async function isolatedWordsOnly(): Promise<never> {
  const r = await isolatedWords();
  const out = {
    model: { dir: modelDir, name: model.metadata.name, version: model.metadata.version, phraseSettings: model.metadata.decoding?.phrase ?? null }, split: values.split,
    isolatedWords: isolatedWordsResult(r),
  };
  console.log(JSON.stringify(out));
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', `${values.out ?? `real-speech-words-${values.split}`}.json`), JSON.stringify(out, null, 2) + '\n');
  process.exit(0);
}

// 3. Dictation on sentences (three words or more).
const sentClips = clips.filter((c) => words(c.text).length >= 3);
const dict = await OfflineRecognizer.create({ model, mode: { kind: 'dictation' }, lexicon });
const dictPairs: { ref: string[]; hyp: string[]; source: string }[] = [];
for (const c of sentClips) dictPairs.push({ ref: words(c.text), hyp: words((await dict.recognizePcm(pcmOf.get(c.id)!)).text), source: c.source });
await dict.dispose();
let dictation2: { lm: string; wer: number } | null = null;
if (values['also-lm']) {
  const lmPath = values['also-lm'];
  // A PocketSphinx .lm.bin gets its own search weights (SPHINX_LM_BEAM) from the decoders.
  const rec2 = await OfflineRecognizer.create({ model, mode: { kind: 'dictation' }, lmPath });
  const pairs: { ref: string[]; hyp: string[] }[] = [];
  for (const c of sentClips) pairs.push({ ref: words(c.text), hyp: words((await rec2.recognizePcm(pcmOf.get(c.id)!)).text) });
  await rec2.dispose();
  dictation2 = { lm: lmPath, wer: pct(errorRate(pairs).rate) };
}

// PocketSphinx on the same clips.
let ps: Record<string, unknown> | null = null;
if (!values['no-pocketsphinx']) {
  const psWords = await pocketsphinxBatch(setDir, wordClips.map((c) => join(setDir, c.file)), items.filter((i) => pocketsphinxMissingWords(words(i)).length === 0));
  const psDict = await pocketsphinxBatch(setDir, sentClips.map((c) => join(setDir, c.file)));
  ps = {
    isolatedWords: pct(wordClips.filter((c, i) => psWords[i] === c.text).length / Math.max(1, wordClips.length)),
    itemsMissingFromItsDictionary: items.filter((i) => pocketsphinxMissingWords(words(i)).length > 0),
    dictationWer: pct(errorRate(sentClips.map((c, i) => ({ ref: words(c.text), hyp: words(psDict[i]) }))).rate),
  };
}

const bySource = (src: string) => errorRate(dictPairs.filter((p) => p.source === src));
const result = {
  model: { dir: modelDir, name: model.metadata.name, version: model.metadata.version },
  set: { dir: values.set, split: values.split, clips: clips.length, minutes: Number((clips.reduce((s, c) => s + c.samples, 0) / 16000 / 60).toFixed(1)), speakers: new Set(clips.map((c) => c.speaker)).size },
  greedyPer: per,
  isolatedWords: isolatedWordsResult({ correct: wordsCorrect, rejected: wordsRejected, closestCorrect: wordsClosest }),
  dictation: {
    clips: sentClips.length, words: dictPairs.reduce((s, p) => s + p.ref.length, 0), wer: pct(errorRate(dictPairs).rate),
    bySource: Object.fromEntries([...new Set(sentClips.map((c) => c.source))].map((s) => [s, pct(bySource(s).rate)])),
    ...(dictation2 ? { otherLm: dictation2 } : {}),
  },
  pocketsphinx: ps,
  examples: dictPairs.slice(0, 8).map((p) => ({ ref: p.ref.join(' '), hyp: p.hyp.join(' ') })),
};
console.log(JSON.stringify(result, null, 2));
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', `${values.out ?? 'real-speech'}.json`), JSON.stringify(result, null, 2) + '\n');
