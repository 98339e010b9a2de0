/** Dictation's beam: DICTATION_BEAM_SIZE by default (word lists keep 12), --beam overrides both. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decoderSettings } from '../../src-main/cli/recognizer-options.ts';
import { UsageError } from '../../src-main/cli/cli-args.ts';
import { DEFAULT_BEAM_OPTIONS } from '../../src-main/decode/ctc-prefix-beam-search.ts';
import { loadArpa } from '../../src-main/decode/arpa-reader.ts';
import { createDictationDecoder, createWordLoopDecoder, DICTATION_BEAM_SIZE } from '../../src-main/decode/word-decoders.ts';
import { Lexicon } from '../../src-main/lexicon/lexicon.ts';

describe('the dictation beam', () => {
  const lm = loadArpa(resolve('models/lm/brown-3gram.arpa.gz'));
  const lex = new Lexicon();

  it('keeps 48 hypotheses in dictation and 12 in a word list unless told otherwise', () => {
    expect(DICTATION_BEAM_SIZE).toBe(48);
    expect(createDictationDecoder(lm, lex).opts.beamSize).toBe(48);
    expect(createDictationDecoder(lm, lex, { beamSize: 12 }).opts.beamSize).toBe(12);
    expect(createDictationDecoder(lm, lex, { lmWeight: 0.5 }).opts).toMatchObject({ beamSize: 48, lmWeight: 0.5 });
    expect(createWordLoopDecoder(['yes', 'no'], lex).opts.beamSize).toBe(DEFAULT_BEAM_OPTIONS.beamSize);
  });

  it('is set by --beam only when given', () => {
    expect(decoderSettings('transcribe', { vocab: 'none' }).beam.beamSize).toBeUndefined();
    expect(decoderSettings('transcribe', { vocab: 'none', beam: 20 }).beam.beamSize).toBe(20);
    for (const bad of [0, -3, 2.5, Number.NaN]) {
      expect(() => decoderSettings('transcribe', { vocab: 'none', beam: bad })).toThrow(UsageError);
      expect(() => decoderSettings('transcribe', { vocab: 'none', beam: bad })).toThrow(/transcribe: --beam must be a positive integer/);
    }
  });
});
