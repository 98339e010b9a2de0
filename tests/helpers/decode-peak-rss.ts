/**
 * Decodes one audio file in this process and prints one JSON line: the decode error's message
 * (or null) and the process's peak resident set size in MB. For tests that bound the memory a
 * decode may take: node bin/run-ts.mjs tests/helpers/decode-peak-rss.ts FILE MAX_DURATION_SEC
 */
import { decodeAudioFile } from '../../src-main/audio/decode-audio.ts';

const [file, maxSec] = process.argv.slice(2);
let error: string | null = null;
try {
  await decodeAudioFile(file, { maxDurationSec: Number(maxSec) });
} catch (e) {
  error = (e as Error).message;
}
// resourceUsage().maxRSS is in KiB.
process.stdout.write(`${JSON.stringify({ error, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
