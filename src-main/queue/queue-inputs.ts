/**
 * What `hark queue submit` turns its arguments into: audio files, each with the path its output
 * goes to. An argument is a file (taken whatever its extension), a folder (every file with an
 * audio extension below it, recursively) or a glob ('*', '?' within a name, '**' across folders;
 * quote it so the shell leaves it alone). The output is the input's path relative to its
 * argument's base (the folder, the glob's fixed prefix, or the file's own folder) with the
 * format's extension appended ("talks/a.wav" -> "<out>/talks/a.wav.json"), placed under --out,
 * or next to the input without --out. Appending keeps "a.wav" and "a.mp3" apart.
 */
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Extensions a folder or glob picks up (the formats the audio decoder reads). */
export const AUDIO_EXTENSIONS = ['.wav', '.flac', '.mp3', '.ogg', '.oga', '.opus'] as const;

export interface QueueInput {
  /** Absolute path of the audio. */
  file: string;
  /** Absolute path of the output. */
  output: string;
}

const hasAudioExtension = (name: string): boolean => AUDIO_EXTENSIONS.some((e) => name.toLowerCase().endsWith(e));
const isGlob = (s: string): boolean => /[*?[]/.test(s);

/** Every file below `dir` (sorted, dot-entries skipped), as paths relative to it. */
async function walk(dir: string, rel = ''): Promise<string[]> {
  const entries = (await readdir(join(dir, rel), { withFileTypes: true })).filter((e) => !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...await walk(dir, r));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

/** The regular expression of a glob over '/'-separated relative paths. */
export function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') { i++; re += '(?:.*/)?'; } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else { re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`; i = end; }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * The inputs of `args` with their outputs (extension `ext`, under `outDir` when given), in
 * argument order, each file once; throws naming an argument that matches nothing, or two inputs
 * whose outputs would be the same file.
 */
export async function expandQueueInputs(args: readonly string[], ext: string, outDir?: string): Promise<QueueInput[]> {
  const out = outDir === undefined ? undefined : resolve(outDir);
  const found: QueueInput[] = [];
  const add = (base: string, rel: string) => {
    const file = resolve(base, rel);
    found.push({ file, output: `${out === undefined ? file : resolve(out, rel)}${ext}` });
  };
  for (const arg of args) {
    const st = await stat(arg).catch(() => null);
    if (st?.isDirectory()) {
      const files = (await walk(resolve(arg))).filter(hasAudioExtension);
      if (files.length === 0) throw new Error(`${arg}: no audio files (${AUDIO_EXTENSIONS.join(' ')}) in this folder`);
      for (const rel of files) add(resolve(arg), rel);
    } else if (st) {
      add(dirname(resolve(arg)), relative(dirname(resolve(arg)), resolve(arg)));
    } else if (isGlob(arg)) {
      const parts = resolve(arg).split(sep);
      const fixed = parts.findIndex(isGlob);
      const base = parts.slice(0, fixed).join(sep) || sep;
      const re = globRegExp(parts.slice(fixed).join('/'));
      const files = (await walk(base).catch(() => [] as string[])).filter((r) => re.test(r));
      if (files.length === 0) throw new Error(`${arg}: no file matches`);
      for (const rel of files) add(base, rel);
    } else {
      throw new Error(`${arg}: no such file or folder`);
    }
  }
  const seen = new Map<string, string>();
  const unique: QueueInput[] = [];
  for (const i of found) {
    const other = seen.get(i.output);
    if (other === i.file) continue;
    if (other !== undefined) throw new Error(`${other} and ${i.file} would both be written to ${i.output}: submit them with different --out folders`);
    seen.set(i.output, i.file);
    unique.push(i);
  }
  return unique;
}
