/**
 * Test instrumentation for the latency benchmark (costs one array push per visible change):
 *   window.__harkTrace: {t: performance.now(), audioSec, text}[], appended every time the dictation
 *     view's visible text changes; audioSec = seconds of audio the capture worklet had delivered
 *     (from sample counts), text = the full visible text (finals + partial). Capped at 10000
 *     entries (later changes are not recorded).
 *   window.__harkCaptureStart: performance.now() at the first worklet block of the first session.
 */
export interface TraceEntry {
  t: number;
  audioSec: number;
  text: string;
}

const MAX_ENTRIES = 10_000;

type TraceGlobal = { __harkTrace?: TraceEntry[]; __harkCaptureStart?: number };
const g = globalThis as TraceGlobal;

/** Records one visible change of the dictation text. */
export function traceDictation(audioSec: number, text: string): void {
  const trace = (g.__harkTrace ??= []);
  if (trace.length < MAX_ENTRIES) trace.push({ t: performance.now(), audioSec, text });
}

/** Records the first captured block (only the first call counts). */
export function markCaptureStart(): void {
  g.__harkCaptureStart ??= performance.now();
}

g.__harkTrace ??= [];
