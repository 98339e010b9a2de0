/**
 * Spoken forms of numbers, digit strings, times and dates, as lower-case words
 * ("two thousand and six", "half past three"), for the synthetic training text.
 */
import type { Rng } from './rng.ts';

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const ORDINAL_ONES = ['zeroth', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth',
  'ninth', 'tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth',
  'seventeenth', 'eighteenth', 'nineteenth'];
const ORDINAL_TENS = ['', '', 'twentieth', 'thirtieth', 'fortieth', 'fiftieth', 'sixtieth', 'seventieth',
  'eightieth', 'ninetieth'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september',
  'october', 'november', 'december'];
const SCALES: [number, string][] = [[1e9, 'billion'], [1e6, 'million'], [1e3, 'thousand']];

function below100(n: number): string {
  if (n < 20) return ONES[n];
  const t = TENS[Math.floor(n / 10)];
  return n % 10 === 0 ? t : `${t} ${ONES[n % 10]}`;
}

function below1000(n: number, useAnd: boolean): string {
  const h = Math.floor(n / 100);
  const rest = n % 100;
  if (h === 0) return below100(rest);
  const head = `${ONES[h]} hundred`;
  if (rest === 0) return head;
  return `${head}${useAnd ? ' and' : ''} ${below100(rest)}`;
}

/**
 * Cardinal number in words, 0 <= n < 1e12. `useAnd` gives the British "one hundred and five",
 * also joining a trailing part below 100 to a thousand: "two thousand and six".
 */
export function spellCardinal(n: number, useAnd = false): string {
  if (!Number.isInteger(n) || n < 0 || n >= 1e12) throw new Error(`spellCardinal: unsupported number ${n}`);
  if (n < 1000) return below1000(n, useAnd);
  const parts: string[] = [];
  let rest = n;
  for (const [value, name] of SCALES) {
    const q = Math.floor(rest / value);
    if (q > 0) parts.push(`${below1000(q, useAnd)} ${name}`);
    rest %= value;
  }
  if (rest > 0) parts.push(rest < 100 && useAnd ? `and ${below100(rest)}` : below1000(rest, useAnd));
  return parts.join(' ');
}

/** Ordinal in words for 1 <= n < 100: "twenty first". */
export function spellOrdinal(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n >= 100) throw new Error(`spellOrdinal: unsupported number ${n}`);
  if (n < 20) return ORDINAL_ONES[n];
  const t = Math.floor(n / 10);
  return n % 10 === 0 ? ORDINAL_TENS[t] : `${TENS[t]} ${ORDINAL_ONES[n % 10]}`;
}

/** A year read the usual way: 1999 "nineteen ninety nine", 2006 "two thousand and six" or "two thousand six", 2024 "twenty twenty four". */
export function spellYear(year: number, rng: Rng): string {
  if (!Number.isInteger(year) || year < 1100 || year > 2099) throw new Error(`spellYear: unsupported year ${year}`);
  const hi = Math.floor(year / 100);
  const lo = year % 100;
  if (year >= 2000 && year < 2010) return spellCardinal(year, rng.chance(0.5));
  if (year >= 2010 && rng.chance(0.3)) return spellCardinal(year, false);
  if (lo === 0) return `${below100(hi)} hundred`;
  return `${below100(hi)} ${lo < 10 ? `oh ${ONES[lo]}` : below100(lo)}`;
}

/** A string of 1..maxDigits random digits read one by one; zero is sometimes "oh". */
export function digitString(rng: Rng, maxDigits = 10): string {
  const n = rng.int(1, maxDigits);
  const ohForZero = rng.chance(0.4);
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = rng.int(0, 9);
    words.push(d === 0 && ohForZero ? 'oh' : ONES[d]);
  }
  return words.join(' ');
}

/** A clock time: "half past three", "quarter to five", "seven fifteen", "ten o'clock", "six oh five p m". */
export function spokenTime(rng: Rng): string {
  const h = rng.int(1, 12);
  const m = rng.pick([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, rng.int(1, 59)]);
  const next = h === 12 ? 1 : h + 1;
  let s: string;
  const style = rng.int(0, 2);
  if (m === 0) s = rng.chance(0.5) ? `${ONES[h]} o'clock` : ONES[h];
  else if (style === 0 && m === 30) s = `half past ${ONES[h]}`;
  else if (style === 0 && m === 15) s = `quarter past ${ONES[h]}`;
  else if (style === 0 && m === 45) s = `quarter to ${ONES[next]}`;
  else if (style === 1 && m <= 30) s = `${below100(m)} ${m === 1 ? 'minute' : 'minutes'} past ${ONES[h]}`;
  else if (style === 1) s = `${below100(60 - m)} ${60 - m === 1 ? 'minute' : 'minutes'} to ${ONES[next]}`;
  else s = `${ONES[h]} ${m < 10 ? `oh ${ONES[m]}` : below100(m)}`;
  if (rng.chance(0.25)) s += rng.pick([' a m', ' p m', ' in the morning', ' in the evening']);
  return s;
}

/** A calendar date: "the third of may", "march twenty first", "june fifth nineteen ninety nine". */
export function spokenDate(rng: Rng): string {
  const month = rng.pick(MONTHS);
  const day = spellOrdinal(rng.int(1, 31));
  const year = rng.chance(0.35) ? ` ${spellYear(rng.int(1900, 2035), rng)}` : '';
  return rng.chance(0.5) ? `the ${day} of ${month}${year}` : `${month} ${day}${year}`;
}

/** A number phrase: a cardinal of random magnitude, sometimes with a unit or a money or percent form. */
export function spokenNumber(rng: Rng): string {
  const magnitude = rng.int(0, 6);
  const n = rng.int(0, 10 ** magnitude * 9);
  const words = spellCardinal(n, rng.chance(0.4));
  switch (rng.int(0, 6)) {
    case 0: return `${words} ${n === 1 ? 'dollar' : 'dollars'}`;
    case 1: return `${words} percent`;
    case 2: return `${spellCardinal(rng.int(0, 99))} point ${digitString(rng, 2)}`;
    case 3: return `${words} ${rng.pick(['items', 'seconds', 'minutes', 'pages', 'times', 'degrees', 'miles'])}`;
    case 4: return `number ${words}`;
    default: return words;
  }
}

/** A date, a time, a year or a number, mixed. */
export function spokenNumeric(rng: Rng): string {
  const kind = rng.int(0, 4);
  if (kind === 0) return spokenTime(rng);
  if (kind === 1) return spokenDate(rng);
  if (kind === 2) return spellYear(rng.int(1100, 2099), rng);
  return spokenNumber(rng);
}
