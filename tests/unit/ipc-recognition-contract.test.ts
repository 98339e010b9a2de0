/** The live-recognition IPC contract's validators (src-shared/ipc): accepted shapes come back typed, everything else fails naming the field. */
import { describe, expect, it } from 'vitest';
import { checkPhraseRejection, MAX_LIST_ITEMS, RECOGNITION_CHANNELS } from '../../src-shared/ipc/recognition-contract.ts';
import { float32Rows, IpcPayloadError } from '../../src-shared/ipc/validate.ts';

const { start, push, configure, stop } = RECOGNITION_CHANNELS;

describe('recognition IPC contract', () => {
  it('accepts well-formed requests and returns clean copies', () => {
    expect(start.request({ input: 'mfcc', mode: { kind: 'dictation' } })).toEqual({ input: 'mfcc', mode: { kind: 'dictation' } });
    expect(start.request({ input: 'pcm', mode: { kind: 'phrases', items: ['next slide'] }, keywords: [{ text: 'hey hark', sensitivity: 0.7 }], endpointSilenceSec: 0.8 }))
      .toEqual({ input: 'pcm', mode: { kind: 'phrases', items: ['next slide'] }, keywords: [{ text: 'hey hark', sensitivity: 0.7 }], endpointSilenceSec: 0.8 });
    const data = new Float32Array(26);
    expect(push.request({ streamId: 'a', data }).data).toBe(data);
    expect(configure.request({ streamId: 'a', keywords: [] })).toEqual({ streamId: 'a', keywords: [] });
    expect(stop.request({ streamId: 'a' })).toEqual({ streamId: 'a' });
  });

  it.each([
    [() => start.request(undefined), /request must be an object, got undefined/],
    [() => start.request([]), /request must be an object, got an array/],
    [() => start.request({ input: 'mfcc' }), /mode must be an object/],
    [() => start.request({ input: 'mfcc', mode: { kind: 'dictation', items: ['x'] } }), /unknown field "items"/],
    [() => start.request({ input: 'mfcc', mode: { kind: 'words', items: ['  '] } }), /items\[0\] must not be empty/],
    [() => start.request({ input: 'mfcc', mode: { kind: 'words', items: new Array(MAX_LIST_ITEMS + 1).fill('a') } }), /more than 1000 entries/],
    [() => start.request({ input: 'mfcc', mode: { kind: 'dictation' }, keywords: [{ text: 'a', sensitivity: 0 }] }), /sensitivity must be in/],
    [() => start.request({ input: 'mfcc', mode: { kind: 'dictation' }, endpointSilenceSec: Infinity }), /endpointSilenceSec must be a finite number/],
    [() => push.request({ streamId: 5, data: new Float32Array(13) }), /streamId must be a string/],
    [() => configure.request({ streamId: 'a' }), /must change mode, keywords or both/],
    [() => stop.request({ streamId: 'a', now: true }), /unknown field "now"/],
  ])('rejects malformed request %#', (call, message) => {
    expect(call).toThrow(IpcPayloadError);
    expect(call).toThrow(message);
  });

  it('frame payloads must be whole rows of finite float32 values within the size limit', () => {
    expect(float32Rows(new Float32Array(26), 'c', 'data', 13, 1000)).toHaveLength(26);
    expect(() => float32Rows(new Float64Array(26), 'c', 'data', 13, 1000)).toThrow(/must be a Float32Array, got Float64Array/);
    expect(() => float32Rows(new Float32Array(0), 'c', 'data', 13, 1000)).toThrow(/whole rows/);
    expect(() => float32Rows(Float32Array.of(0, Infinity), 'c', 'data', 1, 1000)).toThrow(/non-finite value at index 1/);
    expect(() => float32Rows(new Float32Array(2000), 'c', 'data', 1, 1000)).toThrow(/more than 1000/);
  });

  it("a final's rejection: the closest phrase (or null), a confidence in [0, 1] and the heard units", () => {
    const ok = { closest: 'next slide', confidence: 0.12, heard: 'N EH K S T' };
    expect(checkPhraseRejection(ok, 'recognition:event', 'rejection')).toEqual(ok);
    expect(checkPhraseRejection({ ...ok, closest: null, heard: '' }, 'recognition:event', 'rejection')).toEqual({ ...ok, closest: null, heard: '' });
    for (const [bad, why] of [
      [{ ...ok, confidence: 1.5 }, /rejection\.confidence must be in \[0, 1\]/],
      [{ ...ok, confidence: Number.NaN }, /rejection\.confidence must be a finite number/],
      [{ ...ok, closest: '  ' }, /rejection\.closest must not be empty/],
      [{ ...ok, heard: 3 }, /rejection\.heard must be a string/],
      [{ ...ok, text: 'next slide' }, /unknown field/],
      [{ closest: 'x', confidence: 0 }, /rejection\.heard must be a string/],
    ] as const) expect(() => checkPhraseRejection(bad, 'recognition:event', 'rejection')).toThrow(why);
  });
});
