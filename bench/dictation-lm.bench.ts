// Dictation word error rate of the shipped acoustic model with each candidate language model:
//   general            the shipped default since 2026-12-07 (models/lm/general-3gram.hlm, 68k words:
//                      Brown, State of the Union, WordNet, fortunes, e-mail, Moby-Dick)
//   brown              the shipped Brown-corpus trigram (models/lm/brown-3gram.hlm, 20k words; the default before)
//   pocketsphinx-en-us PocketSphinx's general US English trigram (Debian package pocketsphinx-en-us,
//                      read in place from its trie .lm.bin by src-main/decode/sphinx-trie-lm-reader.ts)
//   mixture            linear interpolation of the two (src-main/decode/mixture-lm.ts), Brown weight calibrated
// Test sets: held-out synthesized Brown sentences (held-out voices, as bench/accuracy.bench.ts makes
// them) and, when data/real/manifest.jsonl exists, its `dev` sentences of 4+ words (plus, as a larger
// secondary set, its dev utterances of 2+ words).
// Tuning: lmWeight and wordBonus of each LM are chosen on sentences spoken by TRAINING voices
// (calibration set, as in accuracy.bench.ts); nothing is tuned on the held-out or real dev sets.
// Also measured per LM, each in a fresh child process: load time and memory of LM + pronunciations
// + lexicon trie.
// Run: node bin/run-ts.mjs bench/dictation-lm.bench.ts [--sentences N] [--calib N] [--real-max N] [--lm NAME=PATH ...]
// Writes bench/results/dictation-lm.json.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { BROWN_LM_PATH, GENERAL_LM_PATH, resolveModelDir } from '../src-main/model/package-paths.ts';
import { OfflineAcousticSession } from '../src-main/engine/offline-acoustic-session.ts';
import { DEFAULT_VTLN, posteriorsWithVtln } from '../src-main/engine/vtln.ts';
import { editDistance, wordErrorRate } from '../src-main/math/edit-distance.ts';
import { normalizeText } from '../src-main/lexicon/normalize-text.ts';
import { decodeAudioFile } from '../src-main/audio/decode-audio.ts';
import { CtcPrefixBeamSearch, DEFAULT_BEAM_OPTIONS, ctcPrefixBeamSearch } from '../src-main/decode/ctc-prefix-beam-search.ts';
import { dictationLexicon, dictationTrie, loadDictationLM, type VocabularyLM } from '../src-main/decode/dictation-lm.ts';
import { POCKETSPHINX_EN_US_LM } from '../src-main/decode/sphinx-trie-lm-reader.ts';
import { MixtureLM } from '../src-main/decode/mixture-lm.ts';
import type { LexiconTrie } from '../src-main/decode/lexicon-trie.ts';
import { CALIBRATION_VOICES, HELDOUT_VOICES, sentenceSet } from './eval-sets.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values } = parseArgs({
  options: {
    sentences: { type: 'string', default: '12' }, calib: { type: 'string', default: '3' }, 'real-max': { type: 'string', default: '400' },
    lm: { type: 'string', multiple: true }, 'measure-load': { type: 'string' }, out: { type: 'string', default: 'dictation-lm' },
  },
});

const LMS: Record<string, string> = { brown: BROWN_LM_PATH, general: GENERAL_LM_PATH, 'pocketsphinx-en-us': POCKETSPHINX_EN_US_LM };
for (const spec of values.lm ?? []) {
  const eq = spec.indexOf('=');
  if (eq < 1) throw new Error(`--lm expects NAME=PATH, got "${spec}"`);
  LMS[spec.slice(0, eq)] = resolve(spec.slice(eq + 1));
}

// Child mode: load one LM, its pronunciations and its lexicon trie; print time and memory.
if (values['measure-load']) {
  const path = values['measure-load'];
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  gc();
  const m0 = process.memoryUsage();
  const t0 = performance.now();
  const lm = loadDictationLM(path);
  const t1 = performance.now();
  const lex = dictationLexicon(path);
  const trie = dictationTrie(lm, lex);
  const t2 = performance.now();
  gc();
  const m1 = process.memoryUsage();
  const mb = (x: number) => +(x / 2 ** 20).toFixed(1);
  console.log(JSON.stringify({
    lmLoadMs: Math.round(t1 - t0), pronunciationsAndTrieMs: Math.round(t2 - t1), totalMs: Math.round(t2 - t0),
    rssMB: mb(m1.rss - m0.rss), heapMB: mb(m1.heapUsed - m0.heapUsed), arrayBuffersMB: mb(m1.arrayBuffers - m0.arrayBuffers),
    vocab: lm.vocab.length, trieWords: trie.words.length, keep: [lm, trie].length,
  }));
  process.exit(0);
}

const t0 = performance.now();
const model = await loadModelPackage(resolveModelDir());
const session = await OfflineAcousticSession.create(model, { threads: 1 });
const U = model.architecture.numUnits;
const norm = (s: string) => normalizeText(s).join(' ');

interface Clip { id: string; ref: string; lp: Float32Array; T: number; sec: number; voice: string }

async function toClip(id: string, ref: string, pcm: Float32Array, voice: string): Promise<Clip> {
  const p = await posteriorsWithVtln(pcm, model, session, DEFAULT_VTLN);
  return { id, ref: norm(ref), lp: p.logprobs, T: p.features.frames, sec: pcm.length / 16000, voice };
}

async function synthClips(voices: readonly string[], perVoice: number, offset?: number): Promise<Clip[]> {
  const out: Clip[] = [];
  for (const [i, c] of (await sentenceSet(voices, perVoice, offset)).entries()) out.push(await toClip(`synth-${i}`, c.expected!, c.pcm, c.voice));
  return out;
}

/** Real-speech dev utterances of `minWords`+ words (none when the set is not there). */
async function realDevClips(max: number, minWords: number): Promise<{ clips: Clip[]; note: string }> {
  const dir = join(root, 'data', 'real');
  const manifest = join(dir, 'manifest.jsonl');
  if (!existsSync(manifest)) return { clips: [], note: `${manifest} not present` };
  const rows = readFileSync(manifest, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { id: string; source: string; speaker: string; split: string; text: string; file: string });
  const dev = rows.filter((r) => r.split === 'dev' && norm(r.text).split(' ').filter(Boolean).length >= minWords);
  // Evenly spaced subset when there are more than `max` (deterministic).
  const pick = dev.length <= max ? dev : Array.from({ length: max }, (_, i) => dev[Math.floor((i * dev.length) / max)]);
  const clips: Clip[] = [];
  for (const r of pick) {
    const audio = await decodeAudioFile(join(dir, r.file));
    clips.push(await toClip(r.id, r.text, audio.samples, `${r.source}:${r.speaker}`));
  }
  return { clips, note: `${pick.length} of ${dev.length} dev utterances with ${minWords}+ words (${rows.length} rows in manifest)` };
}

function wer(pairs: { ref: string; hyp: string }[]): { wer: number; errors: number; words: number } {
  const r = wordErrorRate(pairs);
  return { wer: +r.rate.toFixed(4), errors: r.errors, words: r.total };
}

function decode(clips: Clip[], search: CtcPrefixBeamSearch) {
  const t = performance.now();
  const pairs = clips.map((c) => ({ id: c.id, voice: c.voice, ref: c.ref, hyp: norm(ctcPrefixBeamSearch(c.lp, c.T, U, model.frameSec, search).text) }));
  const audioSec = clips.reduce((s, c) => s + c.sec, 0);
  return { pairs, rtf: audioSec ? +((performance.now() - t) / 1000 / audioSec).toFixed(4) : 0 };
}

/** Share of reference words the LM cannot output (not in its vocabulary after normalization). */
function oovRate(lm: VocabularyLM, clips: Clip[]): number {
  const vocab = new Set(lm.vocab.flatMap((w) => (/^<.*>$/.test(w) ? [] : normalizeText(w).length === 1 ? normalizeText(w) : [])));
  let oov = 0, n = 0;
  for (const c of clips) for (const w of c.ref.split(' ').filter(Boolean)) { n++; if (!vocab.has(w)) oov++; }
  return n ? +(oov / n).toFixed(4) : 0;
}

/** Perplexity over the reference words the LM knows (unknown words skipped, </s> included). */
function perplexity(lm: VocabularyLM, clips: Clip[]): number {
  let lp = 0, n = 0;
  for (const c of clips) {
    const ctx = [lm.bosId];
    for (const w of [...c.ref.split(' ').filter(Boolean), '</s>']) {
      const id = w === '</s>' ? lm.eosId : lm.wordId(w);
      if (id >= 0 && lm.vocab[id] !== '<unk>') { lp += lm.logProb(ctx, id); n++; }
      ctx.push(id);
    }
  }
  return n ? +Math.exp(-lp / n).toFixed(1) : 0;
}

/** Word errors of each sentence (for paired comparisons between LMs). */
const sentenceErrors = (pairs: { ref: string; hyp: string }[]) => pairs.map((p) => editDistance(p.ref.split(' ').filter(Boolean), p.hyp.split(' ').filter(Boolean)));

/** WER difference B - A over the same sentences with a 95% paired bootstrap interval (fixed seed). */
function pairedDiff(eA: number[], eB: number[], words: number[]): { diff: number; ci95: [number, number]; better: number; worse: number } {
  const total = (idx: number[]) => { let a = 0, b = 0, n = 0; for (const i of idx) { a += eA[i]; b += eB[i]; n += words[i]; } return n ? (b - a) / n : 0; };
  let seed = 12345;
  const rnd = () => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed / 2 ** 32; };
  const diffs: number[] = [];
  for (let r = 0; r < 2000; r++) diffs.push(total(eA.map(() => Math.floor(rnd() * eA.length))));
  diffs.sort((x, y) => x - y);
  const r4 = (x: number) => +x.toFixed(4);
  return {
    diff: r4(total(eA.map((_, i) => i))), ci95: [r4(diffs[50]), r4(diffs[1949])],
    better: eA.filter((a, i) => eB[i] < a).length, worse: eA.filter((a, i) => eB[i] > a).length,
  };
}
const baseline: Record<string, number[]> = {};

/** Load time and memory in fresh child processes: the run with the median total time of 3. */
function measureLoad(path: string): unknown {
  try {
    const runs = [0, 1, 2].map(() => {
      const out = execFileSync(process.execPath, ['--expose-gc', join(root, 'bin', 'run-ts.mjs'), fileURLToPath(import.meta.url), '--measure-load', path], { encoding: 'utf8', cwd: root });
      return JSON.parse(out.trim().split('\n').pop()!) as { totalMs: number };
    });
    runs.sort((a, b) => a.totalMs - b.totalMs);
    return { ...runs[1], totalMsRuns: runs.map((r) => r.totalMs) };
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0] };
  }
}

const calib = await synthClips(CALIBRATION_VOICES, Number(values.calib), 31);
const heldout = await synthClips(HELDOUT_VOICES, Number(values.sentences));
// The brief's real-speech figure is on dev sentences of 4+ words; 2+ words is a larger secondary set.
const real2 = await realDevClips(Number(values['real-max']), 2);
const wordCount = (c: Clip) => c.ref.split(' ').filter(Boolean).length;
const real = { clips: real2.clips.filter((c) => wordCount(c) >= 4), note: `${real2.clips.filter((c) => wordCount(c) >= 4).length} dev sentences with 4+ words (from: ${real2.note})` };
console.log(`clips: calibration ${calib.length} (training voices), held-out ${heldout.length}, real dev ${real.clips.length} 4+ words / ${real2.clips.length} 2+ words (${real2.note}); ${((performance.now() - t0) / 1000).toFixed(0)} s`);

const GRID = [0.2, 0.3, 0.5, 0.7, 1.0].flatMap((lmWeight) => [-1, 0, 1, 2, 3].map((wordBonus) => ({ lmWeight, wordBonus })));
const results: Record<string, unknown> = {};

/**
 * Calibrates one candidate (each of its LM variants x GRID) on the calibration set, then measures
 * the chosen setting on the test sets.
 */
function evaluate(name: string, info: Record<string, unknown>, variants: { label: string; lm: VocabularyLM }[], trie: LexiconTrie): void {
  let best: { variant: number; lmWeight: number; wordBonus: number; wer: number } | undefined;
  const grid: unknown[] = [];
  variants.forEach((v, vi) => {
    for (const st of GRID) {
      const w = wer(decode(calib, new CtcPrefixBeamSearch(trie, v.lm, { ...DEFAULT_BEAM_OPTIONS, ...st })).pairs).wer;
      grid.push({ variant: v.label, ...st, wer: w });
      if (!best || w < best.wer) best = { variant: vi, ...st, wer: w };
    }
  });
  const lm = variants[best!.variant].lm;
  const setting = { lmWeight: best!.lmWeight, wordBonus: best!.wordBonus };
  const search = new CtcPrefixBeamSearch(trie, lm, { ...DEFAULT_BEAM_OPTIONS, ...setting });
  const sets: Record<string, unknown> = {};
  for (const [setName, clips] of [['heldout-synth', heldout], ['real-dev', real.clips], ['real-dev-2plus', real2.clips]] as const) {
    if (clips.length === 0) continue;
    const d = decode(clips, search);
    const byVoice: Record<string, number> = {};
    for (const v of [...new Set(clips.map((c) => c.voice.split(':').slice(0, setName.startsWith('real') ? 1 : 2).join(':')))]) {
      byVoice[v] = wer(d.pairs.filter((p) => p.voice.startsWith(v))).wer;
    }
    const errs = sentenceErrors(d.pairs);
    const vsBrown = name === 'brown' || !baseline[setName] ? undefined : pairedDiff(baseline[setName], errs, clips.map((c) => c.ref.split(' ').filter(Boolean).length));
    if (name === 'brown') baseline[setName] = errs;
    sets[setName] = {
      ...wer(d.pairs), sentences: clips.length, oovRate: oovRate(lm, clips), perplexity: perplexity(lm, clips), decodeRtf: d.rtf,
      ...(vsBrown ? { vsBrown } : {}), byVoiceOrSource: byVoice, examples: d.pairs.slice(0, 6),
    };
  }
  // Diagnostic only (never used to choose): every test set at the settings the single LMs chose, to
  // tell the LM's effect from its weight's.
  const atSettings: Record<string, Record<string, number>> = {};
  for (const st of [{ lmWeight: 0.3, wordBonus: 0 }, { lmWeight: 0.5, wordBonus: 1 }]) {
    const srch = new CtcPrefixBeamSearch(trie, lm, { ...DEFAULT_BEAM_OPTIONS, ...st });
    atSettings[`lmWeight ${st.lmWeight} wordBonus ${st.wordBonus}`] = Object.fromEntries(
      ([['heldout-synth', heldout], ['real-dev', real.clips], ['real-dev-2plus', real2.clips]] as const).filter(([, c]) => c.length).map(([k, c]) => [k, wer(decode(c, srch).pairs).wer]));
  }
  sets.diagnosticFixedSettings = atSettings;
  const chosen = { ...(variants.length > 1 ? { variant: variants[best!.variant].label } : {}), ...setting };
  results[name] = { ...info, vocab: lm.vocab.length, order: lm.order, calibration: { chosen, wer: best!.wer, grid }, ...sets };
  console.log(`${name}: load ${JSON.stringify(info.load)}\n  calibration (training voices) ${JSON.stringify(chosen)} WER ${(100 * best!.wer).toFixed(1)}%`);
  for (const [k, v] of Object.entries(sets)) {
    if (k === 'diagnosticFixedSettings') { console.log(`  at fixed settings (diagnostic): ${JSON.stringify(v)}`); continue; }
    const s = v as { wer: number; sentences: number; oovRate: number; perplexity: number; decodeRtf: number; vsBrown?: unknown };
    console.log(`  ${k}: WER ${(100 * s.wer).toFixed(1)}% over ${s.sentences} sentences (OOV ${(100 * s.oovRate).toFixed(1)}%, perplexity ${s.perplexity}, decode RTF ${s.decodeRtf})${s.vsBrown ? ` vs brown ${JSON.stringify(s.vsBrown)}` : ''}`);
  }
}

const loaded: Record<string, VocabularyLM> = {};
for (const [name, path] of Object.entries(LMS)) {
  if (!existsSync(path)) { results[name] = { path, skipped: `${path} not found` }; console.log(`${name}: skipped, ${path} not found`); continue; }
  const load = measureLoad(path);
  const lm = (loaded[name] = loadDictationLM(path));
  evaluate(name, { path, load }, [{ label: name, lm }], dictationTrie(lm, dictationLexicon(path)));
}
// Interpolation of the two (union vocabulary); the Brown weight is calibrated like lmWeight.
if (loaded.brown && loaded['pocketsphinx-en-us']) {
  const variants = [0.3, 0.5, 0.7].map((wb) => ({
    label: `brown ${wb} + pocketsphinx ${+(1 - wb).toFixed(1)}`,
    lm: new MixtureLM([{ lm: loaded.brown, weight: wb }, { lm: loaded['pocketsphinx-en-us'], weight: 1 - wb }]),
  }));
  const lookup = dictationLexicon(LMS.brown, () => dictationLexicon(LMS['pocketsphinx-en-us']));
  evaluate('mixture-brown+pocketsphinx', { load: 'about the sum of both (not measured separately)' }, variants, dictationTrie(variants[0].lm, lookup));
}

const out = {
  date: new Date().toISOString(), model: model.dir, modelName: model.metadata.name, seconds: Math.round((performance.now() - t0) / 1000),
  tuning: 'lmWeight and wordBonus per LM chosen on the calibration set (sentences spoken by training voices); held-out and real dev sets are only measured',
  sets: {
    calibration: { voices: CALIBRATION_VOICES, sentences: calib.length },
    'heldout-synth': { voices: HELDOUT_VOICES, sentences: heldout.length, note: 'held-out Brown sentences (excluded from the Brown LM), synthesized with held-out voices + room noise' },
    'real-dev': { sentences: real.clips.length, note: real.note },
    'real-dev-2plus': { sentences: real2.clips.length, note: `secondary, larger real set: ${real2.note}` },
  },
  results,
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', `${values.out}.json`), JSON.stringify(out, null, 2) + '\n');
console.log(`wrote bench/results/${values.out}.json (${out.seconds} s)`);
