import type { ModelStatus } from '../../src-shared/ipc/app-contract.ts';

/**
 * What listening does when the model state changes: nothing, stop (the new model failed), restart
 * (so the stream moves to the new model), or resume (listening that a model change interrupted).
 */
export type ModelChangeAction = 'none' | 'stop' | 'restart' | 'resume';

/**
 * The action for a model state event `next` after `prev`. While a model loads a running stream
 * keeps its model (the backend serves it either way), so capture goes on. Once ready, a stream the
 * backend hot-swapped (`swapped`) is already on the new model and goes on without a gap; any other
 * running stream restarts onto it. A model that fails to load stops listening. `resumePending`:
 * listening was interrupted while the model loaded and should start again once it is ready.
 */
export function listeningOnModelChange(prev: ModelStatus | null, next: ModelStatus, listening: boolean, resumePending: boolean): ModelChangeAction {
  if (next.state === 'error') return listening ? 'stop' : 'none';
  if (next.state === 'loading' || prev?.state === 'ready') return 'none';
  if (listening) return next.swapped ? 'none' : 'restart';
  return resumePending ? 'resume' : 'none';
}
