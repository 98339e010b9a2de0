/**
 * Spoken editing over a sequence of finals (src-shared/text/spoken-editing.ts): each command, the
 * literal escape, commands inside longer utterances, undo, consecutive edits, inverse text
 * normalization before editing, and the token-to-word mapping.
 */
import { describe, expect, it } from 'vitest';
import {
  SPOKEN_COMMAND_PHRASES, addFinal, classifyUtterance, dictationDocument, emptyDictation, formatDictation,
  type DictationToken,
} from '../../src-shared/text/spoken-editing.ts';

/** Finals written as utterances separated by " | ", each utterance's words by spaces. */
const finals = (s: string): string[][] => s.split(' | ').map((u) => (u ? u.split(' ') : []));
const doc = (s: string) => formatDictation(finals(s)).text;

/** Each utterance that left tokens is covered in order, each word once, from 0 to its length. */
function expectCoverage(input: readonly (readonly string[])[], tokens: readonly DictationToken[]) {
  const byUtterance = new Map<number, DictationToken[]>();
  for (const t of tokens) byUtterance.set(t.utterance, [...(byUtterance.get(t.utterance) ?? []), t]);
  let lastUtterance = -1;
  for (const t of tokens) {
    expect(t.utterance).toBeGreaterThanOrEqual(lastUtterance);
    lastUtterance = t.utterance;
  }
  for (const [u, ts] of byUtterance) {
    let next = 0;
    for (const t of ts) {
      expect(t.start).toBe(next);
      expect(t.end).toBeGreaterThan(t.start);
      next = t.end;
    }
    expect(next).toBe(input[u].length);
  }
}

describe('spoken editing commands', () => {
  const cases: [string, string, string][] = [
    ['new line', 'hello there | new line | how are you', 'hello there\nhow are you'],
    ['new paragraph', 'first part | new paragraph | second part', 'first part\n\nsecond part'],
    ['period', 'the weather is nice | period | i will read', 'the weather is nice. i will read'],
    ['full stop', 'that is all | full stop', 'that is all.'],
    ['comma', 'well | comma | maybe', 'well, maybe'],
    ['question mark', 'are you there | question mark', 'are you there?'],
    ['exclamation mark', 'watch out | exclamation mark', 'watch out!'],
    ['exclamation point', 'great | exclamation point', 'great!'],
    ['scratch that', 'keep this | drop this | scratch that | and this', 'keep this and this'],
    ['undo that', 'keep this | drop this | undo that', 'keep this'],
    ['all caps one word', 'we work at | all caps nasa', 'we work at NASA'],
    ['all caps several words', 'all caps very important | please read', 'VERY IMPORTANT please read'],
  ];
  for (const [name, input, expected] of cases) {
    it(`${name}: ${JSON.stringify(input)} -> ${JSON.stringify(expected)}`, () => {
      const out = formatDictation(finals(input));
      expect(out.text).toBe(expected);
      expectCoverage(finals(input), out.tokens);
    });
  }

  it('commands are case-insensitive', () => {
    expect(doc('hello | New Line | Scratch That | PERIOD')).toBe('hello.');
  });

  it('punctuation at the start of the document has nothing to attach to and stands alone', () => {
    expect(doc('comma | hello')).toBe(', hello');
  });

  it('a break is written without spaces around it, and text after it starts the line', () => {
    const out = formatDictation(finals('one | new line | new line | two'));
    expect(out.text).toBe('one\n\ntwo');
    expect(out.tokens.map((t) => t.kind)).toEqual(['text', 'break', 'break', 'text']);
  });
});

describe('literal escape', () => {
  const cases: [string, string][] = [
    ['literal period', 'period'],
    ['literal new line', 'new line'],
    ['literal new paragraph', 'new paragraph'],
    ['literal comma', 'comma'],
    ['literal question mark', 'question mark'],
    ['literal exclamation mark', 'exclamation mark'],
    ['literal full stop', 'full stop'],
    ['literal scratch that', 'scratch that'],
    ['literal undo that', 'undo that'],
    ['literal all caps nasa', 'all caps nasa'],
    ['literal literal period', 'literal period'],
  ];
  for (const [input, expected] of cases) {
    it(`"${input}" -> "${expected}"`, () => {
      expect(doc(`the word is | ${input}`)).toBe(`the word is ${expected}`);
    });
  }

  it('"literal" before words that are not a command is plain text', () => {
    expect(doc('a literal translation')).toBe('a literal translation');
    expect(doc('literal translation')).toBe('literal translation');
    expect(doc('literal')).toBe('literal');
  });

  it('a literal escape covers its words, "literal" with the first token', () => {
    const out = formatDictation(finals('literal new line'));
    expect(out.tokens).toEqual([
      { text: 'new', kind: 'text', utterance: 0, start: 0, end: 2 },
      { text: 'line', kind: 'text', utterance: 0, start: 2, end: 3 },
    ]);
  });

  it('a literal escape can be undone like any utterance', () => {
    expect(doc('hello | literal period | scratch that')).toBe('hello');
  });
});

describe('commands inside longer utterances are text', () => {
  const cases: [string, string][] = [
    ['the new line of products', 'the new line of products'],
    ['a long period of time', 'a long period of time'],
    ['put a comma here', 'put a comma here'],
    ['that is a question mark on the page', 'that is a question mark on the page'],
    ['please scratch that off the list', 'please scratch that off the list'],
    ['can you undo that change', 'can you undo that change'],
    ['new paragraph styles', 'new paragraph styles'],
    ['they were all caps', 'they were all caps'],
    ['period piece', 'period piece'],
    ['full stop sign', 'full stop sign'],
  ];
  for (const [input, expected] of cases) {
    it(`"${input}"`, () => {
      const out = formatDictation(finals(input));
      expect(out.text).toBe(expected);
      expect(out.tokens.every((t) => t.kind === 'text')).toBe(true);
    });
  }

  it('"all caps" alone is text: the command needs words after it', () => {
    expect(doc('all caps')).toBe('all caps');
    expect(classifyUtterance(['all', 'caps'])).toEqual({ type: 'text' });
  });
});

describe('scratch that / undo that', () => {
  it('at the start of the document does nothing', () => {
    expect(doc('scratch that | hello')).toBe('hello');
    expect(doc('undo that | scratch that | hello')).toBe('hello');
    expect(formatDictation(finals('scratch that'))).toEqual({ tokens: [], text: '' });
  });

  it('consecutive undos remove earlier utterances one by one', () => {
    expect(doc('one thing | two things | three things | scratch that | scratch that')).toBe('one thing');
    expect(doc('a | b | scratch that | scratch that | scratch that | c')).toBe('c');
  });

  it('removes a command as well as text', () => {
    expect(doc('hello | new line | scratch that | world')).toBe('hello world');
    expect(doc('hello | period | undo that | comma | world')).toBe('hello, world');
    expect(doc('we use | all caps nasa | scratch that | nothing')).toBe('we use nothing');
  });

  it('removes a whole utterance, not a word', () => {
    expect(doc('the quick brown fox | jumps over | scratch that')).toBe('the quick brown fox');
  });

  it('skips empty finals: they are not utterances to undo', () => {
    expect(doc('keep | drop |  | scratch that')).toBe('keep');
  });
});

describe('consecutive edits', () => {
  it('punctuation, breaks and text in a row', () => {
    expect(doc('dear sam | comma | new line | thanks for the book | period | new paragraph | all caps best | regards'))
      .toBe('dear sam,\nthanks for the book.\n\nBEST regards');
  });

  it('several punctuation marks in a row attach to each other', () => {
    expect(doc('really | question mark | exclamation mark')).toBe('really?!');
  });

  it('text after punctuation gets a space, punctuation after a break none', () => {
    expect(doc('one | period | two | new line | period')).toBe('one. two\n.');
  });

  it('edit, undo, edit again', () => {
    expect(doc('first | comma | scratch that | period | second')).toBe('first. second');
  });
});

describe('inverse text normalization, then editing', () => {
  it('numbers in text utterances are written, commands are not touched', () => {
    expect(doc('it costs twenty five dollars | period | new line | call four seven two nine one'))
      .toBe('it costs $25.\ncall 47291');
  });

  it('an expression stays within its utterance', () => {
    expect(doc('twenty | five dollars')).toBe('20 $5');
  });

  it('all caps applies to the written form', () => {
    expect(doc('all caps march third twenty twenty four')).toBe('MARCH 3, 2024');
    expect(doc('all caps seven thirty p m')).toBe('7:30 P.M.');
  });

  it('literal words go through normalization like any text', () => {
    expect(doc('literal all caps twenty one')).toBe('all caps 21');
  });

  it('undo removes a normalized utterance with all its words', () => {
    const out = formatDictation(finals('ten percent | three dollars and fifty cents | scratch that'));
    expect(out.text).toBe('10%');
    expect(out.tokens).toEqual([{ text: '10%', kind: 'text', utterance: 0, start: 0, end: 2 }]);
  });

  it('can be turned off', () => {
    expect(formatDictation(finals('twenty five dollars | period'), { inverseNormalize: false }).text).toBe('twenty five dollars.');
  });

  it('number words that are commands stay commands ("period" after a number)', () => {
    expect(doc('the total is three point five | period')).toBe('the total is 3.5.');
  });
});

describe('token mapping and state', () => {
  const input = 'hello there | comma | all caps nasa called at seven thirty p m | new line | scratch that | literal period |  | thanks';

  it('maps every token to its final and words', () => {
    const out = formatDictation(finals(input));
    expect(out.text).toBe('hello there, NASA CALLED AT 7:30 P.M. period thanks');
    expect(out.tokens).toEqual([
      { text: 'hello', kind: 'text', utterance: 0, start: 0, end: 1 },
      { text: 'there', kind: 'text', utterance: 0, start: 1, end: 2 },
      { text: ',', kind: 'punctuation', utterance: 1, start: 0, end: 1 },
      { text: 'NASA', kind: 'text', utterance: 2, start: 0, end: 3 },
      { text: 'CALLED', kind: 'text', utterance: 2, start: 3, end: 4 },
      { text: 'AT', kind: 'text', utterance: 2, start: 4, end: 5 },
      { text: '7:30 P.M.', kind: 'text', utterance: 2, start: 5, end: 9 },
      { text: 'period', kind: 'text', utterance: 5, start: 0, end: 2 },
      { text: 'thanks', kind: 'text', utterance: 7, start: 0, end: 1 },
    ]);
    expectCoverage(finals(input), out.tokens);
  });

  it('adding finals one at a time gives the same document at every step, and never changes an older state', () => {
    const fs = finals(input);
    let state = emptyDictation();
    fs.forEach((words, k) => {
      const before = dictationDocument(state);
      const next = addFinal(state, words);
      expect(dictationDocument(state)).toEqual(before);
      expect(dictationDocument(next)).toEqual(formatDictation(fs.slice(0, k + 1)));
      state = next;
    });
    expect(state.utterances).toBe(fs.length);
  });

  it('does not change the finals it reads', () => {
    const fs = finals('all caps nasa | twenty five dollars');
    const copy = fs.map((f) => [...f]);
    formatDictation(fs);
    expect(fs).toEqual(copy);
  });

  it('classifies utterances', () => {
    expect(classifyUtterance(['new', 'line'])).toEqual({ type: 'break', text: '\n' });
    expect(classifyUtterance(['full', 'stop'])).toEqual({ type: 'punctuation', text: '.' });
    expect(classifyUtterance(['undo', 'that'])).toEqual({ type: 'undo' });
    expect(classifyUtterance(['all', 'caps', 'x'])).toEqual({ type: 'allCaps' });
    expect(classifyUtterance(['literal', 'comma'])).toEqual({ type: 'literal' });
    expect(classifyUtterance(['hello'])).toEqual({ type: 'text' });
    expect(classifyUtterance([])).toEqual({ type: 'text' });
  });

  it('lists the documented command phrases', () => {
    expect(SPOKEN_COMMAND_PHRASES).toEqual(['new line', 'new paragraph', 'period', 'full stop', 'comma', 'question mark',
      'exclamation mark', 'exclamation point', 'scratch that', 'undo that', 'all caps <words>', 'literal <command>']);
  });
});
