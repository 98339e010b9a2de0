/**
 * saytime (Debian main): one speaker (David C. Dawson) saying numbers 0-20, tens to 50 and time
 * words, 8 kHz mu-law `.au` files in /usr/share/saytime named by what they say.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RealSource, RealUtterance } from '../real-source.ts';
import { readSunAu } from '../sun-au.ts';
import { cardinalWords } from '../../../../lexicon/number-words.ts';

const DIR = 'usr/share/saytime';
/** File stems that are not numbers: their words (am/pm are letter names, kept out: ambiguous). */
const WORDS: Record<string, string> = {
  the_time_is: 'the time is', oclock: "o'clock", oh: 'oh', and: 'and', exactly: 'exactly',
  hour: 'hour', hours: 'hours', minute: 'minute', minutes: 'minutes', second: 'second', seconds: 'seconds',
};

export const saytimeSource: RealSource = {
  name: 'saytime',
  debPackages: ['saytime'],
  license: 'saytime: permissive (Jef Poskanzer, 1990: use, copy, modify, distribute); sound files by David C Dawson, distributed with it in Debian main',
  speakerNote: 'one speaker for every file',
  async *extract(root: string): AsyncIterable<RealUtterance> {
    const dir = join(root, DIR);
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.au')).sort()) {
      const stem = file.slice(0, -3);
      const text = /^\d+$/.test(stem) ? cardinalWords(Number(stem)).join(' ') : WORDS[stem];
      if (!text) continue;
      const { pcm, sampleRate } = readSunAu(await readFile(join(dir, file)), file);
      yield { id: stem, speaker: 'saytime:dawson', text, pcm, sampleRate };
    }
  },
};
