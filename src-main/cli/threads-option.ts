/** `--threads N` of `hark train` and `hark adapt`: data-parallel gradient threads (trainer.ts, gradientWorkers). */
import { availableParallelism } from 'node:os';
import { UsageError, type OptionSpec } from './cli-args.ts';

export const threadsOptionSpec: OptionSpec = {
  type: 'number',
  help: `Threads computing gradients (each batch is split among them; default: every core, ${availableParallelism()} here). Results equal single-thread training up to rounding; resume with the same count to continue bit for bit`,
};

/** Gradient worker threads besides the main thread for `--threads` (undefined = every core). */
export function gradientWorkersOption(cmd: string, value: unknown): number {
  const n = value === undefined ? availableParallelism() : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`${cmd}: --threads must be a whole number from 1 to 64`);
  return n - 1;
}
