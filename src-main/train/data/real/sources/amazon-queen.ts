/**
 * Flight of the Amazon Queen (Debian contrib, flight-of-the-amazon-queen): the CD version's speech,
 * ~6,700 MP3 clips (16 kbps, 11,025 Hz) inside one archive, `queen.1c`, with the dialogue text.
 *
 * Archive (`queen.1c`, a "rebuilt" ScummVM data file): "QTBL", a 6-byte version string ("CEM10\0"),
 * 2 unused bytes, a compression byte (1: MP3), a big-endian u16 entry count, then per entry a
 * 12-byte NUL-padded upper-case name, a bundle byte, u32 offset and u32 size (all big-endian).
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
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RealSource, RealUtterance } from '../real-source.ts';
import { decodeAudioBuffer } from '../../../../audio/index.ts';

export const AMAZON_QUEEN_ARCHIVE = 'usr/share/scummvm/flight-of-the-amazon-queen/queen.1c';
/** Joe's stock responses come first among the JOE%04d files. */
const JOE_RESPONSE_COUNT = 40;
/** DOG, CUT and QUEEN.JAS files start with a header the engine skips. */
const RESOURCE_HEADER = 20;

// ---------------------------------------------------------------- archive table

export interface QueenEntry {
  name: string;
  bundle: number;
  offset: number;
  size: number;
}

export interface QueenTable {
  version: string;
  compression: number;
  entries: Map<string, QueenEntry>;
}

const latin1 = new TextDecoder('latin1');

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return latin1.decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/** Reads the table of contents at the start of a rebuilt `queen.1c`. Throws on anything else. */
export function parseQueenTable(buf: Uint8Array): QueenTable {
  if (buf.length < 15 || latin1.decode(buf.subarray(0, 4)) !== 'QTBL') throw new Error('not a rebuilt queen.1c (no QTBL header)');
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const version = cString(buf.subarray(4, 10));
  const compression = buf[12];
  const count = dv.getUint16(13);
  const entries = new Map<string, QueenEntry>();
  let p = 15;
  if (p + count * 21 > buf.length) throw new Error(`queen.1c table of ${count} entries runs past the end of the file`);
  for (let i = 0; i < count; i++, p += 21) {
    const name = cString(buf.subarray(p, p + 12)).toUpperCase();
    const e = { name, bundle: buf[p + 12], offset: dv.getUint32(p + 13), size: dv.getUint32(p + 17) };
    if (e.offset + e.size > buf.length) throw new Error(`queen.1c entry ${name} runs past the end of the file`);
    entries.set(name, e);
  }
  return { version, compression, entries };
}

export function entryBytes(buf: Uint8Array, table: QueenTable, name: string, skip = 0): Uint8Array | undefined {
  const e = table.entries.get(name.toUpperCase());
  return e ? buf.subarray(e.offset + skip, e.offset + e.size) : undefined;
}

// ---------------------------------------------------------------- byte helpers

class Reader {
  readonly dv: DataView;
  constructor(readonly b: Uint8Array) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  i16(o: number): number {
    if (o < 0 || o + 2 > this.b.length) throw new RangeError(`read past end at ${o}`);
    return this.dv.getInt16(o);
  }
  u16(o: number): number {
    if (o < 0 || o + 2 > this.b.length) throw new RangeError(`read past end at ${o}`);
    return this.dv.getUint16(o);
  }
  /** A length-prefixed string; the next offset is rounded up to `align` when the string is not empty. */
  str(o: number, align = 2): { s: string; next: number } {
    if (o >= this.b.length) throw new RangeError(`string past end at ${o}`);
    const len = this.b[o];
    const start = o + 1;
    if (start + len > this.b.length) throw new RangeError(`string past end at ${o}`);
    const s = latin1.decode(this.b.subarray(start, start + len));
    const next = len ? (start + len + align - 1) & ~(align - 1) : start;
    return { s, next };
  }
}

// ---------------------------------------------------------------- sentences

export interface SpeechSegment {
  /** 1-based, as used in the voice file name (written in hex). */
  index: number;
  text: string;
}

/** Cuts a game sentence at its `*XX` commands into the segments that each play one voice file. */
export function splitSpeechSegments(sentence: string): SpeechSegment[] {
  const out: SpeechSegment[] = [];
  let i = 0;
  let start = 0;
  let index = 0;
  while (i < sentence.length) {
    if (sentence[i] !== '*') {
      i++;
      continue;
    }
    const text = sentence.slice(start, i);
    const code = sentence.slice(i + 1, i + 3);
    i += 3;
    if (code === 'XY') i += 11;
    if (code !== 'GD' && code !== 'GM') out.push({ index: index + 1, text });
    index++;
    start = i;
  }
  if (start < sentence.length) out.push({ index: index + 1, text: sentence.slice(start) });
  return out;
}

/** The voice file name for a prefix and a 1-based segment: blanks become zeros, `.SB` appended. */
export function voiceFileName(prefix: string, segment: number): string {
  return `${prefix}${segment.toString(16)}`.replace(/ /g, '0').toUpperCase() + '.SB';
}

function pad(n: number, width: number, radix = 10): string {
  return n.toString(radix).padStart(width, ' ');
}

// ---------------------------------------------------------------- dialogues

export interface VoicedSentence {
  /** Voice file prefix; add the segment number (see voiceFileName). */
  prefix: string;
  text: string;
  /** 'joe', or 'person' (the one Joe talks to), or an object number (cutaways). */
  who: 'joe' | 'person' | number;
}

export interface Dialogue {
  talkKey: number;
  sentences: VoicedSentence[];
}

/** Parses a dialogue file (without its 20-byte header). */
export function parseDialogue(data: Uint8Array): Dialogue {
  const r = new Reader(data);
  const levels = Math.abs(r.i16(0));
  const talkKey = r.i16(4);
  const joeMax = r.i16(6);
  const personMax = r.i16(8);
  const person1Off = r.u16(22);
  const person2Off = r.u16(26);
  const joeOff = 32 + levels * 96;
  const table = (off: number, count: number): { id: number; text: string }[] => {
    const rows: { id: number; text: string }[] = [];
    for (let i = 0; i < count; i++) {
      const id = r.i16(off + 2);
      const { s, next } = r.str(off + 4, 4);
      rows.push({ id, text: s });
      off = next;
    }
    return rows;
  };
  const sentences: VoicedSentence[] = [];
  const key = pad(talkKey, 2);
  const joe = table(joeOff, joeMax);
  if (joeMax > 0 && r.u16(joeOff + 2) === 0 && joe[0].text !== '0') {
    sentences.push({ prefix: `${key}SSSSJ`, text: joe[0].text, who: 'joe' });
  }
  for (const row of joe) if (row.id > 0) sentences.push({ prefix: `${key}${pad(row.id, 4, 16)}J`, text: row.text, who: 'joe' });
  for (const row of table(person1Off, personMax)) {
    if (row.id > 0) sentences.push({ prefix: `${key}${pad(row.id, 4, 16)}P`, text: row.text, who: 'person' });
  }
  const again = r.str(person2Off);
  const againJoe = r.str(again.next);
  if (again.s !== '0') sentences.push({ prefix: `${key}XXXXP`, text: again.s, who: 'person' });
  if (againJoe.s !== '0') sentences.push({ prefix: `${key}XXXXJ`, text: againJoe.s, who: 'joe' });
  return { talkKey, sentences };
}

// ---------------------------------------------------------------- cutaways

export interface Cutaway {
  sentences: VoicedSentence[];
  /** The dialogue the cutaway starts at its end, and the (global) object number of its person. */
  talkFile: string;
  talkTo: number;
  /** False when the object list could not be parsed: then `who` is unknown (-999) for persons. */
  parsed: boolean;
}

const UNKNOWN_OBJECT = -999;

interface CutObject {
  number: number;
  kind: 'person' | 'text' | 'other';
}

/**
 * Parses a cutaway file (without its 20-byte header). `isPerson(obj)` says whether a game object
 * is a person (its image is -3 or -4 in QUEEN.JAS): it decides whether an object carries animation
 * frames, so the parse tries the other reading where the data says otherwise.
 */
export function parseCutaway(name: string, data: Uint8Array, isPerson: (obj: number) => boolean, numObjects = 10000, numRooms = 1000): Cutaway {
  const r = new Reader(data);
  const base = name.replace(/\.CUT$/i, '').toUpperCase();
  const prefix5 = (base + '_____').slice(0, 5);
  const count = Math.abs(r.i16(2));
  let sentenceOff = r.u16(8);
  const bankNamesOff = r.u16(10);
  // bank names, then the talk file and the person it talks to
  let off = bankNamesOff;
  const banks = r.u16(off);
  off += 2;
  for (let i = 0; i < banks; i++) off = r.str(off).next;
  const talk = r.str(off);
  const talkTo = r.i16(talk.next);
  // sentences: the entry string, then one per object
  sentenceOff = r.str(sentenceOff).next;
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const { s, next } = r.str(sentenceOff);
    texts.push(s);
    sentenceOff = next;
  }
  const objects = parseCutObjects(r, count, isPerson, numObjects, numRooms);
  const sentences: VoicedSentence[] = [];
  for (let i = 0; i < count; i++) {
    const s = texts[i];
    if (!s || s === '*' || s.startsWith('#')) continue;
    const prefix = `${prefix5}${String(i + 1).padStart(2, '0')}`;
    const o = objects?.[i];
    if (o && o.kind === 'other') continue;
    if (o && o.kind === 'text') continue; // captions: an unnamed voice (-2, -3) or not spoken (-4)
    const who = o ? (o.number <= 0 ? 'joe' : o.number) : UNKNOWN_OBJECT;
    sentences.push({ prefix, text: s, who });
  }
  return { sentences, talkFile: talk.s, talkTo, parsed: objects !== undefined };
}

function parseCutObjects(r: Reader, count: number, isPerson: (obj: number) => boolean, numObjects: number, numRooms: number): CutObject[] | undefined {
  const out: CutObject[] = [];
  const walk = (i: number, ptr: number): boolean => {
    if (i === count) return true;
    let f: number[];
    let persons: number;
    try {
      f = Array.from({ length: 17 }, (_, k) => r.i16(ptr + 2 * k));
      persons = r.i16(ptr + 34);
    } catch {
      return false;
    }
    const [num, , , , animList, execute, , , , , , , fromObject, , , room] = f;
    if (num < -4 || num > numObjects || room < -1 || room > numRooms || persons < 0 || persons > 20) return false;
    let p = ptr + 36;
    for (let k = 0; k < persons; k++, p += 2) {
      const who = r.i16(p);
      if (who < -1 || who > numObjects) return false;
    }
    // what the engine does with this object, and the readings to try
    const readings: CutObject['kind'][] = [];
    let anim = false;
    let ambiguous = false;
    let kind: CutObject['kind'] = 'other';
    if (num === -2 || num === -3 || num === -4) kind = 'text';
    else if (fromObject > 0) kind = 'other';
    else if (num <= 0) {
      if (animList === 0) kind = 'person';
      else anim = execute !== 0;
    } else if (animList === 0) {
      ambiguous = execute !== 0;
      if (isPerson(num)) kind = 'person';
      else anim = execute !== 0;
    } else anim = execute !== 0;
    readings.push(anim ? 'other' : kind);
    if (ambiguous) readings.push(anim ? 'person' : 'other');
    for (const [n, reading] of readings.entries()) {
      const withAnim = n === 0 ? anim : !anim;
      let q = p;
      if (withAnim) {
        let ok = false;
        for (let frames = 0; frames < 60; frames++) {
          let h: number;
          try {
            h = r.i16(q);
          } catch {
            break;
          }
          q += 2;
          if (h === -2) {
            ok = true;
            break;
          }
          if (h < -1 || h > 1000) break;
          q += 18;
        }
        if (!ok) continue;
      }
      out[i] = { number: num, kind: withAnim ? 'other' : reading };
      if (walk(i + 1, q)) return true;
    }
    return false;
  };
  return walk(0, 12) ? out.slice(0, count) : undefined;
}

// ---------------------------------------------------------------- game tables (QUEEN.JAS, QUEEN2.JAS)

export interface GameTables {
  numObjects: number;
  numRooms: number;
  /** Per object (1-based): name index (into objectNames), room, image. */
  objects: { name: number; room: number; image: number }[];
  roomFirst: number[];
  objectNames: string[];
  descriptions: string[];
  joeResponses: string[];
  actors: { room: number; bob: number; name: string; gsSlot: number }[];
  /** Dialogue file (upper case) → the person objects whose commands start it. */
  dialoguePersons: Map<string, number[]>;
}

function findActorTable(r: Reader, end: number): { at: number; n: number; anims: number; names: number; files: number } {
  for (let q = 0; q + 8 <= end; q += 2) {
    const n = r.u16(q);
    const anims = r.u16(q + 2);
    const names = r.u16(q + 4);
    const files = r.u16(q + 6);
    if (!(n > 10 && n < 400 && anims > 0 && anims < 200 && names > 0 && names < 200 && files > 0 && files < 200)) continue;
    const p = q + 8 + n * 24;
    if (p + 2 > end) continue;
    const g = r.u16(p);
    if (p + 2 + Math.max(g, 1) * 6 === end) return { at: q, n, anims, names, files };
  }
  throw new Error('QUEEN.JAS: actor table not found');
}

/** A table of `count` records of `size` bytes preceded by its u16 count, ending at `end`. */
function tableEndingAt(r: Reader, end: number, size: number, max = 4000): { count: number; at: number }[] {
  const found: { count: number; at: number }[] = [];
  for (let c = 1; c < max; c++) {
    const at = end - size * c - 2;
    if (at < 0) break;
    if (r.u16(at) === c) found.push({ count: c, at });
  }
  return found;
}

/** Finds the command list and its game-state table, searching back from the furniture table. */
function findCommands(r: Reader, actorsAt: number): { list: { at: number; n: number }; states: { at: number; n: number } } | undefined {
  for (const fur of tableEndingAt(r, actorsAt, 4, 1000)) {
    const cmdEnd = fur.at - 2; // entry object
    for (const gs of tableEndingAt(r, cmdEnd, 8)) {
      for (const inv of tableEndingAt(r, gs.at, 6)) {
        for (const obj of tableEndingAt(r, inv.at, 6)) {
          for (const area of tableEndingAt(r, obj.at, 6)) {
            for (const list of tableEndingAt(r, area.at, 20)) {
              // the command list should name verbs 0..20 and objects in range
              let ok = list.count > 100;
              for (let i = 0; ok && i < list.count; i++) {
                const verb = r.i16(list.at + 2 + 20 * i);
                if (verb < 0 || verb > 40) ok = false;
              }
              if (ok) return { list: { at: list.at, n: list.count }, states: { at: gs.at, n: gs.count } };
            }
          }
        }
      }
    }
  }
  return undefined;
}

export function parseGameTables(jas: Uint8Array, jas2: string): GameTables {
  const r = new Reader(jas);
  const numRooms = r.u16(0);
  const numNames = r.u16(2);
  const numObjects = r.u16(4);
  const numDescriptions = r.u16(6);
  const objects: GameTables['objects'] = [{ name: 0, room: 0, image: 0 }];
  let p = 8;
  for (let i = 1; i <= numObjects; i++, p += 16) objects.push({ name: r.i16(p), room: r.u16(p + 10), image: r.i16(p + 14) });
  const roomFirst: number[] = [0];
  for (let i = 1; i <= numRooms + 1; i++, p += 2) roomFirst.push(r.u16(p));
  roomFirst[numRooms + 1] = numObjects;
  const lines = jas2.split('\n').map((l) => l.replace(/\r$/, ''));
  const descriptions = lines.slice(0, numDescriptions);
  const objectNames = lines.slice(numDescriptions, numDescriptions + numNames);
  const respAt = numDescriptions + numNames + numRooms + 12;
  const joeResponses = lines.slice(respAt, respAt + JOE_RESPONSE_COUNT);
  const version = latin1.decode(jas).lastIndexOf('CEM10');
  const end = version > 0 ? version : jas.length;
  const at = findActorTable(r, end);
  const actorNames = lines.slice(respAt + JOE_RESPONSE_COUNT + at.anims, respAt + JOE_RESPONSE_COUNT + at.anims + at.names);
  const actors: GameTables['actors'] = [];
  for (let i = 0; i < at.n; i++) {
    const q = at.at + 8 + 24 * i;
    actors.push({ room: r.i16(q), bob: r.i16(q + 2), name: actorNames[r.u16(q + 4) - 1] ?? '', gsSlot: r.i16(q + 6) });
  }
  const dialoguePersons = new Map<string, number[]>();
  const cmds = findCommands(r, at.at);
  if (cmds) {
    for (let i = 0; i < cmds.states.n; i++) {
      const q = cmds.states.at + 2 + 8 * i;
      const id = r.i16(q);
      const speak = r.u16(q + 6);
      const desc = descriptions[speak - 1];
      if (!speak || !desc || !/\.dog$/i.test(desc.trim()) || id < 1 || id > cmds.list.n) continue;
      const obj = r.i16(cmds.list.at + 2 + 20 * (id - 1) + 2);
      if (obj > 0 && obj <= numObjects) {
        const key = desc.trim().toUpperCase();
        const list = dialoguePersons.get(key) ?? [];
        if (!list.includes(obj)) list.push(obj);
        dialoguePersons.set(key, list);
      }
    }
  }
  return { numObjects, numRooms, objects, roomFirst, objectNames, descriptions, joeResponses, actors, dialoguePersons };
}

/** Canonical speaker for an actor name: variants of one character (X2_JOE, JOE-H, SPARKY-F) merged. */
export function canonicalSpeaker(actor: string): string {
  let a = actor.toUpperCase().trim();
  a = a.replace(/^X\d+_/, '').replace(/[-_](H|E|F)$/, '').replace(/_(STAND|SHOWER)$/, '');
  if (a === 'ANDSON') a = 'ANDERSON';
  if (a === 'SPARK') a = 'SPARKY';
  if (a === 'PRINCESS1') a = 'AZURA'; // the object is "Princess Azura"; AZURA-H and AZURA-E are her close-ups
  return a.toLowerCase();
}

/**
 * The actor name for a person object: the actor of the object's room in the same person slot.
 * Where several actors share the slot (the game picks one by game state), only a name `hint` (a
 * dialogue file's stem) can settle it; otherwise the speaker is unknown.
 */
export function personSpeaker(t: GameTables, obj: number, hint?: string): string | undefined {
  const o = t.objects[obj];
  if (!o || (o.image !== -3 && o.image !== -4)) return undefined;
  let slot = 0;
  for (let i = t.roomFirst[o.room] + 1; i <= obj; i++) if (t.objects[i].image === -3 || t.objects[i].image === -4) slot++;
  const names = [...new Set(t.actors.filter((a) => a.room === o.room && a.bob === slot).map((a) => canonicalSpeaker(a.name)))];
  if (names.length <= 1) return names[0];
  if (!hint) return undefined;
  const h = hint.toLowerCase();
  if (names.includes(h)) return h;
  const stemOfHint = h.replace(/\d+$/, '');
  const byHint = names.filter((n) => {
    const stem = n.replace(/\d+$/, '');
    return stemOfHint.length >= 3 && (stem.startsWith(stemOfHint) || stemOfHint.startsWith(stem));
  });
  return byHint.length === 1 ? byHint[0] : undefined;
}

// ---------------------------------------------------------------- text

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
