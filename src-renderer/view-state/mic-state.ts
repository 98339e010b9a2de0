import type { ModelStatus } from '../../src-shared/ipc/app-contract.ts';

/** The header's microphone pill states (data-state values, stable for end-to-end tests). */
export type MicState = 'loading' | 'ready' | 'listening' | 'no-mic' | 'denied' | 'model-error';

export const MIC_STATE_LABELS: Readonly<Record<MicState, string>> = {
  loading: 'Loading model…',
  ready: 'Ready',
  listening: 'Listening',
  'no-mic': 'No microphone',
  denied: 'Microphone permission denied',
  'model-error': 'Model error',
};

/**
 * The pill's state: a model problem wins (nothing can listen), then listening (which goes on
 * while another model loads: a compatible one is hot-swapped in), then loading, then the last
 * microphone problem (cleared by the next successful start or a device change), else ready.
 * `model` null = app:info has not answered yet (loading).
 */
export function micStateOf(model: ModelStatus | null, listening: boolean, micProblem: 'no-mic' | 'denied' | null): MicState {
  if (model?.state === 'loading' && listening) return 'listening';
  if (!model || model.state === 'loading') return 'loading';
  if (model.state === 'error') return 'model-error';
  if (listening) return 'listening';
  return micProblem ?? 'ready';
}
