/**
 * Training targets: text -> unit ids through the lexicon (first pronunciation of each word, i.e.
 * CMUdict's most common one; G2P for words it lacks). A sound token `<sound:NAME>` in the text is
 * the model's sound unit of that name (its id in `units`, the model's units list; a clip of a clap
 * alone has text "<sound:clap>" and labels [that id]); MissingSoundUnitError when `units` lack it.
 */
import { Lexicon } from '../lexicon/lexicon.ts';
import { UNITS, phonemeId } from '../../src-shared/units/phonemes.ts';
import { parseSoundPhrase, unitIdIn } from '../../src-shared/units/sound-units.ts';

export function textToUnitIds(text: string, lexicon: Lexicon, units: readonly string[] = UNITS): number[] {
  const ids: number[] = [];
  for (const word of text.trim().split(/\s+/)) {
    if (word === '') continue;
    const sound = parseSoundPhrase(word);
    if (sound !== null) {
      ids.push(unitIdIn(units, sound));
      continue;
    }
    const pron = lexicon.pronounce(word).pronunciations[0];
    for (const p of pron) ids.push(phonemeId(p));
  }
  return ids;
}

/** CTC needs one frame per label plus one blank between equal neighbours. */
export function minFramesFor(labels: readonly number[]): number {
  let n = labels.length;
  for (let i = 1; i < labels.length; i++) if (labels[i] === labels[i - 1]) n++;
  return n;
}
