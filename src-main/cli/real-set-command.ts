/** `hark real-set`: build the real-speech set (dev/train by speaker) from Debian packages. */
import { buildRealSet } from '../train/data/real/build-real-set.ts';
import { REAL_SOURCES } from '../train/data/real/real-sources.ts';
import { assertAllowedPackage } from '../train/data/real/real-source.ts';
import { helpText, parseCommand, UsageError, type CommandSpec } from './cli-args.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';

export const realSetSpec: CommandSpec = {
  name: 'real-set',
  summary: 'Build the real-speech set (dev/train split by speaker) from the Debian packages that ship English speech.',
  usage: 'hark real-set [--out DIR] [--cache DIR] [--sources a,b,...]',
  options: {
    out: { type: 'string', help: 'Output folder (manifest.jsonl, sources.json, clips/)', default: 'data/real' },
    cache: { type: 'string', help: 'Folder for the downloaded .deb files and their unpacked trees', default: 'data/debcache' },
    sources: { type: 'string', help: `Comma-separated sources (default all: ${REAL_SOURCES.map((s) => s.name).join(', ')})` },
  },
};

export async function realSetCommand(argv: string[]): Promise<number> {
  const { options: o, help } = parseCommand(realSetSpec, argv);
  if (help) { process.stdout.write(helpText(realSetSpec)); return 0; }
  const names = o.sources === undefined ? REAL_SOURCES.map((s) => s.name) : String(o.sources).split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) assertAllowedPackage(n);
  const sources = names.map((n) => {
    const s = REAL_SOURCES.find((x) => x.name === n);
    if (!s) throw new UsageError(`real-set: unknown source "${n}" (known: ${REAL_SOURCES.map((x) => x.name).join(', ')})`);
    return s;
  });
  const recs = await buildRealSet({ out: String(o.out), cacheDir: String(o.cache), sources });
  const dev = recs.filter((r) => r.split === 'dev');
  const min = (rs: typeof recs) => (rs.reduce((s, r) => s + r.samples, 0) / SAMPLE_RATE / 60).toFixed(1);
  process.stdout.write(`${recs.length} clips (${min(recs)} min): dev ${dev.length} (${min(dev)} min), train ${recs.length - dev.length} (${min(recs.filter((r) => r.split === 'train'))} min) -> ${String(o.out)}\n`);
  return 0;
}
