/**
 * Speech synthesis through the Debian command-line synthesizers (espeak-ng, flite, festival's
 * text2wave), with random prosody per utterance. Output: 16 kHz mono Float32Array in [-1, 1].
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Rng } from '../rng.ts';
import { runProcess, synthPool } from './process-pool.ts';
import { wavFileTo16k } from './to-pcm16k.ts';
import { parseVoiceId } from './voices.ts';

let tempDir: string | null = null;
let counter = 0;

function tempWav(): string {
  if (tempDir === null) {
    tempDir = mkdtempSync(join(tmpdir(), 'hark-synth-'));
    const dir = tempDir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return join(tempDir, `${process.pid}-${counter++}.wav`);
}

/** Command line that writes `text` spoken by `voiceId` to `wav`; prosody drawn from `rng`. */
export function synthCommand(text: string, voiceId: string, wav: string, rng: Rng): { cmd: string; args: string[]; stdin?: string } {
  const v = parseVoiceId(voiceId);
  switch (v.family) {
    case 'espeak': {
      const name = v.variant ? `${v.voice}+${v.variant}` : v.voice;
      // -s words per minute, -p pitch 0..99, -g extra gap between words in 10 ms units.
      const args = ['-v', name, '-s', String(rng.int(130, 210)), '-p', String(rng.int(25, 75)), '-g', String(rng.int(0, 3)), '-w', wav, '--', text];
      return { cmd: 'espeak-ng', args };
    }
    case 'flite': {
      // duration_stretch > 1 is slower; int_f0_target_mean is the mean pitch in Hz.
      const f0 = v.voice === 'slt' ? rng.int(140, 220) : rng.int(80, 140);
      const args = ['-voice', v.voice, '--setf', `duration_stretch=${rng.uniform(0.8, 1.25).toFixed(3)}`, '--setf', `int_f0_target_mean=${f0}`, '-t', text, '-o', wav];
      return { cmd: 'flite', args };
    }
    case 'festival': {
      const stretch = rng.uniform(0.8, 1.25).toFixed(3);
      const args = ['-eval', `(begin (voice_${v.voice}) (Parameter.set 'Duration_Stretch ${stretch}))`, '-o', wav];
      return { cmd: 'text2wave', args, stdin: text };
    }
  }
}

/**
 * Speaks `text` with `voiceId`, at most two synthesizer pipelines at a time.
 * The rng is consumed synchronously (before any await), so results are deterministic per seed
 * even when many calls run concurrently.
 */
export async function synthesize(text: string, voiceId: string, rng: Rng): Promise<Float32Array> {
  if (!/^[a-z' ]+$/.test(text) || text.trim() === '') throw new Error(`synthesize: text must be lower-case words, got "${text}"`);
  const wav = tempWav();
  const { cmd, args, stdin } = synthCommand(text, voiceId, wav, rng);
  return synthPool.run(async () => {
    try {
      await runProcess(cmd, args, stdin);
      const pcm = await wavFileTo16k(wav);
      if (pcm.length === 0) throw new Error(`${voiceId} produced no audio for "${text}"`);
      return pcm;
    } finally {
      rmSync(wav, { force: true });
    }
  });
}
