/**
 * A stand-in retraining job for tests/integration/synth-child-lifetime.test.ts, run as its own
 * process (node bin/run-ts.mjs): makes its synthesizer scratch folder, starts a long-running tool
 * through the synthesizer pool (a shell that writes its pid, then becomes `sleep`), prints
 * {"dir", "toolPid"} as one JSON line, and waits to be killed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess, synthPool } from '../../src-main/system/process-pool.ts';
import { synthTempDir } from '../../src-main/train/data/synth/synth-temp-dir.ts';

const dir = synthTempDir();
const pidFile = join(dir, 'tool.pid');
synthPool.run(() => runProcess('sh', ['-c', 'echo $$ > "$0.tmp" && mv "$0.tmp" "$0" && exec sleep 120', pidFile])).catch(() => undefined);
const started = Date.now();
while (!existsSync(pidFile)) {
  if (Date.now() - started > 20_000) throw new Error('the tool did not start');
  await new Promise((r) => setTimeout(r, 20));
}
process.stdout.write(`${JSON.stringify({ dir, toolPid: Number(readFileSync(pidFile, 'utf8')) })}\n`);
setInterval(() => undefined, 1000);
