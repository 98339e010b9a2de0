/**
 * Messages between BackendHost (the Electron main thread, or the web bridge) and the backend
 * worker thread. Payloads cross by structured clone, so Float32Arrays and ArrayBuffers arrive as
 * binary, and large buffers are transferred rather than copied.
 */
import type { EventChannel, InvokeChannel, WireError } from '../../src-shared/ipc/app-contract.ts';

export interface BackendWorkerData {
  userDataDir: string;
  packageRoot?: string;
  version?: string;
}

export type HostToWorker =
  | { kind: 'invoke'; id: number; senderId: number; channel: InvokeChannel; payload: unknown }
  | { kind: 'close-sender'; id: number; senderId: number }
  | { kind: 'dispose'; id: number };

export type WorkerToHost =
  | { kind: 'ready' }
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: WireError }
  | { kind: 'event'; senderId: number; channel: EventChannel; payload: unknown };

/**
 * Buffers to transfer instead of copying: ArrayBuffers and whole-buffer typed arrays among a
 * payload's fields (and in arrays held by them). The sender must not use them afterwards, which
 * holds for a message it has just received and is forwarding.
 */
export function transferables(value: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const visit = (v: unknown, depth: number) => {
    if (v instanceof ArrayBuffer) {
      if (v.byteLength > 0) out.add(v);
    } else if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && v.byteLength > 0) out.add(v.buffer);
    } else if (depth < 2 && typeof v === 'object' && v !== null) {
      for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x, depth + 1);
    }
  };
  visit(value, 0);
  return [...out];
}
