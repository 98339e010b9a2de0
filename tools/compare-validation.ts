// The shipping rule's check (docs/DEVELOPERS.md, "Reproducing the shipped files"): the shipped model's
// float reference against a candidate on the validation slice of the real set's train speakers (the
// 300 clips hark adapt measures; never dev), greedy phoneme error rate without test-time VTLN, clip by
// clip, with a paired bootstrap over the clips.
//   node bin/run-ts.mjs tools/compare-validation.ts BASE_DIR CANDIDATE_DIR [--set data/real] [--resamples 10000] [--out FILE]
// A candidate ships when its PER is at least SHIP_MIN_GAIN lower, at least SHIP_MIN_SHARE of the
// resamples have it lower, and it is not worse on the clips of the less-heard speakers (and npm test
// passes with it). Less heard: speakers with under LESS_HEARD_MINUTES of audio in the train split.
// Two speakers (Beneath a Steel Sky's cast, Amazon Queen's Joe) have 110 and 96 of its 338 minutes,
// and the slice's clips of those two read far better than the rest (2026-12-06f: 21.0% on 148 clips,
// against 36.8% on the 134 clips of speakers with under 10 minutes; dev, all new voices: 39.1%;
// runs/val-by-speaker.ts, scratch), so a candidate could pass on the well-heard voices alone: the
// guard, added 2026-12-07 before the run it first judged had reported, keeps the rule on new voices' side.
// The breakdown is printed and written with the verdict.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { LESS_HEARD_MINUTES } from '../src-main/train/data/real/real-split.ts';
import { createRng } from '../src-main/train/data/rng.ts';
import { type PairedErrors, pooledPer, validationErrors } from '../src-main/train/validation-slice.ts';

/** Smallest PER gain (0-1) that ships: half a point. */
export const SHIP_MIN_GAIN = 0.005;
/** Share of bootstrap resamples in which the candidate's PER must be lower. */
export const SHIP_MIN_SHARE = 0.975;

export interface Comparison {
  clips: number;
  phonemes: number;
  basePer: number;
  candidatePer: number;
  /** Share of resamples (clips drawn with replacement) in which the candidate's PER is lower. */
  shareBetter: number;
  /** 2.5th and 97.5th percentiles of the resampled gain (base PER - candidate PER). */
  gainInterval: [number, number];
  resamples: number;
  /** PERs on the clips of the less-heard speakers alone (when the clips were marked). */
  lessHeard: { clips: number; basePer: number; candidatePer: number } | null;
  ships: boolean;
  reason: string;
}

/**
 * PERs, a paired bootstrap over the clips (deterministic for a seed) and the rule's verdict;
 * `lessHeard` marks the clips of less-heard speakers (the guard: the candidate's PER on them must not
 * be higher than the base's).
 */
export function compareErrors(e: PairedErrors, resamples = 10000, seed = 1, lessHeard?: readonly boolean[]): Comparison {
  const n = e.phonemes.length;
  if (n === 0 || e.base.length !== n || e.candidate.length !== n) throw new Error(`compareErrors: ${e.base.length} / ${e.candidate.length} error counts for ${n} clips`);
  if (lessHeard && lessHeard.length !== n) throw new Error(`compareErrors: ${lessHeard.length} less-heard marks for ${n} clips`);
  if (!(Number.isInteger(resamples) && resamples > 0)) throw new Error(`compareErrors: resamples must be a positive integer, got ${resamples}`);
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  const phonemes = sum(e.phonemes);
  const basePer = pooledPer(e.base, e.phonemes), candidatePer = pooledPer(e.candidate, e.phonemes);
  const rng = createRng(seed);
  const gains: number[] = [];
  let better = 0;
  for (let r = 0; r < resamples; r++) {
    let b = 0, c = 0, p = 0;
    for (let k = 0; k < n; k++) {
      const i = rng.int(0, n - 1);
      b += e.base[i]; c += e.candidate[i]; p += e.phonemes[i];
    }
    if (c < b) better++;
    gains.push((b - c) / Math.max(1, p));
  }
  gains.sort((x, y) => x - y);
  const at = (q: number) => gains[Math.min(resamples - 1, Math.floor(q * resamples))];
  const shareBetter = better / resamples;
  const gain = basePer - candidatePer;
  const pts = (x: number) => `${(100 * x).toFixed(2)} points`;
  let less: Comparison['lessHeard'] = null;
  if (lessHeard) {
    const clips = lessHeard.filter(Boolean).length;
    if (clips > 0) less = { clips, basePer: pooledPer(e.base, e.phonemes, lessHeard), candidatePer: pooledPer(e.candidate, e.phonemes, lessHeard) };
  }
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const lessWorse = less !== null && less.candidatePer > less.basePer;
  const ships = gain >= SHIP_MIN_GAIN && shareBetter >= SHIP_MIN_SHARE && !lessWorse;
  const reason = ships ? `ships: ${pts(gain)} lower, lower in ${(100 * shareBetter).toFixed(1)}% of resamples${less ? `, ${pct(less.candidatePer)} against ${pct(less.basePer)} on the less-heard speakers' ${less.clips} clips` : ''}`
    : gain < SHIP_MIN_GAIN ? `does not ship: ${pts(gain)} lower, under the ${pts(SHIP_MIN_GAIN)} the rule asks`
      : shareBetter < SHIP_MIN_SHARE ? `does not ship: lower in only ${(100 * shareBetter).toFixed(1)}% of resamples (the rule asks ${(100 * SHIP_MIN_SHARE).toFixed(1)}%)`
        : `does not ship: worse on the less-heard speakers' ${less!.clips} clips (${pct(less!.candidatePer)} against ${pct(less!.basePer)})`;
  return { clips: n, phonemes, basePer, candidatePer, shareBetter, gainInterval: [at(0.025), at(0.975)], resamples, lessHeard: less, ships, reason };
}


if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: {
    set: { type: 'string', default: 'data/real' }, resamples: { type: 'string', default: '10000' }, out: { type: 'string' },
  } });
  if (positionals.length !== 2) {
    console.error('usage: node bin/run-ts.mjs tools/compare-validation.ts BASE_DIR CANDIDATE_DIR [--set data/real] [--resamples 10000] [--out FILE]');
    process.exit(2);
  }
  const [baseDir, candidateDir] = positionals.map((p) => resolve(p));
  const errors = await validationErrors(resolve(values.set!), baseDir, candidateDir);
  const c = compareErrors(errors, Number(values.resamples), 1, errors.lessHeard);
  const name = (dir: string) => { const m = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { name: string; version: string }; return `${m.name} ${m.version}`; };
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  if (c.lessHeard) console.log(`less-heard speakers (under ${LESS_HEARD_MINUTES} min of training audio), ${c.lessHeard.clips} clips: ${pct(c.lessHeard.basePer)} -> ${pct(c.lessHeard.candidatePer)}`);
  console.log(`validation slice, ${c.clips} clips, ${c.phonemes} phonemes: ${name(baseDir)} ${pct(c.basePer)}, ${name(candidateDir)} ${pct(c.candidatePer)}; gain 95% interval ${pct(c.gainInterval[0])} to ${pct(c.gainInterval[1])}; the candidate ${c.reason}`);
  if (values.out) writeFileSync(values.out, `${JSON.stringify({ base: name(baseDir), candidate: name(candidateDir), ...c, perClip: errors }, null, 1)}\n`);
}
