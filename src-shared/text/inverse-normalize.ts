/**
 * Inverse text normalization (ITN) of dictation: the recognizer's lower-case words, numbers spoken
 * as words (as src-main/lexicon/number-words.ts speaks them), written as people write them.
 * docs/DICTATION-FORMATTING.md lists the categories, the style rules and what is not supported.
 *
 * Style, in short (AP-like): cardinals of ten and more as digits ("twenty one" -> "21"), zero to
 * nine stay words in running text ("one of them") but become digits inside a larger expression
 * (money, percent, time, date, decimal, a digit run); commas from 10,000 (from 1,000 in money);
 * round millions, billions and trillions as "2 million"; ordinals from 10th as "21st", first..ninth
 * stay words except in dates; runs of three or more single digits as a digit string
 * ("four seven two nine one" -> "47291"); decimals "3.14"; "$25", "$3.50", "€5", "10%", "-5";
 * times "7:30 p.m.", "7 o'clock", "half past seven" -> "7:30"; dates "March 3, 2024", "June 2024";
 * years "1984", decades "the 1980s".
 *
 * Conservative: a run of number words is rewritten only when the whole run reads as one expression;
 * otherwise every word of it stays as spoken ("three twenty one", "a twenty second pause").
 * Ambiguous words need a cue: "may"/"march" as months, 1100..1899 read in pairs as years, a time
 * without a.m./p.m. ("at seven thirty").
 */
import {
  DECADE_WORDS, SCALE_WORDS, digitValue, groupThousands, isCardinalWord, isOrdinalWord, ordinalSuffix,
  parseBelow100, parseCardinal, parseOrdinalSpan,
} from './spoken-numbers.ts';

/**
 * One written token: its text and the source words it came from, words[start..end) (end
 * exclusive). Tokens cover the input in order, each word exactly once, so a caller keeps the words'
 * times and confidences and maps a written token to the times of words[start] .. words[end - 1].
 */
export interface WrittenToken {
  text: string;
  start: number;
  end: number;
}

/** The written form of one word sequence: its tokens, and their texts joined by single spaces. */
export interface InverseNormalized {
  tokens: WrittenToken[];
  text: string;
}

/**
 * Writes a recognized dictation word sequence (one utterance, lower case, numbers as words) the way
 * people write it: numbers, ordinals, digit strings, times, dates, money, percentages, decimals and
 * years. Pure; the input is not changed, and words that are not part of a recognized expression come
 * back as they are (same text, one token each).
 *
 * Apply it to open dictation only. Results of a phrase list or word list (`--phrases`, `--words`,
 * the app's phrase and word modes) must stay exactly the listed items: the caller must not pass
 * them here.
 */
export function inverseNormalize(words: readonly string[]): InverseNormalized {
  const w = words.map((x) => x.toLowerCase());
  const tokens: WrittenToken[] = [];
  let i = 0;
  while (i < w.length) {
    const m = matchAt(w, i);
    if (m) {
      tokens.push({ text: m.text, start: i, end: m.end });
      i = m.end;
      continue;
    }
    // Nothing reads the run of number words starting here as a whole: all of it stays as spoken.
    const end = Math.max(i + 1, numberRunEnd(w, i));
    for (let k = i; k < end; k++) tokens.push({ text: words[k], start: k, end: k + 1 });
    i = end;
  }
  return { tokens, text: tokens.map((t) => t.text).join(' ') };
}

interface Match {
  text: string;
  end: number;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october',
  'november', 'december'];
/** Month names that are also common verbs: a month only with a year or after a cue word. */
const AMBIGUOUS_MONTHS = new Set(['may', 'march']);
const DATE_CUES = new Set(['on', 'of', 'in', 'since', 'until', 'till', 'by', 'from', 'before', 'after', 'during',
  'last', 'next', 'this', 'every', 'through']);
/** Words before a time said without a.m./p.m. ("at seven thirty"). */
const TIME_CUES = new Set(['at', 'by', 'until', 'till', 'around', 'from']);
/** Words before a year read in pairs of 1100..1899 ("in fifteen twenty"). */
const YEAR_CUES = new Set(['in', 'since', 'year', 'from', 'until', 'till', 'by', 'circa', 'of', 'before', 'after', 'during']);
const CURRENCIES: Readonly<Record<string, string>> = { dollar: '$', dollars: '$', euro: '€', euros: '€' };
/** Words after a number that make it a quantity: a year or digit-run reading is not tried before them. */
const UNIT_WORDS = new Set(['percent', 'per', 'dollar', 'dollars', 'euro', 'euros', 'cent', 'cents', 'point']);

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * End (exclusive) of the run of number words starting at i, or i when words[i] starts none. A run
 * is cardinal words, "oh" between a number word and a digit ("nineteen oh five"), "and" after
 * "hundred" or a scale before a number ("one hundred and one"), "a" before "hundred" or a scale,
 * and ends after an ordinal ("twenty first").
 */
function numberRunEnd(w: readonly string[], i: number): number {
  const first = w[i];
  if (isOrdinalWord(first)) return i + 1;
  const startsWithA = first === 'a' && (w[i + 1] === 'hundred' || w[i + 1] in SCALE_WORDS);
  if (!isCardinalWord(first) && !startsWithA) return i;
  let k = i + 1;
  while (k < w.length) {
    const x = w[k];
    const prev = w[k - 1];
    if (isOrdinalWord(x)) return k + 1;
    if (isCardinalWord(x)) k++;
    else if (x === 'oh' && isCardinalWord(prev) && digitValue(w[k + 1]) >= 0) k++;
    else if (x === 'and' && (prev === 'hundred' || prev in SCALE_WORDS) && parseBelow100(w, k + 1)) k++;
    else break;
  }
  return k;
}

function matchAt(w: readonly string[], i: number): Match | null {
  const word = w[i];
  if (MONTHS.includes(word)) return monthDate(w, i);
  if (word === 'the') return dayOfMonthDate(w, i);
  if (word === 'half' || word === 'quarter' || (word === 'a' && w[i + 1] === 'quarter')) return clockPhrase(w, i);
  if (word === 'minus' || word === 'negative') return negative(w, i);
  const runEnd = numberRunEnd(w, i);
  if (runEnd === i) return null;
  return clockTime(w, i, runEnd) ?? decade(w, i, runEnd) ?? quantity(w, i, runEnd, '') ?? standaloneNumber(w, i, runEnd);
}

// ---- numbers on their own -------------------------------------------------------------------------

/** A cardinal written with the style rules: "2 million", "25,000", "1200"; commas from 1000 when `money`. */
function formatCardinal(value: number, money: boolean): string {
  for (const [name, scale] of [['trillion', 1e12], ['billion', 1e9], ['million', 1e6]] as const) {
    if (value >= scale && value % scale === 0 && value / scale < 1000) return `${value / scale} ${name}`;
  }
  return value >= (money ? 1000 : 10000) ? groupThousands(value) : String(value);
}

/** A cardinal that is exactly the run words[i..runEnd). */
function wholeCardinal(w: readonly string[], i: number, runEnd: number) {
  const c = parseCardinal(w, i);
  return c && c.end === runEnd ? c : null;
}

/**
 * A year that is exactly words[i..runEnd): read in pairs ("nineteen eighty four", "twenty twenty
 * four", "nineteen oh five", "nineteen hundred"; 1100..1899 only when `cue`), or a cardinal of
 * 1000..2999 when `cardinalToo` ("two thousand five").
 */
function yearValue(w: readonly string[], i: number, runEnd: number, cue: boolean, cardinalToo: boolean): number | null {
  const head = parseBelow100(w, i);
  if (head && head.end === i + 1 && ((head.value >= 11 && head.value <= 19) || head.value === 20)) {
    let tail: number | null = null;
    if (w[i + 1] === 'hundred' && runEnd === i + 2) tail = 0;
    else if (w[i + 1] === 'oh' && digitValue(w[i + 2]) >= 1 && runEnd === i + 3) tail = digitValue(w[i + 2]);
    else {
      const lo = parseBelow100(w, i + 1);
      if (lo && lo.value >= 10 && lo.end === runEnd) tail = lo.value;
    }
    if (tail !== null && (cue || head.value >= 19)) return head.value * 100 + tail;
  }
  if (cardinalToo) {
    const c = wholeCardinal(w, i, runEnd);
    if (c && !c.usesA && c.value >= 1000 && c.value <= 2999) return c.value;
  }
  return null;
}

/** Digit run: three or more of zero..nine, with "oh" for zero after the first ("four oh two" -> "402"). */
function digitRun(w: readonly string[], i: number, runEnd: number): string | null {
  if (runEnd - i < 3) return null;
  let s = '';
  for (let k = i; k < runEnd; k++) {
    const d = w[k] === 'oh' && k > i ? 0 : digitValue(w[k]);
    if (d < 0) return null;
    s += d;
  }
  return s;
}

function standaloneNumber(w: readonly string[], i: number, runEnd: number): Match | null {
  if (UNIT_WORDS.has(w[runEnd])) return null; // a quantity that did not read: keep the words
  if (w[i - 1] === 'point' && isCardinalWord(w[i - 2])) return null; // the fraction of a decimal that did not read
  const digits = digitRun(w, i, runEnd);
  if (digits) return { text: digits, end: runEnd };
  const year = yearValue(w, i, runEnd, YEAR_CUES.has(w[i - 1]), false);
  if (year !== null) return { text: String(year), end: runEnd };
  if (isOrdinalWord(w[runEnd - 1])) {
    const n = parseOrdinalSpan(w, i, runEnd);
    // "twenty second" is also "twenty-second" (20 s): an ordinal only after "the".
    if (n === null || n < 10 || (w[runEnd - 1] === 'second' && runEnd - i > 1 && w[i - 1] !== 'the')) return null;
    return { text: `${n}${ordinalSuffix(n)}`, end: runEnd };
  }
  const c = wholeCardinal(w, i, runEnd);
  // "a hundred" alone stays words ("a hundred people"); "a hundred twenty" is a number.
  if (!c || (c.usesA && runEnd === i + 2) || c.value < 10) return null;
  return { text: formatCardinal(c.value, false), end: runEnd };
}

/** "the nineteen eighties" -> "1980s", "the nineteen hundreds" -> "1900s", "twenty twenties" -> "2020s". */
function decade(w: readonly string[], i: number, runEnd: number): Match | null {
  const decadeWord = w[runEnd];
  if (runEnd !== i + 1 || !(decadeWord in DECADE_WORDS)) return null;
  const head = parseBelow100(w, i);
  if (!head || !((head.value >= 11 && head.value <= 19) || head.value === 20)) return null;
  return { text: `${head.value * 100 + DECADE_WORDS[decadeWord]}s`, end: runEnd + 1 };
}

// ---- quantities: decimals, money, percent, negatives -----------------------------------------------

interface Quantity {
  /** Whole part, and the fraction digits of a decimal ("" for a whole number). */
  whole: number;
  fraction: string;
  /** "million", "billion" or "trillion" after a decimal ("one point five million"), else "". */
  scaleWord: string;
  end: number;
  usesA: boolean;
}

/** A number from the run at i: a whole cardinal, or a decimal "three point one four [million]". */
function readQuantity(w: readonly string[], i: number, runEnd: number): Quantity | null {
  const c = wholeCardinal(w, i, runEnd);
  if (!c) return null;
  if (w[runEnd] !== 'point' || c.usesA) return { whole: c.value, fraction: '', scaleWord: '', end: runEnd, usesA: c.usesA };
  let k = runEnd + 1;
  let fraction = '';
  for (; k < w.length; k++) {
    const d = w[k] === 'oh' ? 0 : digitValue(w[k]);
    if (d < 0) break;
    fraction += d;
  }
  if (!fraction) return null;
  let scaleWord = '';
  if (w[k] in SCALE_WORDS && w[k] !== 'thousand') scaleWord = w[k++];
  // The fraction must use up its run: "three point one twenty" is not a decimal.
  if (isCardinalWord(w[k]) || isOrdinalWord(w[k])) return null;
  return { whole: c.value, fraction, scaleWord, end: k, usesA: false };
}

/** A quantity written with the style rules; `money` groups thousands from 1,000. */
function formatQuantity(q: Quantity, money: boolean): string {
  if (!q.fraction) return formatCardinal(q.whole, money);
  const whole = q.whole >= (money ? 1000 : 10000) ? groupThousands(q.whole) : String(q.whole);
  return `${whole}.${q.fraction}${q.scaleWord ? ` ${q.scaleWord}` : ''}`;
}

/** Whether the quantity is written with a scale word ("2 million", "1.5 billion"). */
function isScaled(q: Quantity): boolean {
  return /[a-z]/.test(formatQuantity(q, false));
}

/**
 * A number with a unit after it ("ten percent" -> "10%", "twenty five dollars" -> "$25", "three
 * dollars and fifty cents" -> "$3.50", "fifty cents" -> "50 cents"), a decimal ("3.14"), or, when
 * `sign` is "-", a signed number ("minus five" -> "-5"). Null for a whole number without unit or sign.
 */
function quantity(w: readonly string[], i: number, runEnd: number, sign: string): Match | null {
  const q = readQuantity(w, i, runEnd);
  if (!q) return null;
  const after = w[q.end];
  const scaled = isScaled(q);
  if (after === 'percent' && !scaled) return { text: `${sign}${formatQuantity(q, false)}%`, end: q.end + 1 };
  if (after === 'per' && w[q.end + 1] === 'cent' && !scaled) return { text: `${sign}${formatQuantity(q, false)}%`, end: q.end + 2 };
  const symbol = CURRENCIES[after];
  if (symbol) {
    const amount = `${sign}${symbol}${formatQuantity(q, true)}`;
    if (q.fraction || scaled) return { text: amount, end: q.end + 1 };
    const centsAt = w[q.end + 1] === 'and' ? q.end + 2 : q.end + 1;
    const centsRun = numberRunEnd(w, centsAt);
    const cents = centsRun > centsAt ? wholeCardinal(w, centsAt, centsRun) : null;
    if (cents && !cents.usesA && cents.value >= 1 && cents.value <= 99 && (w[centsRun] === 'cents' || w[centsRun] === 'cent')) {
      return { text: `${amount}.${String(cents.value).padStart(2, '0')}`, end: centsRun + 1 };
    }
    // "three dollars fifty" (a price said without "cents"): 10..99 right after the currency word, nothing after it.
    if (cents && !cents.usesA && centsAt === q.end + 1 && cents.value >= 10 && cents.value <= 99 && !UNIT_WORDS.has(w[centsRun]) && !meridiem(w, centsRun)) {
      return { text: `${amount}.${cents.value}`, end: centsRun };
    }
    return { text: amount, end: q.end + 1 };
  }
  if ((after === 'cents' || after === 'cent') && !q.fraction && !scaled) return { text: `${sign}${formatQuantity(q, false)} ${after}`, end: q.end + 1 };
  if (sign && !q.usesA) return { text: `${sign}${formatQuantity(q, false)}`, end: q.end };
  if (q.fraction) return { text: formatQuantity(q, false), end: q.end };
  return null;
}

/** "minus five" -> "-5", "negative three point five percent" -> "-3.5%"; not after a number ("ten minus five"). */
function negative(w: readonly string[], i: number): Match | null {
  const prev = w[i - 1];
  // After a number (spoken, or already written in digits) "minus" is the operation: "ten minus five".
  if (isCardinalWord(prev) || isOrdinalWord(prev) || prev === 'point' || prev === 'oh' || /[0-9]/.test(prev ?? '')) return null;
  const runEnd = numberRunEnd(w, i + 1);
  if (runEnd === i + 1 || isOrdinalWord(w[runEnd - 1])) return null;
  return quantity(w, i + 1, runEnd, '-');
}

// ---- times ---------------------------------------------------------------------------------------

/** "a m", "p m", "am", "pm" at k: the written form and the index after it. */
function meridiem(w: readonly string[], k: number): Match | null {
  if ((w[k] === 'a' || w[k] === 'p') && w[k + 1] === 'm') return { text: `${w[k]}.m.`, end: k + 2 };
  // "am" is also the verb: not before "i" or "not" ("seven am i right").
  if (w[k] === 'pm' || (w[k] === 'am' && w[k + 1] !== 'i' && w[k + 1] !== 'not')) return { text: `${w[k][0]}.m.`, end: k + 1 };
  return null;
}

/** An hour word one..twelve that is a number run of its own at k. */
function hourAt(w: readonly string[], k: number): number | null {
  const h = parseBelow100(w, k);
  return h && h.end === k + 1 && h.value <= 12 && numberRunEnd(w, k) === k + 1 ? h.value : null;
}

/**
 * A clock time from the run at i: "seven thirty p m" -> "7:30 p.m.", "seven p m" -> "7 p.m.",
 * "twelve oh five a m" -> "12:05 a.m.", "seven o'clock" -> "7 o'clock", and after a cue word
 * ("at seven thirty") "7:30".
 */
function clockTime(w: readonly string[], i: number, runEnd: number): Match | null {
  const hour = parseBelow100(w, i);
  if (!hour || hour.end !== i + 1 || hour.value > 12) return null;
  let minutes: number | null = null;
  if (runEnd === i + 3 && w[i + 1] === 'oh' && digitValue(w[i + 2]) >= 1) minutes = digitValue(w[i + 2]);
  else if (runEnd > i + 1) {
    const m = parseBelow100(w, i + 1);
    if (!m || m.end !== runEnd || m.value < 10 || m.value > 59) return null;
    minutes = m.value;
  }
  const clock = minutes === null ? String(hour.value) : `${hour.value}:${String(minutes).padStart(2, '0')}`;
  const mer = meridiem(w, runEnd);
  if (mer) return { text: `${clock} ${mer.text}`, end: mer.end };
  if (minutes === null && w[runEnd] === "o'clock") return { text: `${clock} o'clock`, end: runEnd + 1 };
  if (minutes !== null && TIME_CUES.has(w[i - 1])) return { text: clock, end: runEnd };
  return null;
}

/**
 * "half past seven" -> "7:30", "quarter past seven" -> "7:15", "a quarter to eight" -> "7:45", each
 * with an optional a.m./p.m.; "quarter to" only before a.m./p.m., at the end or after a cue word
 * ("a quarter to eight people" stays).
 */
function clockPhrase(w: readonly string[], i: number): Match | null {
  const k = w[i] === 'a' ? i + 1 : i;
  const kind = w[k] === 'half' && w[k + 1] === 'past' ? 30 : w[k] === 'quarter' && w[k + 1] === 'past' ? 15
    : w[k] === 'quarter' && w[k + 1] === 'to' ? -15 : null;
  if (kind === null || (w[k] === 'half' && k !== i)) return null;
  const hour = hourAt(w, k + 2);
  if (hour === null) return null;
  const mer = meridiem(w, k + 3);
  if (kind < 0 && !mer && k + 3 !== w.length && !TIME_CUES.has(w[i - 1])) return null;
  const h = kind < 0 ? (hour === 1 ? 12 : hour - 1) : hour;
  const clock = `${h}:${kind < 0 ? 45 : kind}`;
  return mer ? { text: `${clock} ${mer.text}`, end: mer.end } : { text: clock, end: k + 3 };
}

// ---- dates ---------------------------------------------------------------------------------------

/** A day 1..31 said as an ordinal that is the whole run at k ("third", "twenty first"): its value and end. */
function ordinalDay(w: readonly string[], k: number): { day: number; end: number } | null {
  const end = numberRunEnd(w, k);
  if (end === k || !isOrdinalWord(w[end - 1])) return null;
  const day = parseOrdinalSpan(w, k, end);
  return day !== null && day >= 1 && day <= 31 ? { day, end } : null;
}

/** A year that is the whole run at k, not followed by a unit ("twenty twenty four", "two thousand five"). */
function yearAt(w: readonly string[], k: number): { year: number; end: number } | null {
  const end = numberRunEnd(w, k);
  if (end === k || UNIT_WORDS.has(w[end]) || meridiem(w, end)) return null;
  const year = yearValue(w, k, end, true, true);
  return year === null ? null : { year, end };
}

/** "march third" -> "March 3", "march third twenty twenty four" -> "March 3, 2024", "june twenty twenty" -> "June 2020". */
function monthDate(w: readonly string[], i: number): Match | null {
  const month = capitalize(w[i]);
  const cue = !AMBIGUOUS_MONTHS.has(w[i]) || DATE_CUES.has(w[i - 1]);
  const day = ordinalDay(w, i + 1);
  if (day) {
    const year = yearAt(w, day.end);
    if (year) return { text: `${month} ${day.day}, ${year.year}`, end: year.end };
    return cue ? { text: `${month} ${day.day}`, end: day.end } : null;
  }
  const year = cue ? yearAt(w, i + 1) : null;
  return year ? { text: `${month} ${year.year}`, end: year.end } : null;
}

/** "the third of march [twenty twenty four]" -> "March 3[, 2024]". */
function dayOfMonthDate(w: readonly string[], i: number): Match | null {
  const day = ordinalDay(w, i + 1);
  if (!day || w[day.end] !== 'of' || !MONTHS.includes(w[day.end + 1])) return null;
  const month = capitalize(w[day.end + 1]);
  const year = yearAt(w, day.end + 2);
  return year ? { text: `${month} ${day.day}, ${year.year}`, end: year.end } : { text: `${month} ${day.day}`, end: day.end + 2 };
}
