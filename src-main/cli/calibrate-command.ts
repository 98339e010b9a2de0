/**
 * `hark calibrate`: measures a model package's phrase-list settings (threshold, temperature,
 * certainty floor) on clips no benchmark uses (src-main/train/phrase-calibration.ts) and writes
 * them into the package as decoding.phrase, which every recognizer then uses by default.
 */
import { checkModelMetadata, loadModelPackage } from '../model/model-package.ts';
import { restampModelMetadata } from '../model/write-model.ts';
import { calibratePhrases, type PhraseTally } from '../train/phrase-calibration.ts';
import { helpText, parseCommand, UsageError, type CommandSpec } from './cli-args.ts';

export const calibrateSpec: CommandSpec = {
  name: 'calibrate',
  summary: "Measure a model's phrase-list settings on calibration clips (training voices, commands and noise no benchmark uses) and store them in the package.",
  usage: 'hark calibrate --model DIR [--real data/real] [--dry-run]',
  options: {
    real: { type: 'string', help: 'Real-speech set (hark real-set): short clips of its validation slice (train speakers, never dev) join the calibration as phrase lists' },
    model: { type: 'string', help: 'Model package folder to calibrate (rewritten in place: metadata only, the graphs are unchanged)' },
    'dry-run': { type: 'boolean', help: 'Measure and print, write nothing' },
  },
};

const pct = (t: PhraseTally): string => `${(100 * t.accuracy).toFixed(1)}% (${t.correct}/${t.total}; false accepts ${t.falseAccept}, false rejects ${t.falseReject}, confusions ${t.confusion})`;

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
  out.write(`  (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  if (o['dry-run']) return 0;
  const metadata = {
    ...model.metadata,
    decoding: { ...model.metadata.decoding, phrase: c.settings },
    metrics: { ...model.metadata.metrics, phraseCalibration: { accuracy: c.tally.accuracy, clips: c.tally.total, realClips: o.real !== undefined, withDefaults: c.withDefaults.accuracy, byKind: Object.fromEntries(Object.entries(c.byKind).map(([k, t]) => [k, t.accuracy])) } },
  };
  checkModelMetadata(metadata, model.jsonPath);
  await restampModelMetadata(model.dir, metadata);
  await loadModelPackage(model.dir);
  out.write(`  written to ${model.jsonPath} and both graphs' metadata\n`);
  return 0;
}
