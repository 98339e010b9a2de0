/**
 * The training text: a deterministic mix of desktop commands, digit strings, spoken numbers
 * (times, dates, amounts) and general English sentences, all lower-case words in spoken form
 * (numbers already spelled out, only [a-z'] words separated by single spaces).
 */
import { brownSentences } from './text-brown.ts';
import { commandPhrase } from './text-commands.ts';
import { digitString, spokenNumeric } from './text-numbers.ts';
import { createRng } from './rng.ts';

/** Relative weights of the four kinds of text. */
export interface TextMix {
  commands: number;
  digits: number;
  numbers: number;
  sentences: number;
}

export const DEFAULT_TEXT_MIX: TextMix = { commands: 0.3, digits: 0.15, numbers: 0.15, sentences: 0.4 };

/**
 * Seed conventions: training text uses seeds below HELDOUT_TEXT_SEED; evaluation text uses
 * HELDOUT_TEXT_SEED (+ small offsets). Brown sentences are split by index: sentence i is held
 * out when i % HELDOUT_SENTENCE_MODULUS === 0, so held-out sentences never appear in training.
 */
export const HELDOUT_TEXT_SEED = 0x48415200;
export const HELDOUT_SENTENCE_MODULUS = 20;

export interface TextCorpusOptions {
  seed: number;
  count: number;
  mix?: TextMix;
  /** Which Brown sentences to draw from; default: 'heldout' iff seed === HELDOUT_TEXT_SEED range. */
  sentencePart?: 'train' | 'heldout';
}

/** Builds `count` utterance texts; the same options always give the same list. */
export function buildTextCorpus(opts: TextCorpusOptions): string[] {
  const { seed, count } = opts;
  if (!Number.isInteger(count) || count < 0) throw new Error(`buildTextCorpus: count must be a non-negative integer, got ${count}`);
  const mix = opts.mix ?? DEFAULT_TEXT_MIX;
  const weights = [mix.commands, mix.digits, mix.numbers, mix.sentences];
  if (weights.some((w) => !(w >= 0)) || weights.every((w) => w === 0)) {
    throw new Error(`buildTextCorpus: mix weights must be >= 0 and not all zero, got ${JSON.stringify(mix)}`);
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const part = opts.sentencePart ?? (seed >= HELDOUT_TEXT_SEED && seed < HELDOUT_TEXT_SEED + 256 ? 'heldout' : 'train');
  const sentences = mix.sentences > 0 ? sentencePool(part) : [];
  const rng = createRng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let r = rng.next() * total;
    let kind = 0;
    while (kind < 3 && r >= weights[kind]) r -= weights[kind++];
    const text = kind === 0 ? commandPhrase(rng) : kind === 1 ? digitString(rng) : kind === 2 ? spokenNumeric(rng) : rng.pick(sentences);
    out.push(text);
  }
  return out;
}

/** Brown sentences of one part of the train / held-out split (spoken form). */
export function brownSentencePart(part: 'train' | 'heldout'): string[] {
  return sentencePool(part);
}

function sentencePool(part: 'train' | 'heldout'): string[] {
  const all = brownSentences();
  return all.filter((_s, i) => (i % HELDOUT_SENTENCE_MODULUS === 0) === (part === 'heldout'));
}
