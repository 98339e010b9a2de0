/**
 * The backend's worker thread: runs AppBackend (model, recognition, file queue) so that no
 * recognition work ever runs on the Electron main thread. Started by BackendHost; speaks
 * backend-protocol.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppBackend } from './app-backend.ts';
import { resolve } from 'node:path';
import { PACKAGE_ROOT } from '../model/package-paths.ts';
import { transferables, type BackendWorkerData, type HostToWorker, type WorkerToHost } from './backend-protocol.ts';
import { toWireError } from './window-error.ts';

const port = parentPort;
if (!port) throw new Error('backend-worker.ts must run in a worker thread (BackendHost starts it)');
const data = workerData as BackendWorkerData;
const post = (m: WorkerToHost, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const installRoot = resolve(data.packageRoot ?? PACKAGE_ROOT);

const ready = AppBackend.create({
  userDataDir: data.userDataDir,
  packageRoot: data.packageRoot,
  version: data.version,
  emit: (senderId, channel, payload) => post({ kind: 'event', senderId, channel, payload }),
});

port.on('message', async (m: HostToWorker) => {
  try {
    const backend = await ready;
    if (m.kind === 'invoke') {
      const value = await backend.handle(m.senderId, m.channel, m.payload);
      post({ kind: 'result', id: m.id, ok: true, value }, transferables(value));
    } else if (m.kind === 'close-sender') {
      await backend.closeSender(m.senderId);
      post({ kind: 'result', id: m.id, ok: true, value: null });
    } else if (m.kind === 'dispose') {
      await backend.dispose();
      post({ kind: 'result', id: m.id, ok: true, value: null });
      // The thread ends by itself once its event loop is empty: never cut off inside onnxruntime
      // (BackendHost.dispose waits for that exit, and terminates only a thread that hangs).
      port.close();
    }
  } catch (e) {
    post({ kind: 'result', id: m.id, ok: false, error: toWireError(e, installRoot) });
  }
});

ready.then(() => post({ kind: 'ready' }), (e: Error) => {
  console.error(`hark backend: cannot start: ${e.message}`);
  process.exit(1);
});
