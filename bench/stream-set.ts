/**
 * The long test stream for keyword spotting and streaming benchmarks: speech by voices never used
 * in training (HELDOUT_VOICES) with the five STREAM_KEYWORDS said alone and inside sentences,
 * ordinary held-out Brown sentences, pauses, loud noise bursts and music-like tones, all over a
 * low room-noise bed. Built once per (minutes, seed) and cached as a 16 kHz mono 16-bit WAV plus
 * a JSON truth file; the same (minutes, seed) always gives the same stream.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HELDOUT_VOICES, synthesize } from '../src-main/train/data/synth/index.ts';
import { createRng, type Rng } from '../src-main/train/data/rng.ts';
import { makeNoise, type NoiseKind } from '../src-main/train/data/augment/noise.ts';
import { buildTextCorpus, HELDOUT_TEXT_SEED } from '../src-main/train/data/text-corpus.ts';
import { encodeWav } from '../src-main/audio/wav-writer.ts';

export const STREAM_KEYWORDS = ['computer', 'next slide', 'emergency', 'activate', 'volume up'] as const;
export type StreamKeyword = (typeof STREAM_KEYWORDS)[number];

/** Bumped whenever the builder changes what a (minutes, seed) stream contains; part of the cache file names. */
export const STREAM_FORMAT_VERSION = 1;
const RATE = 16000;

export type StreamSegmentKind = 'keyword-alone' | 'keyword-in-sentence' | 'sentence' | 'pause' | 'noise-burst' | 'music';

/** One stretch of the stream; times in seconds from the first sample. Segments tile the stream without gaps. */
export interface StreamSegment {
  kind: StreamSegmentKind;
  /** Spoken text (speech segments only). */
  text?: string;
  /** Voice id (speech segments only). */
  voice?: string;
  start: number;
  end: number;
}

export interface KeywordOccurrence {
  keyword: string;
  /**
   * Seconds. For context 'alone' the span of the spoken keyword (synthesizer silence trimmed).
   * For 'in-sentence' the synthesizer does not say where inside the sentence the keyword falls,
   * so this is the whole sentence's span; scoring accepts a hit that overlaps it.
   */
  start: number;
  end: number;
  voice: string;
  context: 'alone' | 'in-sentence';
}

export interface StreamTruth {
  sampleRate: 16000;
  durationSec: number;
  keywords: string[];
  minutes: number;
  seed: number;
  formatVersion: number;
  segments: StreamSegment[];
  occurrences: KeywordOccurrence[];
}

/**
 * Sentences that carry one keyword each, grouped by keyword (a keyword fits only sentences of its
 * own grammar). Checked when a stream is built: each contains its keyword and no other.
 */
export const KEYWORD_SENTENCES: Readonly<Record<StreamKeyword, readonly string[]>> = {
  'computer': [
    'please tell the computer to save my work',
    'my old computer makes a strange noise at night',
    'the computer in the library was broken again',
    'she bought a new computer for her brother',
    'can you restart the computer before the meeting',
  ],
  'next slide': [
    'we moved to the next slide after lunch',
    'he paused before showing the next slide to the group',
    'the next slide has the numbers for last year',
    'wait until the next slide before asking questions',
  ],
  'emergency': [
    'the emergency room was full on friday night',
    'call me only if there is an emergency',
    'they keep an emergency kit in the car',
    'the city held an emergency meeting about the flood',
  ],
  'activate': [
    'you have to activate the card before you use it',
    'she forgot to activate her new phone',
    'press the red button to activate the alarm',
    'they will activate the second pump tomorrow morning',
  ],
  'volume up': [
    'turn the volume up so the people in the back can hear',
    'he kept the volume up all night long',
    'my daughter always wants the volume up when we drive',
    'please keep the volume up during the speech',
  ],
};

/** Room-noise bed level (RMS, dBFS) under the whole stream; speech sits 20..30 dB above it. */
const BED_DBFS = -50;
const SPEECH_SNR_DB: [number, number] = [20, 30];
const PAUSE_SEC: [number, number] = [0.3, 3];
/** Bed noise colour changes every this many seconds of stream (a new "room"). */
const SCENE_SEC = 300;
const BED_KINDS: readonly NoiseKind[] = ['pink', 'brown', 'white', 'babble'];
const BURST_KINDS: readonly NoiseKind[] = ['white', 'babble', 'pink'];
/** Speech segments synthesized ahead of the writer (synthesize runs two processes at a time). */
const SYNTH_LOOKAHEAD = 4;

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** True when `text` contains `keyword` or an inflection of it (computers, activated, emergencies) as words. */
export function mentionsKeyword(text: string, keyword: string): boolean {
  const stem = keyword.replace(/[ey]$/, '');
  return new RegExp(`(^| )${stem}`).test(text);
}

function rms(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s / Math.max(1, x.length));
}

const dbToAmp = (db: number) => Math.pow(10, db / 20);

function scaleToRms(x: Float32Array, target: number): Float32Array {
  const r = rms(x);
  const g = r > 0 ? target / r : 0;
  return x.map((v) => v * g);
}

/** Drops the synthesizer's leading and trailing silence (below 1% of the peak), keeping 30 ms either side. */
function trimSilence(x: Float32Array): Float32Array {
  let peak = 0;
  for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]));
  const floor = 0.01 * peak;
  let a = 0;
  let b = x.length - 1;
  while (a < b && Math.abs(x[a]) <= floor) a++;
  while (b > a && Math.abs(x[b]) <= floor) b--;
  const margin = Math.round(0.03 * RATE);
  return x.slice(Math.max(0, a - margin), Math.min(x.length, b + 1 + margin));
}

/**
 * Music-like tones: a melody of notes 0.15..0.6 s long from a major pentatonic scale, each a sum
 * of 3..8 harmonics with amplitude 1/h^rolloff, a 10 ms attack and an exponential decay;
 * sometimes a second note a third or fifth above.
 */
function musicClip(n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  const scale = [0, 2, 4, 7, 9, 12, 14, 16];
  const root = rng.int(48, 64);
  const harmonics = rng.int(3, 8);
  const rolloff = rng.uniform(0.8, 2);
  let at = 0;
  while (at < n) {
    const len = Math.min(n - at, Math.round(rng.uniform(0.15, 0.6) * RATE));
    const midi = root + rng.pick(scale);
    const notes = rng.chance(0.4) ? [midi, midi + rng.pick([4, 7])] : [midi];
    const decay = rng.uniform(1.5, 6);
    for (const m of notes) {
      const f0 = 440 * Math.pow(2, (m - 69) / 12);
      for (let h = 1; h <= harmonics && f0 * h < RATE / 2; h++) {
        const amp = Math.pow(h, -rolloff);
        const w = (2 * Math.PI * f0 * h) / RATE;
        for (let i = 0; i < len; i++) {
          const env = Math.min(1, i / (0.01 * RATE)) * Math.exp((-decay * i) / RATE);
          out[at + i] += amp * env * Math.sin(w * i);
        }
      }
    }
    at += len;
  }
  return out;
}

/** Appends 16-bit PCM to a WAV file as it is produced; the header's sizes are written on close. */
class StreamingWavWriter {
  private readonly fd: number;
  samples = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, encodeWav(new Float32Array(0), RATE));
  }

  /** Same conversion as encodeWav: x·32768, rounded, clipped to the 16-bit range. */
  append(x: Float32Array): void {
    const buf = Buffer.alloc(2 * x.length);
    for (let i = 0; i < x.length; i++) {
      const v = Math.round(x[i] * 32768);
      buf.writeInt16LE(v > 32767 ? 32767 : v < -32768 ? -32768 : v, 2 * i);
    }
    writeSync(this.fd, buf);
    this.samples += x.length;
  }

  close(): void {
    const bytes = 2 * this.samples;
    if (bytes > 0xffffffff - 36) throw new Error(`stream of ${this.samples} samples does not fit in a WAV file`);
    const size = Buffer.alloc(4);
    size.writeUInt32LE(36 + bytes);
    writeSync(this.fd, size, 0, 4, 4);
    size.writeUInt32LE(bytes);
    writeSync(this.fd, size, 0, 4, 40);
    closeSync(this.fd);
  }
}

interface SpeechItem {
  kind: 'keyword-alone' | 'keyword-in-sentence' | 'sentence';
  text: string;
  voice: string;
  keyword?: string;
  pcm: Promise<Float32Array>;
}
type FixedItem = SpeechItem | { kind: 'noise-burst' | 'music' };

/** Starts synthesis now; a rejection is seen when the writer awaits it, not reported as unhandled. */
function speechItem(kind: SpeechItem['kind'], text: string, voice: string, rng: Rng, keyword?: string): SpeechItem {
  const pcm = synthesize(text, voice, rng);
  pcm.catch(() => undefined);
  return { kind, text, voice, keyword, pcm };
}

/** Ordinary held-out Brown sentences without any keyword, in a fixed order per seed, deduplicated. */
function ordinarySentences(seed: number, count: number): string[] {
  const texts = buildTextCorpus({ seed: HELDOUT_TEXT_SEED + 100 + seed, count: 2 * count + 50, mix: { commands: 0, digits: 0, numbers: 0, sentences: 1 }, sentencePart: 'heldout' });
  const kept = [...new Set(texts)].filter((t) => /^[a-z' ]+$/.test(t) && !STREAM_KEYWORDS.some((k) => mentionsKeyword(t, k)));
  if (kept.length < 10) throw new Error(`buildKeywordStream: only ${kept.length} held-out sentences without keywords`);
  return kept;
}

function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Cache file names for a stream. */
export function keywordStreamPaths(minutes: number, seed: number, cacheDir = join(repoRoot, 'data', 'bench'), tag = ''): { wavPath: string; truthPath: string } {
  const base = join(cacheDir, `kws-stream-v${STREAM_FORMAT_VERSION}${tag ? `-${tag}` : ''}-${minutes}min-seed${seed}`);
  return { wavPath: `${base}.wav`, truthPath: `${base}.truth.json` };
}

/**
 * Returns the cached stream for (minutes, seed), building it first if either file is missing.
 * Composition: max(1, round(minutes)) keywords alone and as many inside sentences (about two
 * occurrences a minute; keywords and voices balanced), one loud noise burst and one music
 * clip per 5 minutes (at least one each), these fixed items shuffled and spread evenly through the
 * stream, ordinary sentences filling the rest, and a pause of 0.3..3 s between any two segments.
 */
export async function buildKeywordStream(opts: {
  minutes: number; seed: number; cacheDir?: string;
  /** Speakers; default HELDOUT_VOICES. Other voice sets (e.g. training voices for calibration) need a `tag` for their cache name. */
  voices?: readonly string[]; tag?: string;
}): Promise<{ wavPath: string; truthPath: string; truth: StreamTruth }> {
  const { minutes, seed } = opts;
  const voices = opts.voices ?? HELDOUT_VOICES;
  if (opts.voices && !opts.tag) throw new Error('buildKeywordStream: a custom voice set needs a tag for its cache files');
  if (!(minutes > 0 && Number.isFinite(minutes))) throw new Error(`buildKeywordStream: minutes must be positive, got ${minutes}`);
  if (!Number.isInteger(seed)) throw new Error(`buildKeywordStream: seed must be an integer, got ${seed}`);
  const { wavPath, truthPath } = keywordStreamPaths(minutes, seed, opts.cacheDir, opts.tag);
  if (existsSync(wavPath) && existsSync(truthPath)) {
    const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as StreamTruth;
    if (truth.formatVersion !== STREAM_FORMAT_VERSION) throw new Error(`${truthPath}: format version ${truth.formatVersion}, expected ${STREAM_FORMAT_VERSION}; delete it to rebuild`);
    return { wavPath, truthPath, truth };
  }
  for (const [k, sentences] of Object.entries(KEYWORD_SENTENCES)) {
    for (const s of sentences) {
      const others = STREAM_KEYWORDS.filter((o) => o !== k && mentionsKeyword(s, o));
      if (!mentionsKeyword(s, k) || others.length > 0) throw new Error(`keyword sentence "${s}" must mention "${k}" and no other keyword`);
    }
  }
  mkdirSync(dirname(wavPath), { recursive: true });
  const truth = await writeStream(minutes, seed, `${wavPath}.part`, voices);
  writeFileSync(`${truthPath}.part`, JSON.stringify(truth, null, 1));
  renameSync(`${wavPath}.part`, wavPath);
  renameSync(`${truthPath}.part`, truthPath);
  return { wavPath, truthPath, truth };
}

async function writeStream(minutes: number, seed: number, path: string, voices: readonly string[]): Promise<StreamTruth> {
  const rng = createRng(seed);
  const planRng = rng.fork();
  const sentenceRng = rng.fork();
  const mixRng = rng.fork();
  const targetSec = minutes * 60;

  // Keyword j: keyword j mod 5, voice j mod 4 (alone) or (j + 2) mod 4 (in a sentence): every
  // 20 keywords cover each keyword-voice pair once per context, and a short stream still has
  // every voice. The fixed items' synthesis starts here and runs ahead of the writer (synthesize
  // queues it, two processes at a time); their speech is small (about 3 s per item).
  const perContext = Math.max(1, Math.round(minutes));
  const fixed: FixedItem[] = [];
  for (let j = 0; j < perContext; j++) {
    const keyword = STREAM_KEYWORDS[j % STREAM_KEYWORDS.length];
    fixed.push(speechItem('keyword-alone', keyword, voices[j % voices.length], planRng.fork(), keyword));
    const text = planRng.pick(KEYWORD_SENTENCES[keyword]);
    fixed.push(speechItem('keyword-in-sentence', text, voices[(j + 2) % voices.length], planRng.fork(), keyword));
  }
  const sounds = Math.max(1, Math.round(minutes / 5));
  for (let j = 0; j < sounds; j++) fixed.push({ kind: 'noise-burst' }, { kind: 'music' });
  shuffle(fixed, planRng);

  // Ordinary sentences are synthesized SYNTH_LOOKAHEAD ahead. Every rng is forked in a fixed
  // order, so the stream does not depend on how synthesis interleaves. About 11 sentences a
  // minute are used (688 distinct ones at 60 min); the list repeats only if a stream outruns it.
  const texts = ordinarySentences(seed, Math.ceil(minutes * 10));
  let sentenceIndex = 0;
  const sentenceQueue: SpeechItem[] = [];
  const takeSentence = (): SpeechItem => {
    while (sentenceQueue.length < SYNTH_LOOKAHEAD) {
      const i = sentenceIndex++;
      sentenceQueue.push(speechItem('sentence', texts[i % texts.length], voices[i % voices.length], sentenceRng.fork()));
    }
    return sentenceQueue.shift()!;
  };

  const writer = new StreamingWavWriter(path);
  const segments: StreamSegment[] = [];
  const occurrences: KeywordOccurrence[] = [];
  let bedKind: NoiseKind = mixRng.pick(BED_KINDS);
  let scene = 0;
  const now = () => writer.samples / RATE;
  /** x plus room noise at exactly BED_DBFS RMS. */
  const overBed = (x: Float32Array) => {
    const noise = scaleToRms(makeNoise(bedKind, x.length, mixRng), dbToAmp(BED_DBFS));
    return x.map((v, i) => v + noise[i]);
  };

  const emit = (kind: StreamSegmentKind, pcm: Float32Array, extra: { text?: string; voice?: string } = {}) => {
    const start = now();
    writer.append(pcm);
    segments.push({ kind, ...extra, start, end: now() });
    if (Math.floor(now() / SCENE_SEC) > scene) {
      scene = Math.floor(now() / SCENE_SEC);
      bedKind = mixRng.pick(BED_KINDS);
    }
  };
  const emitPause = () => emit('pause', overBed(new Float32Array(Math.round(mixRng.uniform(PAUSE_SEC[0], PAUSE_SEC[1]) * RATE))));
  const emitSpeech = async (item: SpeechItem) => {
    const speech = trimSilence(await item.pcm);
    const snrDb = mixRng.uniform(SPEECH_SNR_DB[0], SPEECH_SNR_DB[1]);
    const start = now();
    emit(item.kind, overBed(scaleToRms(speech, dbToAmp(BED_DBFS + snrDb))), { text: item.text, voice: item.voice });
    if (item.keyword !== undefined) {
      occurrences.push({ keyword: item.keyword, start, end: now(), voice: item.voice, context: item.kind === 'keyword-alone' ? 'alone' : 'in-sentence' });
    }
  };
  const emitSound = (kind: 'noise-burst' | 'music') => {
    if (kind === 'noise-burst') {
      // Near full scale: RMS -14..-10 dBFS, so Gaussian peaks reach ±0.99 and are clipped there.
      const n = Math.round(mixRng.uniform(1, 2) * RATE);
      const burst = scaleToRms(makeNoise(mixRng.pick(BURST_KINDS), n, mixRng), dbToAmp(mixRng.uniform(-14, -10)));
      emit(kind, burst.map((v) => Math.max(-0.99, Math.min(0.99, v))));
    } else {
      const n = Math.round(mixRng.uniform(2, 4) * RATE);
      emit(kind, overBed(scaleToRms(musicClip(n, mixRng), dbToAmp(mixRng.uniform(-30, -20)))));
    }
  };

  const t0 = performance.now();
  let lastReport = t0;
  const progress = (force = false) => {
    const t = performance.now();
    if (!force && t - lastReport < 20000) return;
    lastReport = t;
    process.stderr.write(`stream: ${(now() / 60).toFixed(1)} / ${minutes} min written, ${segments.length} segments, ${((t - t0) / 1000).toFixed(0)} s elapsed\n`);
  };

  // Fixed item k is placed about (k + 0.5)/F of the way through; ordinary sentences fill up to it.
  const AVG_SENTENCE_SEC = 3;
  for (const [k, item] of fixed.entries()) {
    const due = ((k + 0.5) / fixed.length) * targetSec;
    while (now() + AVG_SENTENCE_SEC < due) {
      emitPause();
      await emitSpeech(takeSentence());
      progress();
    }
    emitPause();
    if ('pcm' in item) await emitSpeech(item);
    else emitSound(item.kind);
  }
  while (now() < targetSec) {
    emitPause();
    await emitSpeech(takeSentence());
    progress();
  }
  emitPause();
  writer.close();
  progress(true);
  // Sentences synthesized ahead but not used: let them finish before the temp files are removed.
  await Promise.allSettled(sentenceQueue.map((s) => s.pcm));

  return {
    sampleRate: RATE, durationSec: now(), keywords: [...STREAM_KEYWORDS], minutes, seed, formatVersion: STREAM_FORMAT_VERSION, segments, occurrences,
  };
}
