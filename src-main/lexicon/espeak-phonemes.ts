/**
 * ARPAbet (stressless) -> espeak-ng's phoneme mnemonics, so a pronunciation can be spoken exactly
 * as written: espeak-ng reads phonemes inside [[ ]] (espeak-ng docs, "phonemes.md"; English
 * mnemonics of the en-us voice). Stress is not part of Hark's pronunciations; the first vowel
 * gets espeak's primary stress mark so the word sounds natural.
 */
const ESPEAK: Record<string, string> = {
  AA: 'A:', AE: 'a', AH: 'V', AO: 'O:', AW: 'aU', AY: 'aI', B: 'b', CH: 'tS', D: 'd', DH: 'D',
  EH: 'E', ER: '3:', EY: 'eI', F: 'f', G: 'g', HH: 'h', IH: 'I', IY: 'i:', JH: 'dZ', K: 'k',
  L: 'l', M: 'm', N: 'n', NG: 'N', OW: 'oU', OY: 'OI', P: 'p', R: 'r', S: 's', SH: 'S',
  T: 't', TH: 'T', UH: 'U', UW: 'u:', V: 'v', W: 'w', Y: 'j', Z: 'z', ZH: 'Z',
};
const VOWELS = new Set(['AA', 'AE', 'AH', 'AO', 'AW', 'AY', 'EH', 'ER', 'EY', 'IH', 'IY', 'OW', 'OY', 'UH', 'UW']);

/** "[[h'EloU]]"-style espeak-ng input for a pronunciation; throws for a symbol it does not know. */
export function espeakPhonemeInput(phones: readonly string[]): string {
  let stressed = false;
  const out = phones.map((p) => {
    const m = ESPEAK[p];
    if (m === undefined) throw new Error(`no espeak-ng phoneme for "${p}"`);
    if (!stressed && VOWELS.has(p)) {
      stressed = true;
      return `'${m}`;
    }
    return m;
  });
  return `[[${out.join('')}]]`;
}
