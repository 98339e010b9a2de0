// Writes a model's keyword threshold (decoding.keywords.llrThreshold in model.json and both graphs)
// from its keyword run on the validation slice of the real set's train speakers, never on dev:
//   node bin/run-ts.mjs bench/real-keywords.bench.ts --model DIR --split val --keywords LIST --no-pocketsphinx --out NAME
//   node bin/run-ts.mjs tools/stamp-keyword-threshold.ts bench/results/NAME.json [--model DIR] [--fa-per-hour 5]
// The rule: the most lenient threshold of the run's curve with at most 5 false alarms an hour (its
// best recall within that budget). Run it on the shipped int8 package before
// tools/stamp-model-metrics.ts, which copies the int8 package's decoding settings to the float one.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { keywordChoicesProblem, type ModelMetadata } from '../src-shared/model/metadata.ts';
import { DEFAULT_MODEL_DIR } from '../src-main/model/package-paths.ts';
import { checkModelMetadata, loadModelPackage } from '../src-main/model/model-package.ts';
import { restampModelMetadata } from '../src-main/model/write-model.ts';

/** The parts of a bench/real-keywords.bench.ts result this tool reads. */
export interface KeywordRunResult {
  model?: { name?: string; version?: string };
  split?: string;
  harkCurve?: { bestRecallWithinFaPerHour?: Record<string, { llrThreshold: number; recall: number; faPerHour: number } | null> };
}

/**
 * The threshold the rule picks from `result` for the model `metadata` describes. Throws when the
 * run measured another model, was not on the validation slice, or found nothing within the budget.
 */
export function chooseKeywordThreshold(result: KeywordRunResult, metadata: Pick<ModelMetadata, 'name' | 'version'>, faPerHour = 5): number {
  const m = result.model;
  if (m?.name !== metadata.name || m?.version !== metadata.version) {
    throw new Error(`the keyword run measured ${m?.name ?? '?'} ${m?.version ?? '?'}, the package is ${metadata.name} ${metadata.version}`);
  }
  if (result.split !== 'val') throw new Error(`the keyword run is on the ${result.split ?? 'unknown'} split: a threshold is chosen on the validation slice (--split val), never on dev`);
  const best = result.harkCurve?.bestRecallWithinFaPerHour?.[String(faPerHour)];
  if (!best) throw new Error(`the keyword run has no threshold within ${faPerHour} false alarms an hour`);
  const problem = keywordChoicesProblem({ llrThreshold: best.llrThreshold });
  if (problem !== null) throw new Error(problem);
  return best.llrThreshold;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { model: { type: 'string' }, 'fa-per-hour': { type: 'string', default: '5' } } });
  if (positionals.length !== 1) {
    console.error('usage: node bin/run-ts.mjs tools/stamp-keyword-threshold.ts RESULT.json [--model DIR] [--fa-per-hour 5]');
    process.exit(2);
  }
  const pkg = await loadModelPackage(resolve(values.model ?? DEFAULT_MODEL_DIR));
  const result = JSON.parse(readFileSync(positionals[0], 'utf8')) as KeywordRunResult;
  const llrThreshold = chooseKeywordThreshold(result, pkg.metadata, Number(values['fa-per-hour']));
  const metadata: ModelMetadata = { ...pkg.metadata, decoding: { ...pkg.metadata.decoding, keywords: { llrThreshold } } };
  checkModelMetadata(metadata, pkg.jsonPath);
  await restampModelMetadata(pkg.dir, metadata);
  console.log(`${pkg.dir}: ${pkg.metadata.name} ${pkg.metadata.version} keyword threshold ${llrThreshold} (before: ${pkg.metadata.decoding?.keywords?.llrThreshold ?? 'the default'})`);
}
