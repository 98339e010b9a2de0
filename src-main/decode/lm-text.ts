import { normalizeText } from '../lexicon/normalize-text.ts';

/**
 * Readers of the plain-text corpora that the larger dictation LM is built from
 * (tools/build-dictation-lm.ts --sources): prose split into sentences, WordNet's glosses and
 * example sentences, fortune files and e-mail bodies. Each returns normalized sentences (normalizeText), one
 * word list per sentence, empty sentences and pieces with a number too large to spell out dropped.
 */

/** normalizeText, or no words for a piece it cannot read (a number too large to spell out). */
function words(text: string): string[] {
  try {
    return normalizeText(text);
  } catch {
    return [];
  }
}

/** Whether at least 70% of the non-space characters of `text` are letters, and there are some (not code, ASCII art or a table). */
function mostlyLetters(text: string): boolean {
  const visible = text.replace(/\s/g, '');
  return visible.length > 0 && visible.replace(/[^A-Za-z]/g, '').length / visible.length >= 0.7;
}

/** Stage directions of speeches ("(Applause.)", "(Laughter.)"): short parenthesized asides, removed. */
const ASIDE = /\(\s*[A-Za-z][A-Za-z .,'-]{0,30}\)/g;

/**
 * Splits prose into sentences: at a sentence mark (. ! ?) followed by white space and a capital
 * letter, an opening quote or a digit, at semicolons, and at blank lines. Abbreviations such as
 * "Mr. Smith" are split too; for n-gram counts that costs a sentence boundary, nothing more.
 */
export function proseSentences(text: string): string[][] {
  const out: string[][] = [];
  const cleaned = text.replace(/\r/g, '').replace(ASIDE, ' ');
  for (const para of cleaned.split(/\n\s*\n/)) {
    const flat = para.replace(/\s+/g, ' ');
    for (const piece of flat.split(/(?<=[.!?]["'\u201d\u2019)]?)\s+(?=["'\u201c\u2018(]?[A-Z0-9])|;\s+/)) {
      const w = words(piece);
      if (w.length > 0) out.push(w);
    }
  }
  return out;
}

/**
 * WordNet data files (data.noun, data.verb, data.adj, data.adv): each synset line ends with
 * " | " and its gloss, definitions and quoted examples separated by semicolons. Every definition
 * and every example becomes a sentence; the license header lines (starting with two spaces) are
 * skipped.
 */
export function wordnetGlossSentences(dataFile: string): string[][] {
  const out: string[][] = [];
  for (const line of dataFile.split('\n')) {
    if (line.startsWith('  ')) continue;
    const bar = line.indexOf(' | ');
    if (bar < 0) continue;
    for (const part of line.slice(bar + 3).split(/;\s*/)) {
      const text = part.trim().replace(/^"|"$/g, '').replace(/\s*-+\s*[A-Z][A-Za-z. ]*$/, '');
      const w = words(text);
      if (w.length > 0) out.push(w);
    }
  }
  return out;
}

/**
 * A fortune file: entries separated by lines holding only "%". Attribution lines ("-- Author",
 * usually indented) are dropped; an entry where under 70% of the non-space characters are letters
 * (code, ASCII art, tables) is skipped whole. The rest is read as prose.
 */
export function fortuneSentences(file: string): string[][] {
  const out: string[][] = [];
  for (const entry of file.replace(/\r/g, '').split(/\n%\n?/)) {
    const text = entry.split('\n').filter((l) => !/^\s*--(\s|[A-Z])/.test(l)).join('\n');
    if (!mostlyLetters(text)) continue;
    // One fortune is one paragraph: its line breaks are wrapping, not sentence ends.
    out.push(...proseSentences(text.replace(/\n/g, ' ')));
  }
  return out;
}

/**
 * The body of an e-mail message (RFC 822 text: headers, a blank line, the body) as prose: HTML and
 * MIME-encoded messages are skipped whole; quoted lines ("> ..."), the signature (after "-- "),
 * lines holding an address or a link, rules ("-----", "_____") and paragraphs where under 70% of
 * the non-space characters are letters are dropped.
 */
export function emailBodySentences(message: string): string[][] {
  const text = message.replace(/\r/g, '');
  const split = text.indexOf('\n\n');
  if (split < 0) return [];
  const headers = text.slice(0, split).toLowerCase();
  if (/^content-type:\s*(text\/html|multipart)/m.test(headers) || /^content-transfer-encoding:\s*base64/m.test(headers)) return [];
  let body = text.slice(split + 2);
  const sig = body.search(/^-- ?$/m);
  if (sig >= 0) body = body.slice(0, sig);
  if (/<html|<body|<p>/i.test(body)) return [];
  const lines = body.split('\n').filter((l) => !/^\s*[>|:]/.test(l) && !/@|https?:|www\.|ftp:|[-_=*~]{4,}/i.test(l));
  const out: string[][] = [];
  for (const para of lines.join('\n').split(/\n\s*\n/)) {
    if (!mostlyLetters(para)) continue;
    out.push(...proseSentences(para.replace(/\n/g, ' ')));
  }
  return out;
}
