/**
 * The main-thread side of the backend: starts backend-worker in a worker thread and forwards
 * requests to it, so recognition (onnxruntime, decoders, file decoding) never blocks the thread
 * that serves the windows. Used by the Electron main process and by the web bridge.
 *
 * If the worker dies, pending requests reject with a clear message, the windows that talked to it
 * get a model error event, and the next request starts a fresh worker.
 */
import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  HARK_CHANNELS, isInvokeChannel, type EventChannel, type HarkEventApi, type InvokeChannel, type ResponseOf,
} from '../../src-shared/ipc/app-contract.ts';
import { PACKAGE_ROOT } from '../model/package-paths.ts';
import { shippedPath } from '../system/app-layout.ts';
import { transferables, type BackendWorkerData, type HostToWorker, type WorkerToHost } from './backend-protocol.ts';
import { windowMessage } from './window-error.ts';

/**
 * The worker script next to the module `from` (this one by default), as a real file (in
 * app.asar.unpacked when packaged: src-main/system/app-layout.ts): backend-worker.mjs where the
 * module was bundled with it (dist-electron/), backend-worker.js in a bundle made by esbuild's
 * defaults (bench/app.bench.ts's app-server), else the TypeScript entry through tsx (source).
 */
export function backendWorkerUrl(from: string | URL = import.meta.url): URL {
  const found = ['./backend-worker.mjs', './backend-worker.js'].map((f) => shippedPath(f, from)).find((p) => existsSync(p));
  return pathToFileURL(found ?? shippedPath('./backend-worker-entry.mjs', from));
}

export interface BackendHostOptions extends BackendWorkerData {
  /** The worker script (default: backendWorkerUrl()). */
  workerUrl?: URL;
  emit: <E extends EventChannel>(senderId: number, channel: E, payload: HarkEventApi[E]) => void;
  /** How long dispose waits for the worker to end by itself before terminating it (default 10 s). */
  disposeGraceMs?: number;
}

/** An error from the backend, with the name it had there (IpcPayloadError, ModelPackageError, ...). */
export class BackendError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export class BackendHost {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly senders = new Set<number>();
  private disposed = false;

  private constructor(private readonly opts: BackendHostOptions) {}

  /** Starts the worker (the model begins loading at once). */
  static start(opts: BackendHostOptions): BackendHost {
    const host = new BackendHost(opts);
    host.spawn();
    return host;
  }

  /** Forwards one request of window `senderId` (validated again in the worker). */
  async handle<C extends InvokeChannel>(senderId: number, channel: C, payload: unknown): Promise<ResponseOf<C>> {
    if (!isInvokeChannel(channel) || HARK_CHANNELS[channel].host !== 'backend') throw new Error(`"${String(channel)}" is not a backend channel`);
    this.senders.add(senderId);
    return (await this.send({ kind: 'invoke', id: 0, senderId, channel, payload }, transferables(payload))) as ResponseOf<C>;
  }

  async closeSender(senderId: number): Promise<void> {
    this.senders.delete(senderId);
    if (!this.worker || this.disposed) return;
    try {
      await this.send({ kind: 'close-sender', id: 0, senderId });
    } catch (e) {
      // A shutdown overtook it: everything of every sender is released already.
      if (!this.disposed) throw e;
    }
  }

  /** Stops everything and ends the worker. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const worker = this.worker;
    if (!worker) return;
    // Terminating a thread while onnxruntime runs inside it aborts the whole process (a C++
    // Napi::Error thrown during termination, seen as a test worker dying with no output): the
    // worker releases everything, answers, and ends once idle; only one that hangs is terminated.
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([this.send({ kind: 'dispose', id: 0 }), exited]);
      await Promise.race([exited, new Promise<void>((resolve) => { timer = setTimeout(resolve, this.opts.disposeGraceMs ?? 10_000); })]);
    } catch {
      // the worker failed to release something: it is ended below all the same
    } finally {
      clearTimeout(timer);
      if (this.worker === worker) {
        this.worker = null;
        await worker.terminate();
      }
    }
  }

  /** The worker's thread id (diagnostics), or null while none runs. */
  get threadId(): number | null {
    return this.worker?.threadId ?? null;
  }

  private spawn(): void {
    const url = this.opts.workerUrl ?? backendWorkerUrl();
    const data: BackendWorkerData = { userDataDir: this.opts.userDataDir, packageRoot: this.opts.packageRoot, version: this.opts.version };
    const worker = new Worker(url, { workerData: data });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: WorkerToHost) => {
        if (m.kind === 'ready') resolve();
        else if (m.kind === 'event') this.opts.emit(m.senderId, m.channel, m.payload as HarkEventApi[typeof m.channel]);
        else if (m.kind === 'result') {
          const p = this.pending.get(m.id);
          if (!p) return;
          this.pending.delete(m.id);
          if (m.ok) p.resolve(m.value);
          else p.reject(new BackendError(m.error.name, m.error.message));
        }
      });
      const died = (reason: string) => {
        if (this.worker !== worker) return;
        this.worker = null;
        const err = this.disposed ? new Error('the recognition engine has been shut down') : new Error(windowMessage(`the recognition engine stopped unexpectedly (${reason}); it restarts with the next request`, resolvePath(this.opts.packageRoot ?? PACKAGE_ROOT)));
        reject(err);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
        if (this.disposed) return;
        for (const s of this.senders) this.opts.emit(s, 'app:event', { type: 'model', model: { state: 'error', folder: '', error: err.message } });
      };
      worker.on('error', (e: unknown) => died(e instanceof Error ? e.message : String(e)));
      worker.on('exit', (code) => died(`exit code ${code}`));
    });
    this.ready.catch(() => undefined);
  }

  private async send(m: HostToWorker, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.disposed && m.kind !== 'dispose') throw new Error('the recognition engine has been shut down');
    if (!this.worker) this.spawn();
    const worker = this.worker!;
    const id = this.nextId++;
    const reply = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    // Requests may be posted before the worker is ready: it queues them behind its start-up.
    try {
      worker.postMessage({ ...m, id }, transfer);
    } catch (e) {
      // Not sent (e.g. a payload too deep to clone): no reply will come, so nothing may wait for one.
      this.pending.delete(id);
      reply.catch(() => {});
      throw e;
    }
    return reply;
  }
}
