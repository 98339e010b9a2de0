import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDecoders } from '../../src-main/engine/recognition-decoders.ts';
import { UNITS } from '../../src-shared/units/phonemes.ts';

// Each mode loads only what it uses: with an LM path that does not exist, word lists and phrases
// still build (they never read the dictation LM), and dictation fails naming the file.
describe('what each recognition mode loads', () => {
  const missing = join(mkdtempSync(join(tmpdir(), 'hark-modes-')), 'no-such-lm.hlm');
  const silence = (T: number): Float32Array => {
    const lp = new Float32Array(T * UNITS.length).fill(Math.log(1e-6));
    for (let t = 0; t < T; t++) lp[t * UNITS.length] = 0;
    return lp;
  };

  it('--words and --phrases do not read the dictation LM', () => {
    const words = buildDecoders({ mode: { kind: 'words', items: ['one', 'two'] }, lmPath: missing }, 0.03);
    expect(words.decode(silence(10), 10, UNITS.length).text).toBe('');
    const phrases = buildDecoders({ mode: { kind: 'phrases', items: ['open the door'] }, lmPath: missing }, 0.03);
    expect(phrases.decode(silence(10), 10, UNITS.length).text).toBe('');
  });

  it('dictation reads it', () => {
    expect(() => buildDecoders({ mode: { kind: 'dictation' }, lmPath: missing }, 0.03)).toThrow(/cannot read language model .*no-such-lm\.hlm/);
  });
});
