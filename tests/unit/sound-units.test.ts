// Sound units (`<sound:NAME>` output units appended after the phonemes): the shared helpers, the
// model metadata check, list and phrase normalization, IPC items, training labels and unit-list growth.
import { describe, expect, it } from 'vitest';
import { UNITS } from '../../src-shared/units/phonemes.ts';
import {
  MissingSoundUnitError, isSoundUnit, parseSoundPhrase, soundNameOf, soundUnit, soundUnitsOf, splitSoundTokens, unitIdIn, unitListProblem,
} from '../../src-shared/units/sound-units.ts';
import { checkMode, checkKeyword } from '../../src-shared/ipc/recognition-contract.ts';
import { checkModelMetadata, ModelMismatchError } from '../../src-main/model/model-package.ts';
import { parseKeywordListText, parseListText, ListFileError } from '../../src-main/engine/list-file.ts';
import { swapIncompatibilities } from '../../src-main/engine/model-swap.ts';
import type { ModelPackage } from '../../src-main/model/model-package.ts';
import { normalizePhrase, normalizeText } from '../../src-main/lexicon/normalize-text.ts';
import { Lexicon } from '../../src-main/lexicon/lexicon.ts';
import { textToUnitIds } from '../../src-main/train/text-labels.ts';
import { expandUnitList, soundClipLabels } from '../../src-main/train/sound-unit-training.ts';
import { engineMetadata } from '../helpers/random-model-package.ts';

const CLAP = UNITS.length;
const WITH_SOUNDS = [...UNITS, '<sound:clap>', '<sound:whistle>'];

describe('sound unit names', () => {
  it('builds, recognizes and takes apart <sound:NAME>', () => {
    expect(soundUnit('clap')).toBe('<sound:clap>');
    expect(soundUnit('double-clap-2')).toBe('<sound:double-clap-2>');
    for (const bad of ['', 'Clap', 'clap!', 'a b', 'x'.repeat(33), '<sound:clap>']) expect(() => soundUnit(bad)).toThrow(/invalid sound name/);
    expect(isSoundUnit('<sound:clap>')).toBe(true);
    for (const not of ['<sound:Clap>', ' <sound:clap>', '<sound:>', 'AA', '<b>', 'sound:clap', 42]) expect(isSoundUnit(not)).toBe(false);
    expect(soundNameOf('<sound:knock>')).toBe('knock');
    expect(soundNameOf('K')).toBeNull();
  });

  it('parses a phrase that is one sound token, forgiving case and space but not a bad name', () => {
    expect(parseSoundPhrase('<sound:clap>')).toBe('<sound:clap>');
    expect(parseSoundPhrase('  <Sound:CLAP>\t')).toBe('<sound:clap>');
    expect(parseSoundPhrase('next slide')).toBeNull();
    expect(parseSoundPhrase('<sound:clap> twice')).toBeNull();
    expect(() => parseSoundPhrase('<sound:cl ap>')).toThrow(/invalid sound name "cl ap"/);
  });

  it('splits text into sounds and words', () => {
    expect(splitSoundTokens('<sound:clap> next <SOUND:whistle>')).toEqual([{ sound: '<sound:clap>' }, { text: ' next ' }, { sound: '<sound:whistle>' }]);
    expect(splitSoundTokens('plain words')).toEqual([{ text: 'plain words' }]);
    expect(() => splitSoundTokens('go <sound:> now')).toThrow(/invalid sound name ""/);
  });

  it('resolves symbols against a model: phonemes keep their ids, sounds by name, a missing sound is a clear error', () => {
    expect(unitIdIn(WITH_SOUNDS, 'K')).toBe(UNITS.indexOf('K'));
    expect(unitIdIn(UNITS, 'AH0')).toBe(UNITS.indexOf('AH'));
    expect(unitIdIn(WITH_SOUNDS, '<sound:clap>')).toBe(CLAP);
    expect(unitIdIn(WITH_SOUNDS, '<sound:whistle>')).toBe(CLAP + 1);
    expect(() => unitIdIn(UNITS, '<sound:clap>')).toThrow(MissingSoundUnitError);
    expect(() => unitIdIn(WITH_SOUNDS, '<sound:snap>')).toThrow('this model has no sound <sound:snap>; retrain with recordings of it');
    expect(() => unitIdIn(WITH_SOUNDS, 'QQ')).toThrow(/not an ARPAbet phoneme/);
    expect(soundUnitsOf(WITH_SOUNDS)).toEqual(['<sound:clap>', '<sound:whistle>']);
    expect(soundUnitsOf(UNITS)).toEqual([]);
  });
});

describe('model metadata with sound units', () => {
  const check = (mutate: (units: string[]) => string[], numUnits?: number) => () => {
    const m = engineMetadata();
    m.units = mutate([...m.units]);
    m.architecture.numUnits = numUnits ?? m.units.length;
    checkModelMetadata(m, '/models/x/model.json');
  };

  it('accepts the phonemes followed by distinct sound units', () => {
    expect(check((u) => u)).not.toThrow();
    expect(check((u) => [...u, '<sound:clap>'])).not.toThrow();
    expect(check((u) => [...u, '<sound:clap>', '<sound:whistle>', '<sound:knock>'])).not.toThrow();
  });

  it('refuses anything else after the phonemes, a repeated sound, or numUnits not counting the sounds', () => {
    expect(check((u) => [...u, 'clap'])).toThrow(ModelMismatchError);
    expect(check((u) => [...u, 'clap'])).toThrow(/units\[40\] is "clap": after the 40 phoneme units a model may only list sound units "<sound:NAME>"/);
    expect(check((u) => [...u, '<sound:Clap>'])).toThrow(/units\[40\] is "<sound:Clap>"/);
    expect(check((u) => [...u, '<sound:clap>', 'AA'])).toThrow(/units\[41\] is "AA"/);
    expect(check((u) => [...u, '<sound:clap>', '<sound:clap>'])).toThrow(/units\[41\] repeats <sound:clap>: each sound unit may appear once/);
    expect(check((u) => [...u, '<sound:clap>'], UNITS.length)).toThrow(/architecture.numUnits is 40 but there are 41 units/);
    // A sound may only follow the whole phoneme inventory, never replace part of it.
    expect(check((u) => ['<sound:clap>', ...u.slice(1)])).toThrow(/phoneme inventory at index 0 \(model "<sound:clap>", expected "<b>"/);
    expect(unitListProblem([...UNITS, '<sound:a>'])).toBeNull();
  });

  it('a running stream cannot hot-swap to a model whose sound units differ', () => {
    const pkg = (units: string[]): ModelPackage => {
      const metadata = engineMetadata();
      metadata.units = units;
      metadata.architecture.numUnits = units.length;
      return { metadata, features: metadata.features, normalization: metadata.normalization, architecture: metadata.architecture } as ModelPackage;
    };
    expect(swapIncompatibilities(pkg([...UNITS, '<sound:clap>']), pkg([...UNITS, '<sound:clap>']))).toEqual([]);
    expect(swapIncompatibilities(pkg([...UNITS, '<sound:clap>']), pkg([...UNITS, '<sound:snap>']))).toEqual(['units[40] is "<sound:snap>" where the stream\'s is "<sound:clap>"']);
    expect(swapIncompatibilities(pkg([...UNITS]), pkg([...UNITS, '<sound:clap>']))[0]).toMatch(/numUnits is 41 where the stream's is 40/);
  });
});

describe('normalizing phrases with sounds', () => {
  it('keeps sound tokens whole and normalizes the words around them', () => {
    expect(normalizePhrase('<sound:clap>')).toEqual(['<sound:clap>']);
    expect(normalizePhrase(' <Sound:Clap>, then Next Slide!')).toEqual(['<sound:clap>', 'then', 'next', 'slide']);
    expect(normalizePhrase('Play 2 songs')).toEqual(normalizeText('Play 2 songs'));
    // normalizeText itself is unchanged: its words are letters only.
    expect(normalizeText('<sound:clap>')).toEqual(['sound', 'clap']);
  });

  it('list files keep sound items, dedupe them like words, and name the line of a bad sound name', () => {
    expect(parseListText('next slide\n<sound:clap>\n<SOUND:clap>  # same\nprevious slide', 'cmds.txt')).toEqual(['next slide', '<sound:clap>', 'previous slide']);
    expect(parseKeywordListText('<sound:whistle> /0.8/\nhello', 'kw.txt')).toEqual([{ text: '<sound:whistle>', sensitivity: 0.8 }, { text: 'hello' }]);
    expect(() => parseListText('ok\n<sound:Bad Name>', 'cmds.txt')).toThrow(ListFileError);
    expect(() => parseListText('ok\n<sound:Bad Name>', 'cmds.txt')).toThrow(/cmds.txt: line 2: invalid sound name/);
  });

  it('IPC mode and keyword validators pass sound items through unchanged', () => {
    expect(checkMode({ kind: 'phrases', items: ['next slide', '<sound:clap>'] }, 'recognition:start', 'mode')).toEqual({ kind: 'phrases', items: ['next slide', '<sound:clap>'] });
    expect(checkKeyword({ text: '<sound:clap>', sensitivity: 0.5 }, 'recognition:start', 'keywords[0]')).toEqual({ text: '<sound:clap>', sensitivity: 0.5 });
  });
});

describe('training labels of sounds', () => {
  it('a sound clip is labelled with its unit id in the model', () => {
    expect(soundClipLabels(WITH_SOUNDS, 'clap')).toEqual([CLAP]);
    expect(soundClipLabels(WITH_SOUNDS, '<sound:whistle>')).toEqual([CLAP + 1]);
    expect(() => soundClipLabels(UNITS, 'clap')).toThrow('this model has no sound <sound:clap>; retrain with recordings of it');
    expect(() => soundClipLabels(WITH_SOUNDS, 'Clap')).toThrow(/invalid sound name/);
  });

  it('textToUnitIds reads sound tokens as the model unit and words through the lexicon', () => {
    const lex = new Lexicon();
    expect(textToUnitIds('<sound:clap>', lex, WITH_SOUNDS)).toEqual([CLAP]);
    const next = textToUnitIds('next', lex);
    expect(textToUnitIds('next <sound:whistle> next', lex, WITH_SOUNDS)).toEqual([...next, CLAP + 1, ...next]);
    expect(() => textToUnitIds('<sound:clap>', lex)).toThrow(MissingSoundUnitError);
  });

  it('expandUnitList appends new sounds and refuses ones the model has or that are not sounds', () => {
    expect(expandUnitList(UNITS, ['<sound:clap>'])).toEqual([...UNITS, '<sound:clap>']);
    expect(expandUnitList([...UNITS, '<sound:clap>'], ['<sound:snap>'])).toEqual([...UNITS, '<sound:clap>', '<sound:snap>']);
    expect(() => expandUnitList([...UNITS, '<sound:clap>'], ['<sound:clap>'])).toThrow(/already has <sound:clap>/);
    expect(() => expandUnitList(UNITS, ['clap'])).toThrow(/"clap" is not a sound unit/);
    expect(() => expandUnitList(UNITS, ['<sound:a>', '<sound:a>'])).toThrow(/listed twice/);
    expect(() => expandUnitList(UNITS, [])).toThrow(/no new units/);
    expect(() => expandUnitList(UNITS.slice(1), ['<sound:a>'])).toThrow(/phoneme inventory at index 0/);
  });
});
