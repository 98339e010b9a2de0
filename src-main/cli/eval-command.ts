/**
 * `hark eval`: recognize a folder of clips listed in a references file and score them.
 * References file: UTF-8, one clip per line, "relative/path.wav<TAB>reference text"; blank lines
 * and lines starting with # are skipped. In phrase mode a reference of "-" or nothing means the clip
 * should be rejected. WER = word edit distance / reference words over all clips (normalizeText on
 * both sides); phrase accuracy counts correct accepts and correct rejections.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { normalizeText } from '../lexicon/normalize-text.ts';
import { editDistance } from '../math/edit-distance.ts';
import { helpText, parseCommand, UsageError, type CommandSpec } from './cli-args.ts';
import { modeFromOptions, recognizerOptionSpecs } from './recognizer-options.ts';
import { batchRecognizerFromOptions, jobsOptionSpec, recognizeInOrder } from './batch-recognizer.ts';
import { fileErrorMessage } from './transcribe-command.ts';

export const evalSpec: CommandSpec = {
  name: 'eval',
  summary: 'Score recognition of a folder of clips against reference transcripts (WER, phrase accuracy).',
  usage: 'hark eval <folder> --refs FILE [--phrases FILE | --words FILE] [--model DIR] [--json] [--jobs N]\n\n'
    + 'FILE (--refs): one clip per line, "relative/path.wav<TAB>reference text"; with --phrases a\n'
    + 'reference of "-" or nothing means the clip must be rejected. Exit status: 0 all clips\n'
    + 'recognized, 1 some clip could not be read, 2 usage error.',
  options: {
    refs: { type: 'string', help: 'References file (path<TAB>text per line)' },
    ...recognizerOptionSpecs,
    jobs: jobsOptionSpec,
    json: { type: 'boolean', help: 'Print one JSON object with the scores and every clip' },
  },
};

export interface Reference {
  file: string;
  /** Normalized reference words; empty for an expected rejection. */
  words: string[];
}

/** Parses a references file; UsageError naming the line for a malformed one. */
export function parseReferences(text: string, name: string): Reference[] {
  const refs: Reference[] = [];
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    const tab = line.indexOf('\t');
    const file = (tab < 0 ? line : line.slice(0, tab)).trim();
    const ref = tab < 0 ? '' : line.slice(tab + 1).trim();
    if (!file) throw new UsageError(`eval: ${name}: line ${i + 1}: no clip path before the tab`);
    refs.push({ file, words: ref === '-' ? [] : normalizeText(ref) });
  });
  if (refs.length === 0) throw new UsageError(`eval: ${name}: no clips listed`);
  return refs;
}

/** Phrase-mode tallies. */
export interface PhraseTally {
  correctAccepts: number;
  correctRejections: number;
  falseAccepts: number;
  falseRejects: number;
  /** Accepted as a different phrase. */
  confusions: number;
}

export async function evalCommand(argv: string[]): Promise<number> {
  const { options: o, positionals, help } = parseCommand(evalSpec, argv);
  if (help) { process.stdout.write(helpText(evalSpec)); return 0; }
  if (positionals.length !== 1) throw new UsageError(`eval: expected one folder, got ${positionals.length}\n\n${helpText(evalSpec)}`);
  if (o.refs === undefined) throw new UsageError(`eval: --refs FILE is required\n\n${helpText(evalSpec)}`);
  const folder = positionals[0];
  let refsText: string;
  try {
    refsText = await readFile(String(o.refs), 'utf8');
  } catch (e) {
    throw new UsageError(`eval: cannot read --refs ${String(o.refs)}: ${(e as Error).message}`);
  }
  const refs = parseReferences(refsText, String(o.refs));
  const mode = await modeFromOptions('eval', o);
  const phraseMode = mode.kind === 'phrases';
  const { recognizer, ahead } = await batchRecognizerFromOptions('eval', o, mode, [], refs.length);
  const items: Record<string, unknown>[] = [];
  const failures: { file: string; error: string }[] = [];
  const tally: PhraseTally = { correctAccepts: 0, correctRejections: 0, falseAccepts: 0, falseRejects: 0, confusions: 0 };
  let wordErrors = 0, refWords = 0, audioSec = 0, procSec = 0;
  try {
    for await (const outcome of recognizeInOrder(recognizer, refs.map((ref) => join(folder, ref.file)), ahead)) {
      const ref = refs[outcome.index];
      if ('error' in outcome) {
        failures.push({ file: ref.file, error: fileErrorMessage(outcome.error) });
        continue;
      }
      const r = outcome.result;
      const hyp = normalizeText(r.text);
      const errors = editDistance(ref.words, hyp);
      wordErrors += errors;
      refWords += ref.words.length;
      audioSec += r.durationSec;
      procSec += r.processingSec;
      const item: Record<string, unknown> = { file: ref.file, ref: ref.words.join(' '), hyp: hyp.join(' '), errors };
      if (phraseMode) {
        const expected = ref.words.length ? ref.words.join(' ') : null;
        const got = r.phrase ? normalizeText(r.phrase).join(' ') : null;
        if (expected === null) tally[got === null ? 'correctRejections' : 'falseAccepts']++;
        else if (got === null) tally.falseRejects++;
        else tally[got === expected ? 'correctAccepts' : 'confusions']++;
        Object.assign(item, { expected, phrase: got, confidence: r.confidence, correct: expected === got });
      }
      items.push(item);
    }
  } finally {
    await recognizer.dispose();
  }
  const scored = items.length;
  const wer = refWords > 0 ? wordErrors / refWords : (wordErrors > 0 ? Infinity : 0);
  const phraseCorrect = tally.correctAccepts + tally.correctRejections;
  const summary = {
    clips: refs.length, scored, failed: failures.length, wer: Number.isFinite(wer) ? wer : null, wordErrors, refWords,
    ...(phraseMode ? { phrase: { accuracy: scored ? phraseCorrect / scored : 0, ...tally } } : {}),
    realTimeFactor: audioSec > 0 ? procSec / audioSec : null,
    items, errors: failures,
  };
  if (o.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    for (const f of failures) process.stderr.write(`${f.file}: error: ${f.error}\n`);
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    for (const it of items) {
      if (it.errors !== 0 || it.correct === false) process.stdout.write(`${String(it.file)}\n  ref: ${String(it.ref)}\n  hyp: ${String(it.hyp)}\n`);
    }
    process.stdout.write(`clips ${refs.length}, scored ${scored}, failed ${failures.length}\n`);
    process.stdout.write(`WER ${Number.isFinite(wer) ? pct(wer) : 'n/a'} (${wordErrors} errors / ${refWords} reference words)\n`);
    if (phraseMode) {
      process.stdout.write(`phrase accuracy ${pct(scored ? phraseCorrect / scored : 0)} (${phraseCorrect}/${scored}): correct accepts ${tally.correctAccepts}, `
        + `correct rejections ${tally.correctRejections}, false accepts ${tally.falseAccepts}, false rejects ${tally.falseRejects}, confusions ${tally.confusions}\n`);
    }
    if (summary.realTimeFactor !== null) process.stdout.write(`real-time factor ${summary.realTimeFactor.toFixed(4)}\n`);
  }
  return failures.length > 0 ? 1 : 0;
}
