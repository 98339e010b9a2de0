import { describe, expect, it } from 'vitest';
import { fortuneSentences, proseSentences, wordnetGlossSentences } from '../../src-main/decode/lm-text.ts';

const joined = (s: string[][]) => s.map((w) => w.join(' '));

describe('LM text readers', () => {
  it('splits prose at sentence marks before a capital, at semicolons and at blank lines, and drops stage directions', () => {
    const text = 'Thank you. (Applause.) Thank you! Madam Speaker—(applause)—no President has said it; it is time.\n\n'
      + 'In 1918 we met "the test." Are we ready? yes we are.\nThe end';
    expect(joined(proseSentences(text))).toEqual([
      'thank you',
      'thank you',
      'madam speaker no president has said it',
      'it is time',
      'in nineteen eighteen we met the test',
      'are we ready yes we are',
      'the end',
    ]);
  });

  it('reads WordNet glosses: definitions and quoted examples, license lines skipped', () => {
    const data = '  1 This software and database is being provided to you, the LICENSEE\n'
      + '00001740 03 n 01 entity 0 003 ~ 00001930 n 0000 | that which is perceived or known; "the entity was there"; "an example" - Shakespeare\n'
      + '00002000 03 n 01 thing 0 000 no gloss here\n';
    expect(joined(wordnetGlossSentences(data))).toEqual(['that which is perceived or known', 'the entity was there', 'an example']);
  });

  it('reads fortunes without attributions and skips entries that are mostly not letters', () => {
    const file = 'A dream will always triumph over reality,\nonce it is given the chance.\n\t\t-- Stanislaw Lem\n%\n'
      + '#include <stdio.h>\nint main() { return 0; } /* 1 2 3 */\n%\n'
      + 'Call me at 5.\nNow.\n%\n';
    expect(joined(fortuneSentences(file))).toEqual([
      'a dream will always triumph over reality once it is given the chance',
      'call me at five',
      'now',
    ]);
  });

  it('drops a piece whose number cannot be spelled out instead of failing', () => {
    expect(joined(proseSentences('There are 602,250,000,000,000,000,000,000 atoms in it. Then he rested.'))).toEqual(['then he rested']);
  });
});
