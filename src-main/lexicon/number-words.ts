/**
 * English number names for text normalization: cardinals, ordinals, years and digit strings.
 * Output is a list of lower-case words, e.g. 42 -> ["forty", "two"].
 */

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine',
  'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion'];

/** Irregular ordinal forms of the last word of a cardinal ("one" -> "first"). */
const ORDINAL_IRREGULAR: Record<string, string> = {
  one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth',
};

function below1000(n: number): string[] {
  const out: string[] = [];
  const h = Math.floor(n / 100);
  const r = n % 100;
  if (h > 0) out.push(ONES[h], 'hundred');
  if (r >= 20) {
    out.push(TENS[Math.floor(r / 10)]);
    if (r % 10) out.push(ONES[r % 10]);
  } else if (r > 0 || h === 0) {
    out.push(ONES[r]);
  }
  return out;
}

/** Cardinal words of a non-negative integer below 10^15 ("1204" -> one thousand two hundred four). */
export function cardinalWords(n: number): string[] {
  if (!Number.isInteger(n) || n < 0 || n >= 1e15) throw new Error(`cardinalWords: unsupported number ${n}`);
  if (n === 0) return ['zero'];
  const groups: number[] = [];
  for (let m = n; m > 0; m = Math.floor(m / 1000)) groups.push(m % 1000);
  const out: string[] = [];
  for (let g = groups.length - 1; g >= 0; g--) {
    if (groups[g] === 0) continue;
    out.push(...below1000(groups[g]));
    if (SCALES[g]) out.push(SCALES[g]);
  }
  return out;
}

/** Ordinal words: 2 -> ["second"], 21 -> ["twenty", "first"], 100 -> ["one", "hundredth"]. */
export function ordinalWords(n: number): string[] {
  const words = cardinalWords(n);
  const last = words[words.length - 1];
  let ord: string;
  if (ORDINAL_IRREGULAR[last]) ord = ORDINAL_IRREGULAR[last];
  else if (last.endsWith('y')) ord = `${last.slice(0, -1)}ieth`;
  else ord = `${last}th`;
  words[words.length - 1] = ord;
  return words;
}

/**
 * Year reading for 1100..1999 and 2010..2099 read in pairs ("1999" -> nineteen ninety nine,
 * "1905" -> nineteen oh five, "1900" -> nineteen hundred); other years as cardinals.
 */
export function yearWords(n: number): string[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`yearWords: unsupported year ${n}`);
  const hi = Math.floor(n / 100);
  const lo = n % 100;
  const pairs = (n >= 1100 && n <= 1999) || (n >= 2010 && n <= 2099);
  if (!pairs) return cardinalWords(n);
  if (lo === 0) return [...cardinalWords(hi), 'hundred'];
  if (lo < 10) return [...cardinalWords(hi), 'oh', ONES[lo]];
  return [...cardinalWords(hi), ...cardinalWords(lo)];
}

/** Each digit read on its own: "007" -> zero zero seven. */
export function digitWords(digits: string): string[] {
  if (!/^[0-9]+$/.test(digits)) throw new Error(`digitWords: not a digit string "${digits}"`);
  return [...digits].map((d) => ONES[Number(d)]);
}

/**
 * Words of a number token as written in text: integers (commas allowed as thousands separators),
 * decimals ("3.5" -> three point five), ordinals ("2nd"), and four-digit years (1100..2099 read as years).
 * Returns null when the token is not a number.
 */
export function numberTokenWords(token: string): string[] | null {
  const ord = /^([0-9]+)(st|nd|rd|th)$/.exec(token);
  if (ord) return ordinalWords(Number(ord[1]));
  if (/^[0-9]{1,3}(,[0-9]{3})+$/.test(token)) return cardinalWords(Number(token.replace(/,/g, '')));
  const dec = /^([0-9]*)\.([0-9]+)$/.exec(token);
  if (dec) return [...(dec[1] ? integerWords(dec[1]) : []), 'point', ...digitWords(dec[2])];
  if (/^[0-9]+$/.test(token)) return integerWords(token);
  return null;
}

function integerWords(digits: string): string[] {
  if (digits.length > 1 && digits.startsWith('0')) return digitWords(digits);
  if (digits.length > 15) return digitWords(digits);
  const n = Number(digits);
  if (digits.length === 4 && n >= 1100 && n <= 2099) return yearWords(n);
  return cardinalWords(n);
}
