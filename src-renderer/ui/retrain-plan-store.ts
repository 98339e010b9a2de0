/**
 * The Retrain screen's state in one place, free of the DOM: the plan (the items to teach), the
 * user's recordings and words, the retraining jobs, which job runs, which item is being recorded,
 * the version in use and the ready notices the user dismissed. State is replaced, never mutated,
 * by the named updates below; panels watch the parts they show and re-render when those change.
 */
import type { RecordingWire, UserWordWire } from '../../src-shared/ipc/app-contract.ts';
import { itemLabel } from '../../src-shared/retrain/retrain-items.ts';
import type { RetrainJobStatus } from '../../src-shared/retrain/retrain-types.ts';
import { counted } from '../view-state/counted.ts';
import { recordingsByItem, startProblem, withRecordedItems, type RetrainPlan } from '../view-state/retrain-plan.ts';

/** The recording in progress: `opening` until the microphone is open, `saving` once it is stopped. */
export interface RecordingSlot {
  readonly item: string;
  /** The recording a re-record replaces. */
  readonly replaceId?: string;
  readonly stage: 'opening' | 'recording' | 'saving';
}

export interface RetrainState {
  /** Always holds every item that has recordings (withRecordedItems). */
  readonly plan: RetrainPlan;
  readonly recordings: readonly RecordingWire[];
  readonly words: readonly UserWordWire[];
  /** Newest first. */
  readonly jobs: readonly RetrainJobStatus[];
  /** The job running now, or null. */
  readonly running: string | null;
  readonly recording: RecordingSlot | null;
  /** The model folder in use ('' before the versions are listed). */
  readonly inUseDir: string;
  /** Jobs whose "new version is ready" notice the user dismissed. */
  readonly dismissedReady: ReadonlySet<string>;
}

type Listener = (state: RetrainState, previous: RetrainState) => void;

export class RetrainPlanStore {
  private current: RetrainState;
  private readonly listeners = new Set<Listener>();

  /** `onPlanEdited` is called with each plan the user edits (to persist it). */
  constructor(plan: RetrainPlan, inUseDir: string, private readonly onPlanEdited: (plan: RetrainPlan) => void = () => {}) {
    this.current = { plan, recordings: [], words: [], jobs: [], running: null, recording: null, inUseDir, dismissedReady: new Set() };
  }

  get state(): RetrainState {
    return this.current;
  }

  /** Calls `listener` after every update; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `render` after an update that replaced any of the values `parts` picks (compared by identity). */
  watch(parts: (s: RetrainState) => readonly unknown[], render: () => void): () => void {
    return this.subscribe((s, prev) => {
      const now = parts(s);
      const before = parts(prev);
      if (now.some((v, i) => v !== before[i])) render();
    });
  }

  /** The user added or removed items. */
  editPlan(plan: RetrainPlan): void {
    this.onPlanEdited(plan);
    this.update({ plan });
  }

  setRecordings(recordings: readonly RecordingWire[]): void {
    this.update({ recordings });
  }

  /** A recording of `item` was kept: `recordings` are now all of that item's recordings. */
  recordingsSaved(item: string, recordings: readonly RecordingWire[]): void {
    this.update({ recordings: [...this.current.recordings.filter((x) => x.item !== item), ...recordings] });
  }

  recordingRemoved(id: string): void {
    this.update({ recordings: this.current.recordings.filter((x) => x.id !== id) });
  }

  setRecordingSlot(recording: RecordingSlot | null): void {
    this.update({ recording });
  }

  setWords(words: readonly UserWordWire[]): void {
    this.update({ words });
  }

  setInUseDir(inUseDir: string): void {
    this.update({ inUseDir });
  }

  /** The backend's list of jobs; jobs this window knows of that the list lacks are kept in front. */
  jobsListed(listed: readonly RetrainJobStatus[], running: string | null): void {
    const jobs = [...listed];
    for (const s of this.current.jobs) if (!jobs.some((x) => x.jobId === s.jobId)) jobs.unshift(s);
    this.update({ jobs, running });
  }

  /** The backend's list after a job was removed. */
  jobsRemoved(jobs: readonly RetrainJobStatus[]): void {
    this.update({ jobs });
  }

  /** A job this window started or resumed. */
  jobStarted(s: RetrainJobStatus): void {
    this.update({ jobs: upsertJob(this.current.jobs, s), running: s.jobId });
  }

  /** A job's status changed: a job that ended stops being the running one; any other is running. */
  jobChanged(s: RetrainJobStatus): void {
    const ended = s.phase === 'done' || s.phase === 'failed' || s.phase === 'interrupted';
    const running = !ended ? s.jobId : this.current.running === s.jobId ? null : this.current.running;
    this.update({ jobs: upsertJob(this.current.jobs, s), running });
  }

  dismissReady(jobId: string): void {
    this.update({ dismissedReady: new Set([...this.current.dismissedReady, jobId]) });
  }

  private update(patch: Partial<RetrainState>): void {
    const previous = this.current;
    const next = { ...previous, ...patch };
    this.current = { ...next, plan: withRecordedItems(next.plan, next.recordings) };
    for (const l of [...this.listeners]) l(this.current, previous);
  }
}

/** `jobs` with `s` in place of the job of the same id, or in front when it is new. */
export function upsertJob(jobs: readonly RetrainJobStatus[], s: RetrainJobStatus): RetrainJobStatus[] {
  const i = jobs.findIndex((j) => j.jobId === s.jobId);
  return i >= 0 ? jobs.map((j, k) => (k === i ? s : j)) : [s, ...jobs];
}

/** The job whose progress is shown: the running one. */
export const progressJob = (s: RetrainState): RetrainJobStatus | undefined => s.jobs.find((j) => j.jobId === s.running);

/** The jobs listed below the progress: all but the running one. */
export const listedJobs = (s: RetrainState): RetrainJobStatus[] => s.jobs.filter((j) => j.jobId !== s.running);

/** The newest finished job whose installed version is not in use and whose notice was not dismissed. */
export function readyJob(s: RetrainState): RetrainJobStatus | undefined {
  return s.jobs.find((j) => j.phase === 'done' && j.decision?.installed && j.decision.modelDir && j.decision.modelDir !== s.inUseDir && !s.dismissedReady.has(j.jobId));
}

/** Whether Start can be pressed, and the line under it: why not, or what it will teach. */
export function startState(s: RetrainState): { enabled: boolean; hint: string } {
  const problem = startProblem(s.plan, recordingsByItem(s.recordings), s.running !== null);
  const recorded = s.recordings.filter((r) => s.plan.includes(r.item)).length;
  return {
    enabled: problem === null && s.recording === null,
    hint: problem ?? `Teaches ${s.plan.map(itemLabel).join(', ')} to the model in use, ${recorded === 0 ? 'without recordings of yours' : `with your ${counted(recorded, 'recording')} of ${s.plan.length === 1 ? 'it' : 'them'}`}. The current model stays in use until you choose the new version.`,
  };
}
