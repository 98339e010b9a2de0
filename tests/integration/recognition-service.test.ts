/**
 * The live-recognition IPC contract end to end over an in-memory transport (structured clone, as
 * Electron's IPC): start -> push MFCC rows computed with Meyda every 100 ms as the renderer does
 * -> configure -> stop, with the shipped model; and every kind of malformed or foreign message
 * answered with a clear error while the stream keeps working.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadModelPackage, type ModelPackage } from '../../src-main/model/model-package.ts';
import { resolveModelDir } from '../../src-main/model/package-paths.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { computeMfcc, computeMfccWithMeydaExtract } from '../../src-shared/features/index.ts';
import type { RecognitionEventMessage } from '../../src-shared/ipc/recognition-contract.ts';
import type { RecognitionService } from '../../src-main/engine/recognition-service.ts';
import { createInMemoryRecognition } from '../helpers/in-memory-recognition.ts';
import { speechClip } from '../helpers/speech-clip.ts';

const DIGITS = ['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
let model: ModelPackage;
let service: RecognitionService | undefined;
beforeAll(async () => { model = await loadModelPackage(resolveModelDir()); });
afterEach(async () => { await service?.dispose(); service = undefined; });

async function speech(parts: (string | number)[]): Promise<Float32Array> {
  return speechClip(parts, createRng(3));
}

describe('recognition service over the IPC contract', () => {
  it('streams MFCC rows from the renderer and sends partials, keywords, finals and endpoints back', async () => {
    // An extra keyword warp (the default listens unwarped only): the renderer then pushes its rows too.
    const mem = createInMemoryRecognition(model, { keywordWarps: [1, 0.8] });
    service = mem.service;
    const client = mem.connect(1);
    const events: RecognitionEventMessage[] = [];
    client.onEvent((m) => events.push(m));
    const { streamId, features, keywordWarps } = await client.invoke('start', { input: 'mfcc', mode: { kind: 'words', items: DIGITS }, keywords: [{ text: 'seven', sensitivity: 0.5 }] });
    expect(features).toEqual(model.features);
    expect(keywordWarps).toEqual([0.8]);
    // The renderer's computation: Meyda MFCC per frame with the returned configuration.
    const pcm = await speech([0.4, 'two seven', 1.2, 'five', 0.5]);
    const mfcc = computeMfccWithMeydaExtract(pcm, features);
    // ... and the keyword warp's rows with src-shared's warped kernel.
    const warped = computeMfcc(pcm, features, keywordWarps[0]);
    const per100ms = 10 * mfcc.dim;
    for (let i = 0; i < mfcc.data.length; i += per100ms) {
      const r = await client.invoke('push', { streamId, data: mfcc.data.slice(i, i + per100ms), warped: [warped.data.slice(i, i + per100ms)] });
      expect(r.audioSec).toBeGreaterThan(0);
    }
    await client.invoke('stop', { streamId });
    expect(events.every((m) => m.streamId === streamId)).toBe(true);
    const types = events.map((m) => m.event.type);
    expect(types).toContain('partial');
    const finals = events.filter((m) => m.event.type === 'final').map((m) => (m.event as { text: string }).text);
    expect(finals).toEqual(['two seven', 'five']);
    expect(events.filter((m) => m.event.type === 'keyword').map((m) => (m.event as { keyword: string }).keyword)).toEqual(['seven']);
    expect(types[types.length - 1]).toBe('endpoint');
    expect(service.activeStreams).toBe(0);
  });

  it('answers malformed and foreign messages with clear errors, and the stream goes on', async () => {
    const mem = createInMemoryRecognition(model, { keywordWarps: [1, 0.8] });
    service = mem.service;
    const a = mem.connect(1);
    const b = mem.connect(2);
    const events: RecognitionEventMessage[] = [];
    a.onEvent((m) => events.push(m));
    const bad = (channel: string, payload: unknown) => mem.service.handle(1, channel as 'start', payload);
    await expect(bad('start', null)).rejects.toThrow(/request must be an object/);
    await expect(bad('start', { input: 'wav', mode: { kind: 'dictation' } })).rejects.toThrow(/input must be one of mfcc, pcm/);
    await expect(bad('start', { input: 'mfcc', mode: { kind: 'words', items: [] } })).rejects.toThrow(/at least one word/);
    await expect(bad('start', { input: 'mfcc', mode: { kind: 'phrases', items: ['ok', 3] } })).rejects.toThrow(/items\[1\] must be a string/);
    await expect(bad('start', { input: 'mfcc', mode: { kind: 'dictation' }, keywords: [{ text: 'hi', sensitivity: 2 }] })).rejects.toThrow(/sensitivity must be in/);
    await expect(bad('start', { input: 'mfcc', mode: { kind: 'dictation' }, extra: 1 })).rejects.toThrow(/unknown field "extra"/);
    await expect(bad('launch', {})).rejects.toThrow(/unknown recognition channel/);

    const { streamId } = await a.invoke('start', { input: 'mfcc', mode: { kind: 'words', items: DIGITS } });
    const rows = computeMfccWithMeydaExtract(await speech([0.3, 'four', 0.9]), model.features);
    await expect(bad('push', { streamId, data: [1, 2, 3] })).rejects.toThrow(/data must be a Float32Array/);
    await expect(bad('push', { streamId, data: new Float32Array(14) })).rejects.toThrow(/whole rows of 13/);
    await expect(bad('push', { streamId, data: Float32Array.of(...new Array<number>(12).fill(0), NaN) })).rejects.toThrow(/non-finite/);
    await expect(bad('push', { streamId, data: new Float32Array(13 * 100_000) })).rejects.toThrow(/more than/);
    await expect(bad('push', { streamId: 'nope', data: rows.data.slice(0, 13) })).rejects.toThrow(/no stream "nope"/);
    await expect(bad('push', { streamId, data: rows.data.slice(0, 13), warped: [] })).rejects.toThrow(/warped must be an array of 1 Float32Arrays/);
    await expect(bad('push', { streamId, data: rows.data.slice(0, 26), warped: [rows.data.slice(0, 13)] })).rejects.toThrow(/warped\[0\] must hold as many values as data/);
    // Another window can neither feed, reconfigure nor stop this stream.
    await expect(b.invoke('push', { streamId, data: rows.data.slice(0, 13) })).rejects.toThrow(/no stream/);
    await expect(b.invoke('stop', { streamId })).rejects.toThrow(/no stream/);
    await expect(a.invoke('configure', { streamId } as never)).rejects.toThrow(/must change mode, keywords or both/);

    for (let i = 0; i < rows.data.length; i += 130) await a.invoke('push', { streamId, data: rows.data.slice(i, i + 130) });
    await a.invoke('stop', { streamId });
    expect(events.filter((m) => m.event.type === 'final').map((m) => (m.event as { text: string }).text)).toEqual(['four']);
    await expect(a.invoke('stop', { streamId })).rejects.toThrow(/no stream/);
  });

  it('limits streams per window and frees them when the window goes away', async () => {
    const mem = createInMemoryRecognition(model);
    service = mem.service;
    const a = mem.connect(7);
    const start = () => a.invoke('start', { input: 'pcm', mode: { kind: 'phrases', items: ['next slide'] } });
    await start();
    await start();
    await expect(start()).rejects.toThrow(/already runs 2 streams/);
    await mem.service.closeSender(7);
    expect(mem.service.activeStreams).toBe(0);
    const { streamId } = await start();
    const pcm = await speech([0.3, 'next slide', 0.9]);
    const events: RecognitionEventMessage[] = [];
    a.onEvent((m) => events.push(m));
    for (let i = 0; i < pcm.length; i += 1600) await a.invoke('push', { streamId, data: pcm.slice(i, i + 1600) });
    await a.invoke('configure', { streamId, keywords: [{ text: 'slide' }] });
    await a.invoke('stop', { streamId });
    const final = events.find((m) => m.event.type === 'final')?.event as { phrase?: string | null } | undefined;
    expect(final?.phrase).toBe('next slide');
  });
});
