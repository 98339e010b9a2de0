/** `--threads` of hark train and hark adapt: every core by default, whole numbers from 1 to 64. */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src-main/cli/cli-args.ts';
import { gradientWorkersOption } from '../../src-main/cli/threads-option.ts';

describe('--threads', () => {
  it('counts gradient workers besides the main thread, every core by default', () => {
    expect(gradientWorkersOption('train', undefined)).toBe(availableParallelism() - 1);
    expect(gradientWorkersOption('train', 1)).toBe(0);
    expect(gradientWorkersOption('adapt', '4')).toBe(3);
  });

  it('refuses counts that are not whole numbers from 1 to 64', () => {
    for (const bad of [0, -2, 1.5, 65, 'two']) {
      expect(() => gradientWorkersOption('adapt', bad)).toThrow(UsageError);
      expect(() => gradientWorkersOption('adapt', bad)).toThrow(/adapt: --threads must be a whole number from 1 to 64/);
    }
  });
});
