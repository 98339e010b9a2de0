/**
 * The user's vocabulary in the IPC contract: a word as it crosses the wire and the words:*
 * channels (the backend keeps the words in words.json, shared with `hark words`).
 */
import { emptyRequest, oneField, type ChannelApi, type ChannelTable } from './channel-table.ts';
import { listItem } from './settings-contract.ts';
import { arrayOf, onlyKeys, optional, record, string } from './validate.ts';

/** One word of the user's vocabulary (src-main/lexicon/user-vocabulary.ts). */
export interface UserWordWire {
  word: string;
  /** Alternatives, each a list of stressless ARPAbet phonemes. */
  pronunciations: string[][];
  source: 'g2p' | 'cmudict' | 'user';
  addedAt: string;
}

export const VOCABULARY_CHANNELS = {
  'words:list': { host: 'backend', request: emptyRequest('words:list') },
  /** Adds or replaces a word; without pronunciations CMUdict's or a G2P guess. "K AE T" strings. */
  'words:add': {
    host: 'backend',
    request: (value): { word: string; pronunciations?: string[] } => {
      const c = 'words:add';
      const r = record(value, c, 'request');
      onlyKeys(r, ['word', 'pronunciations'], c, 'request');
      const pronunciations = optional(arrayOf((v, ch, f) => string(v, ch, f, 500), 8))(r.pronunciations, c, 'pronunciations');
      return { word: listItem(r.word, c, 'word'), ...(pronunciations ? { pronunciations } : {}) };
    },
  },
  'words:remove': { host: 'backend', request: oneField('words:remove', 'word', listItem) },
  /** The stored pronunciation spoken (espeak-ng) as a WAV file. */
  'words:say': { host: 'backend', request: oneField('words:say', 'word', listItem) },
} as const satisfies ChannelTable;

export type VocabularyApi = ChannelApi<typeof VOCABULARY_CHANNELS, {
  'words:list': { words: UserWordWire[] };
  'words:add': { word: UserWordWire; words: UserWordWire[] };
  'words:remove': { words: UserWordWire[] };
  'words:say': { wav: ArrayBuffer };
}>;
