/**
 * What the user can teach Hark: a word or phrase ("open zorblat"), or a non-speech
 * sound written as its token `<sound:NAME>`. One spelling for the recordings store, the IPC
 * contract, the retraining job and the Retrain screen: lower case, single spaces, words of
 * a-z / 0-9 / ' / -, at most MAX_ITEM_CHARS characters; a sound token with a valid name
 * (src-shared/units/sound-units.ts). Plain data, no Node.
 */
import { parseSoundPhrase, soundNameOf } from '../units/sound-units.ts';

/** Longest word or phrase the retraining job accepts. */
export const MAX_ITEM_CHARS = 100;

/** The item in its one spelling; throws an Error that says what is wrong with `text`. */
export function normalizeRetrainItem(text: string): string {
  if (typeof text !== 'string') throw new Error('an item must be text');
  const t = text.trim().replace(/\s+/g, ' ');
  if (!t) throw new Error('an item must not be empty');
  if (t.startsWith('<')) {
    let sound: string | null;
    try {
      sound = parseSoundPhrase(t);
    } catch (e) {
      throw new Error(`"${t}" is not a sound token: ${(e as Error).message}`);
    }
    if (!sound) throw new Error(`"${t}" is not a sound token (write it as <sound:NAME>)`);
    return sound;
  }
  const lower = t.toLowerCase();
  if (lower.length > MAX_ITEM_CHARS) throw new Error(`"${t.slice(0, 40)}…" is longer than ${MAX_ITEM_CHARS} characters`);
  if (!/^[a-z0-9' -]+$/.test(lower) || !/[a-z0-9]/.test(lower)) {
    throw new Error(`"${t}" is not a word or phrase to teach: use letters a-z, digits, apostrophes and hyphens`);
  }
  return lower;
}

/** The sound's NAME when `item` (normalized) is a sound token, else null. */
export function soundNameOfItem(item: string): string | null {
  return soundNameOf(item);
}

/** How the app shows an item: "sound: clap" for `<sound:clap>`, the text otherwise. */
export function itemLabel(item: string): string {
  const name = soundNameOf(item.trim());
  return name === null ? item : `sound: ${name}`;
}
