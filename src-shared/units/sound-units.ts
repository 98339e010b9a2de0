/**
 * Sound units: non-speech sounds (a clap, a whistle, a click) the user recorded as commands.
 * A sound is an extra output unit of the acoustic model named `<sound:NAME>`, NAME matching
 * SOUND_NAME_RE. A model's units are UNITS (blank + phonemes, fixed ids 0..UNITS.length-1)
 * followed by zero or more distinct sound units, so phoneme ids are the same in every model and
 * a sound's id is its position in that model's units list.
 *
 * In phrase, word and keyword lists a sound is written as its unit name (`<sound:clap>`); its
 * pronunciation is that single unit.
 */
import { UNITS, phonemeId } from './phonemes.ts';

/** Allowed sound names: lower-case letters, digits and '-', 1 to 32 characters. */
export const SOUND_NAME_RE = /^[a-z0-9-]{1,32}$/;

const SOUND_UNIT_RE = /^<sound:([a-z0-9-]{1,32})>$/;
/** A sound token inside free text; the name is checked separately so a bad name gets a clear error. */
const SOUND_TOKEN_RE = /<sound:([^<>]*)>/gi;

/** The unit name of sound `name`: "clap" -> "<sound:clap>". Throws on a name outside SOUND_NAME_RE. */
export function soundUnit(name: string): string {
  if (typeof name !== 'string' || !SOUND_NAME_RE.test(name)) {
    throw new Error(`invalid sound name ${JSON.stringify(name)}: use 1 to 32 lower-case letters, digits or '-'`);
  }
  return `<sound:${name}>`;
}

/** Whether `symbol` is a well-formed sound unit name (exact spelling, no surrounding space). */
export function isSoundUnit(symbol: unknown): symbol is string {
  return typeof symbol === 'string' && SOUND_UNIT_RE.test(symbol);
}

/** The NAME of a sound unit `<sound:NAME>`, or null when `symbol` is not one. */
export function soundNameOf(symbol: string): string | null {
  const m = SOUND_UNIT_RE.exec(symbol);
  return m ? m[1] : null;
}

/**
 * The sound unit a phrase item consists of, or null when the text is not exactly one sound token.
 * Surrounding white space and letter case are forgiven ("  <Sound:Clap> " -> "<sound:clap>");
 * a sound token with an invalid name throws, so a typo is not taken for words.
 */
export function parseSoundPhrase(text: string): string | null {
  const t = text.trim();
  const m = /^<sound:([^<>]*)>$/i.exec(t);
  if (!m) return null;
  return soundUnit(m[1].toLowerCase());
}

/**
 * A phrase's text split into sound units and the text around them, in order: "<sound:clap> next"
 * -> [{ sound: "<sound:clap>" }, { text: " next" }]. Text parts may be blank. Throws on a sound
 * token whose name is invalid.
 */
export function splitSoundTokens(text: string): ({ sound: string } | { text: string })[] {
  const out: ({ sound: string } | { text: string })[] = [];
  let at = 0;
  for (const m of text.matchAll(SOUND_TOKEN_RE)) {
    if (m.index > at) out.push({ text: text.slice(at, m.index) });
    out.push({ sound: soundUnit(m[1].toLowerCase()) });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/** The sound units of a model's units list, in order. */
export function soundUnitsOf(units: readonly string[]): string[] {
  return units.slice(UNITS.length).filter(isSoundUnit);
}

/**
 * Why `units` is not a valid model unit list (null when it is): it must start with UNITS exactly
 * and continue with zero or more distinct sound units. The reason names the first offending index.
 */
export function unitListProblem(units: readonly unknown[]): string | null {
  const n = UNITS.length;
  for (let i = 0; i < n; i++) {
    if (units[i] !== UNITS[i]) {
      return `units differ from this build's phoneme inventory at index ${i} (model ${JSON.stringify(units[i] ?? null)}, expected ${JSON.stringify(UNITS[i])}; model has ${units.length} units, expected ${n})`;
    }
  }
  const seen = new Set<string>();
  for (let i = n; i < units.length; i++) {
    const u = units[i];
    if (!isSoundUnit(u)) {
      return `units[${i}] is ${JSON.stringify(u ?? null)}: after the ${n} phoneme units a model may only list sound units "<sound:NAME>" (NAME: 1 to 32 lower-case letters, digits or '-')`;
    }
    if (seen.has(u)) return `units[${i}] repeats ${u}: each sound unit may appear once`;
    seen.add(u);
  }
  return null;
}

/** A phrase uses a sound the model was not trained on. */
export class MissingSoundUnitError extends Error {
  constructor(readonly unit: string) {
    super(`this model has no sound ${unit}; retrain with recordings of it`);
    this.name = 'MissingSoundUnitError';
  }
}

/**
 * Unit id of a pronunciation symbol in a model whose units list is `units` (a valid list, see
 * unitListProblem): an ARPAbet phoneme (stress digits allowed) has its fixed id (phonemeId); a
 * sound unit has its index in `units`, and MissingSoundUnitError is thrown when the model lacks it.
 * Anything else throws like phonemeId.
 */
export function unitIdIn(units: readonly string[], symbol: string): number {
  if (isSoundUnit(symbol)) {
    const id = units.indexOf(symbol, UNITS.length);
    if (id < 0) throw new MissingSoundUnitError(symbol);
    return id;
  }
  return phonemeId(symbol);
}
