/**
 * Spoken editing in dictation: a sequence of finals (utterances between pauses, each the
 * recognizer's words) becomes document text. An utterance is a command only when it is exactly one
 * of these phrases (compared case-insensitively, word by word); inside a longer utterance the same
 * words are plain text ("the period of time", "a comma splice"):
 *
 *   new line                              -> a line break "\n"
 *   new paragraph                         -> a paragraph break "\n\n"
 *   period | full stop                    -> "." after the previous text, no space before it
 *   comma                                 -> ","
 *   question mark                         -> "?"
 *   exclamation mark | exclamation point  -> "!"
 *   scratch that | undo that              -> removes the previous utterance's effect (text or
 *                                            command); said again, the one before that, and so on;
 *                                            at the start of the document it does nothing
 *   all caps <words...>                   -> the words after "all caps" (one or more) in UPPER CASE
 *
 * Literal escape: "literal" followed by a command phrase writes the phrase as words ("literal
 * period" -> "period", "literal all caps nasa" -> "all caps nasa", "literal literal comma" ->
 * "literal comma"). "literal" before anything that is not a command is plain text ("literal
 * translation").
 *
 * Within an utterance, inverse text normalization (./inverse-normalize.ts) comes first, then editing:
 * the words of a plain utterance, the words after "all caps" and the words after "literal" go through
 * inverseNormalize (unless options.inverseNormalize is false). Case and automatic punctuation are
 * not decided here (no capital after "period"); the case/punctuation tagger owns those.
 *
 * Every token says which words it came from (utterance index and words[start..end)), so subtitle
 * cues keep the words' times. In each utterance that is not undone, tokens cover its words in order,
 * each word once: a command's token covers the command's words ("new line" -> "\n" over both),
 * "all caps" and "literal" belong to the first token after them. Undo commands and undone
 * utterances leave no tokens. Only for open dictation: phrase-list and word-list results are not
 * passed here.
 *
 * Case and punctuation (issue 15, item 1): addFinal may be given the punctuation/case tagger's marks
 * for the final's words (./word-marks.ts; src-main/engine/punctuation-tagger.ts runs the tagger on
 * the recognizer's words, before inverse text normalization). A written token takes the case of its
 * first source word ('lower' keeps what normalization wrote: "March 3", "7:30 p.m.") and is followed
 * by the punctuation predicted after its last source word, as a 'punctuation' token that covers no
 * words (start === end: predicted, not spoken). Marks of command utterances are ignored. A spoken
 * punctuation command wins over predicted punctuation: "period" after an utterance that ended with a
 * predicted "," or "." replaces it. "all caps" words stay in capitals whatever their marks say.
 */
import { inverseNormalize, type WrittenToken } from './inverse-normalize.ts';
import { applyWordCase, type WordMark } from './word-marks.ts';

/** How a token joins the text before it. */
export type DictationTokenKind =
  /** Words and numbers: a space before it, except at the start of the document or of a line. */
  | 'text'
  /** ".", ",", "?", "!": no space before it. */
  | 'punctuation'
  /** "\n" or "\n\n": no space around it. */
  | 'break';

/** One token of the document and the words it came from: finals[utterance][start..end). */
export interface DictationToken {
  text: string;
  kind: DictationTokenKind;
  utterance: number;
  start: number;
  end: number;
}

/** What one utterance is, read from its words. */
export type SpokenEdit =
  | { type: 'text' }
  | { type: 'break'; text: '\n' | '\n\n' }
  | { type: 'punctuation'; text: '.' | ',' | '?' | '!' }
  | { type: 'undo' }
  | { type: 'allCaps' }
  | { type: 'literal' };

/** How finals are written. */
export interface DictationOptions {
  /** Inverse text normalization of text words (default true). */
  inverseNormalize?: boolean;
}

/**
 * The document so far: one group of tokens per utterance that counts (undo removes the last group),
 * and how many utterances were read. Treat as immutable: addFinal returns a new one.
 */
export interface DictationState {
  readonly groups: readonly (readonly DictationToken[])[];
  readonly utterances: number;
}

/** The document as text and tokens. */
export interface DictationDocument {
  tokens: DictationToken[];
  text: string;
}

/** Command phrases, words joined by single spaces, and what each does. */
const COMMANDS: ReadonlyMap<string, SpokenEdit> = new Map<string, SpokenEdit>([
  ['new line', { type: 'break', text: '\n' }],
  ['new paragraph', { type: 'break', text: '\n\n' }],
  ['period', { type: 'punctuation', text: '.' }],
  ['full stop', { type: 'punctuation', text: '.' }],
  ['comma', { type: 'punctuation', text: ',' }],
  ['question mark', { type: 'punctuation', text: '?' }],
  ['exclamation mark', { type: 'punctuation', text: '!' }],
  ['exclamation point', { type: 'punctuation', text: '!' }],
  ['scratch that', { type: 'undo' }],
  ['undo that', { type: 'undo' }],
]);

/** The word that makes the rest of an utterance literal, and the phrase for upper case. */
export const LITERAL_WORD = 'literal';
const ALL_CAPS = ['all', 'caps'];

/** The command phrases, for help text and for adding them to the recognizer's vocabulary. */
export const SPOKEN_COMMAND_PHRASES: readonly string[] = [...COMMANDS.keys(), `${ALL_CAPS.join(' ')} <words>`, `${LITERAL_WORD} <command>`];

/** What an utterance is: a command, a literal escape, "all caps", or plain text. */
export function classifyUtterance(words: readonly string[]): SpokenEdit {
  const w = words.map((x) => x.toLowerCase());
  const command = COMMANDS.get(w.join(' '));
  if (command) return command;
  if (w.length > ALL_CAPS.length && w[0] === ALL_CAPS[0] && w[1] === ALL_CAPS[1]) return { type: 'allCaps' };
  if (w.length > 1 && w[0] === LITERAL_WORD && classifyUtterance(w.slice(1)).type !== 'text') return { type: 'literal' };
  return { type: 'text' };
}

/** An empty document. */
export function emptyDictation(): DictationState {
  return { groups: [], utterances: 0 };
}

/**
 * Text tokens of words[from..] of utterance u, with the first token widened to cover words[0..from);
 * with `marks`, each in its first word's case and followed by the punctuation after its last word.
 */
function textTokens(words: readonly string[], from: number, u: number, itn: boolean, marks?: readonly WordMark[]): DictationToken[] {
  const rest = words.slice(from);
  const written: WrittenToken[] = itn ? inverseNormalize(rest).tokens : rest.map((text, k) => ({ text, start: k, end: k + 1 }));
  return written.flatMap((t, k): DictationToken[] => {
    const token: DictationToken = { text: t.text, kind: 'text', utterance: u, start: k === 0 ? 0 : t.start + from, end: t.end + from };
    if (!marks) return [token];
    token.text = applyWordCase(t.text, marks[t.start + from].case);
    const punct = marks[t.end + from - 1].punct;
    return punct ? [token, { text: punct, kind: 'punctuation', utterance: u, start: token.end, end: token.end }] : [token];
  });
}

/** Whether a token is predicted punctuation (it covers no words). */
export function isPredictedPunctuation(t: DictationToken): boolean {
  return t.kind === 'punctuation' && t.start === t.end;
}

/** The groups with a predicted punctuation token at the very end of the document removed. */
function withoutTrailingPrediction(groups: readonly (readonly DictationToken[])[]): (readonly DictationToken[])[] {
  const last = groups[groups.length - 1];
  if (!last || last.length === 0 || !isPredictedPunctuation(last[last.length - 1])) return [...groups];
  return [...groups.slice(0, -1), last.slice(0, -1)];
}

/**
 * The document after one more final (its recognized words). An empty final changes nothing and
 * is not counted as an utterance an undo could remove, but it keeps its index: finals are numbered
 * in the order given, empty ones included, so token.utterance indexes the caller's list.
 * `marks`: the tagger's case and punctuation for each of `words` (absent: written as spoken).
 */
export function addFinal(state: DictationState, words: readonly string[], options: DictationOptions = {}, marks?: readonly WordMark[]): DictationState {
  const u = state.utterances;
  const next = (groups: readonly (readonly DictationToken[])[]): DictationState => ({ groups, utterances: u + 1 });
  if (words.length === 0) return next(state.groups);
  if (marks && marks.length !== words.length) throw new Error(`addFinal: ${marks.length} marks for ${words.length} words`);
  const itn = options.inverseNormalize ?? true;
  const edit = classifyUtterance(words);
  switch (edit.type) {
    case 'undo':
      return next(state.groups.slice(0, -1));
    case 'break':
      return next([...state.groups, [{ text: edit.text, kind: edit.type, utterance: u, start: 0, end: words.length }]]);
    case 'punctuation':
      return next([...withoutTrailingPrediction(state.groups), [{ text: edit.text, kind: edit.type, utterance: u, start: 0, end: words.length }]]);
    case 'allCaps':
      return next([...state.groups, textTokens(words, ALL_CAPS.length, u, itn, marks).map((t) => ({ ...t, text: t.text.toUpperCase() }))]);
    case 'literal':
      return next([...state.groups, textTokens(words, 1, u, itn, marks)]);
    case 'text':
      return next([...state.groups, textTokens(words, 0, u, itn, marks)]);
  }
}

/** Joins tokens: a space before text unless at the start or after a break; none before punctuation or around breaks. */
export function joinDictationTokens(tokens: readonly DictationToken[]): string {
  let out = '';
  tokens.forEach((t, k) => {
    const prev = tokens[k - 1];
    if (t.kind === 'text' && prev && prev.kind !== 'break') out += ' ';
    out += t.text;
  });
  return out;
}

/** The document of a state: its tokens in order and their text. */
export function dictationDocument(state: DictationState): DictationDocument {
  const tokens = state.groups.flat();
  return { tokens, text: joinDictationTokens(tokens) };
}

/**
 * The document written from a sequence of finals (each the words of one utterance, in order):
 * commands applied, inverse text normalization inside text utterances. Equal to folding addFinal
 * over the finals from emptyDictation(), so a live transcript can add finals one at a time.
 */
export function formatDictation(
  finals: readonly (readonly string[])[], options: DictationOptions = {}, marks?: readonly (readonly WordMark[] | undefined)[],
): DictationDocument {
  return dictationDocument(finals.reduce<DictationState>((s, words, i) => addFinal(s, words, options, marks?.[i]), emptyDictation()));
}
