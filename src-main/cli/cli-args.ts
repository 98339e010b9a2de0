/**
 * Small option parser for the `hark` subcommands: each command declares its options once (name,
 * type, default, help) and gets parsing, validation and `--help` text from that declaration.
 */
import { parseArgs } from 'node:util';

export interface OptionSpec {
  type: 'string' | 'boolean' | 'number';
  help: string;
  default?: string | number | boolean;
  short?: string;
  /** Allowed values for a string option. */
  choices?: readonly string[];
}

export class UsageError extends Error {}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
}

export type ParsedOptions = Record<string, string | number | boolean | undefined>;

export function parseCommand(spec: CommandSpec, argv: string[]): { options: ParsedOptions; positionals: string[]; help: boolean } {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [k, o] of Object.entries(spec.options)) config[k] = { type: o.type === 'boolean' ? 'boolean' : 'string', ...(o.short ? { short: o.short } : {}) };
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeNumbers(spec, argv), options: config, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${spec.name}: ${(err as Error).message}`);
  }
  const options: ParsedOptions = {};
  for (const [k, o] of Object.entries(spec.options)) {
    const raw = (parsed.values as Record<string, string | boolean | undefined>)[k];
    if (raw === undefined) { options[k] = o.default; continue; }
    if (o.type === 'number') {
      const n = Number(raw);
      if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${spec.name}: --${k} expects a number, got "${String(raw)}"`);
      options[k] = n;
    } else {
      if (o.choices && !o.choices.includes(String(raw))) throw new UsageError(`${spec.name}: --${k} must be one of ${o.choices.join(', ')}, got "${String(raw)}"`);
      options[k] = raw;
    }
  }
  return { options, positionals: parsed.positionals, help: Boolean(parsed.values.help) };
}

/**
 * `--word-bonus -1`: node's parseArgs refuses a value that starts with a dash as ambiguous; for a
 * number option (long or short name) followed by a negative number, the two become `--name=-1`.
 * Nothing after `--` is touched.
 */
function joinNegativeNumbers(spec: CommandSpec, argv: readonly string[]): string[] {
  const numberOption = (arg: string): string | null => {
    const long = /^--([^=]+)$/.exec(arg);
    if (long) return spec.options[long[1]]?.type === 'number' ? long[1] : null;
    const short = /^-([^-])$/.exec(arg);
    if (!short) return null;
    const hit = Object.entries(spec.options).find(([, o]) => o.short === short[1] && o.type === 'number');
    return hit ? hit[0] : null;
  };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') return [...out, ...argv.slice(i)];
    const name = numberOption(argv[i]);
    if (name !== null && i + 1 < argv.length && /^-(\d|\.\d)/.test(argv[i + 1])) {
      out.push(`--${name}=${argv[i + 1]}`);
      i++;
    } else {
      out.push(argv[i]);
    }
  }
  return out;
}

export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([k, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${k}${o.type === 'boolean' ? '' : ` <${o.choices ? o.choices.join('|') : o.type === 'number' ? 'n' : 'value'}>`}`;
    const def = o.default !== undefined && o.default !== false ? ` (default: ${String(o.default)})` : '';
    return `  ${flag.padEnd(34)} ${o.help}${def}`;
  });
  return `${spec.summary}\n\nUsage: ${spec.usage}\n\nOptions:\n${rows.join('\n')}\n  ${'-h, --help'.padEnd(34)} Show this help\n`;
}
