/**
 * A dictation transcript with word times, written as a document (./spoken-editing.ts: spoken
 * editing, and inverse text normalization unless turned off), each token carrying the times of the
 * words it came from. What the CLI's `hark transcribe` output, the app's file exports and the
 * subtitle cues are built from (docs/DICTATION-FORMATTING.md).
 *
 * Input: the recognized words of a file or session in time order, cut into utterances (finals, or
 * the pause-separated segments of a long file). Word times are never changed: a token's start is
 * its first source word's start, its end its last source word's end.
 */
import { addFinal, dictationDocument, emptyDictation, type DictationOptions, type DictationState, type DictationTokenKind } from './spoken-editing.ts';
import type { WordMark } from './word-marks.ts';

/** A recognized word with its times in seconds (WordWire and the engine's WordResult fit). */
export interface TimedWord {
  word: string;
  start: number;
  end: number;
}

/** One token of the written document, with times from its source words. */
export interface TimedDictationToken {
  text: string;
  kind: DictationTokenKind;
  /**
   * Seconds: its first source word's start and its last source word's end; predicted punctuation
   * (no source words) sits at the end of the word before it (start = end).
   */
  start: number;
  end: number;
  /** Its source words in the flat word list (all utterances' words in order): words[0] <= i < words[1]. */
  words: [number, number];
}

/** The written document: its text and tokens. */
export interface TimedDictation {
  text: string;
  tokens: TimedDictationToken[];
}

/**
 * Cuts a flat word list into utterances of `sizes` words each, in order (sizes must sum to
 * words.length; a size may be 0: an utterance without words). Without sizes, the whole list is one
 * utterance.
 */
export function splitUtterances<W>(words: readonly W[], sizes?: readonly number[]): W[][] {
  if (!sizes) return [words.slice()];
  const total = sizes.reduce((a, n) => a + n, 0);
  if (sizes.some((n) => !Number.isInteger(n) || n < 0) || total !== words.length) {
    throw new Error(`utterance sizes (${sizes.join(', ')}) do not add up to the ${words.length} words`);
  }
  const out: W[][] = [];
  let at = 0;
  for (const n of sizes) {
    out.push(words.slice(at, at + n));
    at += n;
  }
  return out;
}

/**
 * Utterance sizes for words whose utterances are not known (a file recognized in one pass or in
 * long segments): within each of `sizes` (absent: all the words), a pause of at least `pauseSec`
 * between one word's end and the next word's start ends an utterance, as the live endpoint's
 * silence rule ends one. Sizes of 0 stay 0.
 */
export function pauseUtteranceSizes(words: readonly TimedWord[], pauseSec: number, sizes: readonly number[] = [words.length]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const n of sizes) {
    let run = 0;
    for (let i = at; i < at + n; i++) {
      if (run > 0 && words[i].start - words[i - 1].end >= pauseSec) {
        out.push(run);
        run = 0;
      }
      run++;
    }
    out.push(run);
    at += n;
  }
  return out;
}

/** The document of a DictationState whose finals were `utterances`, with times from their words. */
export function timedDocument(state: DictationState, utterances: readonly (readonly TimedWord[])[]): TimedDictation {
  const offsets: number[] = [];
  let at = 0;
  for (const u of utterances) {
    offsets.push(at);
    at += u.length;
  }
  const doc = dictationDocument(state);
  const tokens = doc.tokens.map((t): TimedDictationToken => {
    const words = utterances[t.utterance];
    const end = words[t.end - 1].end;
    return {
      text: t.text, kind: t.kind,
      start: t.start === t.end ? end : words[t.start].start, end,
      words: [offsets[t.utterance] + t.start, offsets[t.utterance] + t.end],
    };
  });
  return { text: doc.text, tokens };
}

/**
 * The written document of utterances of timed words (each utterance one final: spoken commands are
 * recognized per utterance, numbers never span two); `marks[i]`: the tagger's marks for utterance i.
 */
export function formatTimedDictation(
  utterances: readonly (readonly TimedWord[])[], options: DictationOptions = {}, marks?: readonly (readonly WordMark[] | undefined)[],
): TimedDictation {
  const state = utterances.reduce<DictationState>((s, u, i) => addFinal(s, u.map((w) => w.word), options, marks?.[i]), emptyDictation());
  return timedDocument(state, utterances);
}
