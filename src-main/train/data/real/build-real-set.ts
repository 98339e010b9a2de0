/**
 * Builds the real-speech set from Debian packages: for each source, its packages are fetched
 * with `apt-get download` (or taken from the cache folder) and unpacked with `dpkg-deb -x`; its
 * utterances are resampled to 16 kHz WAV under `<out>/clips/<source>/`, their text normalized
 * as the lexicon reads it, and listed in `<out>/manifest.jsonl` with speaker and dev/train split.
 * Reserved packages (real-source.ts) are refused before anything is fetched.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { encodeWav, resample } from '../../../audio/index.ts';
import { cmudict } from '../../../lexicon/cmudict.ts';
import { normalizeText } from '../../../lexicon/normalize-text.ts';
import type { ClipRecord } from '../../corpus-synthesis.ts';
import { assertAllowedPackage, type RealSource } from './real-source.ts';
import { splitSpeakers, type RealSplit } from './real-split.ts';
import { writeFileAtomic } from '../../../system/atomic-write.ts';
import { SAMPLE_RATE } from '../../../../src-shared/features/config.ts';

const run = promisify(execFile);

export interface RealClipRecord extends ClipRecord {
  source: string;
  speaker: string;
  split: RealSplit;
  /** The text as the source gave it, before normalization. */
  originalText: string;
  /** Words not in CMUdict (their pronunciation is the G2P model's guess). */
  guessedWords?: string[];
}

export const REAL_MANIFEST = 'manifest.jsonl';

/** The records of a real set's manifest; none when it has no manifest yet. */
export async function readRealManifest(dir: string): Promise<RealClipRecord[]> {
  const path = join(dir, REAL_MANIFEST);
  if (!existsSync(path)) return [];
  return (await readFile(path, 'utf8')).split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as RealClipRecord);
}
/** Shorter clips are clicks or cut-off syllables; longer ones are not single utterances. */
const MIN_SEC = 0.25, MAX_SEC = 30;

async function tool(cmd: string, args: string[], cwd?: string): Promise<string> {
  try {
    return (await run(cmd, args, { cwd, maxBuffer: 16 << 20 })).stdout;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${cmd} is not installed (it comes with Debian's dpkg/apt)`);
    throw new Error(`${cmd} ${args.join(' ')} failed: ${(e as { stderr?: string }).stderr?.trim() || (e as Error).message}`);
  }
}

async function installed(pkg: string): Promise<boolean> {
  try {
    return (await run('dpkg-query', ['-W', '-f=${Status}', pkg])).stdout.trim() === 'install ok installed';
  } catch {
    return false;
  }
}

/**
 * The tree to read a source from: `/` when all its packages are installed on this machine (CI
 * installs the small ones), else their unpacked files under `<cache>/root/<source>/`, fetching the
 * .debs with apt-get download if needed.
 */
export async function unpackSource(source: RealSource, cacheDir: string, log: (s: string) => void): Promise<string> {
  for (const pkg of source.debPackages) assertAllowedPackage(pkg);
  if ((await Promise.all(source.debPackages.map(installed))).every(Boolean)) return '/';
  const root = join(cacheDir, 'root', source.name);
  const done = join(root, '.unpacked');
  const packages = source.debPackages.join('\n') + '\n';
  // A tree unpacked for another package list (a source that gained a package) is unpacked again.
  if (existsSync(done) && (await readFile(done, 'utf8')) === packages) return root;
  await mkdir(cacheDir, { recursive: true });
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  for (const pkg of source.debPackages) {
    const find = async () => (await readdir(cacheDir)).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    let deb = await find();
    if (!deb) {
      log(`  apt-get download ${pkg}`);
      await tool('apt-get', ['download', pkg], cacheDir);
      deb = await find();
      if (!deb) throw new Error(`apt-get download ${pkg} left no ${pkg}_*.deb in ${cacheDir}`);
    }
    await tool('dpkg-deb', ['-x', join(cacheDir, deb), root]);
  }
  await writeFile(done, packages);
  return root;
}

/** Normalized text, or null with the reason when the utterance cannot be used. */
export function cleanRealText(text: string): { words: string[]; guessed: string[] } | { reject: string } {
  const words = normalizeText(text.replace(/\.\.\.|…/g, ' '));
  if (words.length === 0) return { reject: 'no words' };
  const guessed = words.filter((w) => !cmudict().has(w));
  // A short token that no dictionary knows is a spoken sound ("ch"), not a word a G2P guess can say.
  if (guessed.some((w) => w.length <= 2)) return { reject: `not a word: ${guessed.join(' ')}` };
  return { words, guessed };
}

export interface BuildRealSetOptions {
  out: string;
  cacheDir: string;
  sources: readonly RealSource[];
  log?: (line: string) => void;
}

export async function buildRealSet(o: BuildRealSetOptions): Promise<RealClipRecord[]> {
  const log = o.log ?? ((s: string) => process.stderr.write(s + '\n'));
  for (const s of o.sources) for (const pkg of s.debPackages) assertAllowedPackage(pkg);
  const out = resolve(o.out);
  await mkdir(out, { recursive: true });
  const all: RealClipRecord[] = [];
  for (const source of o.sources) {
    log(`${source.name}: ${source.debPackages.join(', ')}`);
    const root = await unpackSource(source, resolve(o.cacheDir), log);
    const clipDir = join(out, 'clips', source.name);
    await mkdir(clipDir, { recursive: true });
    const recs: Omit<RealClipRecord, 'split'>[] = [];
    const rejected = new Map<string, number>();
    const seen = new Set<string>();
    for await (const u of source.extract(root)) {
      if (seen.has(u.id)) throw new Error(`${source.name}: duplicate utterance id ${u.id}`);
      seen.add(u.id);
      const clean = cleanRealText(u.text);
      const pcm = u.sampleRate === SAMPLE_RATE ? u.pcm : resample(u.pcm, u.sampleRate, SAMPLE_RATE);
      const sec = pcm.length / SAMPLE_RATE;
      const reason = 'reject' in clean ? clean.reject : sec < MIN_SEC ? 'too short' : sec > MAX_SEC ? 'too long' : '';
      if (reason) { rejected.set(reason.split(':')[0], (rejected.get(reason.split(':')[0]) ?? 0) + 1); continue; }
      const { words, guessed } = clean as { words: string[]; guessed: string[] };
      const file = join('clips', source.name, `${u.id}.wav`);
      await writeFile(join(out, file), encodeWav(pcm, SAMPLE_RATE));
      recs.push({
        id: `${source.name}.${u.id}`, text: words.join(' '), voice: `real:${u.speaker}`, file, samples: pcm.length,
        source: source.name, speaker: u.speaker, originalText: u.text, ...(guessed.length ? { guessedWords: guessed } : {}),
      });
    }
    const counts = new Map<string, number>();
    for (const r of recs) counts.set(r.speaker, (counts.get(r.speaker) ?? 0) + 1);
    const split = splitSpeakers(source.name, counts);
    const withSplit = recs.map((r) => ({ ...r, split: split.get(r.speaker)! }));
    all.push(...withSplit);
    const sec = withSplit.reduce((s, r) => s + r.samples, 0) / SAMPLE_RATE;
    const dev = withSplit.filter((r) => r.split === 'dev').length;
    log(`  ${withSplit.length} clips, ${(sec / 60).toFixed(1)} min, ${counts.size} speakers (${dev} clips dev)${rejected.size ? `; left out: ${[...rejected].map(([k, n]) => `${n} ${k}`).join(', ')}` : ''}`);
  }
  // Sources not rebuilt this time keep their records (`--sources x` updates x only).
  const rebuilt = new Set(o.sources.map((s) => s.name));
  const kept = (await readRealManifest(out)).filter((r) => !rebuilt.has(r.source));
  await writeFileAtomic(join(out, REAL_MANIFEST), [...kept, ...all].map((r) => JSON.stringify(r) + '\n').join(''));
  const infoPath = join(out, 'sources.json');
  const info = existsSync(infoPath) ? (JSON.parse(await readFile(infoPath, 'utf8')) as { name: string }[]).filter((x) => !rebuilt.has(x.name)) : [];
  info.push(...o.sources.map((s) => ({ name: s.name, debPackages: s.debPackages, license: s.license, speakerNote: s.speakerNote })));
  await writeFile(infoPath, JSON.stringify(info, null, 2) + '\n');
  return all;
}
