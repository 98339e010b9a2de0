/**
 * Speaks stored pronunciations with espeak-ng (phoneme input, so the user hears exactly the
 * phonemes Hark will listen for, not espeak's own reading of the spelling): each alternative once,
 * with a short pause between them. Returns 16-bit WAV bytes as espeak-ng writes them.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../system/process-pool.ts';
import { espeakPhonemeInput } from './espeak-phonemes.ts';

export async function sayPronunciations(pronunciations: readonly (readonly string[])[], outPath?: string): Promise<Uint8Array> {
  if (pronunciations.length === 0) throw new Error('nothing to say: no pronunciation');
  const text = pronunciations.map((p) => espeakPhonemeInput(p)).join(' , ');
  const dir = outPath ? null : await mkdtemp(join(tmpdir(), 'hark-say-'));
  const wav = outPath ?? join(dir!, 'say.wav');
  try {
    try {
      await runProcess('espeak-ng', ['-v', 'en-us', '-s', '140', '-w', wav, '--', text]);
    } catch (e) {
      throw new Error(`cannot speak the pronunciation: espeak-ng failed or is not installed (${(e as Error).message.split('\n')[0]})`);
    }
    return new Uint8Array(await readFile(wav));
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
