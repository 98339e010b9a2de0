/**
 * `hark app-server`: the desktop app's renderer in any browser, against the real backend (worker
 * thread) over the web bridge (src-main/backend/web-bridge-server.ts). For development and for the
 * end-to-end tests on machines where the Electron binary cannot run. Builds the renderer first
 * unless --no-build.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BackendHost } from '../backend/backend-host.ts';
import { WebBridgeServer } from '../backend/web-bridge-server.ts';
import { PACKAGE_ROOT } from '../model/package-paths.ts';
import { defaultUserDataDir } from '../lexicon/user-vocabulary.ts';
import { helpText, parseCommand, UsageError, type CommandSpec } from './cli-args.ts';

export const appServerSpec: CommandSpec = {
  name: 'app-server',
  summary: 'Serve the desktop app in a browser on 127.0.0.1, backed by the real recognizer.',
  usage: 'hark app-server [--port N] [--user-data DIR] [--no-build]',
  options: {
    port: { type: 'number', default: 0, help: 'Port on 127.0.0.1 (0: any free port)' },
    'user-data': { type: 'string', help: 'Folder for settings.json, words and user models (default: the same as the desktop app and the other commands: $HARK_USER_DATA or the platform\'s)' },
    'no-build': { type: 'boolean', help: 'Serve dist-renderer/ as it is (skip `node bin/build.mjs --renderer-only`)' },
    'loop-stats': { type: 'boolean', help: 'Print the host thread\'s event-loop delay (max and p99, ms) once a second as JSON lines (diagnostics; the benchmark reads them)' },
  },
};

export async function appServerCommand(argv: string[]): Promise<number> {
  const { options: o, positionals, help } = parseCommand(appServerSpec, argv);
  if (help) { process.stdout.write(helpText(appServerSpec)); return 0; }
  if (positionals.length) throw new UsageError(`app-server: unexpected argument "${positionals[0]}"\n\n${helpText(appServerSpec)}`);
  const port = Number(o.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('app-server: --port must be an integer in [0, 65535]');
  if (!o['no-build']) {
    const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'build.mjs'), '--renderer-only'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('building the renderer failed (node bin/build.mjs --renderer-only)');
  }
  const userDataDir = typeof o['user-data'] === 'string' ? o['user-data'] : defaultUserDataDir();
  let server: WebBridgeServer | null = null;
  const host = BackendHost.start({ userDataDir, emit: (senderId, channel, payload) => server?.deliver(senderId, channel, payload) });
  server = await WebBridgeServer.start(host, { rendererDir: join(PACKAGE_ROOT, 'dist-renderer'), port });
  process.stdout.write(`Hark is served at ${server.url}\n(settings in ${userDataDir}; Ctrl+C stops)\n`);
  let stats: NodeJS.Timeout | undefined;
  if (o['loop-stats']) {
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    stats = setInterval(() => {
      process.stdout.write(`${JSON.stringify({ loopDelayMaxMs: Math.round(delay.max / 1e5) / 10, loopDelayP99Ms: Math.round(delay.percentile(99) / 1e5) / 10, t: Date.now() })}\n`);
      delay.reset();
    }, 1000);
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(stats);
  await server.close();
  await host.dispose();
  return 0;
}
