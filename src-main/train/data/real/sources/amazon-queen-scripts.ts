/**
 * Flight of the Amazon Queen's dialogue (`*.DOG`) and cutaway (`*.CUT`) files, and how a sentence is
 * cut into the segments that each play one voice file (see amazon-queen.ts for the naming rules).
 */
import { Reader } from './amazon-queen-archive.ts';

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

