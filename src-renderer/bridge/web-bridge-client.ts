/**
 * window.hark for the renderer in a plain browser: the HarkBridge of src-shared/ipc/app-contract.ts
 * over the web bridge's WebSocket (src-main/backend/web-bridge-server.ts), binary-framed with
 * wire-codec so Float32Arrays cross as bytes. The server injects this script before app.js; in
 * Electron the preload provides window.hark instead and this file is never loaded.
 *
 * The 'main'-host channels (native dialogs in Electron) are answered here: opening files uses a
 * file input (the files travel as bytes), saving text downloads it, a folder is a typed path. A
 * page has no global shortcuts, tray or access to other applications: desktop:status says so.
 */
import {
  HARK_CHANNELS, isEventChannel, type DesktopStatus, isInvokeChannel, type EventChannel, type FileInput, type HarkBridge, type HarkEventApi,
  type InvokeChannel, type RequestOf, type ResponseOf,
} from '../../src-shared/ipc/app-contract.ts';
import { decodeMessage, encodeMessage } from '../../src-shared/ipc/wire-codec.ts';

type ServerMessage =
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: { name: string; message: string } }
  | { t: 'event'; channel: EventChannel; payload: unknown };

/** An error answered by the backend, with its original name. */
class BridgeError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

function createWebBridge(): HarkBridge {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const ws = new WebSocket(`ws://${location.host}/bridge?token=${encodeURIComponent(token)}`);
  ws.binaryType = 'arraybuffer';
  const opened = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('cannot reach the Hark backend (web bridge socket failed)')), { once: true });
  });
  opened.catch(() => undefined);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<EventChannel, Set<(p: unknown) => void>>();
  let nextId = 1;
  let closedReason: string | null = null;

  ws.addEventListener('message', (e: MessageEvent<ArrayBuffer>) => {
    const m = decodeMessage(e.data) as ServerMessage;
    if (m.t === 'event') {
      for (const l of listeners.get(m.channel) ?? []) l(m.payload);
      return;
    }
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(new BridgeError(m.error.name, m.error.message));
  });
  ws.addEventListener('close', (e) => {
    closedReason = `the connection to the Hark backend closed${e.reason ? `: ${e.reason}` : ''}`;
    for (const p of pending.values()) p.reject(new Error(closedReason));
    pending.clear();
  });

  const remote = async (channel: InvokeChannel, payload: unknown): Promise<unknown> => {
    await opened;
    if (closedReason) throw new Error(closedReason);
    const id = nextId++;
    const reply = new Promise<unknown>((resolve, reject) => pending.set(id, { resolve, reject }));
    ws.send(encodeMessage({ t: 'invoke', id, channel, payload }));
    return reply;
  };

  return {
    kind: 'web',
    async invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
      if (!isInvokeChannel(channel)) throw new Error(`unknown channel "${String(channel)}"`);
      if (HARK_CHANNELS[channel].host === 'main') {
        // Same validation as Electron's main process applies.
        const req = HARK_CHANNELS[channel].request(request);
        if (channel === 'dialog:open-audio') return (await openFiles()) as ResponseOf<C>;
        if (channel === 'dialog:save-text') return download(req as RequestOf<'dialog:save-text'>) as ResponseOf<C>;
        if (channel === 'dialog:choose-folder') return askFolder(req as RequestOf<'dialog:choose-folder'>) as ResponseOf<C>;
        if (channel === 'desktop:status') return PAGE_DESKTOP_STATUS as ResponseOf<C>;
        if (channel === 'desktop:listening') return {} as ResponseOf<C>;
        if (channel === 'desktop:insert') return { method: 'skipped', message: PAGE_DESKTOP_STATUS.insertion.detail } as ResponseOf<C>;
      }
      return (await remote(channel, request)) as ResponseOf<C>;
    },
    on<E extends EventChannel>(channel: E, listener: (payload: HarkEventApi[E]) => void): () => void {
      if (!isEventChannel(channel)) throw new Error(`unknown event channel "${String(channel)}"`);
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => { set.delete(l); };
    },
    pathForFile: () => null,
  };
}

const NO_SHORTCUT = { accelerator: '', registered: false, problem: 'Global shortcuts work only in the desktop app.' };

/** The desktop integration as a page has it: none. */
const PAGE_DESKTOP_STATUS: DesktopStatus = {
  available: false,
  insertion: { backend: 'none', detail: 'Typing into other applications works only in the desktop app.' },
  shortcuts: { toggle: NO_SHORTCUT, 'push-to-talk': NO_SHORTCUT },
};

/** A file picker: resolves with the chosen files' bytes (none when cancelled). */
function openFiles(): Promise<{ files: FileInput[] }> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.accept = 'audio/*,.wav,.flac,.mp3,.ogg,.oga,.opus';
    input.hidden = true;
    document.body.append(input);
    const done = () => input.remove();
    input.addEventListener('cancel', () => { done(); resolve({ files: [] }); }, { once: true });
    input.addEventListener('change', async () => {
      try {
        const files = await Promise.all(Array.from(input.files ?? []).map(async (f) => ({ name: f.name, data: await f.arrayBuffer() })));
        resolve({ files });
      } catch (e) {
        reject(e as Error);
      } finally {
        done();
      }
    }, { once: true });
    input.click();
  });
}

/**
 * A folder path typed by the user: a page cannot browse folders by path, and the bridge serves
 * only 127.0.0.1, so the backend reads the same file system the user types paths of.
 */
function askFolder(req: RequestOf<'dialog:choose-folder'>): { path: string | null } {
  const question = req.purpose === 'import-model' ? 'Folder of the model package to import:' : 'Folder to export the model into (new or empty):';
  const answer = window.prompt(question, '');
  return { path: answer && answer.trim() ? answer.trim() : null };
}

/** Saves text by downloading it (the browser asks where, or uses its download folder). */
function download(req: RequestOf<'dialog:save-text'>): { saved: boolean; path: string } {
  const url = URL.createObjectURL(new Blob([req.text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = req.fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { saved: true, path: req.fileName };
}

(window as unknown as { hark: HarkBridge }).hark = createWebBridge();
