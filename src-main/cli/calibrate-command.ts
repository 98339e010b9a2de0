/**
 * `hark calibrate`: measures a model package's phrase-list settings (threshold, temperature,
 * certainty floor) on clips no benchmark uses (src-main/train/phrase-calibration.ts) and fits its
 * word confidence calibration (src-main/train/word-confidence-calibration.ts), and writes them into
 * the package as decoding.phrase and decoding.words, which every recognizer then uses by default.
 */
import { checkModelMetadata, loadModelPackage } from '../model/model-package.ts';
import { restampModelMetadata } from '../model/write-model.ts';
import { calibratePhrases, type PhraseTally } from '../train/phrase-calibration.ts';
import { calibrateWordConfidence } from '../train/word-confidence-calibration.ts';
import { helpText, parseCommand, UsageError, type CommandSpec } from './cli-args.ts';

export const calibrateSpec: CommandSpec = {
  name: 'calibrate',
  summary: "Measure a model's phrase-list settings and fit its word confidences on calibration clips (training voices, commands, sentences, noise and music no benchmark uses) and store them in the package.",
  usage: 'hark calibrate --model DIR [--real data/real] [--dry-run]',
  options: {
    real: { type: 'string', help: 'Real-speech set (hark real-set): its validation slice (train speakers, never dev) joins the calibration: short clips as phrase lists, all clips for word confidences' },
    model: { type: 'string', help: 'Model package folder to calibrate (rewritten in place: metadata only, the graphs are unchanged)' },
    'dry-run': { type: 'boolean', help: 'Measure and print, write nothing' },
  },
};

const pct = (t: PhraseTally): string => `${(100 * t.accuracy).toFixed(1)}% (${t.correct}/${t.total}; false accepts ${t.falseAccept}, false rejects ${t.falseReject}, confusions ${t.confusion})`;

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

export async function calibrateCommand(argv: string[]): Promise<number> {
  const { options: o, help } = parseCommand(calibrateSpec, argv);
  if (help) { process.stdout.write(helpText(calibrateSpec)); return 0; }
  if (!o.model) throw new UsageError('calibrate: --model DIR is required');
  const model = await loadModelPackage(String(o.model));
  const t0 = performance.now();
  const c = await calibratePhrases(model, undefined, o.real === undefined ? undefined : String(o.real));
  const out = process.stdout;
  out.write(`${model.metadata.name} ${model.metadata.version}: phrase settings ${JSON.stringify(c.settings)}\n`);
  out.write(`  calibration clips: ${pct(c.tally)}\n`);
  for (const [k, t] of Object.entries(c.byKind)) out.write(`    ${k.padEnd(12)} ${pct(t)}\n`);
  out.write(`  with the default settings: ${pct(c.withDefaults)}\n`);
  const w = await calibrateWordConfidence(model, o.real === undefined ? undefined : String(o.real));
  const fmt = (x: { reliability: { ece: number }; auc: number }) => `calibration error ${x.reliability.ece.toFixed(3)}, ROC area ${x.auc.toFixed(3)}`;
  out.write(`  word confidences: ${w.words} words (${Object.entries(w.bySource).map(([k, n]) => `${n} ${k}`).join(', ')}), ${(100 * w.calibrated.reliability.observed).toFixed(1)}% right\n`);
  out.write(`    n-best posterior: ${fmt(w.raw)}; calibrated: ${fmt(w.calibrated)}\n`);
  out.write(`  (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  if (o['dry-run']) return 0;
  const metadata = {
    ...model.metadata,
    decoding: { ...model.metadata.decoding, phrase: c.settings, words: w.choices },
    metrics: {
      ...model.metadata.metrics,
      phraseCalibration: { accuracy: c.tally.accuracy, clips: c.tally.total, realClips: o.real !== undefined, withDefaults: c.withDefaults.accuracy, byKind: Object.fromEntries(Object.entries(c.byKind).map(([k, t]) => [k, t.accuracy])) },
      wordCalibration: { words: w.words, bySource: w.bySource, rawEce: round4(w.raw.reliability.ece), ece: round4(w.calibrated.reliability.ece), rawAuc: round4(w.raw.auc), auc: round4(w.calibrated.auc) },
    },
  };
  checkModelMetadata(metadata, model.jsonPath);
  await restampModelMetadata(model.dir, metadata);
  await loadModelPackage(model.dir);
  out.write(`  written to ${model.jsonPath} and both graphs' metadata\n`);
  return 0;
}
