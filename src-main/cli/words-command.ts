/**
 * `hark words`: the user's own vocabulary (src-main/lexicon/user-vocabulary.ts), which the
 * recognizer uses at once in dictation, phrase lists, word lists and keywords.
 *   hark words add WORD [--pron "K AE T"]...   add or replace; without --pron CMUdict's or a G2P guess
 *   hark words list [--json]
 *   hark words remove WORD
 *   hark words say WORD [--out FILE.wav]        speak the stored pronunciation (espeak-ng): played
 *                                               through the first audio player on PATH (wav-player.ts)
 *                                               from a temporary WAV removed afterwards; with --out, or
 *                                               when no player exists, the WAV is kept and its path told
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sayPronunciations } from '../lexicon/say-pronunciation.ts';
import { UserVocabulary, UserVocabularyError, USER_VOCABULARY_FILE, defaultUserDataDir, type UserWord } from '../lexicon/user-vocabulary.ts';
import { helpText, parseCommand, UsageError, type CommandSpec } from './cli-args.ts';
import { findWavPlayer, playerNames, playWav } from './wav-player.ts';

export const wordsSpec: CommandSpec = {
  name: 'words',
  summary: 'Your own words and their pronunciations, used at once by every recognition mode.',
  usage: 'hark words add WORD [--pron "P R AH N"]... | list [--json] | remove WORD | say WORD [--out FILE.wav]   [--vocab FILE]',
  options: {
    pron: { type: 'string', help: 'add: the pronunciation in ARPAbet, e.g. "K AE T"; separate alternatives with "|"' },
    vocab: { type: 'string', help: `Vocabulary file (default: ${USER_VOCABULARY_FILE} in the user data folder, $HARK_USER_DATA or the platform's)` },
    json: { type: 'boolean', help: 'list: print JSON' },
    out: { type: 'string', help: 'say: write the WAV to this file instead of playing it (default: play it)' },
  },
};

const show = (w: UserWord) => `${w.word}\t${w.pronunciations.map((p) => p.join(' ')).join(' | ')}\t(${w.source})`;

export async function wordsCommand(argv: string[]): Promise<number> {
  const { options: o, positionals, help } = parseCommand(wordsSpec, argv);
  if (help) { process.stdout.write(helpText(wordsSpec)); return 0; }
  const [action, word, ...extra] = positionals;
  const usage = (msg: string) => new UsageError(`words: ${msg}\n\n${helpText(wordsSpec)}`);
  if (!action || !['add', 'list', 'remove', 'say'].includes(action)) throw usage(`expected add, list, remove or say${action ? `, got "${action}"` : ''}`);
  if (action !== 'list' && !word) throw usage(`${action} needs a WORD`);
  if (extra.length) throw usage(`unexpected argument "${extra[0]}" (one word at a time)`);
  const path = o.vocab === undefined ? join(defaultUserDataDir(), USER_VOCABULARY_FILE) : String(o.vocab);
  let vocab: UserVocabulary;
  try {
    vocab = UserVocabulary.load(path);
  } catch (e) {
    if (e instanceof UserVocabularyError) throw new UsageError(`words: ${e.message}`);
    throw e;
  }
  switch (action) {
    case 'add': {
      const prons = o.pron === undefined ? [] : String(o.pron).split('|').map((p) => p.trim()).filter(Boolean);
      let entry: UserWord;
      try {
        entry = vocab.add(word, prons);
      } catch (e) {
        throw new UsageError(`words: ${(e as Error).message}`);
      }
      vocab.save();
      process.stdout.write(`${show(entry)}\n`);
      if (entry.source === 'g2p') process.stderr.write(`"${entry.word}" is not in CMUdict: its pronunciation is a guess. Hear it with \`hark words say ${entry.word}\`; correct it with --pron.\n`);
      return 0;
    }
    case 'list': {
      const all = vocab.list();
      if (o.json) process.stdout.write(`${JSON.stringify(all)}\n`);
      else for (const w of all) process.stdout.write(`${show(w)}\n`);
      if (!o.json && all.length === 0) process.stderr.write(`no words yet (${path})\n`);
      return 0;
    }
    case 'remove': {
      let removed: boolean;
      try {
        removed = vocab.remove(word);
      } catch (e) {
        throw new UsageError(`words: ${(e as Error).message}`);
      }
      if (!removed) {
        process.stderr.write(`words: "${word}" is not in ${path}\n`);
        return 1;
      }
      vocab.save();
      process.stdout.write(`removed ${word.trim().toLowerCase()}\n`);
      return 0;
    }
    case 'say': {
      const entry = vocab.get(word);
      if (!entry) {
        process.stderr.write(`words: "${word}" is not in ${path} (add it first)\n`);
        return 1;
      }
      if (o.out !== undefined) {
        await sayPronunciations(entry.pronunciations, String(o.out));
        process.stdout.write(`${String(o.out)}\n`);
        return 0;
      }
      return sayAloud(entry);
    }
  }
  return 2;
}

/**
 * Plays the word's pronunciations from a temporary WAV, removed afterwards. Without a player, or
 * when the player fails, the WAV is kept: its path goes to stdout and the reason to stderr.
 */
async function sayAloud(entry: UserWord): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'hark-say-'));
  const wav = join(dir, `${entry.word}.wav`);
  let kept = false;
  try {
    await sayPronunciations(entry.pronunciations, wav);
    const player = findWavPlayer();
    if (!player) {
      process.stderr.write(`words: no audio player found on PATH (looked for ${playerNames().join(', ')}); the WAV is kept at ${wav}\n`);
      process.stdout.write(`${wav}\n`);
      kept = true;
      return 0;
    }
    try {
      await playWav(player, wav);
    } catch (e) {
      process.stderr.write(`words: ${player.name} could not play it (${(e as Error).message.split('\n')[0]}); the WAV is kept at ${wav}\n`);
      process.stdout.write(`${wav}\n`);
      kept = true;
      return 1;
    }
    process.stderr.write(`played ${show(entry)} with ${player.name}\n`);
    return 0;
  } finally {
    if (!kept) await rm(dir, { recursive: true, force: true });
  }
}
