/**
 * What a retraining job looks like from outside: the CLI prints it, the app's Retrain
 * screen shows it, and the job folder's job.json stores it. Plain data, no Node.
 */

/** Where a job is. `interrupted`: the process stopped mid-run (crash, quit, cancel); it can be resumed. */
export type RetrainPhase = 'queued' | 'synthesizing' | 'training' | 'exporting' | 'evaluating' | 'installing' | 'done' | 'failed' | 'interrupted';

/** A non-speech sound the user recorded, trained as a unit of its own and usable as a phrase. */
export interface SoundTokenSpec {
  /** Lower-case name, `[a-z0-9-]+` (the phrase that stands for it is `<sound:NAME>`). */
  name: string;
}

/** Accuracy on one evaluation set, with its counts (accuracy = correct / total). */
export interface EvalScore {
  accuracy: number;
  correct: number;
  total: number;
}

/** One model measured by a job's evaluation. */
export interface RetrainFigures {
  /** The job's items as phrase-mode commands, spoken by voices never used in training. */
  newItems: EvalScore;
  /** Ordinary commands of the original held-out set (forgetting shows here). */
  original: EvalScore;
  /** The user's own held-out recordings, when there are any. */
  recordings?: EvalScore;
  /**
   * Digit strings spoken by the same voices, recognized with a digit grammar (forgetting of
   * spoken numbers shows here): word errors over the reference words. Absent in jobs measured
   * before it existed.
   */
  digits?: WordErrors;
}

/** Word errors (substitutions, deletions, insertions) against `words` reference words; wer = errors / words. */
export interface WordErrors {
  wer: number;
  errors: number;
  words: number;
}

/** Why a finished job installed its model or not. */
export interface RetrainDecision {
  installed: boolean;
  reason: string;
  /** The installed package, when installed. */
  modelDir?: string;
  name?: string;
  version?: string;
}

export interface RetrainJobStatus {
  jobId: string;
  createdAt: string;
  updatedAt: string;
  /** Words or phrases taught. */
  items: string[];
  sounds: SoundTokenSpec[];
  /** `name version` of the package the job starts from. */
  baseModel: string;
  baseModelDir: string;
  phase: RetrainPhase;
  /** 0..1 over the whole job. */
  fraction: number;
  /** Seconds left, once it can be estimated. */
  etaSec: number | null;
  message: string;
  /** User recordings used for training and kept out for evaluation. */
  recordingsTrain: number;
  recordingsHeldOut: number;
  before?: RetrainFigures;
  after?: RetrainFigures;
  decision?: RetrainDecision;
  error?: string;
}

/** Whether a job in this phase can be started again from its folder. */
export function isResumable(phase: RetrainPhase): boolean {
  return phase === 'interrupted' || phase === 'failed' || phase === 'queued';
}

/** Whether a job in this phase is running now (in some process). */
export function isRunningPhase(phase: RetrainPhase): boolean {
  return phase === 'synthesizing' || phase === 'training' || phase === 'exporting' || phase === 'evaluating' || phase === 'installing';
}
