/**
 * Ctrl-C (SIGINT) and SIGTERM for the long training commands (`hark train`, `hark adapt`): the
 * first stops the run after the training step under way, with a checkpoint written (trainer.ts
 * `signal`), so that the same command run again continues exactly where it stopped; a second
 * stops the process at once, keeping the last checkpoint (written every five minutes and at each
 * epoch's end; writes are atomic, checkpoint.ts). Before the first step (synthesizing corpora,
 * preparing data: minutes, all of it kept or redone on the next run) the first signal stops at
 * once: there is nothing to save. Without this, Ctrl-C killed the process and lost the steps since
 * the last checkpoint.
 */

/** The exit status of a command stopped by a signal it caught (128 + SIGINT's number, as shells report). */
export const INTERRUPTED_EXIT = 130;

/** What `work` gets: the signal for the trainer, and a call to make at each training step. */
export interface InterruptControl {
  signal: AbortSignal;
  stepTaken: () => void;
}

/**
 * Runs `work` with an AbortSignal that the first SIGINT or SIGTERM aborts; resolves with its exit
 * status, or INTERRUPTED_EXIT when the run stopped for the signal (an AbortError), after saying
 * how to continue. Other errors go through unchanged. The handlers are removed afterwards.
 */
export async function runInterruptibly(command: string, checkpointDir: string, work: (control: InterruptControl) => Promise<number>): Promise<number> {
  const abort = new AbortController();
  let training = false;
  const onSignal = (name: NodeJS.Signals) => {
    if (!training) {
      process.stderr.write(`\nhark ${command}: ${name} before the first training step: stopped; nothing to save (the checkpoint in ${checkpointDir}, if any, is as it was)\n`);
      process.exit(INTERRUPTED_EXIT);
    }
    if (abort.signal.aborted) {
      process.stderr.write(`\nhark ${command}: ${name} again: stopped at once; the last checkpoint in ${checkpointDir} is kept\n`);
      process.exit(INTERRUPTED_EXIT);
    }
    process.stderr.write(`\nhark ${command}: ${name}: stopping after the current training step, with a checkpoint (press Ctrl-C again to stop at once, keeping the last one)\n`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work({ signal: abort.signal, stepTaken: () => { training = true; } });
  } catch (e) {
    if (abort.signal.aborted && (e as Error).name === 'AbortError') {
      process.stderr.write(`hark ${command}: stopped; checkpoint in ${checkpointDir}: run the same command again to continue\n`);
      return INTERRUPTED_EXIT;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
