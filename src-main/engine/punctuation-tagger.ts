/**
 * Runs the punctuation/case tagger (models/tagger-en/tagger.onnx; src-shared/model/tagger-metadata.ts
 * for its contract) on recognized words: one utterance (a final) per call, its words' marks out
 * (case, punctuation after). Refuses a tagger whose embedded metadata is missing, of another format
 * version or inconsistent (ModelMismatchError naming the file and the problem), or whose graph
 * lacks the contract's inputs and outputs. Word lists only: times never change here.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  TAGGER_CASE_OUTPUT, TAGGER_FEATURES, TAGGER_FEATURES_INPUT, TAGGER_IDS_INPUT, TAGGER_PUNCT_OUTPUT,
  taggerMetadataProblem, type TaggerMetadata,
} from '../../src-shared/model/tagger-metadata.ts';
import { marksFromScores, TaggerVocabulary } from '../../src-shared/model/tagger-input.ts';
import { classifyUtterance } from '../../src-shared/text/spoken-editing.ts';
import { CASE_LABELS, PUNCT_LABELS, type WordMark } from '../../src-shared/text/word-marks.ts';
import { ModelMismatchError } from '../model/model-package.ts';
import { DEFAULT_TAGGER_DIR } from '../model/package-paths.ts';
import { readTaggerMetadata, TAGGER_ONNX_FILE } from '../model/tagger-file.ts';
import { createOrtSession } from './offline-acoustic-session.ts';

export class PunctuationTagger {
  private readonly vocab: TaggerVocabulary;

  private constructor(private readonly session: ort.InferenceSession, readonly metadata: TaggerMetadata, readonly path: string) {
    this.vocab = new TaggerVocabulary(metadata);
  }

  /** Loads `dir`/tagger.onnx (default: the shipped models/tagger-en) and checks it. */
  static async load(dir: string = DEFAULT_TAGGER_DIR): Promise<PunctuationTagger> {
    const path = join(dir, TAGGER_ONNX_FILE);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new ModelMismatchError(path, `cannot read the punctuation tagger: ${(e as Error).message}`);
    }
    return PunctuationTagger.fromBytes(bytes, path);
  }

  /** A tagger from tagger.onnx bytes (`path` names it in errors). */
  static async fromBytes(bytes: Uint8Array, path: string): Promise<PunctuationTagger> {
    let md: unknown;
    try {
      md = readTaggerMetadata(bytes);
    } catch (e) {
      throw new ModelMismatchError(path, `not a punctuation tagger: ${(e as Error).message}`);
    }
    if (md === undefined) throw new ModelMismatchError(path, 'not a punctuation tagger: the graph has no "hark.tagger" metadata');
    const problem = taggerMetadataProblem(md);
    if (problem) throw new ModelMismatchError(path, `punctuation tagger metadata: ${problem}`);
    const session = await createOrtSession(bytes, path, {});
    const wantIn = [TAGGER_IDS_INPUT, TAGGER_FEATURES_INPUT], wantOut = [TAGGER_CASE_OUTPUT, TAGGER_PUNCT_OUTPUT];
    if (!wantIn.every((n) => session.inputNames.includes(n)) || !wantOut.every((n) => session.outputNames.includes(n))) {
      await session.release();
      throw new ModelMismatchError(path, `punctuation tagger graph has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}], expected [${wantIn.join(', ')}] and [${wantOut.join(', ')}]`);
    }
    return new PunctuationTagger(session, md as TaggerMetadata, path);
  }

  /** Log-probabilities per word, row-major [words, labels], of one utterance (lower-case recognizer words). */
  async scores(words: readonly string[]): Promise<{ case: Float32Array; punct: Float32Array }> {
    const n = words.length;
    if (n === 0) return { case: new Float32Array(0), punct: new Float32Array(0) };
    const x = this.vocab.encode(words);
    const out = await this.session.run({
      [TAGGER_IDS_INPUT]: new ort.Tensor('int64', BigInt64Array.from(x.ids, (v) => BigInt(v)), [1, n]),
      [TAGGER_FEATURES_INPUT]: new ort.Tensor('float32', x.features, [1, n, TAGGER_FEATURES.length]),
    });
    const read = (name: string, k: number): Float32Array => {
      const t = out[name];
      if (t.type !== 'float32' || t.dims.join() !== [1, n, k].join()) throw new Error(`tagger output "${name}" is ${t.type} [${t.dims.join(', ')}], expected float32 [1, ${n}, ${k}]`);
      return t.data as Float32Array;
    };
    return { case: read(TAGGER_CASE_OUTPUT, CASE_LABELS.length), punct: read(TAGGER_PUNCT_OUTPUT, PUNCT_LABELS.length) };
  }

  /** Each word's case and the punctuation after it, for one utterance. */
  async tag(words: readonly string[]): Promise<WordMark[]> {
    const s = await this.scores(words);
    return marksFromScores(s.case, s.punct, words.length, this.metadata.punctBias);
  }

  /**
   * Marks for each utterance of a dictation (one entry per utterance, in order): undefined for an
   * empty utterance and for a spoken command ("period", "new line", "scratch that": they are
   * written by spoken editing, src-shared/text/spoken-editing.ts).
   */
  async tagUtterances(utterances: readonly (readonly string[])[]): Promise<(WordMark[] | undefined)[]> {
    const out: (WordMark[] | undefined)[] = [];
    for (const words of utterances) {
      const kind = classifyUtterance(words).type;
      out.push(words.length === 0 || kind === 'break' || kind === 'punctuation' || kind === 'undo' ? undefined : await this.tag(words));
    }
    return out;
  }

  /** Frees the native session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}

let shared: Promise<PunctuationTagger> | undefined;

/**
 * The shipped tagger, loaded once per process on first use (the CLI, the backend's file exports and
 * live finals share it). A failed load is not cached: the next call tries again.
 */
export function sharedPunctuationTagger(): Promise<PunctuationTagger> {
  shared ??= PunctuationTagger.load().catch((e: unknown) => {
    shared = undefined;
    throw e;
  });
  return shared;
}
