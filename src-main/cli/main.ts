/** The `hark` command: dispatches to subcommands; exit 0 ok, 1 some input failed, 2 usage error. */
import { UsageError } from './cli-args.ts';
import { trainCommand } from './train-command.ts';

const COMMANDS: Record<string, { summary: string; run: (argv: string[]) => Promise<number> }> = {
  train: { summary: 'Train an acoustic model on synthesized speech and export it', run: trainCommand },
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(12)} ${c.summary}`);
  return `hark: offline speech recognition\n\nUsage: hark <command> [options]\n\nCommands:\n${rows.join('\n')}\n\nRun "hark <command> --help" for a command's options.\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(usage());
    return cmd ? 0 : 2;
  }
  const c = COMMANDS[cmd];
  if (!c) {
    process.stderr.write(`hark: unknown command "${cmd}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await c.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`hark ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`hark ${cmd}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
