/**
 * The app's settings, kept as settings.json in the user data folder. Writes are atomic (temp file
 * + rename) so a crash mid-write never leaves a half-written file. A damaged or partly invalid file
 * is read field by field (settingsFromStored): the bad fields fall back to their defaults, and
 * before anything can overwrite it a byte-exact copy is kept beside it (damaged-file-copy.ts);
 * `problems` says what was wrong and names the copy, for the user to read (app:info's notices).
 *
 * get() is always what is on disk (or the defaults before the first save): an update is applied
 * only once its file is written, and a failed write (read-only folder, disk full) rejects and
 * leaves the settings as they were.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, settingsFromStored, type Settings } from '../../src-shared/ipc/app-contract.ts';
import { isRecord } from '../../src-shared/ipc/validate.ts';
import { writeFileAtomic } from '../system/atomic-write.ts';
import { keepDamagedCopy } from '../system/damaged-file-copy.ts';
import { parseJson } from '../system/parse-json.ts';

export const SETTINGS_FILE = 'settings.json';

export class SettingsStore {
  private current: Settings;
  private writing: Promise<void> = Promise.resolve();

  /**
   * `damaged`: the bytes of a file read only in part, not yet copied aside (the copy at open
   * failed); the first update copies them before it writes, or fails.
   */
  private constructor(readonly path: string, settings: Settings, readonly problems: readonly string[], private damaged: Uint8Array | null) {
    this.current = settings;
  }

  /** Reads `dir`/settings.json (a missing file gives the defaults); a damaged one is copied aside first. */
  static async open(dir: string): Promise<SettingsStore> {
    const path = join(dir, SETTINGS_FILE);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new SettingsStore(path, structuredClone({ ...DEFAULT_SETTINGS }) as Settings, [], null);
      throw new Error(`cannot read ${path}: ${(e as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = parseJson(bytes.toString('utf8'));
    } catch (e) {
      return SettingsStore.damagedFile(path, bytes, settingsFromStored(undefined).settings, `${(e as Error).message}: Hark uses the default settings`);
    }
    const { settings, problems } = settingsFromStored(parsed);
    // Settings this version does not know (another version's) would be lost at the first save.
    if (isRecord(parsed)) for (const key of Object.keys(parsed).filter((k) => !Object.hasOwn(DEFAULT_SETTINGS, k))) problems.push(`unknown setting "${key}" is not kept`);
    if (problems.length === 0) return new SettingsStore(path, settings, [], null);
    return SettingsStore.damagedFile(path, bytes, settings, `${problems.map((p) => p.replace(/^settings: /, '')).join('; ')}: Hark uses the defaults in their place`);
  }

  /** A store over a file read only in part: its bytes are copied aside now, or before the first write. */
  private static async damagedFile(path: string, bytes: Uint8Array, settings: Settings, what: string): Promise<SettingsStore> {
    if (bytes.length === 0) return new SettingsStore(path, settings, [`${path} was empty: Hark uses the default settings`], null);
    try {
      const copy = await keepDamagedCopy(path, bytes);
      return new SettingsStore(path, settings, [`${path}: ${what}; your file is kept as ${copy}`], null);
    } catch (e) {
      const reason = (e as Error).message;
      return new SettingsStore(path, settings, [`${path}: ${what}; a copy of your file could not be kept (${reason}), so it is not overwritten until one can be`], bytes);
    }
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  /**
   * Applies an already validated patch and saves; resolves to the new settings once on disk.
   * Rejects (naming the file and the system's reason) when it cannot be saved, and then changes
   * nothing: get() still returns what is on disk.
   */
  async update(patch: Partial<Settings>): Promise<Settings> {
    let saved: Settings | undefined;
    // Serialized: each update builds on the one before it as saved, and the last lands last.
    const step = this.writing.catch(() => undefined).then(async () => {
      if (this.damaged) {
        await keepDamagedCopy(this.path, this.damaged).catch((e: Error) => {
          throw new Error(`${this.path} is not overwritten: a copy of the damaged file could not be kept first (${e.message})`, { cause: e });
        });
        this.damaged = null;
      }
      const next: Settings = { ...this.current, ...structuredClone(patch) };
      await writeFileAtomic(this.path, `${JSON.stringify(next, null, 2)}\n`, { mkdir: true });
      this.current = next;
      saved = next;
    });
    this.writing = step;
    await step;
    return structuredClone(saved!);
  }
}
