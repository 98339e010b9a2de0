/**
 * Reading spoken English number words back into values: the inverse of the words that
 * src-main/lexicon/number-words.ts speaks (cardinals without "and", ordinals, years read in pairs,
 * digits one by one). Plain data, no Node: src-shared cannot import src-main, so the word tables
 * live here too; tests/unit/text-inverse-normalize.test.ts checks both homes agree by round trips
 * over number-words.ts.
 *
 * Words are compared as given: callers pass lower-case words (the dictation decoder's output).
 */

/** zero..nine: the words a digit string is read with ("oh" is handled by the callers, in context). */
export const DIGIT_WORDS: Readonly<Record<string, number>> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
};
const TEEN_WORDS: Readonly<Record<string, number>> = {
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
};
const TENS_WORDS: Readonly<Record<string, number>> = {
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
/** Scale words above "hundred", as number-words.ts uses them (short scale). */
export const SCALE_WORDS: Readonly<Record<string, number>> = {
  thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12,
};

/** Irregular ordinals of a cardinal's last word; the rest add "th" (y -> "ieth"), as number-words.ts does. */
const ORDINAL_IRREGULAR: Readonly<Record<string, string>> = {
  one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth',
};

function ordinalOf(cardinal: string): string {
  if (ORDINAL_IRREGULAR[cardinal]) return ORDINAL_IRREGULAR[cardinal];
  return cardinal.endsWith('y') ? `${cardinal.slice(0, -1)}ieth` : `${cardinal}th`;
}

const CARDINAL_WORDS = [
  ...Object.keys(DIGIT_WORDS).filter((w) => w !== 'zero'), ...Object.keys(TEEN_WORDS), ...Object.keys(TENS_WORDS),
  'hundred', ...Object.keys(SCALE_WORDS),
];

/** Ordinal word -> the cardinal word it replaces ("first" -> "one", "twentieth" -> "twenty"). */
const ORDINAL_TO_CARDINAL: ReadonlyMap<string, string> = new Map(CARDINAL_WORDS.map((w) => [ordinalOf(w), w]));

/** Plural decade words ("eighties" -> 80) and "hundreds" -> 0, for "nineteen eighties" -> 1980s. */
export const DECADE_WORDS: Readonly<Record<string, number>> = Object.fromEntries([
  ...Object.entries(TENS_WORDS).map(([w, v]) => [`${w.slice(0, -1)}ies`, v]),
  ['hundreds', 0],
]);

/** A value and the index just past the words it was read from. */
export interface ParsedNumber {
  value: number;
  end: number;
}

/** Whether the word is a cardinal number word (zero..nine, teens, tens, hundred, scales). */
export function isCardinalWord(w: string | undefined): boolean {
  return w !== undefined && (w in DIGIT_WORDS || w in TEEN_WORDS || w in TENS_WORDS || w === 'hundred' || w in SCALE_WORDS);
}

/** Whether the word is an ordinal number word ("first", "twelfth", "hundredth", ...). */
export function isOrdinalWord(w: string | undefined): boolean {
  return w !== undefined && ORDINAL_TO_CARDINAL.has(w);
}

/** Value of a single digit word zero..nine, or -1. */
export function digitValue(w: string | undefined): number {
  return w !== undefined && w in DIGIT_WORDS ? DIGIT_WORDS[w] : -1;
}

/** 1..99 from one word ("seven", "fifteen", "forty") or two ("forty two"), starting at i. */
export function parseBelow100(words: readonly string[], i: number): ParsedNumber | null {
  const w = words[i];
  if (w === undefined) return null;
  if (w in TENS_WORDS) {
    const unit = digitValue(words[i + 1]);
    return unit >= 1 ? { value: TENS_WORDS[w] + unit, end: i + 2 } : { value: TENS_WORDS[w], end: i + 1 };
  }
  if (w in TEEN_WORDS) return { value: TEEN_WORDS[w], end: i + 1 };
  const d = digitValue(w);
  return d >= 1 ? { value: d, end: i + 1 } : null;
}

interface Group extends ParsedNumber {
  /** The group is "N hundred" with N of 10..99 ("twelve hundred"): only a whole number on its own. */
  wideHundreds: boolean;
}

/** 1..999, or 1000..9999 said as "twelve hundred [and] thirty four". */
function parseGroup(words: readonly string[], i: number): Group | null {
  const head = parseBelow100(words, i);
  if (!head) return null;
  if (words[head.end] !== 'hundred') return { ...head, wideHundreds: false };
  let value = head.value * 100;
  let end = head.end + 1;
  const afterAnd = words[end] === 'and' ? end + 1 : end;
  const rest = parseBelow100(words, afterAnd);
  if (rest) {
    value += rest.value;
    end = rest.end;
  }
  return { value, end, wideHundreds: head.value >= 10 };
}

/** A cardinal read from words[i..]; `usesA` when it starts with "a" standing for one ("a hundred twenty"). */
export interface ParsedCardinal extends ParsedNumber {
  usesA: boolean;
}

/**
 * The longest well-formed cardinal starting at words[i]: "zero"; groups of 1..999 each followed by
 * a scale word, scales strictly falling ("two million three thousand five"); "and" after "hundred"
 * or a scale before a last group below 100 ("one hundred and one", "two thousand and five");
 * "N hundred" with N of 10..99 only as a whole number ("nineteen hundred"); "a" for one before
 * "hundred" or a scale. Sequences such as "three twenty" stop after the first number (3, end i+1):
 * callers decide what a partial read means. Null when words[i] starts no cardinal.
 */
export function parseCardinal(words: readonly string[], i: number): ParsedCardinal | null {
  if (words[i] === 'zero') return { value: 0, end: i + 1, usesA: false };
  const usesA = words[i] === 'a' && (words[i + 1] === 'hundred' || words[i + 1] in SCALE_WORDS);
  // "a hundred ..." reads as "one hundred ...": parse a copy with "one" in place of "a".
  const ws = usesA ? [...words.slice(0, i), 'one', ...words.slice(i + 1)] : words;
  let total = 0;
  let j = i;
  let lastScale = Infinity;
  for (;;) {
    const group = parseGroup(ws, j);
    if (!group) break;
    if (group.wideHundreds && j !== i) break;
    const scale = SCALE_WORDS[ws[group.end]];
    if (scale !== undefined && scale < lastScale && !group.wideHundreds) {
      total += group.value * scale;
      lastScale = scale;
      j = group.end + 1;
      // "two thousand and five": "and" then a last group below 100.
      if (ws[j] === 'and') {
        const last = parseBelow100(ws, j + 1);
        if (last && ws[last.end] !== 'hundred' && !(ws[last.end] in SCALE_WORDS)) return { value: total + last.value, end: last.end, usesA };
      }
      continue;
    }
    total += group.value;
    j = group.end;
    break;
  }
  return j === i ? null : { value: total, end: j, usesA };
}

/**
 * An ordinal that ends exactly at `end` (exclusive) and starts at i: a cardinal with its last word
 * made ordinal ("one hundred twenty first" -> 121, "twentieth" -> 20, "hundredth" -> 100).
 * Null when words[i..end) is not one.
 */
export function parseOrdinalSpan(words: readonly string[], i: number, end: number): number | null {
  if (end <= i) return null;
  const last = ORDINAL_TO_CARDINAL.get(words[end - 1]);
  if (last === undefined) return null;
  if (end - 1 === i && (last === 'hundred' || last in SCALE_WORDS)) return last === 'hundred' ? 100 : SCALE_WORDS[last];
  const span = [...words.slice(i, end - 1), last];
  const c = parseCardinal(span, 0);
  return c && !c.usesA && c.end === span.length ? c.value : null;
}

/** English ordinal suffix of a non-negative integer: 1 -> "st", 12 -> "th", 22 -> "nd". */
export function ordinalSuffix(n: number): string {
  const r100 = n % 100;
  if (r100 >= 11 && r100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
}

/** Digits of a non-negative integer with commas between groups of three ("25000" -> "25,000"). */
export function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
