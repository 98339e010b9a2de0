/**
 * Synthesizes a training or evaluation corpus to disk: one 16 kHz 16-bit WAV per utterance under
 * `<dir>/clips/` and `<dir>/manifest.jsonl` with one ClipRecord per line. Resumable: clips already
 * in the manifest are kept, so an interrupted run continues where it stopped.
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../audio/index.ts';
import { createRng, type Rng } from './data/rng.ts';
import { synthesize, type SynthVariation } from './data/synth/index.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';

export interface ClipRecord {
  id: string;
  text: string;
  voice: string;
  /** Path relative to the corpus folder. */
  file: string;
  samples: number;
}

export const MANIFEST = 'manifest.jsonl';

export async function readManifest(dir: string): Promise<ClipRecord[]> {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) return [];
  const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const out: ClipRecord[] = [];
  for (const [i, line] of lines.entries()) {
    try {
      out.push(JSON.parse(line) as ClipRecord);
    } catch {
      // A crash can leave a torn last line: ignore it (that clip is synthesized again).
      if (i !== lines.length - 1) throw new Error(`${path}: line ${i + 1} is not JSON`);
    }
  }
  return out;
}

/** Picks a voice: first a family by weight, then a voice of that family uniformly. */
export function voicePicker(voices: readonly string[], familyWeights: Record<string, number>): (rng: Rng) => string {
  const byFamily = new Map<string, string[]>();
  for (const v of voices) {
    const fam = v.split(':')[0];
    if (!(fam in familyWeights)) continue;
    byFamily.set(fam, [...(byFamily.get(fam) ?? []), v]);
  }
  const fams = [...byFamily.keys()];
  if (fams.length === 0) throw new Error(`no voice of families ${Object.keys(familyWeights).join(', ')} among ${voices.length} voices`);
  const total = fams.reduce((s, f) => s + familyWeights[f], 0);
  return (rng) => {
    let r = rng.next() * total;
    let fam = fams[fams.length - 1];
    for (const f of fams) {
      if (r < familyWeights[f]) { fam = f; break; }
      r -= familyWeights[f];
    }
    return rng.pick(byFamily.get(fam)!);
  };
}

export interface SynthesizeCorpusOptions {
  dir: string;
  texts: readonly string[];
  pickVoice: (rng: Rng) => string;
  seed: number;
  /** Id prefix; clip i is `${prefix}${i}`. */
  prefix?: string;
  /** Per-utterance voice variation (synthesize's option); default 'classic', the shipped model's data. */
  variation?: SynthVariation;
  onProgress?: (done: number, total: number, audioSec: number) => void;
}

export async function synthesizeCorpus(opts: SynthesizeCorpusOptions): Promise<ClipRecord[]> {
  const { dir, texts } = opts;
  await mkdir(join(dir, 'clips'), { recursive: true });
  const existing = await readManifest(dir);
  const have = new Map(existing.map((r) => [r.id, r]));
  if (existing.length > 0) await writeFile(join(dir, MANIFEST), existing.map((r) => JSON.stringify(r) + '\n').join(''));
  const prefix = opts.prefix ?? 'u';
  const records: ClipRecord[] = [];
  let audioSec = 0;
  // Voices and prosody are drawn up front from one rng so results do not depend on timing.
  const rng = createRng(opts.seed);
  const jobs = texts.map((text, i) => ({ id: `${prefix}${String(i).padStart(6, '0')}`, text, voice: opts.pickVoice(rng), rng: rng.fork() }));
  let done = 0;
  const work = jobs.map(async (job) => {
    const prior = have.get(job.id);
    if (prior && prior.text === job.text && prior.voice === job.voice) return prior;
    const pcm = await synthesize(job.text, job.voice, job.rng, { variation: opts.variation ?? 'classic' });
    const file = join('clips', `${job.id}.wav`);
    await writeFile(join(dir, file), encodeWav(pcm, SAMPLE_RATE));
    const rec: ClipRecord = { id: job.id, text: job.text, voice: job.voice, file, samples: pcm.length };
    await appendFile(join(dir, MANIFEST), JSON.stringify(rec) + '\n');
    return rec;
  });
  for (const p of work) {
    const rec = await p;
    records.push(rec);
    audioSec += rec.samples / SAMPLE_RATE;
    opts.onProgress?.(++done, jobs.length, audioSec);
  }
  return records;
}
