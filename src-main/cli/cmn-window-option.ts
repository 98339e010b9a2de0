/** `--cmn-window N` of `hark train` and `hark adapt`: sliding-window CMN (FeatureConfig.cmn) over N analysis frames. */
import { DEFAULT_FEATURE_CONFIG, validateFeatureConfig, withCmnWindow } from '../../src-shared/features/index.ts';
import { UsageError } from './cli-args.ts';

/** The option's value checked as the front end would check it: undefined when not given, 0 = off. */
export function cmnWindowOption(cmd: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (n !== 0) {
    try {
      validateFeatureConfig(withCmnWindow(DEFAULT_FEATURE_CONFIG, n));
    } catch (e) {
      throw new UsageError(`${cmd}: --cmn-window: ${(e as Error).message.replace('FeatureConfig.cmn.windowFrames', 'the window')} (0 = off)`);
    }
  }
  return n;
}
