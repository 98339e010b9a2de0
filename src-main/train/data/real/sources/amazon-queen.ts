/**
 * Flight of the Amazon Queen (Debian contrib, flight-of-the-amazon-queen): the CD version's speech,
 * ~6,700 MP3 clips (16 kbps, 11,025 Hz) inside one archive, `queen.1c`, with the dialogue text.
 *
 * Which clip says which line (worked out from the data and from reading how the engine names its
 * voice files; no code was copied):
 * - A sentence is cut into segments at each `*XX` command (`*14`, `*WT`, `*XY00(237,112)`, ...); the
 *   n-th segment (counted over every `*`, from 1, in hex) plays `PREFIX` + n + `.SB`, spaces in the
 *   name turned into zeros. `*GD`/`*GM` segments are never spoken.
 * - Dialogues (`*.DOG`, 20-byte header skipped): talk key K; Joe's options with id H play
 *   `%2d%4xJ` (K, H); the other person's lines `%2d%4xP`; Joe's opening line `%2dSSSSJ`, the
 *   second-visit pair `%2dXXXXP` / `%2dXXXXJ`.
 * - Cutaways (`*.CUT`, 20-byte header skipped): object i (from 1) says the i-th sentence of the
 *   sentence list as `NAME_` (padded or cut to 5 characters) + `%02d`; object 0 (or -1) is Joe, a
 *   positive object is a person of the game (QUEEN.JAS), -2/-3 are captions spoken by someone
 *   unnamed (left out), -4 is display only.
 * - Joe's remarks: `JOE%04d` + segment: numbers 1..40 are the stock responses, 41.. the object
 *   descriptions (number - 40), both lines of QUEEN2.JAS.
 * Speakers: the game's actor names (QUEEN.JAS actor table + QUEEN2.JAS), found from the person
 * object's room and person slot; dialogue files get their person from the command that starts them
 * (or the cutaway that does). Where the game picks between several actors by game state (the
 * princess or her robot double, an Amazon guard or the Amazon princess, ...) the line is left out
 * unless the dialogue file's name settles it. Also left out: sound effects, captions read by an
 * unnamed voice (the intro comic, ...), and files two lines claim with different text.
 * The archive is read by amazon-queen-archive.ts, the dialogue and cutaway files by
 * amazon-queen-scripts.ts, the game tables by amazon-queen-actors.ts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RealSource, RealUtterance } from '../real-source.ts';
import { decodeAudioBuffer } from '../../../../audio/index.ts';
import { AMAZON_QUEEN_ARCHIVE, RESOURCE_HEADER, entryBytes, latin1, parseQueenTable, type QueenTable } from './amazon-queen-archive.ts';
import { parseCutaway, parseDialogue, splitSpeechSegments, voiceFileName, type Cutaway, type Dialogue } from './amazon-queen-scripts.ts';
import { canonicalSpeaker, JOE_RESPONSE_COUNT, parseGameTables, personSpeaker } from './amazon-queen-actors.ts';

/** The line as shown, without command residue or stage directions (`<sneeze>`); empty when nothing speakable remains. */
export function cleanText(s: string): string {
  const t = s
    .replace(/\*[A-Z0-9]{2}/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/[*#<>]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return /[A-Za-z0-9]/.test(t) ? t : '';
}

// ---------------------------------------------------------------- the mapping

export interface AmazonQueenLine {
  /** Voice file name in the archive, e.g. 020006P2.SB. */
  file: string;
  speaker: string;
  text: string;
  /** Where the line comes from (dialogue or cutaway file, or JOE). */
  from: string;
}

/** Every voice file whose line and speaker the game data determine, one line per file. */
export function mapAmazonQueenLines(buf: Uint8Array, table: QueenTable): { lines: AmazonQueenLine[]; notes: string[] } {
  const notes: string[] = [];
  const jas = entryBytes(buf, table, 'QUEEN.JAS', RESOURCE_HEADER);
  const jas2 = entryBytes(buf, table, 'QUEEN2.JAS');
  if (!jas || !jas2) throw new Error('queen.1c: QUEEN.JAS or QUEEN2.JAS missing');
  const t = parseGameTables(jas, latin1.decode(jas2));
  const isPerson = (obj: number) => obj > 0 && obj <= t.numObjects && (t.objects[obj].image === -3 || t.objects[obj].image === -4);
  const byFile = new Map<string, AmazonQueenLine[]>();
  const add = (prefix: string, sentence: string, speaker: string | undefined, from: string) => {
    for (const seg of splitSpeechSegments(sentence)) {
      const text = cleanText(seg.text);
      if (!text) continue;
      const file = voiceFileName(prefix, seg.index);
      if (!table.entries.has(file)) continue;
      const list = byFile.get(file) ?? [];
      list.push({ file, speaker: speaker ?? '', text, from });
      byFile.set(file, list);
    }
  };
  const names = [...table.entries.keys()].sort();
  // cutaways first: they also tell which person some dialogues are with
  const dialogueTalkTo = new Map<string, number>();
  for (const name of names.filter((n) => n.endsWith('.CUT'))) {
    let cut: Cutaway;
    try {
      cut = parseCutaway(name, entryBytes(buf, table, name, RESOURCE_HEADER)!, isPerson, t.numObjects, t.numRooms);
    } catch (e) {
      notes.push(`${name}: ${(e as Error).message}`);
      continue;
    }
    if (!cut.parsed) notes.push(`${name}: object list not parsed, its person lines left out`);
    if (/\.dog$/i.test(cut.talkFile) && cut.talkTo > 0) dialogueTalkTo.set(cut.talkFile.toUpperCase(), cut.talkTo);
    for (const s of cut.sentences) {
      if (typeof s.who === 'number' && s.who < 0) continue; // captions (unnamed voice) and unparsed objects
      const speaker = s.who === 'joe' ? 'joe' : personSpeaker(t, s.who as number);
      add(s.prefix, s.text, speaker, name);
    }
  }
  for (const name of names.filter((n) => n.endsWith('.DOG'))) {
    let d: Dialogue;
    try {
      d = parseDialogue(entryBytes(buf, table, name, RESOURCE_HEADER)!);
    } catch (e) {
      notes.push(`${name}: ${(e as Error).message}`);
      continue;
    }
    const base = name.replace(/\.DOG$/, '');
    const stem = base.replace(/\d+$/, '');
    const persons = [...(t.dialoguePersons.get(name) ?? []), ...(dialogueTalkTo.has(name) ? [dialogueTalkTo.get(name)!] : [])];
    let person: string | undefined;
    for (const obj of persons) person ??= personSpeaker(t, obj, base);
    if (!person) {
      // no command or cutaway names the person: the actor whose name the file name starts with
      const actor = [...new Set(t.actors.map((a) => canonicalSpeaker(a.name)))].filter((a) => a.startsWith(stem.toLowerCase()) || stem.toLowerCase().startsWith(a));
      if (actor.length === 1) person = actor[0];
      else notes.push(`${name}: person unknown (${actor.join(',') || 'no actor'}), its person lines left out`);
    }
    for (const s of d.sentences) add(s.prefix, s.text, s.who === 'joe' ? 'joe' : person, name);
  }
  // Joe's remarks
  for (let n = 1; n <= JOE_RESPONSE_COUNT + t.descriptions.length; n++) {
    const text = n <= JOE_RESPONSE_COUNT ? t.joeResponses[n - 1] : t.descriptions[n - JOE_RESPONSE_COUNT - 1];
    if (!text || /\.(dog|cut)$/i.test(text.trim())) continue;
    add(`JOE${String(n).padStart(4, '0')}`, text, 'joe', 'JOE');
  }
  const lines: AmazonQueenLine[] = [];
  for (const [file, list] of byFile) {
    const first = list[0];
    if (list.some((l) => l.text !== first.text || l.speaker !== first.speaker)) {
      notes.push(`${file}: claimed by ${list.map((l) => l.from).join(', ')} with different lines, left out`);
      continue;
    }
    if (!first.speaker) continue;
    lines.push(first);
  }
  lines.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { lines, notes };
}

export async function readAmazonQueenArchive(root: string): Promise<{ buf: Uint8Array; table: QueenTable }> {
  const buf = new Uint8Array(await readFile(join(root, AMAZON_QUEEN_ARCHIVE)));
  const table = parseQueenTable(buf);
  if (table.compression !== 1) throw new Error(`queen.1c: compression ${table.compression}, expected 1 (MP3)`);
  return { buf, table };
}

export const amazonQueenSource: RealSource = {
  name: 'amazon-queen',
  debPackages: ['flight-of-the-amazon-queen'],
  license:
    'Flight-of-the-Amazon-Queen-License (John Passfield and Steven Stamatiadis): free to distribute, modify and include in distributions; not to be sold on its own',
  speakerNote:
    "the game's actor names (QUEEN.JAS actor table), found from the person object's room and slot; variants of one character (X2_JOE, JOE-H, SPARKY-F; PRINCESS1 = Azura) merged; lines whose actor depends on game state left out; Joe (the hero, ~100 min) is one speaker",
  async *extract(root: string): AsyncIterable<RealUtterance> {
    const { buf, table } = await readAmazonQueenArchive(root);
    const { lines } = mapAmazonQueenLines(buf, table);
    for (const line of lines) {
      const bytes = entryBytes(buf, table, line.file)!;
      let d;
      try {
        d = await decodeAudioBuffer(bytes.slice(), line.file);
      } catch {
        continue;
      }
      if (d.samples.length === 0) continue;
      yield { id: line.file.replace(/\.SB$/, ''), speaker: `aq:${line.speaker}`, text: line.text, pcm: d.samples, sampleRate: d.sampleRate };
    }
  },
};
