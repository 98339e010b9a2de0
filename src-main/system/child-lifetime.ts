/**
 * Child processes that do not outlive the process (or worker thread) that started them.
 *
 * On Linux a child is started through util-linux's `setpriv --pdeathsig KILL`, so the kernel kills
 * it when the thread that spawned it ends, however that happens: exit, a signal, kill -9
 * (prctl(2) PR_SET_PDEATHSIG; it survives the exec into the tool). Where setpriv is missing (other
 * systems, a minimal Linux) the children still running at the owner's 'exit' are killed then; a
 * kill -9 of the owner leaves those to finish on their own.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { findExecutable } from './find-executable.ts';

let setpriv: string | null | undefined;

/** setpriv, if it is there and knows --pdeathsig (util-linux 2.33 and later); checked once. */
function pdeathsigRunner(): string | null {
  if (setpriv !== undefined) return setpriv;
  setpriv = null;
  const found = process.platform === 'linux' ? findExecutable('setpriv') : null;
  if (found && spawnSync(found, ['--pdeathsig', 'KILL', '--', findExecutable('true') ?? '/bin/true']).status === 0) setpriv = found;
  return setpriv;
}

/**
 * The command line that runs `cmd args` as a child bound to this thread's life. A command that is
 * not on PATH is returned as it is, so that spawn reports it the usual way (ENOENT).
 */
export function boundCommand(cmd: string, args: readonly string[]): { file: string; args: string[] } {
  const runner = pdeathsigRunner();
  const exe = runner ? findExecutable(cmd) : null;
  return runner && exe ? { file: runner, args: ['--pdeathsig', 'KILL', '--', exe, ...args] } : { file: cmd, args: [...args] };
}

const live = new Set<ChildProcess>();
let exitHook = false;

/** Kills `child` at this process's (or worker's) 'exit' if it is still running then. */
export function killAtExit(child: ChildProcess): void {
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
}
