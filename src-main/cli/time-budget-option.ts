import { UsageError } from './cli-args.ts';

/** --time-budget of hark adapt and hark train: minutes, 0 or more (0: train nothing; adapt then exports the best epoch measured so far). */
export function timeBudgetOption(command: 'adapt' | 'train', v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${command}: --time-budget must be a number of minutes, 0 or more, got ${String(v)}`);
  return n;
}
