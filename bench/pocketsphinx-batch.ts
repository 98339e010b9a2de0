/**
 * PocketSphinx as a baseline on many clips at once, through Debian's `pocketsphinx_batch`
 * (package pocketsphinx 0.8+5prealpha, acoustic model and LM from pocketsphinx-en-us): one process
 * decodes a control file of 16 kHz 16-bit mono WAVs (44-byte header skipped with -adchdr 44).
 * Open dictation uses the general en-us trigram; a word list uses a JSGF grammar of alternatives.
 * Output: one hypothesis per clip, "words (utterance-id score)" lines in -hyp.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runProcess } from '../src-main/system/process-pool.ts';
import { POCKETSPHINX_HMM } from './pocketsphinx-kws.ts';

const MODEL = '/usr/share/pocketsphinx/model/en-us';
const DICT = `${MODEL}/cmudict-en-us.dict`;

/** Words of the list that PocketSphinx's dictionary lacks (it cannot say them). */
export function pocketsphinxMissingWords(words: readonly string[]): string[] {
  const have = new Set(readFileSync(DICT, 'utf8').split('\n').map((l) => l.split(/\s+/)[0].replace(/\(\d+\)$/, '')));
  return [...new Set(words)].filter((w) => !have.has(w));
}

/**
 * Decodes every WAV (absolute paths under `root`) and returns the hypothesis text per file, in
 * order. `items` given: a grammar that accepts exactly one of them.
 */
export async function pocketsphinxBatch(root: string, wavs: readonly string[], items?: readonly string[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hark-ps-'));
  try {
    const ids = wavs.map((w) => relative(root, w).replace(/\.wav$/, ''));
    writeFileSync(join(dir, 'ctl'), ids.join('\n') + '\n');
    const args = ['-adcin', 'yes', '-adchdr', '44', '-cepdir', root, '-cepext', '.wav', '-ctl', join(dir, 'ctl'),
      '-hyp', join(dir, 'hyp'), '-hmm', POCKETSPHINX_HMM, '-dict', DICT, '-logfn', join(dir, 'log')];
    if (items) {
      const alts = [...new Set(items)].map((i) => i.split(' ').join(' '));
      writeFileSync(join(dir, 'g.gram'), `#JSGF V1.0;\ngrammar items;\npublic <item> = ${alts.join(' | ')};\n`);
      args.push('-jsgf', join(dir, 'g.gram'));
    } else {
      args.push('-lm', `${MODEL}/en-us.lm.bin`);
    }
    await runProcess('pocketsphinx_batch', args);
    const hyp = new Map<string, string>();
    for (const line of readFileSync(join(dir, 'hyp'), 'utf8').split('\n')) {
      const m = /^(.*?)\s*\((\S+)\s+-?\d+\)\s*$/.exec(line);
      if (m) hyp.set(m[2], m[1].replace(/\(\d+\)/g, '').replace(/<[^>]+>|\[[^\]]+\]/g, '').replace(/\s+/g, ' ').trim());
    }
    return ids.map((id) => hyp.get(id.split('/').pop()!) ?? hyp.get(id) ?? '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
