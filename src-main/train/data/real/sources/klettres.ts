/**
 * KLettres (Debian main, klettres-data): letters and short words for children learning to read,
 * one speaker per language folder: `en` (US English) and `en_GB`. `sounds.xml` names each Ogg file
 * with the letter or word it says; letters become their letter names, and syllables that are not
 * dictionary words ("ch") are left out by the set builder's pronunciation check.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RealSource, RealUtterance } from '../real-source.ts';
import { readAudio } from '../decode-file.ts';
import { letterNameText } from '../letter-names.ts';

const BASE = 'usr/share/klettres';

/** `<sound name="X" file="en/alpha/X.ogg" />` entries of a sounds.xml, in order. */
export function parseKlettresSounds(xml: string): { name: string; file: string; letter: boolean }[] {
  const out: { name: string; file: string; letter: boolean }[] = [];
  for (const m of xml.matchAll(/<sound\s+name="([^"]+)"\s+file="([^"]+)"\s*\/>/g)) {
    out.push({ name: m[1], file: m[2], letter: /\/alpha\//.test(m[2]) });
  }
  return out;
}

export const klettresSource: RealSource = {
  name: 'klettres',
  debPackages: ['klettres-data'],
  license: 'klettres-data: GPL-2+ (KDE Education; sounds recorded for KLettres)',
  speakerNote: 'one speaker per language folder (en: US English, en_GB: British English)',
  async *extract(root: string): AsyncIterable<RealUtterance> {
    for (const lang of ['en', 'en_GB']) {
      const xml = await readFile(join(root, BASE, lang, 'sounds.xml'), 'utf8');
      for (const s of parseKlettresSounds(xml)) {
        if (!s.file.startsWith(`${lang}/`)) continue;
        const text = s.letter ? letterNameText(s.name) : s.name.toLowerCase();
        const { pcm, sampleRate } = await readAudio(join(root, BASE, s.file));
        const stem = s.file.replace(/^.*\//, '').replace(/\.ogg$/, '');
        yield { id: `${lang}.${s.letter ? 'letter' : 'word'}.${stem}`, speaker: `klettres:${lang}`, text, pcm, sampleRate };
      }
    }
  },
};
