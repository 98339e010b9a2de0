/**
 * Starts the app's backend, opens a stream, pushes audio and shuts the backend down while pushes
 * are still in flight, `iterations` times (argv[2], default 20), with a seeded schedule (argv[3]).
 * Runs as its own process (tests/integration/backend-host-dispose.test.ts): a native abort ends
 * the process, which a test can only see from outside.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendHost } from '../../src-main/backend/backend-host.ts';

const iterations = Number(process.argv[2] ?? 20);
let seed = Number(process.argv[3] ?? 1) >>> 0;
const random = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (let i = 0; i < iterations; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'hark-churn-'));
  const host = BackendHost.start({ userDataDir: dir, emit: () => undefined });
  let started: { streamId: string } | null = null;
  for (let tries = 0; tries < 600 && !started; tries++) {
    try {
      started = await host.handle(1, 'recognition:start', { input: 'pcm', mode: { kind: 'dictation' } });
    } catch {
      await sleep(50); // the model is still loading
    }
  }
  if (!started) throw new Error('the stream never started');
  const pushes: Promise<unknown>[] = [];
  const n = 1 + Math.floor(random() * 20);
  for (let k = 0; k < n; k++) {
    const pcm = new Float32Array(1600);
    for (let j = 0; j < pcm.length; j++) pcm[j] = (random() - 0.5) * 0.3 * Math.sin(j / 7);
    pushes.push(host.handle(1, 'recognition:push', { streamId: started.streamId, data: pcm }).catch(() => undefined));
    if (random() < 0.3) await sleep(random() * 30);
  }
  const closing = random() < 0.5 ? host.closeSender(1).catch(() => undefined) : Promise.resolve();
  const t0 = Date.now();
  await host.dispose();
  const disposeMs = Date.now() - t0;
  await closing;
  await Promise.all(pushes);
  rmSync(dir, { recursive: true, force: true });
  console.log(`iteration ${i}: ${n} pushes, dispose ${disposeMs} ms`);
}
console.log('done');
