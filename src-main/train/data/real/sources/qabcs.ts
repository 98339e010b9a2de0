/**
 * qABCs (Debian main, qabcs-data): an alphabet for children; per English variant (`en`, `en_gb`)
 * one speaker says each letter (`sounds/alpha/x.ogg`) and the object words shown with it
 * (`sounds/words/electric_guitar.ogg`, the file name is the text).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RealSource, RealUtterance } from '../real-source.ts';
import { readAudio } from '../decode-file.ts';
import { letterNameText } from '../letter-names.ts';

const BASE = 'usr/share/qabcs/abcs';

export const qabcsSource: RealSource = {
  name: 'qabcs',
  debPackages: ['qabcs-data'],
  license: 'qabcs-data: GPL-3+ (sounds per debian/copyright; a few pictures CC0/public domain)',
  speakerNote: 'one speaker per English variant folder (en, en_gb)',
  async *extract(root: string): AsyncIterable<RealUtterance> {
    for (const lang of ['en', 'en_gb']) {
      for (const kind of ['alpha', 'words'] as const) {
        const dir = join(root, BASE, lang, 'sounds', kind);
        let files: string[];
        try { files = (await readdir(dir)).filter((f) => f.endsWith('.ogg')).sort(); } catch { continue; }
        for (const f of files) {
          const stem = f.slice(0, -4);
          const text = kind === 'alpha' ? (/^[a-z]$/i.test(stem) ? letterNameText(stem) : '') : stem.replace(/_/g, ' ');
          if (!text) continue;
          const { pcm, sampleRate } = await readAudio(join(dir, f));
          yield { id: `${lang}.${kind}.${stem}`, speaker: `qabcs:${lang}`, text, pcm, sampleRate };
        }
      }
    }
  },
};
