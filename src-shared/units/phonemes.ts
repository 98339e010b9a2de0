/**
 * The acoustic model's output units: CTC blank (index 0) followed by the 39 ARPAbet
 * phonemes of CMUdict without stress marks. The order is part of the model contract:
 * it is written into every model's metadata and checked at load time.
 */
export const BLANK = '<b>';

export const PHONEMES = [
  'AA', 'AE', 'AH', 'AO', 'AW', 'AY', 'B', 'CH', 'D', 'DH', 'EH', 'ER', 'EY',
  'F', 'G', 'HH', 'IH', 'IY', 'JH', 'K', 'L', 'M', 'N', 'NG', 'OW', 'OY', 'P',
  'R', 'S', 'SH', 'T', 'TH', 'UH', 'UW', 'V', 'W', 'Y', 'Z', 'ZH',
] as const;

export type Phoneme = (typeof PHONEMES)[number];

/** All units in output order: index 0 is the CTC blank. */
export const UNITS: readonly string[] = [BLANK, ...PHONEMES];

export const BLANK_ID = 0;

const UNIT_INDEX = new Map<string, number>(UNITS.map((u, i) => [u, i]));

/** Strips CMUdict stress digits: "AH0" -> "AH". */
export function stripStress(symbol: string): string {
  return symbol.replace(/[0-2]$/, '');
}

export function isPhoneme(symbol: string): symbol is Phoneme {
  return UNIT_INDEX.has(symbol) && symbol !== BLANK;
}

/** Unit id of a phoneme (stress marks allowed); throws on anything that is not ARPAbet. */
export function phonemeId(symbol: string): number {
  const id = UNIT_INDEX.get(stripStress(symbol.toUpperCase()));
  if (id === undefined || id === BLANK_ID) throw new Error(`not an ARPAbet phoneme: "${symbol}"`);
  return id;
}

export function unitName(id: number): string {
  const u = UNITS[id];
  if (u === undefined) throw new Error(`unit id out of range: ${id}`);
  return u;
}
