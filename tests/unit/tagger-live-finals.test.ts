// Live dictation finals carry the punctuation tagger's marks when the app's setting is on (the
// recognition service, over structured clone as Electron's IPC), and none when it is off, in a
// word-list stream, or on partials. Shipped model and tagger; an espeak-ng clip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecognitionEvent } from '../../src-shared/ipc/recognition-contract.ts';
import { RecognitionService } from '../../src-main/engine/recognition-service.ts';
import { PunctuationTagger } from '../../src-main/engine/punctuation-tagger.ts';
import { loadModelPackage, type ModelPackage } from '../../src-main/model/model-package.ts';
import { resolveModelDir } from '../../src-main/model/package-paths.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { speechClip } from '../helpers/speech-clip.ts';

let model: ModelPackage;
let pcm: Float32Array;
let tagger: PunctuationTagger;
beforeAll(async () => {
  model = await loadModelPackage(resolveModelDir());
  pcm = await speechClip([0.4, 'how are you today', 1.2], createRng(5));
  tagger = await PunctuationTagger.load();
});
afterAll(async () => { await tagger.release(); });

/** The events of one PCM stream of `pcm` in `mode`, with the setting `punctuate`. */
async function stream(punctuate: boolean, mode: { kind: 'dictation' } | { kind: 'words'; items: string[] }): Promise<RecognitionEvent[]> {
  const events: RecognitionEvent[] = [];
  const service = new RecognitionService({ model, emit: (_s, m) => events.push(structuredClone(m.event)), punctuate: () => punctuate });
  try {
    const { streamId } = await service.handle(1, 'start', { input: 'pcm', mode });
    for (let i = 0; i < pcm.length; i += 1600) await service.handle(1, 'push', { streamId, data: pcm.slice(i, i + 1600) });
    await service.handle(1, 'stop', { streamId });
  } finally {
    await service.dispose();
  }
  return events;
}

const finals = (events: RecognitionEvent[]) => events.filter((e): e is Extract<RecognitionEvent, { type: 'final' }> => e.type === 'final' && e.words.length > 0);

describe('live dictation finals and the punctuation setting', () => {
  it('on: each dictation final carries the tagger\'s marks for its words; partials carry none', async () => {
    const events = await stream(true, { kind: 'dictation' });
    const fs = finals(events);
    expect(fs.length).toBeGreaterThan(0);
    for (const f of fs) expect(f.marks).toEqual(await tagger.tag(f.words.map((w) => w.word)));
    expect(events.filter((e) => e.type === 'partial').every((e) => !('marks' in e))).toBe(true);
  });

  it('off, or a word-list stream: no marks', async () => {
    for (const f of finals(await stream(false, { kind: 'dictation' }))) expect(f).not.toHaveProperty('marks');
    const listed = finals(await stream(true, { kind: 'words', items: ['how', 'are', 'you', 'today'] }));
    expect(listed.length).toBeGreaterThan(0);
    for (const f of listed) expect(f).not.toHaveProperty('marks');
  });
});
