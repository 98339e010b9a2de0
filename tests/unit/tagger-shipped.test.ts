// The shipped punctuation/case tagger (models/tagger-en) on fixed sentences, through the engine
// (onnxruntime) and composed with inverse text normalization and spoken editing; an acoustic model
// handed over as a tagger is refused.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDictation } from '../../src-shared/text/spoken-editing.ts';
import { markedText } from '../../src-shared/text/word-marks.ts';
import { taggerMetadataProblem } from '../../src-shared/model/tagger-metadata.ts';
import { PunctuationTagger } from '../../src-main/engine/punctuation-tagger.ts';
import { ModelMismatchError } from '../../src-main/model/model-package.ts';
import { DEFAULT_MODEL_DIR } from '../../src-main/model/package-paths.ts';

let tagger: PunctuationTagger;
beforeAll(async () => { tagger = await PunctuationTagger.load(); });
afterAll(async () => { await tagger.release(); });

const words = (s: string) => s.split(' ');
const tagged = async (s: string) => markedText(words(s), await tagger.tag(words(s)));

describe('shipped punctuation/case tagger', () => {
  it('carries consistent metadata: vocabulary with its hash, label sets, calibrated offsets', () => {
    expect(taggerMetadataProblem(tagger.metadata)).toBeNull();
    expect(tagger.metadata.vocabulary.length).toBeLessThanOrEqual(10_000);
    expect(tagger.metadata.punctBias).toHaveLength(5);
  });

  it.each([
    ['how are you today', 'How are you today?'],
    ['where did you put the keys', 'Where did you put the keys?'],
    ['my name is john and i live in new york', 'My name is John and I live in New York.'],
    ['i went to paris in june', 'I went to Paris in June.'],
    ['if it rains we will stay at home', 'If it rains, we will stay at home.'],
    ['the president of the united states spoke on monday', 'The president of the United States spoke on Monday.'],
  ])('"%s" -> "%s"', async (spoken, written) => {
    expect(await tagged(spoken)).toBe(written);
  });

  it('composes with numbers and spoken editing: numbers written after tagging, a spoken mark wins', async () => {
    const finals = [words('how are you today'), ['period'], words('i owe you twenty five dollars')];
    const marks = await tagger.tagUtterances(finals);
    expect(marks[1]).toBeUndefined();
    expect(formatDictation(finals, {}, marks).text).toBe('How are you today. I owe you $25.');
  });

  it('refuses an acoustic model handed over as a tagger', async () => {
    const path = join(DEFAULT_MODEL_DIR, 'model.onnx');
    await expect(PunctuationTagger.fromBytes(await readFile(path), path)).rejects.toThrow(ModelMismatchError);
    await expect(PunctuationTagger.fromBytes(await readFile(path), path)).rejects.toThrow(/not a punctuation tagger: the graph has no "hark\.tagger" metadata/);
    await expect(PunctuationTagger.load(DEFAULT_MODEL_DIR)).rejects.toThrow(/tagger\.onnx: cannot read the punctuation tagger/);
  });
});
