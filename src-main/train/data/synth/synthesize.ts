/**
 * Speech synthesis through the Debian command-line synthesizers (espeak-ng, flite, festival's
 * text2wave) and two WebAssembly ones (SVOX Pico, GnuSpeech), with random prosody and voice per
 * utterance. Output: 16 kHz mono Float32Array in [-1, 1].
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Rng } from '../rng.ts';
import { espeakPrivateData, espeakVariantText } from './espeak-data.ts';
import { runProcess, synthPool } from '../../../system/process-pool.ts';
import { synthTempDir } from './synth-temp-dir.ts';
import { int16ToFloat, wavFileTo16k } from './to-pcm16k.ts';
import { espeakVariantFile, espeakWideArgs, festivalWideEval, fliteWideArgs, gnuspeechSettings, picoMarkup } from './variation.ts';
import { parseVoiceId, voiceGender } from './voices.ts';
import { gnuspeechBaseFiles, gnuspeechSpeak, picoSpeak } from './wasm-voices.ts';

let counter = 0;

function tempWav(): string {
  return join(synthTempDir(), `${process.pid}-${counter++}.wav`);
}

/**
 * How much each utterance's voice is varied:
 * - `classic`: the shipped model's draws (espeak rate/pitch/gap, flite stretch and F0 mean, festival
 *   stretch), unchanged so that its training data and the held-out benchmarks reproduce exactly;
 * - `wide`: a different talker per utterance (variation.ts): espeak-ng formants, pitch level and range,
 *   breath, voicing, roughness, rhythm and intonation through a generated variant file; flite and festival
 *   stretch, F0 mean and range.
 * Pico and GnuSpeech have one style (rate and pitch; GnuSpeech also tract length, glottis and intonation).
 */
export type SynthVariation = 'classic' | 'wide';

export interface SynthOptions {
  /** Default `classic`. */
  variation?: SynthVariation;
}

/** How one utterance is made: a command line (after writing `files`), or an in-process WASM synthesizer. */
export type SynthPlan =
  | { cmd: string; args: string[]; stdin?: string; files?: { path: string; text: string }[]; needs?: { path: string; package: string }[] }
  | { wasm: 'pico'; voice: string; markup: string }
  | { wasm: 'gnuspeech'; text: string; voiceFile: string; controlModel: string };

/** Where the mbrola program and a voice's database live (Debian), and the packages that put them there (mbrola-<voice>). */
function mbrolaNeeds(voice: string): { path: string; package: string }[] {
  return [{ path: '/usr/bin/mbrola', package: 'mbrola' }, { path: `/usr/share/mbrola/${voice}/${voice}`, package: `mbrola-${voice}` }];
}

/** espeak-ng's classic per-utterance prosody (the shipped model's draws, in this order): -s words per minute, -p pitch 0..99, -g extra gap between words in 10 ms units. */
function espeakClassicArgs(rng: Rng): string[] {
  return ['-s', String(rng.int(130, 210)), '-p', String(rng.int(25, 75)), '-g', String(rng.int(0, 3))];
}

/** Throws, naming the Debian package to install, when a file a voice needs is missing (espeak-ng alone would fall back silently or fail vaguely). */
export function checkNeeds(voiceId: string, needs: readonly { path: string; package: string }[]): void {
  for (const n of needs) {
    if (!existsSync(n.path)) throw new Error(`${voiceId} needs ${n.path}: install Debian's ${n.package} (apt-get install ${n.package}; mbrola is in contrib, its voices in non-free)`);
  }
}

/** Folder of the private espeak-ng data used for generated variants of utterances written next to `wav`. */
function espeakRoot(wav: string): string {
  return join(dirname(wav), 'espeak');
}

/**
 * How to speak `text` with `voiceId` (a command line writes `wav`); prosody and voice variation drawn from
 * `rng`, synchronously.
 */
export function synthCommand(text: string, voiceId: string, wav: string, rng: Rng, opts: SynthOptions = {}): SynthPlan {
  const v = parseVoiceId(voiceId);
  const wide = (opts.variation ?? 'classic') === 'wide';
  const gender = voiceGender(voiceId);
  switch (v.family) {
    case 'espeak': {
      const name = v.variant ? `${v.voice}+${v.variant}` : v.voice;
      if (wide) {
        const variantName = `hark-${basename(wav, '.wav')}`;
        const prosody = espeakWideArgs(rng);
        const variant = espeakVariantFile(v.variant ? espeakVariantText(v.variant) : '', gender, rng);
        const path = join(espeakRoot(wav), 'espeak-ng-data', 'voices', '!v', variantName);
        const args = [`--path=${espeakRoot(wav)}`, '-v', `${v.voice}+${variantName}`, ...prosody, '-w', wav, '--', text];
        return { cmd: 'espeak-ng', args, files: [{ path, text: variant }] };
      }
      return { cmd: 'espeak-ng', args: ['-v', name, ...espeakClassicArgs(rng), '-w', wav, '--', text] };
    }
    case 'flite': {
      if (wide) return { cmd: 'flite', args: ['-voice', v.voice, ...fliteWideArgs(gender, rng), '-t', text, '-o', wav] };
      // duration_stretch > 1 is slower; int_f0_target_mean is the mean pitch in Hz.
      const f0 = gender === 'female' ? rng.int(140, 220) : rng.int(80, 140);
      const args = ['-voice', v.voice, '--setf', `duration_stretch=${rng.uniform(0.8, 1.25).toFixed(3)}`, '--setf', `int_f0_target_mean=${f0}`, '-t', text, '-o', wav];
      return { cmd: 'flite', args };
    }
    case 'festival': {
      if (wide) return { cmd: 'text2wave', args: ['-eval', festivalWideEval(v.voice, gender, rng), '-o', wav], stdin: text };
      const stretch = rng.uniform(0.8, 1.25).toFixed(3);
      const args = ['-eval', `(begin (voice_${v.voice}) (Parameter.set 'Duration_Stretch ${stretch}))`, '-o', wav];
      return { cmd: 'text2wave', args, stdin: text };
    }
    case 'mbrola': {
      // espeak-ng's rhythm and intonation over the MBROLA voice's diphones: rate, pitch level and word gaps drawn
      // as for espeak-ng (the diphones fix the timbre; variant files would change nothing but the pitch).
      const prosody = wide ? espeakWideArgs(rng) : espeakClassicArgs(rng);
      return { cmd: 'espeak-ng', args: ['-v', `mb-${v.voice}`, ...prosody, '-w', wav, '--', text], needs: mbrolaNeeds(v.voice) };
    }
    case 'pico':
      return { wasm: 'pico', voice: v.voice, markup: picoMarkup(text, rng) };
    case 'gnuspeech': {
      const base = gnuspeechBaseFiles(v.voice);
      return { wasm: 'gnuspeech', text, ...gnuspeechSettings(base.voiceFile, base.controlModel, 'hark', rng) };
    }
  }
}

/**
 * Speaks `text` with `voiceId`, at most two synthesizer pipelines at a time.
 * The rng is consumed synchronously (before any await), so results are deterministic per seed
 * even when many calls run concurrently.
 */
export async function synthesize(text: string, voiceId: string, rng: Rng, opts: SynthOptions = {}): Promise<Float32Array> {
  if (!/^[a-z' ]+$/.test(text) || text.trim() === '') throw new Error(`synthesize: text must be lower-case words, got "${text}"`);
  const wav = tempWav();
  const plan = synthCommand(text, voiceId, wav, rng, opts);
  return synthPool.run(async () => {
    const written: string[] = [];
    try {
      let pcm: Float32Array;
      if ('cmd' in plan) {
        checkNeeds(voiceId, plan.needs ?? []);
        if (plan.files?.length) espeakPrivateData(espeakRoot(wav));
        for (const f of plan.files ?? []) {
          writeFileSync(f.path, f.text, 'latin1');
          written.push(f.path);
        }
        await runProcess(plan.cmd, plan.args, plan.stdin);
        pcm = await wavFileTo16k(wav);
      } else if (plan.wasm === 'pico') {
        pcm = int16ToFloat(await picoSpeak(plan.voice, plan.markup));
      } else {
        writeFileSync(wav, await gnuspeechSpeak(plan.text, plan));
        pcm = await wavFileTo16k(wav);
      }
      if (pcm.length === 0) throw new Error(`${voiceId} produced no audio for "${text}"`);
      return pcm;
    } finally {
      rmSync(wav, { force: true });
      for (const f of written) rmSync(f, { force: true });
    }
  });
}
