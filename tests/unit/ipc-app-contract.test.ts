/** The app contract's tables and validators: settings patches, stored settings, files and dialogs. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS, EVENT_CHANNELS, HARK_CHANNELS, INVOKE_CHANNELS, checkSettingsPatch, folderName, isInvokeChannel, modelStatusForWindow, settingsFromStored, type ModelInfo,
} from '../../src-shared/ipc/app-contract.ts';
import { RECOGNITION_CHANNELS, RECOGNITION_EVENT_CHANNEL } from '../../src-shared/ipc/recognition-contract.ts';
import { IpcPayloadError } from '../../src-shared/ipc/validate.ts';

describe('app contract', () => {
  it('includes every recognition channel and its event channel, and knows who answers each channel', () => {
    for (const c of Object.values(RECOGNITION_CHANNELS)) expect(INVOKE_CHANNELS).toContain(c.name);
    expect(EVENT_CHANNELS).toContain(RECOGNITION_EVENT_CHANNEL);
    expect(INVOKE_CHANNELS.filter((c) => HARK_CHANNELS[c].host === 'main').sort()).toEqual(['desktop:insert', 'desktop:listening', 'desktop:status', 'dialog:choose-folder', 'dialog:open-audio', 'dialog:save-text']);
    expect(isInvokeChannel('toString')).toBe(false);
    expect(isInvokeChannel('__proto__')).toBe(false);
  });

  it('validates settings patches field by field and normalizes list items', () => {
    expect(checkSettingsPatch({ commands: ['  next   slide '], pushMs: 40 }, 'settings:set', 'patch')).toEqual({ commands: ['next slide'], pushMs: 40 });
    expect(checkSettingsPatch({ keywords: [{ text: 'hey hark' }] }, 'c', 'patch')).toEqual({ keywords: [{ text: 'hey hark', sensitivity: 0.5 }] });
    expect(() => checkSettingsPatch({ pushMs: 40.5 }, 'c', 'patch')).toThrow(/integer/);
    expect(() => checkSettingsPatch({ mode: 'karaoke' }, 'c', 'patch')).toThrow(/one of dictation, commands/);
    expect(() => checkSettingsPatch({ colour: 'red' }, 'c', 'patch')).toThrow(/unknown field "colour"/);
    expect(() => checkSettingsPatch({ commands: ['ok', ' '] }, 'c', 'patch')).toThrow(/commands\[1\] must not be empty/);
    expect(() => checkSettingsPatch({ keywords: [{ text: 'x', sensitivity: 2 }] }, 'c', 'patch')).toThrow(IpcPayloadError);
  });

  it('reads a damaged settings file field by field, keeping what is valid', () => {
    const { settings, problems } = settingsFromStored({ mode: 'commands', pushMs: 'fast', commands: ['lights on'], extra: 1 });
    expect(settings.mode).toBe('commands');
    expect(settings.commands).toEqual(['lights on']);
    expect(settings.pushMs).toBe(DEFAULT_SETTINGS.pushMs);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/pushMs/);
    expect(settingsFromStored('garbage').settings).toEqual(DEFAULT_SETTINGS);
  });

  it('checks file and dialog requests', () => {
    const add = HARK_CHANNELS['files:add'].request;
    const ok = add({ files: [{ name: 'a.wav', path: '/x/a.wav' }, { name: 'b.wav', data: new ArrayBuffer(4) }], mode: { kind: 'dictation' } });
    expect(ok).toMatchObject({ files: [{ name: 'a.wav', path: '/x/a.wav' }, { name: 'b.wav' }] });
    expect(() => add({ files: [], mode: { kind: 'dictation' } })).toThrow(/at least one file/);
    expect(() => add({ files: [{ name: 'a', path: '/a', data: new ArrayBuffer(1) }], mode: { kind: 'dictation' } })).toThrow(/exactly one of path and data/);
    expect(() => add({ files: [{ name: 'a', data: [1, 2] }], mode: { kind: 'dictation' } })).toThrow(/ArrayBuffer/);
    expect(() => HARK_CHANNELS['files:export'].request({ jobId: 'j', format: 'docx' })).toThrow(/txt, srt, vtt, json/);
    expect(() => HARK_CHANNELS['dialog:save-text'].request({ fileName: '../evil.txt', text: '' })).toThrow(/plain file name/);
    expect(() => HARK_CHANNELS['app:info'].request({ sneaky: 1 })).toThrow(/unknown field/);
    expect(HARK_CHANNELS['app:info'].request(undefined)).toEqual({});
  });

  it("the model state a window sees names the model's folder, never its path", () => {
    const card: ModelInfo = { dir: '/home/u/.config/hark/models/hark-en-1.1', name: 'hark-en', version: '1.1', createdAt: '', architecture: '', sizeMB: 1, chunkFrames: 8, lookaheadFrames: 4, trainingSummary: '', shipped: false };
    const { dir: _dir, ...rest } = card;
    expect(modelStatusForWindow({ state: 'ready', model: card, swapped: true })).toEqual({ state: 'ready', model: { ...rest, folder: 'hark-en-1.1' }, swapped: true });
    expect(modelStatusForWindow({ state: 'ready', model: card })).toEqual({ state: 'ready', model: { ...rest, folder: 'hark-en-1.1' } });
    expect(modelStatusForWindow({ state: 'loading', dir: 'C:\\Users\\u\\hark\\models\\x\\' })).toEqual({ state: 'loading', folder: 'x' });
    expect(modelStatusForWindow({ state: 'error', dir: '', error: 'e' })).toEqual({ state: 'error', folder: '', error: 'e' });
    expect(folderName('/')).toBe('');
  });
});
