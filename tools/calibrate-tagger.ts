/**
 * Chooses the shipped tagger's punctuation offsets (punctBias) on the dev split of the Brown corpus
 * (every 10th file from the 5th: src-main/train/data/text-punctuation.ts; never the held-out test
 * files) and writes them into its metadata (tagger.onnx and tagger.json). tools/train-tagger.ts
 * runs this at its end; run it alone to recalibrate an exported tagger.
 *
 * Usage: node bin/run-ts.mjs tools/calibrate-tagger.ts [--dir models/tagger-en] [--seed 1]
 */
import { parseArgs } from 'node:util';
import { PunctuationTagger } from '../src-main/engine/punctuation-tagger.ts';
import { restampTaggerMetadata } from '../src-main/model/tagger-graph.ts';
import { createRng } from '../src-main/train/data/rng.ts';
import { readMarkedBrown, taggerDocuments, utteranceSegments } from '../src-main/train/data/text-punctuation.ts';
import { choosePunctBias, type ScoredUtterance } from '../src-main/train/tagger-calibration.ts';

/** Calibrates the tagger in `dir` on dev segments drawn with `seed`; returns what it wrote. */
export async function calibrateTagger(dir: string, seed: number): Promise<{ bias: number[]; objective: number; before: number; utterances: number }> {
  const rng = createRng(seed + 11);
  const dev = taggerDocuments(readMarkedBrown(), 'dev').flatMap((d) => utteranceSegments(d, () => rng.next()));
  const tagger = await PunctuationTagger.load(dir);
  const scored: ScoredUtterance[] = [];
  for (const s of dev) scored.push({ ...(await tagger.scores(s.words)), reference: s.marks });
  const md = tagger.metadata;
  await tagger.release();
  const chosen = choosePunctBias(scored);
  await restampTaggerMetadata(dir, {
    ...md, punctBias: chosen.bias,
    training: { ...md.training, calibration: { tool: 'tools/calibrate-tagger.ts', seed, devUtterances: scored.length, meanF1Before: chosen.before, meanF1After: chosen.objective } },
  });
  return { ...chosen, utterances: scored.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { dir: { type: 'string', default: 'models/tagger-en' }, seed: { type: 'string', default: '1' } } });
  const r = await calibrateTagger(values.dir, Number(values.seed));
  console.log(`punctBias ${JSON.stringify(r.bias)} on ${r.utterances} dev utterances: mean F1 (. , ?) ${r.before.toFixed(4)} -> ${r.objective.toFixed(4)}`);
}
