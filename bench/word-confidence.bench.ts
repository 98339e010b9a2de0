// Word confidences: do they mean what they say? Open dictation of held-out synthesized voices
// (24 sentences) and of the real dev set (its sentences of three words or more), every word marked
// right or wrong by aligning it with the transcript; the reliability diagram (10 bins), expected
// calibration error and ROC area of the raw n-best posterior beside the package's calibrated
// confidence (decoding.words, fitted by `hark calibrate` on other clips). Then music: synthesized
// (seeds no calibration uses) and, with --music DIR, real recordings cut in 10 s pieces: how many
// words each gives, and at what confidence.
// Run: node bin/run-ts.mjs bench/word-confidence.bench.ts [--model DIR] [--set data/real] [--music DIR] [--out NAME]
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeAudioFile } from '../src-main/audio/index.ts';
import { OfflineRecognizer } from '../src-main/engine/offline-recognizer.ts';
import { reliability, rocAuc, type Reliability } from '../src-main/math/calibration-metrics.ts';
import { logisticPredict } from '../src-main/math/logistic-regression.ts';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { resolveModelDir } from '../src-main/model/package-paths.ts';
import { makeMusic } from '../src-main/train/data/augment/music.ts';
import { readRealManifest } from '../src-main/train/data/real/build-real-set.ts';
import { createRng } from '../src-main/train/data/rng.ts';
import { wordSamples, type WordCalibrationClip, type WordSample } from '../src-main/train/word-confidence-calibration.ts';
import { HELDOUT_VOICES, sentenceSet } from './eval-sets.ts';

const { values } = parseArgs({ options: {
  model: { type: 'string' }, set: { type: 'string', default: 'data/real' }, music: { type: 'string' }, out: { type: 'string', default: 'word-confidence' },
} });
const model = await loadModelPackage(resolveModelDir(values.model));
const choices = model.metadata.decoding?.words;
if (!choices) throw new Error(`${model.dir} has no word confidence calibration (decoding.words): run npx hark calibrate --model ${model.dir}`);

interface SetReport { words: number; right: number; raw: { reliability: Reliability; auc: number }; calibrated: { reliability: Reliability; auc: number } }
function report(samples: readonly WordSample[]): SetReport {
  const raw = samples.map((s) => ({ p: s.raw, correct: s.correct }));
  const cal = samples.map((s) => ({ p: logisticPredict(choices!, s.features), correct: s.correct }));
  return {
    words: samples.length, right: samples.filter((s) => s.correct).length,
    raw: { reliability: reliability(raw), auc: rocAuc(raw) }, calibrated: { reliability: reliability(cal), auc: rocAuc(cal) },
  };
}
function draw(name: string, r: SetReport): void {
  console.log(`\n${name}: ${r.words} words, ${(100 * r.right / Math.max(1, r.words)).toFixed(1)}% right`);
  console.log(`  n-best posterior: calibration error ${r.raw.reliability.ece.toFixed(3)}, ROC area ${r.raw.auc.toFixed(3)}; calibrated: ${r.calibrated.reliability.ece.toFixed(3)}, ${r.calibrated.auc.toFixed(3)}`);
  console.log('  bin        raw: words  said  right | calibrated: words  said  right');
  for (let b = 0; b < 10; b++) {
    const x = r.raw.reliability.bins[b], y = r.calibrated.reliability.bins[b];
    const cell = (z: typeof x) => `${String(z.count).padStart(5)} ${z.count ? z.meanPredicted.toFixed(2) : '   -'}  ${z.count ? z.observed.toFixed(2) : '   -'}`;
    console.log(`  ${x.low.toFixed(1)}-${x.high.toFixed(1)}  ${cell(x)}   |          ${cell(y)}  ${'#'.repeat(Math.round(40 * y.count / Math.max(1, r.words)))}`);
  }
}

// Held-out synthesized voices.
const synth: WordCalibrationClip[] = (await sentenceSet(HELDOUT_VOICES, 4)).map((c) => ({ pcm: c.pcm, text: c.expected!, source: 'synthesized' }));
const synthReport = report(await wordSamples(model, synth));
draw('held-out synthesized voices', synthReport);

// Real dev set.
const dev = (await readRealManifest(values.set)).filter((r) => r.split === 'dev' && r.text.split(' ').length >= 3);
const devClips: WordCalibrationClip[] = [];
for (const r of dev) devClips.push({ pcm: (await decodeAudioFile(join(values.set, r.file))).samples, text: r.text, source: 'real' });
const devReport = devClips.length ? report(await wordSamples(model, devClips)) : null;
if (devReport) draw(`real dev set (${devClips.length} clips)`, devReport);

// Music: what the recognizer as shipped gives (file mode, dictation).
const rec = await OfflineRecognizer.create({ model, mode: { kind: 'dictation' } });
async function musicReport(pieces: Float32Array[]) {
  let words = 0, withWords = 0, maxConfidence = 0;
  const examples: string[] = [];
  for (const pcm of pieces) {
    const r = await rec.recognizePcm(pcm);
    words += r.words.length;
    if (r.words.length) { withWords++; if (examples.length < 8) examples.push(r.words.map((w) => `${w.word} ${w.confidence.toFixed(2)}`).join(', ')); }
    for (const w of r.words) maxConfidence = Math.max(maxConfidence, w.confidence);
  }
  return { pieces: pieces.length, withWords, words, maxConfidence, examples };
}
const rng = createRng(8080);
const synthMusic = await musicReport(Array.from({ length: 30 }, () => { const g = rng.uniform(0.1, 1.6); return makeMusic(10 * 16000, rng).map((v) => v * g); }));
console.log(`\nsynthesized music, 30 x 10 s: ${synthMusic.withWords} pieces gave ${synthMusic.words} words (highest confidence ${synthMusic.maxConfidence.toFixed(2)})`);
let realMusic: Awaited<ReturnType<typeof musicReport>> & { files: string[] } | null = null;
if (values.music) {
  const files = readdirSync(values.music, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ogg|mp3|flac|wav)$/i.test(f)).sort();
  const pieces: Float32Array[] = [];
  for (const f of files) {
    const pcm = (await decodeAudioFile(join(values.music, f))).samples;
    for (let s = 0; s + 10 * 16000 <= pcm.length && s < 16000 * 300; s += 10 * 16000) pieces.push(pcm.slice(s, s + 10 * 16000));
  }
  realMusic = { files, ...await musicReport(pieces) };
  console.log(`recorded music (${files.length} files), ${pieces.length} x 10 s: ${realMusic.withWords} pieces gave ${realMusic.words} words (highest confidence ${realMusic.maxConfidence.toFixed(2)})`);
}
await rec.dispose();

const here = dirname(fileURLToPath(import.meta.url));
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', `${values.out}.json`), JSON.stringify({
  model: { dir: model.dir, name: model.metadata.name, version: model.metadata.version, words: choices },
  heldOutSynthesized: synthReport, realDev: devReport, music: { synthesized: synthMusic, recorded: realMusic },
}, null, 2) + '\n');
process.exit(0);
