/**
 * The desktop settings (toggleShortcut, pushToTalkShortcut, typeIntoFocusedApp) through the real
 * SettingsStore: a file from before them loads with their defaults and no complaint; saved values
 * come back from disk as saved (shortcuts in canonical spelling); an invalid one falls back to
 * its default, is named, and the file is copied aside, the other fields kept.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SETTINGS_FILE, SettingsStore } from '../../src-main/backend/settings-store.ts';
import { DEFAULT_SETTINGS, HARK_CHANNELS } from '../../src-shared/ipc/app-contract.ts';

const base = mkdtempSync(join(tmpdir(), 'hark-settings-desktop-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const freshDir = () => mkdtempSync(join(base, `${n++}-`));

describe('desktop settings', () => {
  it('default to no shortcut and typing off: the user opts in', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ toggleShortcut: '', pushToTalkShortcut: '', typeIntoFocusedApp: false });
  });

  it('load from a settings file written before they existed', async () => {
    const dir = freshDir();
    const older = { microphoneId: 'usb-mic', mode: 'commands', commands: ['lights on'], keywords: [], modelDir: '', endpointSilenceSec: 0.9, pushMs: 40, chunkFrames: 0, lookaheadFrames: 0 };
    writeFileSync(join(dir, SETTINGS_FILE), JSON.stringify(older));
    const store = await SettingsStore.open(dir);
    expect(store.problems).toEqual([]);
    expect(store.get()).toMatchObject({ ...older, toggleShortcut: '', pushToTalkShortcut: '', typeIntoFocusedApp: false });
  });

  it('round-trip through settings:set and the file', async () => {
    const dir = freshDir();
    const store = await SettingsStore.open(dir);
    const { patch } = HARK_CHANNELS['settings:set'].request({ patch: { toggleShortcut: 'ctrl+shift+space', pushToTalkShortcut: 'alt+f9', typeIntoFocusedApp: true } });
    await store.update(patch);
    expect(JSON.parse(readFileSync(join(dir, SETTINGS_FILE), 'utf8'))).toMatchObject({ toggleShortcut: 'Control+Shift+Space', pushToTalkShortcut: 'Alt+F9', typeIntoFocusedApp: true });
    const again = await SettingsStore.open(dir);
    expect(again.problems).toEqual([]);
    expect(again.get()).toEqual(store.get());
  });

  it('fall back one by one when the file holds an invalid one', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, SETTINGS_FILE), JSON.stringify({ ...DEFAULT_SETTINGS, endpointSilenceSec: 1.1, toggleShortcut: 'H', pushToTalkShortcut: 'Alt+F9', typeIntoFocusedApp: 'yes' }));
    const store = await SettingsStore.open(dir);
    expect(store.get()).toMatchObject({ endpointSilenceSec: 1.1, toggleShortcut: '', pushToTalkShortcut: 'Alt+F9', typeIntoFocusedApp: false });
    expect(store.problems).toHaveLength(1);
    expect(store.problems[0]).toMatch(/toggleShortcut "H" needs Control, Alt, Command or Super.*typeIntoFocusedApp must be true or false.*your file is kept as/);
    expect(readdirSync(dir).filter((f) => f.startsWith('settings.damaged-'))).toHaveLength(1);
  });
});
