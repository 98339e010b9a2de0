// The subcommands' option parser: negative numbers after a number option, and what stays an error.
import { describe, expect, it } from 'vitest';
import { parseCommand, UsageError, type CommandSpec } from '../../src-main/cli/cli-args.ts';
import { transcribeSpec } from '../../src-main/cli/transcribe-command.ts';

const spec: CommandSpec = {
  name: 'demo', summary: 'demo', usage: 'demo',
  options: {
    bonus: { type: 'number', help: 'a number', short: 'b' },
    label: { type: 'string', help: 'a string' },
    flag: { type: 'boolean', help: 'a switch' },
  },
};

describe('parseCommand', () => {
  it('takes a negative number after a number option, long or short, and with =', () => {
    expect(parseCommand(spec, ['--bonus', '-1', 'a.wav']).options.bonus).toBe(-1);
    expect(parseCommand(spec, ['-b', '-0.5']).options.bonus).toBe(-0.5);
    expect(parseCommand(spec, ['--bonus', '-.25']).options.bonus).toBe(-0.25);
    expect(parseCommand(spec, ['--bonus=-2']).options.bonus).toBe(-2);
    expect(parseCommand(spec, ['--bonus', '-1', 'a.wav']).positionals).toEqual(['a.wav']);
  });

  it('the real commands too: hark transcribe --word-bonus -1 --lm-weight 0.4', () => {
    const o = parseCommand(transcribeSpec, ['a.wav', '--word-bonus', '-1', '--lm-weight', '0.4']).options;
    expect(o['word-bonus']).toBe(-1);
    expect(o['lm-weight']).toBe(0.4);
  });

  it('leaves other dashes alone: a string option, an option after a number option, and everything after --', () => {
    // A string option's value that starts with a dash is still refused as ambiguous (it may be a forgotten value).
    expect(() => parseCommand(spec, ['--label', '-1'])).toThrow(UsageError);
    expect(() => parseCommand(spec, ['--bonus', '--flag'])).toThrow(/argument is ambiguous/);
    expect(parseCommand(spec, ['--flag', '--', '--bonus', '-1']).positionals).toEqual(['--bonus', '-1']);
  });

  it('still refuses what is not a number', () => {
    expect(() => parseCommand(spec, ['--bonus', 'abc'])).toThrow(/--bonus expects a number, got "abc"/);
    expect(() => parseCommand(spec, ['--bonus', '-x'])).toThrow(UsageError);
  });
});
