/**
 * How listening follows model state events (src-renderer/view-state/model-change.ts): capture goes on
 * while a model loads and after a hot swap; a stream not swapped restarts onto the new model; a
 * failed model stops listening; listening interrupted during a load resumes once it is ready.
 */
import { describe, expect, it } from 'vitest';
import type { ModelStatus, ModelSummary } from '../../src-shared/ipc/app-contract.ts';
import { listeningOnModelChange } from '../../src-renderer/view-state/model-change.ts';

const info: ModelSummary = {
  folder: 'hark-en', name: 'hark-en', version: '2', createdAt: '', architecture: '', sizeMB: 1, chunkFrames: 8, lookaheadFrames: 4, trainingSummary: '', shipped: true,
};
const loading: ModelStatus = { state: 'loading', folder: 'hark-en' };
const ready: ModelStatus = { state: 'ready', model: info };
const swapped: ModelStatus = { state: 'ready', model: info, swapped: true };
const failed: ModelStatus = { state: 'error', folder: 'x', error: 'formatVersion is 99' };

describe('listening on a model change', () => {
  it('keeps capturing while a model loads and after the backend hot-swapped the stream', () => {
    expect(listeningOnModelChange(ready, loading, true, false)).toBe('none');
    expect(listeningOnModelChange(loading, swapped, true, false)).toBe('none');
  });

  it('restarts a stream the backend did not swap, and stops on a model that failed', () => {
    expect(listeningOnModelChange(loading, ready, true, false)).toBe('restart');
    expect(listeningOnModelChange(loading, failed, true, false)).toBe('stop');
    expect(listeningOnModelChange(loading, failed, false, true)).toBe('none');
  });

  it('resumes listening interrupted during a load once the model is ready, and otherwise leaves it alone', () => {
    expect(listeningOnModelChange(loading, ready, false, true)).toBe('resume');
    expect(listeningOnModelChange(loading, swapped, false, true)).toBe('resume');
    expect(listeningOnModelChange(loading, ready, false, false)).toBe('none');
    expect(listeningOnModelChange(null, ready, false, false)).toBe('none');
    // A repeated ready state (app:info after the event) changes nothing.
    expect(listeningOnModelChange(ready, ready, true, false)).toBe('none');
  });
});
