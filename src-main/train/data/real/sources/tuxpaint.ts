/**
 * Tux Paint stamps (Debian main, tuxpaint-stamps-default): many stamps carry a spoken English
 * description `NAME_desc.ogg` whose text is the first line of `NAME.txt`. Recorded by several
 * contributors over the years, not labelled: every description is its own speaker group keyed by
 * the stamp's top folder (animals, food, ...), a guess.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { RealSource, RealUtterance } from '../real-source.ts';
import { readAudio } from '../decode-file.ts';

const BASE = 'usr/share/tuxpaint/stamps';

async function* walk(dir: string): AsyncIterable<string> {
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.name.endsWith('_desc.ogg')) yield p;
  }
}

export const tuxpaintSource: RealSource = {
  name: 'tuxpaint',
  debPackages: ['tuxpaint-stamps-default'],
  license: 'tuxpaint-stamps-default: GPL-2+ (Tux Paint stamps, sounds and descriptions)',
  speakerNote: 'unlabelled contributors; grouped by the stamp\'s top-level folder (a guess)',
  async *extract(root: string): AsyncIterable<RealUtterance> {
    const base = join(root, BASE);
    for await (const ogg of walk(base)) {
      const txt = ogg.replace(/_desc\.ogg$/, '.txt');
      let first: string;
      try { first = (await readFile(txt, 'utf8')).split('\n')[0].trim(); } catch { continue; }
      if (!first || first.includes('=')) continue;
      const rel = relative(base, ogg);
      const { pcm, sampleRate } = await readAudio(ogg);
      yield { id: rel.replace(/_desc\.ogg$/, '').replace(/[^A-Za-z0-9_.-]+/g, '.'), speaker: `tuxpaint:${rel.split('/')[0]}`, text: first, pcm, sampleRate };
    }
  },
};
