/**
 * Beneath a Steel Sky as a real-speech source: each speech clip with the subtitle line it speaks.
 * The data files are read by steel-sky-archive.ts, the text by steel-sky-text.ts. The Huffman tree
 * of the text is not in the game data: it lived in the original executable. The game engine in
 * Debian's `scummvm` package holds it, so the source unpacks that package too and finds the tree in
 * the engine binary (steel-sky-tree.ts: the candidate that decodes the game's own text cleanly).
 * Without the engine the source yields nothing (with a warning); the audio and each clip's line
 * number are still available through `extractSteelSkySpeech` and `extractSteelSkyLines`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RealSource, RealUtterance } from '../real-source.ts';
import { extractSteelSkySpeech, openSkyData, SKY_SPEECH_FIRST, type SkySpeechClip } from './steel-sky-archive.ts';
import { chooseSectionBases, cleanSkyText, decodeHuffMessageBits, loadEnglishText, speechToTextNumber, textSectionTable, type HuffNode } from './steel-sky-text.ts';
import { chooseHuffTree, findHuffTrees } from './steel-sky-tree.ts';

export interface SkySpeechLine extends SkySpeechClip {
  /** section << 12 | index, or null for clips no subtitle line belongs to (the CD intro, unplaced sections). */
  textNumber: number | null;
  /** Where the line's Huffman-coded subtitle starts in its section's bit stream, and its length in bits. */
  bitOffset: number;
  codedBits: number;
}

/** Speech clips with the subtitle line each one speaks (as a text number and its coded bits). */
export async function extractSteelSkyLines(root: string): Promise<{
  lines: SkySpeechLine[];
  sections: Uint8Array[];
  bases: number[];
  correlations: number[];
}> {
  const clips: SkySpeechClip[] = [];
  for await (const c of extractSteelSkySpeech(root)) clips.push(c);
  const data = await openSkyData(root);
  try {
    const sections = await loadEnglishText(data.load);
    const tables = sections.map((b) => textSectionTable(b).messages);
    const durations = new Map(clips.map((c) => [c.fileNr - SKY_SPEECH_FIRST, c.pcm.length / c.sampleRate]));
    const { bases, correlations } = chooseSectionBases(
      durations,
      tables.map((t) => t.map((m) => m.bits)),
    );
    const counts = tables.map((t) => t.length);
    const lines = clips.map((c): SkySpeechLine => {
      const t = speechToTextNumber(c.fileNr - SKY_SPEECH_FIRST, bases, counts);
      const m = t === null ? undefined : tables[t >> 12][t & 0xfff];
      return { ...c, textNumber: t, bitOffset: m?.bitOffset ?? -1, codedBits: m?.bits ?? -1 };
    });
    return { lines, sections, bases, correlations };
  } finally {
    await data.close();
  }
}

export const SPEAKER_NOTE =
  'Unknown: the speech files carry no speaker and this module does not interpret the game scripts that say who speaks each line, so every clip is grouped under the single speaker sky:cast (a dozen actors); the dev/train split therefore keeps the whole game on one side.';

/** Where the ScummVM engine binary sits, relative to the unpacked root. */
export const SCUMMVM_BINARIES = ['usr/games/scummvm', 'usr/bin/scummvm'];

/** Speaking rates outside these bounds (letters of the subtitle per second of audio) mean a clip and a line that do not belong together. */
export const MIN_LETTERS_PER_SECOND = 4;
export const MAX_LETTERS_PER_SECOND = 25;

/** Whether a clip's length fits its line: letters per second within the bounds above. */
export function plausibleRate(text: string, seconds: number): boolean {
  const letters = text.replace(/[^A-Za-z]/g, '').length;
  const rate = letters / seconds;
  return rate >= MIN_LETTERS_PER_SECOND && rate <= MAX_LETTERS_PER_SECOND;
}

/** The subtitle tree from the engine binary under `root`, or null when no engine binary is there. */
export async function huffTreeFromEngine(root: string, sections: readonly Uint8Array[]): Promise<HuffNode[] | null> {
  let bin: Uint8Array | null = null;
  for (const p of SCUMMVM_BINARIES) {
    try {
      bin = new Uint8Array(await readFile(join(root, p)));
      break;
    } catch {
      // try the next place
    }
  }
  if (!bin) return null;
  const messages = sections.flatMap((body, section) =>
    textSectionTable(body).messages.map((m) => ({ section, bitOffset: m.bitOffset, bits: m.bits })),
  );
  return chooseHuffTree(findHuffTrees(bin), sections, messages).tree;
}

export interface SteelSkyOptions {
  /** The Huffman tree of the v0.0372 English text; by default found in the engine binary. */
  huffTree?: readonly HuffNode[];
}

export function createSteelSkySource(options: SteelSkyOptions = {}): RealSource {
  return {
    name: 'steel-sky',
    debPackages: ['beneath-a-steel-sky', 'scummvm'],
    license:
      'Beneath-a-Steel-Sky-License (free redistribution; game content (C) Revolution Software Ltd); the subtitle decoding table is read at build time from the scummvm package (GPL-2+), never stored here',
    speakerNote: SPEAKER_NOTE,
    async *extract(root: string): AsyncIterable<RealUtterance> {
      const { lines, sections } = await extractSteelSkyLines(root);
      const tree = options.huffTree ?? (await huffTreeFromEngine(root, sections));
      if (!tree) {
        process.emitWarning(`steel-sky: no ScummVM engine under ${root} (${SCUMMVM_BINARIES.join(', ')}) to read the subtitle text's Huffman tree from, so no utterances are yielded`);
        return;
      }
      for (const line of lines) {
        if (line.textNumber === null) continue;
        const decoded = decodeHuffMessageBits(sections[line.textNumber >> 12], line.bitOffset, tree, line.codedBits >= 0 ? line.codedBits : Infinity);
        if (!decoded) continue;
        const text = cleanSkyText(decoded.text);
        if (!/[A-Za-z]/.test(text) || !plausibleRate(text, line.pcm.length / line.sampleRate)) continue;
        yield { id: `sky-${line.fileNr}`, speaker: 'sky:cast', text, pcm: line.pcm, sampleRate: line.sampleRate };
      }
    },
  };
}

export const steelSkySource: RealSource = createSteelSkySource();
