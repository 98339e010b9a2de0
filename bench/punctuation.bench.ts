// Punctuation and capitals (issue 15, item 1): the learned tagger (models/tagger-en) against the
// rule baseline (src-shared/text/rule-punctuation.ts) on text the tagger never saw, and on what
// the recognizer heard from held-out synthesized voices; latency per utterance and memory.
// Run: node --expose-gc bin/run-ts.mjs bench/punctuation.bench.ts [--per-voice 8] [--tagger DIR]
// Writes bench/results/punctuation.json.
//
// Held-out text: the Brown files the tagger's training never read (every 10th from the 10th, 50
// files: src-main/train/data/text-punctuation.ts), cut into utterance-like segments of 1..40 words
// (one or more sentences, long ones cut) with a fixed seed, and also one sentence per utterance.
// Voices: Brown sentences of the recognizer's held-out sentence set that lie in those files, spoken
// by the recognizer's held-out voices (bench/eval-sets.ts), recognized in dictation; marks are
// scored on the recognized words aligned to the reference (an inserted word counts as lower case
// without punctuation). "reference words" is the same sentences' reference transcript lower-cased,
// a proxy for perfect recognition.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PunctuationScorer, type PunctuationScores } from '../src-shared/text/punctuation-scores.ts';
import { ruleMarks } from '../src-shared/text/rule-punctuation.ts';
import { markedText, PLAIN_MARK, type WordMark } from '../src-shared/text/word-marks.ts';
import { alignHypothesis } from '../src-main/math/edit-distance.ts';
import { PunctuationTagger } from '../src-main/engine/punctuation-tagger.ts';
import { OfflineRecognizer } from '../src-main/engine/offline-recognizer.ts';
import { DEFAULT_TAGGER_DIR } from '../src-main/model/package-paths.ts';
import { TAGGER_ONNX_FILE } from '../src-main/model/tagger-file.ts';
import { createRng } from '../src-main/train/data/rng.ts';
import { brownSentencePart } from '../src-main/train/data/text-corpus.ts';
import { readMarkedBrown, taggerDocuments, utteranceSegments, type MarkedSentence } from '../src-main/train/data/text-punctuation.ts';
import { speakInRoom } from '../src-main/train/phrase-calibration.ts';
import { HELDOUT_VOICES } from './eval-sets.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values } = parseArgs({ options: { 'per-voice': { type: 'string', default: '8' }, tagger: { type: 'string' } } });
const taggerDir = values.tagger ? resolve(values.tagger) : DEFAULT_TAGGER_DIR;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;

// Memory: a first load initializes onnxruntime's process-wide parts (the app has them already for
// the acoustic model), so the figure that counts is a second load after the first was released.
gc();
const rss0 = process.memoryUsage().rss;
const first = await PunctuationTagger.load(taggerDir);
await first.tag(['warm', 'up']);
gc();
const rssFirst = process.memoryUsage().rss - rss0;
await first.release();
gc();
const rss1 = process.memoryUsage().rss;
const heap1 = process.memoryUsage().heapUsed;
const tagger = await PunctuationTagger.load(taggerDir);
for (let i = 0; i < 200; i++) await tagger.tag(['how', 'are', 'you', 'today', 'i', 'think', 'we', 'should', 'go', 'to', 'new', 'york']);
gc();
const memory = {
  taggerFileMb: mb(statSync(join(taggerDir, TAGGER_ONNX_FILE)).size),
  rssAddedMb: mb(process.memoryUsage().rss - rss1),
  heapAddedMb: mb(process.memoryUsage().heapUsed - heap1),
  rssFirstLoadMb: mb(rssFirst),
};
console.log('memory', memory);

const docs = readMarkedBrown();
const test = taggerDocuments(docs, 'test');
const rng = createRng(20261205);
const segments = test.flatMap((d) => utteranceSegments(d, () => rng.next()));
const sentences = test.flatMap((d) => d.sentences).filter((s) => s.words.length <= 40);

interface Compared { tagger: PunctuationScores; rules: PunctuationScores; utterances: number }
const latencies: { words: number; ms: number }[] = [];
async function compare(set: readonly MarkedSentence[], timed = false): Promise<Compared> {
  const t = new PunctuationScorer(), r = new PunctuationScorer();
  for (const s of set) {
    const t0 = performance.now();
    const marks = await tagger.tag(s.words);
    if (timed) latencies.push({ words: s.words.length, ms: performance.now() - t0 });
    t.add(marks, s.marks);
    r.add(ruleMarks(s.words), s.marks);
  }
  return { tagger: t.scores(), rules: r.scores(), utterances: set.length };
}
const heldOutSegments = await compare(segments, true);
const heldOutSentences = await compare(sentences);

const sorted = latencies.map((l) => l.ms).sort((a, b) => a - b);
const q = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] * 1000) / 1000;
const long = latencies.filter((l) => l.words >= 30).map((l) => l.ms).sort((a, b) => a - b);
const latency = {
  utterances: sorted.length, meanWords: Math.round((latencies.reduce((a, l) => a + l.words, 0) / latencies.length) * 10) / 10,
  meanMs: Math.round((sorted.reduce((a, b) => a + b, 0) / sorted.length) * 1000) / 1000, p50Ms: q(0.5), p95Ms: q(0.95), maxMs: q(1),
  p95Ms30to40Words: Math.round(long[Math.floor(0.95 * long.length)] * 1000) / 1000,
};
console.log('latency', latency);

// Held-out voices.
const byWords = new Map(test.flatMap((d) => d.sentences).map((s) => [s.words.join(' '), s] as const));
const voiceSentences = brownSentencePart('heldout').map((t) => byWords.get(t)).filter((s): s is MarkedSentence => s !== undefined);
const perVoice = Number(values['per-voice']);
const picks = HELDOUT_VOICES.flatMap((voice, v) => voiceSentences.filter((_, i) => i % HELDOUT_VOICES.length === v).slice(0, perVoice).map((s) => ({ voice, s })));
const rec = await OfflineRecognizer.create({ mode: { kind: 'dictation' } });
const heard = { tagger: new PunctuationScorer(), rules: new PunctuationScorer() };
const examples: { voice: string; reference: string; recognized: string; tagged: string }[] = [];
const speakRng = createRng(77);
let refWords = 0, wordErrors = 0;
for (const { voice, s } of picks) {
  const r = await rec.recognizePcm(await speakInRoom(s.words.join(' '), voice, speakRng));
  const hyp = r.words.map((w) => w.word);
  const paired = alignHypothesis(s.words, hyp);
  const reference = paired.map((i): WordMark => (i >= 0 ? s.marks[i] : PLAIN_MARK));
  const marks = await tagger.tag(hyp);
  heard.tagger.add(marks, reference);
  heard.rules.add(ruleMarks(hyp), reference);
  refWords += s.words.length;
  wordErrors += s.words.length - paired.filter((i, j) => i >= 0 && s.words[i] === hyp[j]).length + paired.filter((i) => i < 0).length;
  examples.push({ voice, reference: markedText(s.words, s.marks), recognized: hyp.join(' '), tagged: hyp.length ? markedText(hyp, marks) : '' });
}
await rec.dispose();
const voiceReference = await compare(picks.map((p) => p.s));
const heldOutVoices = {
  voices: HELDOUT_VOICES, clips: picks.length, approxWordErrorRate: Math.round((wordErrors / refWords) * 1000) / 1000,
  recognized: { tagger: heard.tagger.scores(), rules: heard.rules.scores() },
  referenceWords: voiceReference,
  examples: examples.slice(0, 8),
};

const round = (x: unknown): unknown => (typeof x === 'number' ? Math.round(x * 10000) / 10000 : Array.isArray(x) ? x.map(round) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, round(v)])) : x);
const result = round({
  date: new Date().toISOString(),
  tagger: tagger.metadata.name, taggerVersion: tagger.metadata.version, architecture: tagger.metadata.architecture, vocabulary: tagger.metadata.vocabulary.length,
  heldOutText: { source: 'Brown corpus, 50 files never used in training (every 10th from the 10th)', segments: heldOutSegments, sentences: heldOutSentences },
  heldOutVoices, latency, memory,
});
await tagger.release();
const summary = (c: Compared) => `period ${c.tagger.punctuation['.'].f1.toFixed(3)} vs ${c.rules.punctuation['.'].f1.toFixed(3)}, comma ${c.tagger.punctuation[','].f1.toFixed(3)} vs ${c.rules.punctuation[','].f1.toFixed(3)}, question ${c.tagger.punctuation['?'].f1.toFixed(3)} vs ${c.rules.punctuation['?'].f1.toFixed(3)}, case ${c.tagger.caseAccuracy.toFixed(4)} vs ${c.rules.caseAccuracy.toFixed(4)}`;
console.log(`held-out segments (${heldOutSegments.utterances}): ${summary(heldOutSegments)}`);
console.log(`held-out sentences (${heldOutSentences.utterances}): ${summary(heldOutSentences)}`);
console.log(`held-out voices (${picks.length} clips, WER ~${heldOutVoices.approxWordErrorRate}): ${summary({ ...heldOutVoices.recognized, utterances: picks.length })}`);
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'punctuation.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log('wrote bench/results/punctuation.json');
