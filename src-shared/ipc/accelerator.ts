/**
 * Global shortcuts as Electron writes them ("CommandOrControl+Alt+H": modifiers, then one key,
 * joined by "+"; https://www.electronjs.org/docs/latest/api/accelerator), checked and written one
 * canonical way so that the settings file, the Settings screen and globalShortcut.register agree
 * on what a shortcut is. A global shortcut takes its keys from every application, so one made of
 * a plain key (or Shift and a key) is refused: it would swallow ordinary typing. Function keys and
 * media keys may stand alone.
 */

/** Modifier spellings (lower case) -> canonical name, and the canonical order. */
const MODIFIERS: Readonly<Record<string, string>> = {
  commandorcontrol: 'CommandOrControl', cmdorctrl: 'CommandOrControl',
  command: 'Command', cmd: 'Command',
  control: 'Control', ctrl: 'Control',
  super: 'Super', meta: 'Super',
  alt: 'Alt', option: 'Alt',
  altgr: 'AltGr',
  shift: 'Shift',
};
const MODIFIER_ORDER = ['CommandOrControl', 'Command', 'Control', 'Super', 'Alt', 'AltGr', 'Shift'];

const NAMED_KEYS = [
  'Plus', 'Space', 'Tab', 'Capslock', 'Numlock', 'Scrolllock', 'Backspace', 'Delete', 'Insert', 'Return', 'Up', 'Down', 'Left', 'Right',
  'Home', 'End', 'PageUp', 'PageDown', 'Escape', 'PrintScreen',
  'num0', 'num1', 'num2', 'num3', 'num4', 'num5', 'num6', 'num7', 'num8', 'num9', 'numdec', 'numadd', 'numsub', 'nummult', 'numdiv',
];
/** Keys that may be a shortcut without a modifier. */
const STANDALONE_KEYS = ['VolumeUp', 'VolumeDown', 'VolumeMute', 'MediaNextTrack', 'MediaPreviousTrack', 'MediaStop', 'MediaPlayPause'];
const PUNCTUATION = ')!@#$%^&*(:;=<,_->.?/~`{][|\\}"\'';
const KEY_ALIASES: Readonly<Record<string, string>> = { enter: 'Return', esc: 'Escape' };

const KEYS: ReadonlyMap<string, string> = new Map([
  ...[...NAMED_KEYS, ...STANDALONE_KEYS].map((k) => [k.toLowerCase(), k] as const),
  ...Object.entries(KEY_ALIASES),
  ...Array.from({ length: 24 }, (_, i) => [`f${i + 1}`, `F${i + 1}`] as const),
]);

/** The canonical key of one accelerator part, or null when it is not a key. */
function keyName(part: string): string | null {
  if (/^[a-z0-9]$/i.test(part)) return part.toUpperCase();
  if (part.length === 1 && PUNCTUATION.includes(part)) return part;
  return KEYS.get(part.toLowerCase()) ?? null;
}

const standalone = (key: string) => /^F\d+$/.test(key) || STANDALONE_KEYS.includes(key);

export type AcceleratorParse = { accelerator: string } | { problem: string };

/**
 * Reads an accelerator: '' (after trimming) is no shortcut. Otherwise its canonical spelling
 * ("ctrl+alt+h" -> "Control+Alt+H"), or a sentence saying what is wrong with it.
 */
export function parseAccelerator(text: string): AcceleratorParse {
  const trimmed = text.trim();
  if (trimmed === '') return { accelerator: '' };
  if (trimmed.length > 100) return { problem: 'is too long for a shortcut' };
  const parts = trimmed.split('+').map((p) => p.trim());
  if (parts.some((p) => p === '')) return { problem: `"${trimmed}" has an empty part: write the + key as Plus` };
  const modifiers = new Set<string>();
  const keys: string[] = [];
  for (const part of parts) {
    const modifier = MODIFIERS[part.toLowerCase()];
    if (modifier) {
      if (keys.length) return { problem: `"${trimmed}": modifiers come before the key` };
      if (modifiers.has(modifier)) return { problem: `"${trimmed}" names ${modifier} twice` };
      modifiers.add(modifier);
      continue;
    }
    const key = keyName(part);
    if (!key) return { problem: `"${part}" is not a key or modifier Electron knows` };
    keys.push(key);
  }
  if (keys.length !== 1) return { problem: keys.length === 0 ? `"${trimmed}" has no key, only modifiers` : `"${trimmed}" has ${keys.length} keys; a shortcut has one` };
  const key = keys[0];
  const strong = [...modifiers].some((m) => m !== 'Shift');
  if (!strong && !standalone(key)) return { problem: `"${trimmed}" needs Control, Alt, Command or Super: a global shortcut without one would take the key from every application` };
  return { accelerator: [...MODIFIER_ORDER.filter((m) => modifiers.has(m)), key].join('+') };
}
