/**
 * Warzone 2100 (Debian main, warzone2100-data): the announcer's and pilots' spoken messages in
 * `base.wz` (a zip archive) under `audio/<group>/*.ogg`; `audio/audio.cfg` lists each file with a
 * comment that gives its words (`audio "pcv337.ogg" oneshot 100 1800 /*Structure Under Attack*\/`).
 * The comments are labels written by the developers and a few paraphrase the audio: the set
 * builder's alignment check scores every clip against its text so that mismatches can be left out.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { RealSource, RealUtterance } from '../real-source.ts';
import { decodeAudioBuffer } from '../../../../audio/index.ts';

const run = promisify(execFile);
const ARCHIVE = 'usr/share/games/warzone2100/base.wz';

/** `audio "FILE.ogg" ... /*TEXT*\/` lines of audio.cfg: file and comment text. */
export function parseWarzoneAudioCfg(cfg: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const line of cfg.split('\n')) {
    const m = /^\s*audio\s+"([^"]+\.ogg)"[^/]*\/\*(.*?)\*\//.exec(line);
    if (m && m[2].trim()) out.push({ file: m[1], text: m[2].trim() });
  }
  return out;
}

async function unzipText(archive: string, member: string): Promise<Buffer> {
  try {
    const { stdout } = await run('unzip', ['-p', archive, member], { encoding: 'buffer', maxBuffer: 64 << 20 });
    return stdout;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('unzip is not installed (apt-get install unzip)');
    throw e;
  }
}

export const warzone2100Source: RealSource = {
  name: 'warzone2100',
  debPackages: ['warzone2100-data'],
  license: 'warzone2100-data: GPL-2+ (Warzone 2100 Project; original data released under GPL by Pumpkin Studios/Eidos)',
  speakerNote: 'grouped by audio folder (the announcer, transport and VTOL pilots, ...): one voice per folder, a guess',
  async *extract(root: string): AsyncIterable<RealUtterance> {
    const archive = join(root, ARCHIVE);
    const entries = parseWarzoneAudioCfg((await unzipText(archive, 'audio/audio.cfg')).toString('utf8'));
    const { stdout } = await run('unzip', ['-Z1', archive], { maxBuffer: 64 << 20 });
    const where = new Map<string, string>();
    for (const path of stdout.split('\n')) {
      const m = /^audio\/(.+\/)?([^/]+\.ogg)$/.exec(path.trim());
      if (m && !where.has(m[2])) where.set(m[2], path.trim());
    }
    for (const e of entries) {
      const path = where.get(e.file);
      if (!path) continue;
      const folder = path.split('/')[1];
      if (folder === 'sfx') continue;
      // The voice shows in the file name's prefix (pcv: the announcer, com: the commander, ...), else the folder.
      const group = /^(pcv|com|col|v-|t-)/.exec(e.file)?.[1].replace('-', '') ?? folder;
      const d = await decodeAudioBuffer(new Uint8Array(await unzipText(archive, path)), path);
      yield { id: e.file.replace(/\.ogg$/, ''), speaker: `warzone2100:${group}`, text: e.text, pcm: d.samples, sampleRate: d.sampleRate };
    }
  },
};
