// Start-up cost of `hark transcribe` on a short clip: fresh processes (dictation, and --words with
// a digit list) timed end to end, `hark --help` (Node, the bundle's staleness check, main(); no
// command), the same from the bundle without the check (what the check costs) and from source
// through tsx (what bin/hark.mjs ran before the bundle, bin/cli-bundle.mjs), and in-process the
// dictation LM's load: the Brown LM's ARPA text (what dictation parsed before) against its binary
// form (models/lm/brown-3gram.hlm), plus its lexicon trie (restored from the trie the .hlm file
// stores since 2026-12-05; built from the words before), and the general English LM's binary
// (models/lm/general-3gram.hlm, 2026-12-07, 67,787 words: Settings and --lm) with its trie; and
// `hark transcribe CLIP --lm models/lm/general-3gram.hlm` in fresh processes.
// PocketSphinx beside it: `pocketsphinx_continuous -infile CLIP` in a fresh process, as often (Debian's
// pocketsphinx package; --no-pocketsphinx leaves it out).
// Run: node bin/run-ts.mjs bench/startup.bench.ts [--runs 5] [--clip assets/samples/digits.wav] [--no-pocketsphinx]
// Writes bench/results/startup.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadArpa } from '../src-main/decode/arpa-reader.ts';
import { dictationTrie, loadDictation } from '../src-main/decode/dictation-lm.ts';
import { readPronunciationFile } from '../src-main/lexicon/pronunciation-file.ts';
import { lmLexiconPath } from '../src-main/decode/dictation-lm.ts';
import { BROWN_LM_ARPA_PATH, BROWN_LM_PATH, GENERAL_LM_PATH } from '../src-main/model/package-paths.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, clip: { type: 'string', default: 'assets/samples/digits.wav' }, 'no-pocketsphinx': { type: 'boolean' } } });
const runs = Number(values.runs);
const clip = values.clip!;
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const ms = (x: number): number => Math.round(x * 10) / 10;
const load2 = (x: number): number => Math.round(x * 100) / 100;

/** How a fresh process starts the CLI: the node arguments before the CLI's own. */
const HARK = [join(root, 'bin', 'hark.mjs')];
/** The entry of the bundle bin/hark.mjs runs, made fresh by a first run of HARK (bin/cli-bundle.mjs). */
const bundleEntry = (): string => join(root, 'dist-cli', (JSON.parse(readFileSync(join(root, 'dist-cli', 'manifest.json'), 'utf8')) as { id: string }).id, 'hark.mjs');
/** The bundle without bin/hark.mjs's staleness check. */
const bundleUnchecked = (entry: string): string[] => ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(pathToFileURL(entry).href)}); process.exitCode = await main(process.argv.slice(1));`, '--'];
/** The CLI from source, tsx compiling it at start-up: what bin/hark.mjs ran before the bundle. */
const FROM_SOURCE = ['--input-type=module', '-e', `import { register } from 'tsx/esm/api'; register(); const { main } = await import(${JSON.stringify(pathToFileURL(join(root, 'src-main', 'cli', 'main.ts')).href)}); process.exitCode = await main(process.argv.slice(1));`, '--'];

/** Median wall milliseconds of `node ...start ...args` in a fresh process, over `runs` runs. */
function cli(args: string[], start: string[] = HARK): { medianMs: number; runsMs: number[]; stdout: string } {
  const times: number[] = [];
  let stdout = '';
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    stdout = execFileSync(process.execPath, [...start, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, HARK_USER_DATA: join(root, 'runs', 'startup-bench-user') } });
    times.push(performance.now() - t0);
  }
  return { medianMs: ms(median(times)), runsMs: times.map(ms), stdout: stdout.trim() };
}

/** Median milliseconds of `f` over `n` calls in this process (the first call included). */
function inProcess<T>(n: number, f: () => T): { medianMs: number; firstMs: number; value: T } {
  const times: number[] = [];
  let value!: T;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    value = f();
    times.push(performance.now() - t0);
  }
  return { medianMs: ms(median(times)), firstMs: ms(times[0]), value };
}

const loadAtStart = loadavg();
execFileSync(process.execPath, [...HARK, '--help'], { stdio: 'ignore' }); // builds the bundle if stale: no run below pays for it
const help = cli(['--help']);
console.log(`hark --help (node + staleness check + bundle + main): ${help.medianMs} ms`);
const helpUnchecked = cli(['--help'], bundleUnchecked(bundleEntry()));
console.log(`  the bundle without the staleness check: ${helpUnchecked.medianMs} ms`);
const helpFromSource = cli(['--help'], FROM_SOURCE);
console.log(`  from source, tsx compiling the CLI (before the bundle): ${helpFromSource.medianMs} ms`);
const dictation = cli(['transcribe', clip]);
console.log(`hark transcribe ${clip} (dictation): ${dictation.medianMs} ms  "${dictation.stdout}"`);
const dictationGeneral = cli(['transcribe', clip, '--lm', GENERAL_LM_PATH]);
console.log(`hark transcribe ${clip} --lm models/lm/general-3gram.hlm (dictation, the general LM): ${dictationGeneral.medianMs} ms  "${dictationGeneral.stdout}"`);
const wordsArgs = ['transcribe', clip, '--words', 'assets/samples/digits.txt'];
const words = cli(wordsArgs);
console.log(`hark transcribe ${clip} --words assets/samples/digits.txt: ${words.medianMs} ms  "${words.stdout}"`);
const wordsFromSource = cli(wordsArgs, FROM_SOURCE);
console.log(`  from source, tsx compiling the CLI (before the bundle): ${wordsFromSource.medianMs} ms`);

/** pocketsphinx_continuous on the clip, fresh processes, median wall ms (its own start-up, models and decoding). */
function pocketsphinx(): { medianMs: number; runsMs: number[]; stdout: string } {
  const times: number[] = [];
  let stdout = '';
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    try {
      stdout = execFileSync('pocketsphinx_continuous', ['-infile', clip, '-logfn', '/dev/null'], { cwd: root, encoding: 'utf8' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('pocketsphinx_continuous is not installed (apt-get install pocketsphinx; or pass --no-pocketsphinx)');
      throw e;
    }
    times.push(performance.now() - t0);
  }
  return { medianMs: ms(median(times)), runsMs: times.map(ms), stdout: stdout.trim() };
}
const ps = values['no-pocketsphinx'] ? null : pocketsphinx();
if (ps) console.log(`pocketsphinx_continuous -infile ${clip}: ${ps.medianMs} ms  "${ps.stdout}"`);

const arpa = inProcess(3, () => loadArpa(BROWN_LM_ARPA_PATH));
const arpaLexicon = inProcess(3, () => readPronunciationFile(lmLexiconPath(BROWN_LM_ARPA_PATH)));
console.log(`ARPA text load: ${arpa.medianMs} ms (first ${arpa.firstMs}); its lexicon file: ${arpaLexicon.medianMs} ms`);
const noFallback = () => { throw new Error('the shipped vocabulary needs no fallback'); };
const binary = inProcess(5, () => loadDictation(BROWN_LM_PATH, noFallback));
console.log(`binary .hlm load (LM + lexicon): ${binary.medianMs} ms (first ${binary.firstMs})`);
const trie = inProcess(3, () => dictationTrie(binary.value.lm, binary.value.lexicon));
console.log(`lexicon trie of the dictation vocabulary: ${trie.medianMs} ms (first ${trie.firstMs}), ${trie.value.numNodes} nodes`);
const general = inProcess(5, () => loadDictation(GENERAL_LM_PATH, noFallback));
const generalTrie = inProcess(3, () => dictationTrie(general.value.lm, general.value.lexicon));
console.log(`general LM (${GENERAL_LM_PATH}): .hlm load ${general.medianMs} ms (first ${general.firstMs}), trie ${generalTrie.medianMs} ms, ${generalTrie.value.numNodes} nodes`);

const out = {
  command: `node bin/run-ts.mjs bench/startup.bench.ts --runs ${runs} --clip ${clip}${ps ? '' : ' --no-pocketsphinx'}`,
  date: new Date().toISOString(),
  note: 'Wall times on a shared 2-core machine; fresh processes include Node start, the CLI bundle\'s staleness check (bin/cli-bundle.mjs), loading the model (onnxruntime) and decoding. fromSource: the CLI compiled by tsx at start-up, as before the bundle.',
  // 1, 5 and 15 minute load averages when the runs started and when they ended.
  loadAverage: { start: loadAtStart.map(load2), end: loadavg().map(load2) },
  runs,
  clip,
  cli: {
    helpMs: help.medianMs,
    helpUncheckedMs: helpUnchecked.medianMs,
    dictationMs: dictation.medianMs,
    dictationGeneralLmMs: dictationGeneral.medianMs,
    wordsMs: words.medianMs,
    runsMs: { help: help.runsMs, helpUnchecked: helpUnchecked.runsMs, dictation: dictation.runsMs, dictationGeneralLm: dictationGeneral.runsMs, words: words.runsMs },
    fromSource: {
      helpMs: helpFromSource.medianMs,
      wordsMs: wordsFromSource.medianMs,
      runsMs: { help: helpFromSource.runsMs, words: wordsFromSource.runsMs },
    },
  },
  pocketsphinx: ps && { command: `pocketsphinx_continuous -infile ${clip} -logfn /dev/null`, medianMs: ps.medianMs, runsMs: ps.runsMs, text: ps.stdout },
  lmLoad: {
    arpaMs: arpa.medianMs, arpaFirstMs: arpa.firstMs, arpaLexiconFileMs: arpaLexicon.medianMs,
    binaryMs: binary.medianMs, binaryFirstMs: binary.firstMs,
    arpaBytes: statSync(BROWN_LM_ARPA_PATH).size, binaryBytes: statSync(BROWN_LM_PATH).size,
  },
  trie: { buildMs: trie.medianMs, firstMs: trie.firstMs, nodes: trie.value.numNodes },
  generalLm: {
    file: 'models/lm/general-3gram.hlm', vocab: general.value.lm.vocab.length, bytes: statSync(GENERAL_LM_PATH).size,
    loadMs: general.medianMs, loadFirstMs: general.firstMs, trieMs: generalTrie.medianMs, trieNodes: generalTrie.value.numNodes,
  },
};
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'startup.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log('wrote bench/results/startup.json');
