/** `--dropout RATE` of `hark train` and `hark adapt`: dropout between the recurrent layers (train/dropout.ts). */
import { validateDropoutRate } from '../train/dropout.ts';
import { UsageError, type OptionSpec } from './cli-args.ts';

export const dropoutOptionSpec: OptionSpec = { type: 'number', help: 'Dropout rate between the recurrent layers and before the output layer, during training only (0 = none)', default: 0 };

/** The option's value checked as the trainer checks it. */
export function dropoutOption(cmd: string, value: unknown): number {
  try {
    return validateDropoutRate(Number(value ?? 0));
  } catch (e) {
    throw new UsageError(`${cmd}: --${(e as Error).message.replace('dropout rate', 'dropout')}`);
  }
}
