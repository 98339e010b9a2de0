/**
 * Global shortcut accelerators (src-shared/ipc/accelerator.ts): Electron's spellings are read
 * case-insensitively and written one canonical way; shortcuts that would swallow ordinary typing,
 * and strings Electron cannot read, are refused with a reason. The settings validator uses it.
 */
import { describe, expect, it } from 'vitest';
import { parseAccelerator } from '../../src-shared/ipc/accelerator.ts';
import { checkSettingsPatch } from '../../src-shared/ipc/app-contract.ts';

describe('parseAccelerator', () => {
  it('writes accepted shortcuts canonically', () => {
    const cases: [string, string][] = [
      ['CommandOrControl+Alt+H', 'CommandOrControl+Alt+H'],
      ['cmdorctrl+alt+h', 'CommandOrControl+Alt+H'],
      ['shift+ctrl+space', 'Control+Shift+Space'],
      [' Alt + F4 ', 'Alt+F4'],
      ['F9', 'F9'],
      ['Shift+F13', 'Shift+F13'],
      ['MediaPlayPause', 'MediaPlayPause'],
      ['Super+Enter', 'Super+Return'],
      ['Meta+esc', 'Super+Escape'],
      ['Option+Command+Plus', 'Command+Alt+Plus'],
      ['Ctrl+/', 'Control+/'],
      ['AltGr+num5', 'AltGr+num5'],
      ['', ''],
      ['   ', ''],
    ];
    for (const [input, canonical] of cases) expect(parseAccelerator(input), input).toEqual({ accelerator: canonical });
  });

  it('refuses what is not one shortcut, naming the problem', () => {
    const cases: [string, RegExp][] = [
      ['H', /needs Control, Alt, Command or Super/],
      ['Shift+H', /needs Control, Alt, Command or Super/],
      ['Ctrl+Alt', /no key, only modifiers/],
      ['Ctrl+A+B', /has 2 keys/],
      ['Ctrl++', /empty part: write the \+ key as Plus/],
      ['Ctrl+Ctrl+A', /names Control twice/],
      ['A+Ctrl', /modifiers come before the key/],
      ['Ctrl+Hyper+A', /"Hyper" is not a key or modifier/],
      ['Ctrl+é', /"é" is not a key or modifier/],
      ['Ctrl+F25', /"F25" is not a key/],
      ['x'.repeat(101), /too long/],
    ];
    for (const [input, problem] of cases) {
      const parsed = parseAccelerator(input);
      expect('problem' in parsed && parsed.problem, input).toMatch(problem);
    }
  });

  it('is what the settings validator applies to both shortcut settings', () => {
    expect(checkSettingsPatch({ toggleShortcut: 'ctrl+alt+k', pushToTalkShortcut: '' }, 'settings:set', 'patch')).toEqual({ toggleShortcut: 'Control+Alt+K', pushToTalkShortcut: '' });
    expect(() => checkSettingsPatch({ pushToTalkShortcut: 'K' }, 'settings:set', 'patch')).toThrow(/settings:set: patch.pushToTalkShortcut "K" needs Control/);
    expect(() => checkSettingsPatch({ toggleShortcut: 7 }, 'settings:set', 'patch')).toThrow(/must be a string/);
    expect(() => checkSettingsPatch({ typeIntoFocusedApp: 'yes' }, 'settings:set', 'patch')).toThrow(/must be true or false/);
  });
});
