/** The `hark` command: dispatches to subcommands; exit 0 ok, 1 some input failed, 2 usage error. */
import { UsageError } from './cli-args.ts';

type Run = (argv: string[]) => Promise<number>;

/** Commands are imported on use, so `hark transcribe` never loads tfjs (train) and vice versa. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Run> }> = {
  transcribe: { summary: 'Transcribe audio files (dictation, --words or --phrases)', load: async () => (await import('./transcribe-command.ts')).transcribeCommand },
  eval: { summary: 'Score recognition of a folder of clips against references', load: async () => (await import('./eval-command.ts')).evalCommand },
  train: { summary: 'Train an acoustic model on synthesized speech and export it', load: async () => (await import('./train-command.ts')).trainCommand },
  words: { summary: 'Add, list, remove or hear your own words and their pronunciations', load: async () => (await import('./words-command.ts')).wordsCommand },
  models: { summary: 'List, use, import, export or remove installed model versions', load: async () => (await import('./models-command.ts')).modelsCommand },
  retrain: { summary: 'Teach the model your words, phrases and sounds (fine-tuning; installs a better version)', load: async () => (await import('./retrain-command.ts')).retrainCommand },
  'app-server': { summary: 'Serve the desktop app in a browser, backed by the real recognizer', load: async () => (await import('./app-server-command.ts')).appServerCommand },
  adapt: { summary: 'Adapt a model to real voices (synthesized + real speech)', load: async () => (await import('./adapt-command.ts')).adaptCommand },
  'real-set': { summary: 'Build the real-speech dev/train set from Debian packages', load: async () => (await import('./real-set-command.ts')).realSetCommand },
  calibrate: { summary: "Measure a model's phrase-list settings and store them in the package", load: async () => (await import('./calibrate-command.ts')).calibrateCommand },
  export: { summary: 'Export a model package from a training checkpoint', load: async () => (await import('./export-command.ts')).exportCommand },
  queue: { summary: 'Transcribe archives with workers on many machines (BullMQ job queue on Redis)', load: async () => (await import('./queue-command.ts')).queueCommand },
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
  const c = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!c) {
    process.stderr.write(`hark: unknown command "${cmd}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await c.load())(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`hark ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`hark ${cmd}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
