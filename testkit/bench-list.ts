/**
 * Which benchmarks `npm run bench` (bench/run-all.ts) runs, in order, and which it leaves to be run
 * on their own, with the reason. Every bench/*.bench.ts is in exactly one of the two lists
 * (tests/unit/bench-list.test.ts).
 */
export interface BenchEntry {
  file: string;
  /** The bench takes --model DIR: run-all passes its own arguments (e.g. --model) on; else none. */
  model: boolean;
  /** Node options the bench needs. */
  node?: string[];
}

export const RUN_ALL: readonly BenchEntry[] = [
  { file: 'features.bench.ts', model: false },
  { file: 'train-throughput.bench.ts', model: false },
  { file: 'startup.bench.ts', model: false },
  { file: 'transcribe-speed.bench.ts', model: true },
  { file: 'batch-throughput.bench.ts', model: true },
  { file: 'long-file-memory.bench.ts', model: true },
  { file: 'accuracy.bench.ts', model: true },
  { file: 'phrase-noise.bench.ts', model: true },
  { file: 'memory-soak.bench.ts', model: true },
  { file: 'streaming.bench.ts', model: true },
  { file: 'chunking.bench.ts', model: true },
  { file: 'keywords.bench.ts', model: true },
  { file: 'keyword-sweep.bench.ts', model: true },
  { file: 'stream-soak.bench.ts', model: true },
  { file: 'app.bench.ts', model: false },
  { file: 'new-words.bench.ts', model: false },
  // Retraining jobs of a few minutes each; personal-recordings compares with retrain's model.
  { file: 'retrain.bench.ts', model: false },
  { file: 'personal-recordings.bench.ts', model: false },
  { file: 'sound-commands.bench.ts', model: false },
  { file: 'real-speech.bench.ts', model: true },
  { file: 'real-keywords.bench.ts', model: true },
  { file: 'word-confidence.bench.ts', model: true },
  { file: 'dictation-lm.bench.ts', model: false },
  { file: 'inference-cost.bench.ts', model: true },
  // The punctuation benchmark measures memory after explicit garbage collections.
  { file: 'punctuation.bench.ts', model: false, node: ['--expose-gc'] },
  // Starts its own Redis server on loopback (redis-server, installed by .ci/run).
  { file: 'queue.bench.ts', model: true },
];

/** Benchmarks that train networks from scratch for hours: run them on their own (their headers say how). */
export const RUN_SEPARATELY: Readonly<Record<string, string>> = {
  'cells.bench.ts': 'trains six networks (LSTM, GRU and simple RNN cells, uni- and bidirectional) from scratch',
  'voice-families.bench.ts': 'compares models an experiment trained (--models DIR=DEV_RESULT,...), not the shipped one alone',
  'dictation-lm-weights.bench.ts': 'chooses a dictation LM\'s search weights on the validation slice when the LM is built (docs/DEVELOPERS.md, "Reproducing the shipped files"): a step of making an LM, not a measure of the shipped product',
};
