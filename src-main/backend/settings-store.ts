/**
 * The app's settings, kept as settings.json in the user data folder. Writes are atomic (temp file
 * + rename) so a crash mid-write never leaves a half-written file; a damaged or partly invalid file
 * is read field by field (settingsFromStored) and the bad fields fall back to their defaults,
 * with the problems reported rather than fatal.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, settingsFromStored, type Settings } from '../../src-shared/ipc/app-contract.ts';
import { writeFileAtomic } from '../system/atomic-write.ts';

export const SETTINGS_FILE = 'settings.json';

export class SettingsStore {
  private current: Settings;
  private writing: Promise<void> = Promise.resolve();

  private constructor(readonly path: string, settings: Settings, readonly problems: readonly string[]) {
    this.current = settings;
  }

  /** Reads `dir`/settings.json (a missing file gives the defaults). */
  static async open(dir: string): Promise<SettingsStore> {
    const path = join(dir, SETTINGS_FILE);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new SettingsStore(path, structuredClone({ ...DEFAULT_SETTINGS }) as Settings, []);
      throw new Error(`cannot read ${path}: ${(e as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      const { settings } = settingsFromStored(undefined);
      return new SettingsStore(path, settings, [`${path} is not valid JSON (${(e as Error).message}); using the defaults`]);
    }
    const { settings, problems } = settingsFromStored(parsed);
    return new SettingsStore(path, settings, problems.map((p) => `${path}: ${p}; using the default`));
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  /** Applies an already validated patch and saves; resolves to the new settings once on disk. */
  async update(patch: Partial<Settings>): Promise<Settings> {
    this.current = { ...this.current, ...structuredClone(patch) };
    const snapshot = JSON.stringify(this.current, null, 2);
    // Serialize writes: the last update always lands last.
    this.writing = this.writing.catch(() => undefined).then(() => writeAtomic(this.path, snapshot));
    await this.writing;
    return this.get();
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, `${text}\n`, { mkdir: true });
}
