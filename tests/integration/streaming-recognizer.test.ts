/**
 * The streaming recognizer on the shipped model with synthesized speech of held-out voices:
 * event order and content, endpointing on known pauses, keyword hits and misses, random chunk
 * sizes giving the same finals, MFCC input equal to PCM input, live mode and keyword changes,
 * bounded buffers, and clear errors for bad input.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModelPackage, type ModelPackage } from '../../src-main/model/model-package.ts';
import { resolveModelDir } from '../../src-main/model/package-paths.ts';
import { OnlineRecognizer, type OnlineRecognizerOptions, type StreamEvent } from '../../src-main/engine/online-recognizer.ts';
import { OfflineRecognizer } from '../../src-main/engine/offline-recognizer.ts';
import { synthesize } from '../../src-main/train/data/synth/index.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { makeNoise } from '../../src-main/train/data/augment/noise.ts';
import { computeMfcc } from '../../src-shared/features/index.ts';
import { checkPhraseRejection } from '../../src-shared/ipc/recognition-contract.ts';
import { DEFAULT_PHRASE_OPTIONS } from '../../src-main/decode/phrase-decoder.ts';
import { phraseOptionsForModel } from '../../src-main/engine/recognition-decoders.ts';

const VOICE = 'espeak:en-gb-scotland+f3';
const DIGITS = ['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const RATE = 16000;

let model: ModelPackage;
beforeAll(async () => { model = await loadModelPackage(resolveModelDir()); });

/** Speech without the synthesizer's leading and trailing silence, so that pauses are as composed. */
function trim(pcm: Float32Array): Float32Array {
  let a = 0;
  let b = pcm.length;
  while (a < b && Math.abs(pcm[a]) < 0.01) a++;
  while (b > a && Math.abs(pcm[b - 1]) < 0.01) b--;
  return pcm.slice(a, b);
}

/** Speech pieces and pauses (seconds) joined, over faint noise; returns PCM and each piece's span. */
async function compose(parts: (string | number)[], seed = 5, voice = VOICE): Promise<{ pcm: Float32Array; spans: { text: string; start: number; end: number }[] }> {
  const rng = createRng(seed);
  const chunks: Float32Array[] = [];
  const spans: { text: string; start: number; end: number }[] = [];
  let t = 0;
  for (const p of parts) {
    const pcm = typeof p === 'number' ? new Float32Array(Math.round(p * RATE)) : trim(await synthesize(p, voice, rng.fork()));
    if (typeof p === 'string') spans.push({ text: p, start: t / RATE, end: (t + pcm.length) / RATE });
    chunks.push(pcm);
    t += pcm.length;
  }
  const out = new Float32Array(t);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  const hiss = makeNoise('pink', t, rng);
  for (let i = 0; i < t; i++) out[i] += 0.002 * hiss[i];
  return { pcm: out, spans };
}

async function stream(rec: OnlineRecognizer, pcm: Float32Array, sizes: () => number): Promise<StreamEvent[]> {
  await rec.reset();
  const events: StreamEvent[] = [];
  for (let i = 0; i < pcm.length;) {
    const n = sizes();
    events.push(...await rec.acceptPcm(pcm.subarray(i, i + n)));
    i += n;
  }
  events.push(...await rec.finish());
  return events;
}

const finals = (evs: StreamEvent[]) => evs.filter((e): e is Extract<StreamEvent, { type: 'final' }> => e.type === 'final');

async function recognizer(opts: Partial<OnlineRecognizerOptions> = {}): Promise<OnlineRecognizer> {
  return OnlineRecognizer.create({ model, mode: { kind: 'words', items: DIGITS }, ...opts });
}

describe('streaming recognizer (shipped model, held-out voice)', () => {
  it('emits partials, then a final and its endpoint per utterance, in order, with times inside the audio', async () => {
    const { pcm, spans } = await compose([0.5, 'three seven', 1.4, 'nine two', 1.0]);
    const rec = await recognizer();
    try {
      const evs = await stream(rec, pcm, () => 1600);
      const f = finals(evs);
      expect(f.map((e) => e.text)).toEqual(['three seven', 'nine two']);
      // Each final is followed at once by its endpoint; partials come before the final.
      for (const fe of f) {
        const i = evs.indexOf(fe);
        expect(evs[i + 1].type).toBe('endpoint');
        expect(evs.slice(0, i).some((e) => e.type === 'partial')).toBe(true);
      }
      const ends = evs.filter((e) => e.type === 'endpoint');
      // The 1 s of trailing silence ends the second utterance by rule2 before the stream ends.
      expect(ends.map((e) => (e as { rule: string }).rule)).toEqual(['rule2', 'rule2']);
      // audioSec never goes back and never exceeds what was fed.
      for (let i = 1; i < evs.length; i++) expect(evs[i].audioSec).toBeGreaterThanOrEqual(evs[i - 1].audioSec);
      expect(evs[evs.length - 1].audioSec).toBeLessThanOrEqual(pcm.length / RATE);
      // Word times fall within the spoken spans (with 0.15 s of slack for CTC timing).
      f.forEach((fe, k) => {
        for (const w of fe.words) {
          expect(w.start).toBeGreaterThanOrEqual(spans[k].start - 0.15);
          expect(w.end).toBeLessThanOrEqual(spans[k].end + 0.15);
          expect(w.confidence).toBeGreaterThan(0);
        }
        expect(fe.start).toBeLessThanOrEqual(fe.words[0].start);
        expect(fe.end).toBeGreaterThanOrEqual(fe.words[fe.words.length - 1].end - 0.05);
      });
      // The first utterance is endpointed inside the pause, about 0.6 s after speech ended.
      const firstEnd = ends[0] as { end: number; audioSec: number };
      expect(firstEnd.end).toBeGreaterThan(spans[0].end);
      expect(firstEnd.end).toBeLessThan(spans[1].start);
      expect(firstEnd.audioSec).toBeLessThan(spans[0].end + 1.3);
    } finally {
      await rec.dispose();
    }
  });

  it('a short pause stays inside the utterance; a shorter endpoint rule splits it', async () => {
    const { pcm } = await compose([0.4, 'two', 0.3, 'eight', 1.0]);
    const rec = await recognizer();
    const eager = await recognizer({ endpoint: { rule2: { minTrailingSilenceSec: 0.15 } } });
    try {
      const one = finals(await stream(rec, pcm, () => 1600));
      expect(one.map((e) => e.text)).toEqual(['two eight']);
      const two = finals(await stream(eager, pcm, () => 1600));
      expect(two.map((e) => e.text)).toEqual(['two', 'eight']);
      expect(two[0].end).toBeLessThanOrEqual(two[1].start);
    } finally {
      await rec.dispose();
      await eager.dispose();
    }
  });

  it('partials only grow their stable prefix, and the final equals offline transcription', async () => {
    const { pcm } = await compose([0.3, 'four one five nine two six', 0.8]);
    const rec = await recognizer();
    const off = await OfflineRecognizer.create({ model, mode: { kind: 'words', items: DIGITS } });
    try {
      const evs = await stream(rec, pcm, () => 800);
      const partials = evs.filter((e): e is Extract<StreamEvent, { type: 'partial' }> => e.type === 'partial');
      expect(partials.length).toBeGreaterThan(2);
      for (let i = 0; i < partials.length; i++) {
        expect(partials[i].text.startsWith(partials[i].stable)).toBe(true);
        for (const later of partials.slice(i + 1)) expect(`${later.text} `.startsWith(partials[i].stable ? `${partials[i].stable} ` : '')).toBe(true);
      }
      expect(partials[partials.length - 1].stable.split(' ').length).toBeGreaterThanOrEqual(3);
      const f = finals(evs);
      expect(f).toHaveLength(1);
      expect(f[0].text).toBe((await off.recognizePcm(pcm)).text);
    } finally {
      await rec.dispose();
      await off.dispose();
    }
  });

  it('preview partials (frames not yet in a chunk) show words sooner than chunk partials, with the same stable words and final', async () => {
    const { pcm } = await compose([0.3, 'four one five nine two six', 0.8]);
    const preview = await recognizer();
    const chunked = await recognizer({ partialPreview: false });
    try {
      const a = await stream(preview, pcm, () => 800);
      const b = await stream(chunked, pcm, () => 800);
      expect(finals(a).map((e) => e.text)).toEqual(finals(b).map((e) => e.text));
      const words = finals(a)[0].words.map((w) => w.word);
      // When word i first shows at its place in a partial (audio seconds pushed).
      const shown = (evs: StreamEvent[]) => words.map((w, i) => evs.find((e) => e.type === 'partial' && e.text.split(' ')[i] === w)?.audioSec ?? Infinity);
      const sa = shown(a), sb = shown(b);
      for (let i = 0; i < words.length; i++) expect(sa[i]).toBeLessThanOrEqual(sb[i]);
      expect(sa.reduce((x, y) => x + y, 0)).toBeLessThan(sb.reduce((x, y) => x + y, 0) - 0.1 * words.length);
      expect(preview.stats.previews).toBeGreaterThan(0);
      expect(chunked.stats.previews).toBe(0);
      // Previews further apart run the graph less often, and the final is the same.
      const sparse = await recognizer({ previewEveryFrames: 12 });
      try {
        const c = await stream(sparse, pcm, () => 800);
        expect(finals(c).map((e) => e.text)).toEqual(finals(a).map((e) => e.text));
        expect(sparse.stats.previews).toBeLessThan(preview.stats.previews);
      } finally {
        await sparse.dispose();
      }
      for (const bad of [0, 2.5, -4]) await expect(recognizer({ previewEveryFrames: bad })).rejects.toThrow(/previewEveryFrames must be an integer >= 1/);
      // The stable words come from the chunks alone: the last partial's stable words are the same.
      const lastStable = (evs: StreamEvent[]) => (evs.filter((e) => e.type === 'partial').at(-1) as { stable: string }).stable;
      expect(lastStable(a).split(' ').length).toBeGreaterThanOrEqual(3);
      expect(words.join(' ').startsWith(lastStable(a))).toBe(true);
    } finally {
      await preview.dispose();
      await chunked.dispose();
    }
  });

  it('a mode change keeps the previewed words on the live line (its partial reads every frame heard, not the chunks alone)', async () => {
    const { pcm } = await compose([0.3, 'four one five nine two six', 0.8]);
    const preview = await recognizer();
    const chunked = await recognizer({ partialPreview: false });
    const lastPartial = (evs: StreamEvent[]) => (evs.filter((e) => e.type === 'partial').at(-1) as { text: string } | undefined)?.text;
    try {
      // Cut points inside the digits where a preview shows more than the chunks have decoded.
      let checked = 0;
      for (let cut = Math.round(0.9 * RATE); cut < Math.round(2.2 * RATE) && checked < 3; cut += 1600) {
        await preview.reset();
        await chunked.reset();
        const shown = lastPartial(await preview.acceptPcm(pcm.subarray(0, cut)));
        const chunks = lastPartial(await chunked.acceptPcm(pcm.subarray(0, cut)));
        if (!shown || shown === chunks) continue;
        checked++;
        // The same mode again: the partial it reports (if any) is the one already showing.
        const after = lastPartial(await preview.setMode({ kind: 'words', items: DIGITS }));
        expect(after ?? shown).toBe(shown);
      }
      expect(checked).toBeGreaterThan(0);
    } finally {
      await preview.dispose();
      await chunked.dispose();
    }
  });

  it('previews nothing in silence: no graph runs beyond the chunks while nobody speaks', async () => {
    const { pcm } = await compose([3.0]);
    const rec = await recognizer();
    try {
      const evs = await stream(rec, pcm, () => 800);
      expect(evs.filter((e) => e.type === 'partial' || e.type === 'final')).toEqual([]);
      expect(rec.stats.chunks).toBeGreaterThan(5);
      expect(rec.stats.previews).toBe(0);
    } finally {
      await rec.dispose();
    }
  });

  it('a stream fed in random chunk sizes gives the same finals and keyword hits', async () => {
    const { pcm } = await compose([0.4, 'eight three', 1.2, 'five five one', 0.9, 'zero seven', 0.5]);
    const rec = await recognizer({ keywords: [{ text: 'five' }] });
    try {
      const summary = (evs: StreamEvent[]) => JSON.stringify(evs.filter((e) => e.type !== 'partial').map((e) => ({ ...e, audioSec: 0 })));
      const whole = summary(await stream(rec, pcm, () => pcm.length));
      expect(finals(JSON.parse(whole) as StreamEvent[]).map((e) => e.text)).toEqual(['eight three', 'five five one', 'zero seven']);
      for (const seed of [1, 2, 3]) {
        const rng = createRng(seed);
        expect(summary(await stream(rec, pcm, () => 1 + Math.floor(rng.uniform(0, 4000))))).toBe(whole);
      }
    } finally {
      await rec.dispose();
    }
  });

  it('MFCC rows (the renderer path) give the same events as PCM', async () => {
    const { pcm } = await compose([0.4, 'six two', 1.0, 'one', 0.6]);
    // Preview partials come when pushes bring frames, and the PCM front end holds back a few frames
    // that MFCC rows bring at once; partials from chunks alone come at the same frames either way.
    const rec = await recognizer({ vtln: false, partialPreview: false });
    const previewing = await recognizer({ vtln: false });
    try {
      const viaMfcc = async (r: OnlineRecognizer): Promise<StreamEvent[]> => {
        await r.reset();
        const m = computeMfcc(pcm, model.features);
        const out: StreamEvent[] = [];
        const rowsPer = 10 * m.dim;
        for (let i = 0; i < m.data.length; i += rowsPer) out.push(...await r.acceptMfcc(m.data.slice(i, i + rowsPer)));
        out.push(...await r.finish());
        return out;
      };
      const fromPcm = await stream(rec, pcm, () => 1600);
      const fromMfcc = await viaMfcc(rec);
      const strip = (evs: StreamEvent[]) => evs.map((e) => ({ ...e, audioSec: 0 }));
      expect(strip(fromMfcc)).toEqual(strip(fromPcm));
      expect(finals(fromPcm).map((e) => e.text)).toEqual(['six two', 'one']);
      // With preview partials, everything but the partials is the same too.
      const notPartial = (evs: StreamEvent[]) => strip(evs).filter((e) => e.type !== 'partial');
      expect(notPartial(await viaMfcc(previewing))).toEqual(notPartial(fromPcm));
      expect(notPartial(await stream(previewing, pcm, () => 1600))).toEqual(notPartial(fromPcm));
    } finally {
      await rec.dispose();
      await previewing.dispose();
    }
  });

  it('with the warped rows too, MFCC input spots keywords exactly as PCM input does', async () => {
    const { pcm } = await compose([0.4, 'seven three', 0.8, 'nine', 0.6], 8, 'flite:slt');
    const rec = await recognizer({ vtln: false, keywords: [{ text: 'seven' }, { text: 'nine' }], keywordWarps: [1, 0.8] });
    try {
      expect(rec.keywordWarps).toEqual([0.8]);
      const fromPcm = await stream(rec, pcm, () => 1600);
      await rec.reset();
      const m = computeMfcc(pcm, model.features);
      const w = computeMfcc(pcm, model.features, 0.8);
      const fromMfcc: StreamEvent[] = [];
      const per = 10 * m.dim;
      for (let i = 0; i < m.data.length; i += per) fromMfcc.push(...await rec.acceptMfcc(m.data.slice(i, i + per), [w.data.slice(i, i + per)]));
      fromMfcc.push(...await rec.finish());
      // Everything but the preview partials, which come when pushes bring frames (the test above).
      const strip = (evs: StreamEvent[]) => evs.filter((e) => e.type !== 'partial').map((e) => ({ ...e, audioSec: 0 }));
      expect(strip(fromMfcc)).toEqual(strip(fromPcm));
      expect(fromPcm.filter((e) => e.type === 'keyword').length).toBeGreaterThan(0);
      // Without the warped rows the spotter listens unwarped only; mixing the two is refused.
      await rec.reset();
      await rec.acceptMfcc(m.data.slice(0, per));
      await expect(rec.acceptMfcc(m.data.slice(per, 2 * per), [w.data.slice(per, 2 * per)])).rejects.toThrow(/every push of a stream, or with none/);
      await expect(rec.acceptMfcc(m.data.slice(0, per), [w.data.slice(0, 13)])).rejects.toThrow(/warped\[0\] must be a Float32Array of/);
    } finally {
      await rec.dispose();
    }
  });

  it('switches mode and keywords on the fly', async () => {
    const { pcm } = await compose([0.3, 'next slide', 1.0, 'volume up', 0.8]);
    const rec = await OnlineRecognizer.create({ model, mode: { kind: 'phrases', items: ['next slide', 'volume up', 'zoom in'] } });
    try {
      await rec.reset();
      const half = Math.round(2.2 * RATE);
      const first = [...await rec.acceptPcm(pcm.subarray(0, half))];
      await rec.setMode({ kind: 'words', items: ['volume', 'up', 'down', 'next', 'slide'] });
      await rec.setKeywords([{ text: 'volume up' }]);
      const second = [...await rec.acceptPcm(pcm.subarray(half)), ...await rec.finish()];
      const f1 = finals(first);
      expect(f1.map((e) => e.phrase)).toEqual(['next slide']);
      expect(finals(second).map((e) => e.text)).toEqual(['volume up']);
      expect(finals(second)[0].phrase).toBeUndefined();
      expect(second.filter((e) => e.type === 'keyword').map((e) => (e as { keyword: string }).keyword)).toEqual(['volume up']);
      expect(rec.mode.kind).toBe('words');
    } finally {
      await rec.dispose();
    }
  });

  it('phrase mode: a rejected utterance keeps text empty and says the closest phrase and what was heard', async () => {
    const items = ['next slide', 'volume up', 'zoom in'];
    const { pcm } = await compose([0.3, 'we need more coffee', 1.0, 'next slide', 0.8]);
    const rec = await OnlineRecognizer.create({ model, mode: { kind: 'phrases', items } });
    try {
      const [rejected, accepted] = finals(await stream(rec, pcm, () => 800));
      expect(rejected).toMatchObject({ text: '', words: [], phrase: null });
      // A valid field of the contract, naming a listed phrase, with the final's (sub-threshold) confidence.
      expect(checkPhraseRejection(rejected.rejection, 'test', 'rejection')).toEqual(rejected.rejection);
      expect(items).toContain(rejected.rejection!.closest);
      expect(rejected.rejection!.confidence).toBe(rejected.confidence);
      expect(rejected.confidence).toBeLessThan(phraseOptionsForModel(undefined, model.metadata.decoding).threshold ?? DEFAULT_PHRASE_OPTIONS.threshold);
      // The greedy reading: the model's phonemes, several of them for four words.
      const heard = rejected.rejection!.heard.split(' ');
      expect(heard.length).toBeGreaterThanOrEqual(6);
      for (const u of heard) expect(model.metadata.units).toContain(u);
      expect(accepted).toMatchObject({ text: 'next slide', phrase: 'next slide' });
      expect(accepted.rejection).toBeUndefined();
    } finally {
      await rec.dispose();
    }
  });

  it('keeps its buffers bounded on a long stream and restarts cleanly', async () => {
    const rec = await recognizer({ endpoint: { rule3: { minUtteranceSec: 5 } } });
    try {
      await rec.reset();
      const rng = createRng(9);
      // 90 s of loud babble that never pauses: rule3 must cut it into utterances of at most 5 s.
      const babble = makeNoise('babble', 90 * RATE, rng);
      const evs: StreamEvent[] = [];
      for (let i = 0; i < babble.length; i += 4800) evs.push(...await rec.acceptPcm(Float32Array.from(babble.subarray(i, i + 4800), (v) => 0.3 * v)));
      evs.push(...await rec.finish());
      for (const e of evs) if (e.type === 'final') expect(e.end - e.start).toBeLessThanOrEqual(5.05);
      expect(rec.bufferedFrames).toBe(0);
      expect(rec.stats.chunks).toBeGreaterThan(300);
    } finally {
      await rec.dispose();
    }
  });

  it('rejects bad input with clear errors and keeps working', async () => {
    const rec = await recognizer();
    try {
      await rec.reset();
      await expect(rec.acceptPcm([0.1, 0.2] as unknown as Float32Array)).rejects.toThrow(/Float32Array/);
      await expect(rec.acceptPcm(Float32Array.of(0, NaN))).rejects.toThrow(/non-finite/);
      await rec.acceptPcm(new Float32Array(1600));
      await expect(rec.acceptMfcc(new Float32Array(13))).rejects.toThrow(/cannot switch to MFCC/);
      await rec.finish();
      await expect(rec.acceptPcm(new Float32Array(10))).rejects.toThrow(/ended/);
      await expect(rec.setKeywords([{ text: '' }])).rejects.toThrow();
      await expect(rec.setMode({ kind: 'words', items: [] })).rejects.toThrow(/at least one/);
      // Still usable after the errors.
      const { pcm } = await compose([0.3, 'four', 0.8]);
      expect(finals(await stream(rec, pcm, () => 1600)).map((e) => e.text)).toEqual(['four']);
    } finally {
      await rec.dispose();
    }
  });
});
