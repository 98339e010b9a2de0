/**
 * The dictation language models the desktop app offers (settings.dictationLm): the shipped Brown
 * trigram (the default), the shipped general English trigram (2026-12-07: 67,787 words; on the real
 * validation slice 50.0% WER against Brown's 54.5%, on the dev speakers 66.7% against 65.4%, and
 * slower to load), and PocketSphinx's US English trigram when its Debian package is installed. With
 * 2026-12-06b, PocketSphinx's measured lower word error rates than Brown on real voices (real
 * validation slice 53.1% against 58.3%, dev 69.5% against 71.4%; with 2026-12-06c dev 67.0% against
 * 70.5%), Brown on the held-out synthesized voices (41.4% against 46.1%); docs/BENCHMARKS.md,
 * "Dictation language models".
 */
import { existsSync } from 'node:fs';
import type { DictationLmName, DictationLmOption } from '../../src-shared/ipc/app-contract.ts';
import { POCKETSPHINX_EN_US_LM } from '../decode/sphinx-trie-lm-reader.ts';
import { GENERAL_LM_PATH } from '../model/package-paths.ts';

interface DictationLmSource {
  label: string;
  detail: string;
  /** The file; undefined: the decoders' default (DEFAULT_LM_PATH, shipped). */
  path?: string;
  /** What to install when the file is missing. */
  install?: string;
  /** What to do when it is missing, as the error says it. */
  remedy?: string;
}

const SOURCES: { [N in DictationLmName]: DictationLmSource } = {
  brown: {
    label: 'Built in (Brown corpus)',
    detail: 'Shipped with Hark: 20,018 words of 1960s American English text plus commands, numbers and spoken punctuation.',
  },
  general: {
    label: 'Built in (general English, larger)',
    detail: 'Shipped with Hark: 67,787 words from the Brown corpus, State of the Union addresses up to 2021, WordNet, e-mail, fortune files and Moby-Dick, plus commands, numbers and spoken punctuation; knows more recent words, slower to load.',
    path: GENERAL_LM_PATH,
    install: 'reinstall Hark',
    remedy: 'reinstall Hark, which ships it',
  },
  'pocketsphinx-en-us': {
    label: 'PocketSphinx US English',
    detail: 'The general US English trigram of the pocketsphinx-en-us package: about 72,500 words; more accurate on real voices in our measurements, slower to load.',
    path: POCKETSPHINX_EN_US_LM,
    install: 'apt-get install pocketsphinx-en-us',
    remedy: 'install it with `apt-get install pocketsphinx-en-us`',
  },
};

/** Every dictation LM, as the Settings screen shows it, and whether it can be used here. */
export function dictationLmOptions(exists: (path: string) => boolean = existsSync): DictationLmOption[] {
  return (Object.keys(SOURCES) as DictationLmName[]).map((name) => {
    const s = SOURCES[name];
    const available = s.path === undefined || exists(s.path);
    return { name, label: s.label, available, detail: available ? s.detail : `Not installed (${s.install}): ${s.detail}` };
  });
}

/** Thrown when a window chooses a language model that is not installed. */
export class DictationLmMissingError extends Error {
  constructor(name: DictationLmName) {
    const s = SOURCES[name];
    super(`${s.label} is not installed here (${s.path} is missing): ${s.remedy}, or keep the built-in Brown language model`);
    this.name = 'DictationLmMissingError';
  }
}

/** Throws DictationLmMissingError when `name` cannot be used here. */
export function checkDictationLm(name: DictationLmName, exists: (path: string) => boolean = existsSync): void {
  if (dictationLmPath(name, exists).notice) throw new DictationLmMissingError(name);
}

/**
 * The LM file dictation uses for the setting `name`: undefined for the shipped one (the decoders'
 * default), and also when the chosen one is missing, with `notice` saying so.
 */
export function dictationLmPath(name: DictationLmName, exists: (path: string) => boolean = existsSync): { path?: string; notice?: string } {
  const s = SOURCES[name];
  if (s.path === undefined) return {};
  if (exists(s.path)) return { path: s.path };
  return { notice: `Dictation uses the built-in Brown language model: ${s.label}, chosen in Settings, is not installed (${s.install}).` };
}
