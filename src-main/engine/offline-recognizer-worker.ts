/**
 * One worker thread of OfflineRecognizerPool (offline-recognizer-pool.ts): builds its own
 * OfflineRecognizer (own onnxruntime session, decoders and LM) from plain-data options, then
 * recognizes one file at a time. Messages:
 *   workerData: { options: PoolRecognizerOptions }
 *   in:  { type: 'recognize', file } | { type: 'close' }
 *   out: { type: 'ready' } | { type: 'start-failed', error } (then the thread ends)
 *        | { type: 'done', recognition } | { type: 'failed', error }
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AudioDecodeError } from '../audio/index.ts';
import { OfflineRecognizer, type OfflineRecognizerOptions, type Recognition } from './offline-recognizer.ts';

/** Recognizer options that cross to a worker: plain data only (no loaded package, no lexicon object). */
export type PoolRecognizerOptions = Omit<OfflineRecognizerOptions, 'model' | 'lexicon'>;

/** An error as it crosses the thread boundary; `reason` is AudioDecodeError's (the message less the file name). */
export interface WireError {
  name: string;
  message: string;
  reason?: string;
}

export type PoolRequest = { type: 'recognize'; file: string } | { type: 'close' };
export type PoolReply =
  | { type: 'ready' }
  | { type: 'start-failed'; error: WireError }
  | { type: 'done'; recognition: Recognition }
  | { type: 'failed'; error: WireError };

export function toWireError(e: unknown): WireError {
  if (e instanceof AudioDecodeError) return { name: e.name, message: e.message, reason: e.reason };
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}

const port = parentPort;
if (port) {
  const post = (m: PoolReply) => port.postMessage(m);
  let recognizer: OfflineRecognizer | undefined;
  try {
    recognizer = await OfflineRecognizer.create((workerData as { options: PoolRecognizerOptions }).options);
  } catch (e) {
    post({ type: 'start-failed', error: toWireError(e) });
    port.close();
  }
  if (recognizer) {
    const rec = recognizer;
    port.on('message', async (m: PoolRequest) => {
      if (m.type === 'close') {
        await rec.dispose();
        port.close();
        return;
      }
      try {
        post({ type: 'done', recognition: await rec.recognizeFile(m.file) });
      } catch (e) {
        post({ type: 'failed', error: toWireError(e) });
      }
    });
    post({ type: 'ready' });
  }
}
