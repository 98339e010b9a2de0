/**
 * Decoders per recognition mode, built once (lexicon, LM, trie: the dictation LM takes seconds to
 * load) and shared by every stream and file job of one model. Only a handful of modes are in use
 * at a time, so the oldest entry is evicted beyond `capacity`. `units` is the model's output units
 * list (ModelMetadata.units; default the phoneme UNITS): pass it for a model with sound units, or
 * its decoders are built for the wrong posterior width. `decoding` is the model's measured decoding
 * choices (ModelMetadata.decoding: calibrated phrase settings); `lmPath` dictation's language model
 * (default the shipped one, DecoderOptions.lmPath).
 */
import type { DecodingChoices } from '../../src-shared/model/metadata.ts';
import type { UserWord } from '../lexicon/user-vocabulary.ts';
import { buildDecoders, type DecoderSet, type RecognitionMode } from './recognition-decoders.ts';

export class DecoderCache {
  private readonly cache = new Map<string, DecoderSet>();

  constructor(
    private readonly frameSec: number, private readonly capacity = 8, private userWords?: readonly UserWord[], private readonly units?: readonly string[],
    private readonly decoding?: DecodingChoices, private lmPath?: string,
  ) {}

  /** Another dictation LM: dictation decoders built from now on use it (those handed out keep theirs; other modes are kept). */
  setDictationLm(path: string | undefined): void {
    if (path === this.lmPath) return;
    this.lmPath = path;
    this.cache.delete(JSON.stringify({ kind: 'dictation' } satisfies RecognitionMode));
  }

  /** New user words: decoders built from now on use them (the ones already handed out keep theirs). */
  setUserWords(words: readonly UserWord[]): void {
    this.userWords = words;
    this.cache.clear();
  }

  /** The decoders of `mode`, built on first use. */
  get = (mode: RecognitionMode): DecoderSet => {
    const key = JSON.stringify(mode);
    let d = this.cache.get(key);
    if (d) {
      // Most recently used last.
      this.cache.delete(key);
    } else {
      d = buildDecoders({ mode, userWords: this.userWords, units: this.units, decoding: this.decoding, ...(this.lmPath !== undefined ? { lmPath: this.lmPath } : {}) }, this.frameSec);
      if (this.cache.size >= this.capacity) this.cache.delete(this.cache.keys().next().value as string);
    }
    this.cache.set(key, d);
    return d;
  };

  get size(): number {
    return this.cache.size;
  }
}
