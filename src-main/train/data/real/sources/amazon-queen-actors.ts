/**
 * Flight of the Amazon Queen's game tables (QUEEN.JAS actor table, commands and game states;
 * QUEEN2.JAS names) and who speaks for a person object.
 */
import { Reader, latin1 } from './amazon-queen-archive.ts';

/** Joe's stock responses come first among the JOE%04d files. */
export const JOE_RESPONSE_COUNT = 40;

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

