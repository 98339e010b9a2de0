// The punctuation/case tagger's pipeline on a tiny model: tfjs training makes the loss fall, the
// ONNX export (Hark's exporter) run by onnxruntime through the engine matches tfjs, and a tagger
// whose metadata is missing, of another format or inconsistent is refused with a clear message.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  TAGGER_FEATURES, TAGGER_FORMAT_VERSION, TAGGER_KIND, vocabularyHash, type TaggerMetadata,
} from '../../src-shared/model/tagger-metadata.ts';
import { TaggerVocabulary } from '../../src-shared/model/tagger-input.ts';
import { CASE_LABELS, PUNCT_LABELS } from '../../src-shared/text/word-marks.ts';
import { ModelMismatchError } from '../../src-main/model/model-package.ts';
import { encodeModelProto } from '../../src-main/model/onnx-proto.ts';
import { buildTaggerModel, encodeTaggerModel } from '../../src-main/model/tagger-graph.ts';
import { PunctuationTagger } from '../../src-main/engine/punctuation-tagger.ts';
import { markedSentence } from '../../src-main/train/data/text-punctuation.ts';
import { initTrainingBackend } from '../../src-main/train/tf-backend.ts';
import { chooseTaggerVocabulary, tfjsTaggerScores, trainTagger, type TaggerTrainResult } from '../../src-main/train/tagger-trainer.ts';

// Brown-style tagged lines (word/tag), as src-main/train/data/text-punctuation.ts reads them.
const LINES = [
  'The/at jury/nn said/vbd it/pps did/dod find/vb that/cs John/np was/bedz right/jj ./.',
  'How/wrb are/ber you/ppss today/nr ?/.',
  'I/ppss think/vb ,/, said/vbd Mary/np ,/, that/cs we/ppss should/md go/vb home/nn ./.',
  'Where/wrb is/bez the/at NASA/np office/nn ?/.',
  'We/ppss went/vbd to/in Atlanta/np and/cc then/rb to/in Boston/np ./.',
  'Stop/vb it/ppo !/.',
];
const sentences = LINES.map(markedSentence);
const vocab = chooseTaggerVocabulary(sentences, 20, 1);
const arch = { cell: 'lstm' as const, layers: 1, hidden: 6, embeddingDim: 5 };

function metadata(over: Partial<TaggerMetadata> = {}): TaggerMetadata {
  return {
    formatVersion: TAGGER_FORMAT_VERSION, kind: TAGGER_KIND, name: 'tiny', version: '0',
    vocabulary: vocab.vocabulary, vocabularyHash: vocabularyHash(vocab.vocabulary),
    caseLabels: [...CASE_LABELS], punctLabels: [...PUNCT_LABELS], features: [...TAGGER_FEATURES],
    unknownPriors: vocab.unknownPriors, architecture: arch, ...over,
  };
}

describe('punctuation/case tagger pipeline (tiny model)', () => {
  let result: TaggerTrainResult;
  beforeAll(async () => {
    await initTrainingBackend({ prefer: 'wasm' });
    result = await trainTagger({ arch, epochs: 40, batchSize: 3, learningRate: 0.03, lrDecay: 1, clipNorm: 5, seed: 3 }, vocab, () => sentences);
  });

  it('reads Brown lines as recognizer words with case and punctuation marks', () => {
    expect(sentences[2].words).toEqual(['i', 'think', 'said', 'mary', 'that', 'we', 'should', 'go', 'home']);
    expect(sentences[2].marks.map((m) => m.case)).toEqual(['capitalized', 'lower', 'lower', 'capitalized', 'lower', 'lower', 'lower', 'lower', 'lower']);
    expect(sentences[2].marks.map((m) => m.punct)).toEqual(['', ',', '', ',', '', '', '', '', '.']);
    expect(sentences[3].marks[3].case).toBe('upper');
  });

  it('training lowers the loss', () => {
    const first = result.losses.slice(0, 2).reduce((a, b) => a + b) / 2;
    const last = result.losses.slice(-2).reduce((a, b) => a + b) / 2;
    expect(last).toBeLessThan(first * 0.5);
  });

  it('the ONNX export run by onnxruntime matches tfjs within 1e-4', async () => {
    const tagger = await PunctuationTagger.fromBytes(encodeTaggerModel(result.model.getWeights(), metadata()), 'tiny.onnx');
    const encoder = new TaggerVocabulary(vocab);
    try {
      for (const words of [['how', 'are', 'you', 'today'], ['zebra', 'boston', 'went'], ['stop']]) {
        const want = tfjsTaggerScores(result.model, encoder, words);
        const got = await tagger.scores(words);
        for (const k of ['case', 'punct'] as const) {
          expect(got[k].length).toBe(want[k].length);
          for (let i = 0; i < want[k].length; i++) expect(Math.abs(got[k][i] - want[k][i])).toBeLessThan(1e-4);
        }
      }
    } finally {
      await tagger.release();
    }
  });

  it('refuses a tagger with missing, other-format or inconsistent metadata', async () => {
    const w = result.model.getWeights();
    const refused = async (bytes: Uint8Array) => PunctuationTagger.fromBytes(bytes, 'bad.onnx').then(() => '', (e: Error) => {
      expect(e).toBeInstanceOf(ModelMismatchError);
      return e.message;
    });
    const proto = buildTaggerModel(w, metadata());
    expect(await refused(encodeModelProto({ ...proto, metadataProps: [] }))).toMatch(/bad\.onnx.*no "hark\.tagger" metadata/);
    const withMetadata = (md: unknown) => encodeModelProto({ ...proto, metadataProps: [{ key: 'hark.tagger', value: JSON.stringify(md) }] });
    expect(await refused(withMetadata({ ...metadata(), formatVersion: TAGGER_FORMAT_VERSION + 1 }))).toMatch(/formatVersion is 2, this Hark reads 1/);
    expect(await refused(withMetadata({ ...metadata(), vocabulary: [...vocab.vocabulary.slice(0, -1), 'other'] }))).toMatch(/vocabularyHash .* does not match the vocabulary/);
    expect(await refused(withMetadata({ ...metadata(), punctLabels: ['', '.', ','] }))).toMatch(/punctLabels .* differ/);
    expect(() => encodeTaggerModel(w, metadata({ architecture: { ...arch, hidden: 7 } }))).toThrow(/architecture\.hidden: 7, but the weights have 6/);
  });
});
