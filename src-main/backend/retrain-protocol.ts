/**
 * Messages between RetrainHost (in the backend) and the retraining worker thread
 * (retrain-worker.ts). Calls carry an id answered by one `result`; a `run` is answered when the
 * job ends (its progress arrives as `status` messages before that). `cancel` has no answer: the
 * job's run ends with an AbortError result, or the host terminates the worker after a grace period.
 */
import type { WireError } from '../../src-shared/ipc/app-contract.ts';
import type { RetrainJobStatus } from '../../src-shared/retrain/retrain-types.ts';
import type { RetrainJobRequest } from '../train/retrain-job.ts';

export type HostToRetrainWorker =
  | { kind: 'create'; id: number; jobsDir: string; request: RetrainJobRequest }
  | { kind: 'list'; id: number; jobsDir: string }
  | { kind: 'remove'; id: number; jobsDir: string; jobId: string }
  | { kind: 'run'; id: number; jobsDir: string; jobId: string; modelsDir: string }
  | { kind: 'cancel'; jobId: string }
  /** Idle or shutting down: the thread ends by itself once its event loop is empty. */
  | { kind: 'close' };

export type RetrainWorkerToHost =
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: WireError }
  | { kind: 'status'; status: RetrainJobStatus }
  | { kind: 'log'; line: string };
