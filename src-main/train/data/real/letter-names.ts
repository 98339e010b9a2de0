/**
 * The text for a spoken letter name that the lexicon pronounces as that name: CMUdict gives
 * single letters their names (b -> B IY, h -> EY CH) except "a", whose first entry is the
 * article AH; "ay" is EY.
 */
export function letterNameText(letter: string): string {
  const l = letter.toLowerCase();
  if (!/^[a-z]$/.test(l)) throw new Error(`letterNameText: "${letter}" is not a letter a-z`);
  return l === 'a' ? 'ay' : l;
}
