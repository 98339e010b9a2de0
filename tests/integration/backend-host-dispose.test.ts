/**
 * Shutting the backend down while recognition runs must not abort the process. Terminating the
 * worker thread while onnxruntime ran inside it threw a C++ Napi::Error during termination
 * ("terminate called after throwing an instance of 'Napi::Error'", exit 134): a vitest fork running
 * the app's e2e tests died with no output. The churn runs in a child process so that an abort is seen.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

describe('BackendHost.dispose', () => {
  it('ends the worker without aborting the process, 20 times with pushes in flight', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [join(ROOT, 'bin', 'run-ts.mjs'), join(ROOT, 'tests', 'helpers', 'backend-churn.ts'), '20', '7'],
        { cwd: ROOT, timeout: 240_000 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }));
    });
    expect({ code, stderr: stderr.slice(-2000) }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(stdout).toContain('done');
    // Each shutdown ends the thread by itself (no 10-s grace spent waiting for a hung worker).
    const times = [...stdout.matchAll(/dispose (\d+) ms/g)].map((m) => Number(m[1]));
    expect(times).toHaveLength(20);
    expect(Math.max(...times)).toBeLessThan(10_000);
  }, 300_000);
});
