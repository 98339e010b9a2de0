/**
 * The retraining worker thread: the only place in the app that loads the job API
 * (src-main/train/retrain-job.ts, and with it tfjs), so CPU-heavy training never stalls the
 * backend's live recognition. Started by RetrainHost; speaks retrain-protocol.ts. One job runs
 * at a time here (the host enforces it); a `cancel` aborts the job's AbortSignal, which stops it
 * at its next step with its checkpoint kept (phase 'interrupted').
 */
import { parentPort } from 'node:worker_threads';
import { createRetrainJob, listRetrainJobs, removeRetrainJob, runRetrainJob } from '../train/retrain-job.ts';
import { PACKAGE_ROOT } from '../model/package-paths.ts';
import type { HostToRetrainWorker, RetrainWorkerToHost } from './retrain-protocol.ts';
import { toWireError } from './window-error.ts';

const port = parentPort;
if (!port) throw new Error('retrain-worker.ts must run in a worker thread (RetrainHost starts it)');
const post = (m: RetrainWorkerToHost) => port.postMessage(m);
const controllers = new Map<string, AbortController>();

async function answer(m: Exclude<HostToRetrainWorker, { kind: 'cancel' } | { kind: 'close' }>): Promise<unknown> {
  switch (m.kind) {
    case 'create':
      return createRetrainJob(m.jobsDir, m.request);
    case 'list':
      return listRetrainJobs(m.jobsDir);
    case 'remove':
      await removeRetrainJob(m.jobsDir, m.jobId);
      return null;
    case 'run': {
      const controller = new AbortController();
      controllers.set(m.jobId, controller);
      try {
        return await runRetrainJob(m.jobsDir, m.jobId, {
          modelsDir: m.modelsDir,
          signal: controller.signal,
          onStatus: (status) => post({ kind: 'status', status }),
          log: (line) => post({ kind: 'log', line }),
        });
      } finally {
        controllers.delete(m.jobId);
      }
    }
  }
}

port.on('message', (m: HostToRetrainWorker) => {
  if (m.kind === 'cancel') {
    controllers.get(m.jobId)?.abort(new Error('retraining was cancelled'));
    return;
  }
  if (m.kind === 'close') {
    // Never terminated while onnxruntime runs here (an evaluation, a trial run): that aborts the
    // whole process. The host waits for this exit and terminates only a thread that hangs.
    port.close();
    return;
  }
  answer(m).then(
    (value) => post({ kind: 'result', id: m.id, ok: true, value }),
    (e: unknown) => post({ kind: 'result', id: m.id, ok: false, error: toWireError(e, PACKAGE_ROOT) }),
  );
});
