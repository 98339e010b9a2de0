/**
 * Training targets: text -> phoneme unit ids through the lexicon (first pronunciation of each
 * word, i.e. CMUdict's most common one; G2P for words it lacks).
 */
import { Lexicon } from '../lexicon/lexicon.ts';
import { phonemeId } from '../../src-shared/units/phonemes.ts';

export function textToUnitIds(text: string, lexicon: Lexicon): number[] {
  const ids: number[] = [];
  for (const word of text.trim().split(/\s+/)) {
    if (word === '') continue;
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
