/**
 * Errors that reach a window name the user's file and nothing else: through the real backend in
 * its worker thread (BackendHost), an import of a folder whose model.json links to a file outside
 * it (/etc/passwd, a secret of the user's) is refused naming the folder's model.json, a model.json
 * that is not JSON is refused with a position and none of its text, a link to a file inside the
 * folder is copied as the file, and onnxruntime's internal source paths never reach a refused
 * import or the model error event.
 */
import { cp, lstat, mkdir, mkdtemp, readFile, rm, symlink, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendHost } from '../../src-main/backend/backend-host.ts';
import { decodeModelProto, encodeModelProto } from '../../src-main/model/onnx-proto.ts';
import type { EventChannel, HarkEventApi } from '../../src-shared/ipc/app-contract.ts';
import { writeRandomModelPackage } from '../helpers/random-model-package.ts';

let dir: string;
let host: BackendHost;
const events: { channel: EventChannel; payload: unknown }[] = [];
const SECRET = 'root:x:0:0:hunter2-secret:/root:/bin/bash\n';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hark-window-errors-'));
  host = BackendHost.start({ userDataDir: join(dir, 'user'), emit: <E extends EventChannel>(_s: number, channel: E, payload: HarkEventApi[E]) => void events.push({ channel, payload }) });
  await writeFile(join(dir, 'secret.txt'), SECRET);
}, 60_000);
afterAll(async () => {
  await host?.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** A random-weight package in `name`, then `change` applied to its folder. */
async function pkg(name: string, change: (d: string) => Promise<void> = async () => undefined): Promise<string> {
  const d = join(dir, name);
  await writeRandomModelPackage(3, { dir: d, name });
  await change(d);
  return d;
}

const refusal = (path: string) => host.handle(1, 'models:import', { path }).then(() => { throw new Error('imported'); }, (e: Error) => e);

describe('errors shown to a window', () => {
  it('refuses a model.json that links out of the folder, naming the link and quoting nothing', async () => {
    for (const target of ['/etc/passwd', join(dir, 'secret.txt')]) {
      const d = await pkg(`linked-${target.length}`, async (d) => {
        await rm(join(d, 'model.json'));
        await symlink(target, join(d, 'model.json'));
      });
      const e = await refusal(d);
      expect(e.message).toContain(join(d, 'model.json'));
      expect(e.message).toMatch(/symbolic link that leads out of the model folder/);
      expect(e.message).not.toMatch(/root:|hunter2|bin\/bash/);
    }
  });

  it('refuses a model.json that is not JSON with where, not what', async () => {
    const d = await pkg('not-json', (d) => writeFile(join(d, 'model.json'), SECRET));
    const e = await refusal(d);
    expect(e.message).toBe(`model ${join(d, 'model.json')}: not valid JSON (at line 1, column 1)`);
    const late = await pkg('not-json-late', (d) => writeFile(join(d, 'model.json'), `{\n  "formatVersion": 1,\n  "name": ${SECRET}}`));
    expect((await refusal(late)).message).toBe(`model ${join(late, 'model.json')}: not valid JSON (at line 3, column 11)`);
  });

  it('copies a link to a file inside the folder as that file', async () => {
    const d = await pkg('inner-link', async (d) => {
      await mkdir(join(d, 'graphs'));
      await rename(join(d, 'model.onnx'), join(d, 'graphs', 'model.onnx'));
      await symlink(join('graphs', 'model.onnx'), join(d, 'model.onnx'));
    });
    const { imported } = await host.handle(1, 'models:import', { path: d });
    expect((await lstat(join(imported.dir, 'model.onnx'))).isFile()).toBe(true);
    expect(await readFile(join(imported.dir, 'model.onnx'))).toEqual(await readFile(join(d, 'graphs', 'model.onnx')));
  });

  it("keeps onnxruntime's internal source paths out of the error, and names the user's graph", async () => {
    // Graphs of an IR version onnxruntime does not know: its error names its own source file.
    const d = await pkg('future-ir', async (d) => {
      for (const f of ['model.onnx', 'model.stream.onnx']) {
        const m = decodeModelProto(new Uint8Array(await readFile(join(d, f))));
        m.irVersion = 99;
        await writeFile(join(d, f), encodeModelProto(m));
      }
    });
    // The import's trial run refuses it, naming the user's graph.
    const refused = await refusal(d);
    expect(refused.message).toMatch(/Unsupported model IR version: 99/);
    expect(refused.message).toContain(join(d, 'model.onnx'));
    expect(refused.message).not.toMatch(/onnxruntime_src|onnxruntime\/core|\.cc:\d+|onnxruntime::|\.importing-/);
    // A copy placed in the models folder by hand (or by an older Hark) fails when it loads.
    const installed = join(dir, 'user', 'models', 'future-ir-0.0.0');
    await cp(d, installed, { recursive: true });
    await host.handle(1, 'models:use', { dir: installed });
    const e = await host.handle(1, 'recognition:start', { input: 'mfcc', mode: { kind: 'dictation' } }).then(() => { throw new Error('started'); }, (e: Error) => e);
    expect(e.message).toMatch(/Unsupported model IR version: 99/);
    expect(e.message).toContain(join(installed, 'model.stream.onnx'));
    expect(e.message).not.toMatch(/onnxruntime_src|onnxruntime\/core|\.cc:\d+|onnxruntime::/);
  }, 90_000);
});

describe('errors about the install', () => {
  it('reach the windows of a dead worker without onnxruntime or install paths', async () => {
    const install = join(dir, 'install-w');
    await mkdir(join(install, 'dist'), { recursive: true });
    const worker = join(install, 'dist', 'dying-worker.mjs');
    await writeFile(worker, `throw new Error('/onnxruntime_src/onnxruntime/core/framework/allocator.cc:12 void* onnxruntime::Alloc(size_t) out of memory in ${install}/dist/dying-worker.mjs');\n`);
    const dead = BackendHost.start({ userDataDir: join(dir, 'user3'), packageRoot: install, workerUrl: pathToFileURL(worker), emit: () => undefined });
    try {
      const e = await dead.handle(1, 'app:info', {}).then(() => { throw new Error('answered'); }, (e: Error) => e);
      expect(e.message).toBe('the recognition engine stopped unexpectedly (out of memory in <Hark>/dist/dying-worker.mjs); it restarts with the next request');
    } finally {
      await dead.dispose().catch(() => undefined);
    }
  });

  it('show paths inside the folder Hark is installed in from there, not as absolute paths', async () => {
    const install = join(dir, 'install');
    await mkdir(join(install, 'models', 'hark-en'), { recursive: true });
    await writeFile(join(install, 'models', 'hark-en', 'model.json'), SECRET);
    const seen: { channel: EventChannel; payload: unknown }[] = [];
    const other = BackendHost.start({ userDataDir: join(dir, 'user2'), packageRoot: install, emit: <E extends EventChannel>(_s: number, channel: E, payload: HarkEventApi[E]) => void seen.push({ channel, payload }) });
    try {
      const e = await other.handle(1, 'recognition:start', { input: 'mfcc', mode: { kind: 'dictation' } }).then(() => { throw new Error('started'); }, (e: Error) => e);
      expect(e.message).toBe('model <Hark>/models/hark-en/model.json: not valid JSON (at line 1, column 1)');
      const deadline = Date.now() + 20_000;
      const state = () => seen.map((x) => x.payload as { type?: string; model?: { state: string; error?: string } }).find((p) => p.type === 'model' && p.model?.state === 'error');
      while (!state() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(state()?.model?.error).toBe('model <Hark>/models/hark-en/model.json: not valid JSON (at line 1, column 1)');
      expect(JSON.stringify(seen)).not.toContain('hunter2');
    } finally {
      await other.dispose();
    }
  }, 60_000);
});

/** Every string in `value` (keys and leaves) that is or holds an absolute path, with where it is. */
function absolutePaths(value: unknown, at = '$'): string[] {
  if (typeof value === 'string') return /(^|[\s(="'`])(\/[^\s/]|[A-Za-z]:[\\/]|\\\\)/.test(value) ? [`${at}: ${value}`] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => absolutePaths(v, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [...absolutePaths(k, `${at} key`), ...absolutePaths(v, `${at}.${k}`)]);
  return [];
}

describe('what app:info tells a window', () => {
  it('finds absolute paths wherever they are in a reply', () => {
    expect(absolutePaths({ a: ['x', { b: 'see /home/u/x.json' }], 'C:\\u': 1, c: 'model <Hark>/models/x', d: '\\\\server\\share' }))
      .toEqual(['$.a[1].b: see /home/u/x.json', '$ key: C:\\u', '$.d: \\\\server\\share']);
  });

  it('names no absolute path: the model by its folder name, notices from the user data folder', async () => {
    const userData = join(dir, 'user-info');
    await mkdir(userData, { recursive: true });
    await writeFile(join(userData, 'settings.json'), '{"mode": "commands", "pushMs": ');
    const seen: { channel: EventChannel; payload: unknown }[] = [];
    const h = BackendHost.start({ userDataDir: userData, emit: <E extends EventChannel>(_s: number, channel: E, payload: HarkEventApi[E]) => void seen.push({ channel, payload }) });
    try {
      let info = await h.handle(1, 'app:info', {});
      const deadline = Date.now() + 60_000;
      while (info.model.state === 'loading' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        info = await h.handle(1, 'app:info', {});
      }
      expect(info.model).toMatchObject({ state: 'ready', model: { folder: 'hark-en', name: 'hark-en', shipped: true } });
      expect(info.notices).toHaveLength(1);
      expect(info.notices[0]).toMatch(/^<user data>\/settings\.json: not valid JSON .*; your file is kept as <user data>\/settings\.[^/]+\.json$/);
      expect(absolutePaths(info)).toEqual([]);
      expect(JSON.stringify(info)).not.toContain(dir);
      // A version in the user data folder: app:info and the model events name its folder, no path.
      const { imported } = await h.handle(1, 'models:import', { path: await pkg('info-model') });
      await h.handle(1, 'models:use', { dir: imported.dir });
      while ((info.model.state !== 'ready' || info.model.model.name !== 'info-model') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        info = await h.handle(1, 'app:info', {});
      }
      expect(info.model).toMatchObject({ state: 'ready', model: { folder: basename(imported.dir), name: 'info-model', shipped: false } });
      expect(absolutePaths(info)).toEqual([]);
      const modelEvents = seen.filter((e) => e.channel === 'app:event' && (e.payload as { type: string }).type === 'model').map((e) => e.payload);
      expect(modelEvents).toContainEqual({ type: 'model', model: { state: 'loading', folder: basename(imported.dir) } });
      expect(absolutePaths(modelEvents)).toEqual([]);
    } finally {
      await h.dispose();
    }
  }, 90_000);
});
