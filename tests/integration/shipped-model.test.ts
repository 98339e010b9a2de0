/**
 * The shipped model (models/hark-en) on speech of voices it never heard in training: phrase
 * commands with rejection of other speech and noise, digit strings with --words, word times, the
 * sample clips of `npm start`, and the model package's card and size.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { OfflineRecognizer } from '../../src-main/engine/offline-recognizer.ts';
import { loadModelPackage, type ModelPackage } from '../../src-main/model/model-package.ts';
import { resolveModelDir } from '../../src-main/model/package-paths.ts';
import { HELDOUT_VOICES, synthesize } from '../../src-main/train/data/synth/index.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { makeNoise } from '../../src-main/train/data/augment/noise.ts';
import { editDistance } from '../../src-main/math/edit-distance.ts';
import { runHark } from './cli-fixtures.ts';

const COMMANDS = ['next slide', 'previous slide', 'mute the microphone', 'open the browser', 'scroll down', 'volume up', 'take a screenshot', 'zoom out', 'go back', 'lock the screen'];
/** The targets (95% phrase accuracy, digit WER <= 10%) with a margin for these small samples. */
const MIN_PHRASE_ACCURACY = 0.9;
const MAX_DIGIT_WER = 0.15;
const DIGITS = ['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

let model: ModelPackage;
beforeAll(async () => { model = await loadModelPackage(resolveModelDir()); });

function withSilence(pcm: Float32Array, leadSec: number, tailSec = 0.3): Float32Array {
  const out = new Float32Array(Math.round((leadSec + tailSec) * 16000) + pcm.length);
  out.set(pcm, Math.round(leadSec * 16000));
  return out;
}

describe('shipped model on held-out voices', () => {
  it('is a complete package within the size limit, with its training card', () => {
    expect(statSync(join(model.dir, 'model.onnx')).size).toBeLessThan(20e6);
    const t = model.metadata.training as Record<string, unknown>;
    expect(t.heldoutVoices).toEqual(HELDOUT_VOICES);
    expect(Number(t.audioHours)).toBeGreaterThan(1);
    expect(model.metadata.architecture.cell).toBe('lstm');
    expect(model.metadata.architecture.bidirectional).toBe(true);
  });

  it('recognizes listed commands spoken by every held-out voice and rejects noise', async () => {
    const rec = await OfflineRecognizer.create({ model, mode: { kind: 'phrases', items: COMMANDS } });
    const rng = createRng(77);
    let correct = 0, total = 0;
    for (const voice of HELDOUT_VOICES) {
      for (const c of COMMANDS.slice(0, 5)) {
        const r = await rec.recognizePcm(withSilence(await synthesize(c, voice, rng.fork()), 0.3));
        total++;
        if (r.phrase === c) correct++;
      }
    }
    expect(correct / total).toBeGreaterThanOrEqual(MIN_PHRASE_ACCURACY);
    for (const kind of ['white', 'pink', 'babble'] as const) {
      const noise = makeNoise(kind, 32000, rng).map((v) => v * 0.05);
      expect((await rec.recognizePcm(noise)).phrase).toBeNull();
    }
  });

  it('transcribes digit strings with --words', async () => {
    const rec = await OfflineRecognizer.create({ model, mode: { kind: 'words', items: DIGITS } });
    const rng = createRng(5);
    let errors = 0, words = 0;
    for (const [i, text] of ['four one five', 'nine oh two seven', 'three three eight six one', 'seven two', 'five nine zero four'].entries()) {
      const voice = HELDOUT_VOICES[i % HELDOUT_VOICES.length];
      const r = await rec.recognizePcm(withSilence(await synthesize(text, voice, rng.fork()), 0.2));
      const norm = (s: string) => s.replace(/\boh\b/g, 'zero').split(' ').filter(Boolean);
      errors += editDistance(norm(text), norm(r.text));
      words += norm(text).length;
    }
    expect(errors / words).toBeLessThanOrEqual(MAX_DIGIT_WER);
  });

  it('places word times where the speech is', async () => {
    const rec = await OfflineRecognizer.create({ model, mode: { kind: 'phrases', items: ['open the browser'] } });
    const speech = await synthesize('open the browser', 'festival:ked_diphone', createRng(9));
    const pcm = withSilence(speech, 0.8);
    // Speech onset and offset measured on the signal itself (synthesizers add silence of their own).
    const rms = (i: number) => Math.sqrt(pcm.subarray(i, i + 160).reduce((s, v) => s + v * v, 0) / 160);
    const frames = Array.from({ length: Math.floor(pcm.length / 160) }, (_, k) => rms(k * 160));
    const loud = Math.max(...frames) * 0.05;
    const onset = frames.findIndex((e) => e > loud) * 0.01;
    const offset = (frames.length - [...frames].reverse().findIndex((e) => e > loud)) * 0.01;
    const r = await rec.recognizePcm(pcm);
    expect(r.phrase).toBe('open the browser');
    expect(Math.abs(r.words[0].start - onset)).toBeLessThan(0.12);
    expect(Math.abs(r.words[2].end - offset)).toBeLessThan(0.15);
    for (let i = 1; i < r.words.length; i++) expect(r.words[i].start).toBeGreaterThanOrEqual(r.words[i - 1].end - 0.05);
  });

  it('npm start sample: the command clip through the CLI in phrase mode', async () => {
    const r = await runHark(['transcribe', 'assets/samples/open-the-browser.wav', '--phrases', 'assets/samples/commands.txt', '--format', 'json', '--model', model.dir]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout.trim()) as { phrase: string | null; words: { word: string }[] };
    expect(out.phrase).toBe('open the browser and scroll down');
    expect(out.words.map((w) => w.word)).toEqual(['open', 'the', 'browser', 'and', 'scroll', 'down']);
  });
});
