// Worker entry when running from source: registers tsx's loader so the worker can run the
// TypeScript recognizer worker. A bundle builds offline-recognizer-worker.ts under this name, next
// to the bundled module that starts it (offline-recognizer-pool.ts), as bin/build.mjs does for
// training's data worker; that bundle has no test hook.
//
// Test hook (this source entry only): HARK_TEST_WORKER_CRASH="exit:NAME" or "throw:NAME" makes the
// worker call process.exit(70), or throw an uncaught exception, when it is asked to recognize a
// file whose name ends with NAME, so tests can check that the pool replaces a crashed worker.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

const hook = process.env.HARK_TEST_WORKER_CRASH;
const m = hook ? /^(exit|throw):(.+)$/.exec(hook) : null;
if (m && parentPort) {
  // Registered before the worker's own listener, so it runs first.
  parentPort.on('message', (msg) => {
    if (msg?.type !== 'recognize' || !String(msg.file).endsWith(m[2])) return;
    if (m[1] === 'exit') process.exit(70);
    throw new Error(`test crash on ${msg.file}`);
  });
}
register();
await import('./offline-recognizer-worker.ts');
