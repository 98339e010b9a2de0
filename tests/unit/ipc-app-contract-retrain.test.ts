/**
 * The app contract's recordings, models and retraining channels: every payload is validated
 * (items spelled one way, PCM bounded and finite, ids and folders checked, unknown fields refused),
 * and their events are event channels.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_CHANNELS, HARK_CHANNELS, MAX_RECORDING_SAMPLES, isEventChannel } from '../../src-shared/ipc/app-contract.ts';
import { IpcPayloadError } from '../../src-shared/ipc/validate.ts';
import { MAX_KEYWORDS } from '../../src-shared/ipc/recognition-contract.ts';

const check = <C extends keyof typeof HARK_CHANNELS>(c: C, v: unknown) => HARK_CHANNELS[c].request(v);

describe('recordings channels', () => {
  it('normalize the item and check the PCM', () => {
    const pcm = new Float32Array(1600).fill(0.1);
    expect(check('recordings:add', { item: '  Open  Zorblat ', pcm })).toEqual({ item: 'open zorblat', pcm });
    expect(check('recordings:add', { item: '<Sound:Clap>', pcm, replaceId: 'abc-12345678' })).toEqual({ item: '<sound:clap>', pcm, replaceId: 'abc-12345678' });
    expect(() => check('recordings:add', { item: 'x', pcm: [0.1, 0.2] })).toThrow(/pcm must be a Float32Array/);
    expect(() => check('recordings:add', { item: 'x', pcm: new Float32Array(0) })).toThrow(/pcm must hold whole rows/);
    expect(() => check('recordings:add', { item: 'x', pcm: new Float32Array(MAX_RECORDING_SAMPLES + 1) })).toThrow(/more than 160000/);
    expect(() => check('recordings:add', { item: 'x', pcm: Float32Array.of(0, Number.NaN) })).toThrow(/non-finite value at index 1/);
    expect(() => check('recordings:add', { item: 'what?!', pcm })).toThrow(/recordings:add: item is not usable: .*letters a-z/);
    expect(() => check('recordings:add', { item: '<sound:Bad Name>', pcm })).toThrow(/not a sound token/);
    expect(() => check('recordings:add', { item: 'x', pcm, replaceId: '../../etc' })).toThrow(/replaceId is not a recording id/);
    expect(() => check('recordings:add', { item: 'x', pcm, path: '/tmp/x.wav' })).toThrow(/unknown field "path"/);
    expect(check('recordings:list', {})).toEqual({});
    expect(check('recordings:list', undefined)).toEqual({});
    expect(check('recordings:list', { item: 'ZORBLAT' })).toEqual({ item: 'zorblat' });
    expect(check('recordings:remove', { id: 'abc-12345678' })).toEqual({ id: 'abc-12345678' });
    expect(() => check('recordings:audio', { id: 5 })).toThrow(IpcPayloadError);
    expect(() => check('recordings:audio', { id: 'a/b' })).toThrow(/not a recording id/);
  });
});

describe('models channels', () => {
  it('take folder paths and nothing else', () => {
    expect(check('models:list', {})).toEqual({});
    expect(check('models:use', { dir: '/u/models/tiny-1' })).toEqual({ dir: '/u/models/tiny-1' });
    expect(() => check('models:use', { dir: '  ' })).toThrow(/models:use: dir must name a folder/);
    expect(() => check('models:remove', {})).toThrow(/dir must be a string/);
    expect(check('models:import', { path: '/x/pkg' })).toEqual({ path: '/x/pkg' });
    expect(check('models:export', { dir: '/a', path: '/b' })).toEqual({ dir: '/a', path: '/b' });
    expect(() => check('models:export', { dir: '/a' })).toThrow(/path must be a string/);
    expect(() => check('models:import', { path: '/x', replace: true })).toThrow(/unknown field "replace"/);
  });
});

describe('retrain channels', () => {
  it('check items, sounds and job ids', () => {
    expect(check('retrain:start', { items: ['Open Zorblat', 'open  zorblat', 'quux'] })).toEqual({ items: ['open zorblat', 'quux'] });
    expect(check('retrain:start', { items: [], sounds: ['clap', 'clap'], installAnyway: true })).toEqual({ items: [], sounds: ['clap'], installAnyway: true });
    expect(() => check('retrain:start', { items: [] })).toThrow(/at least one word, phrase or sound/);
    expect(() => check('retrain:start', { items: ['<sound:clap>'] })).toThrow(/items\[0\] is a sound token/);
    expect(() => check('retrain:start', { items: ['x'], sounds: ['Clap!'] })).toThrow(/sounds\[0\] must be a sound name/);
    expect(() => check('retrain:start', { items: ['x'], installAnyway: 'yes' })).toThrow(/installAnyway must be true or false/);
    expect(() => check('retrain:start', { items: Array.from({ length: 51 }, (_, i) => `w${i}`) })).toThrow(/more than 50 entries/);
    expect(() => check('retrain:start', { items: Array.from({ length: 30 }, (_, i) => `w${i}`), sounds: Array.from({ length: 30 }, (_, i) => `s${i}`) })).toThrow(/at most 50/);
    expect(() => check('retrain:start', { items: ['x'], tuning: { epochs: 100 } })).toThrow(/unknown field "tuning"/);
    expect(check('retrain:cancel', { jobId: '20261122t0700-abc123' })).toEqual({ jobId: '20261122t0700-abc123' });
    expect(() => check('retrain:resume', { jobId: '../x' })).toThrow(/not a retraining job id/);
    expect(() => check('retrain:remove', { jobId: 'A B' })).toThrow(/not a retraining job id/);
    expect(check('retrain:list', undefined)).toEqual({});
  });

  it('have event channels for job status and the model list', () => {
    expect(EVENT_CHANNELS).toEqual(expect.arrayContaining(['retrain:event', 'models:event']));
    expect(isEventChannel('retrain:event')).toBe(true);
    expect(HARK_CHANNELS['retrain:start'].host).toBe('backend');
    expect(HARK_CHANNELS['dialog:choose-folder'].host).toBe('main');
    expect(check('dialog:choose-folder', { purpose: 'import-model' })).toEqual({ purpose: 'import-model' });
    expect(() => check('dialog:choose-folder', {})).toThrow(/purpose must be one of/);
  });
});

describe('recognition: bounded keyword lists', () => {
  it('takes MAX_KEYWORDS keywords at start and configure, refuses one more', () => {
    const kws = (n: number) => Array.from({ length: n }, (_, i) => ({ text: `word ${i}` }));
    expect(() => check('recognition:start', { input: 'pcm', mode: { kind: 'dictation' }, keywords: kws(MAX_KEYWORDS) })).not.toThrow();
    expect(() => check('recognition:start', { input: 'pcm', mode: { kind: 'dictation' }, keywords: kws(MAX_KEYWORDS + 1) })).toThrow(IpcPayloadError);
    expect(() => check('recognition:configure', { streamId: 's1', keywords: kws(MAX_KEYWORDS + 1) })).toThrow(IpcPayloadError);
  });
});
