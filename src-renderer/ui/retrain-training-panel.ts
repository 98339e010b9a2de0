/**
 * The "Training" card: Start (with "install even if it does not measure better") and the line
 * that says why it cannot start or what it will teach; the running job's progress bar with phase
 * text, ETA and Cancel; then the other jobs.
 */
import type { AppController } from '../app-controller.ts';
import { jobItemsText, progressPercent, progressText, startRequest } from '../view-state/retrain-plan.ts';
import { h, replaceChildren } from './dom.ts';
import { createRetrainJobList } from './retrain-job-list.ts';
import { progressJob, startState, type RetrainPlanStore } from './retrain-plan-store.ts';

/** `useVersion` switches the app to an installed version. */
export function createRetrainTrainingPanel(app: AppController, store: RetrainPlanStore, useVersion: (dir: string) => void): HTMLElement {
  const startButton = h('button', { class: 'button primary', type: 'button', 'data-testid': 'retrain-start' }, 'Start retraining');
  const startHint = h('p', { class: 'field-help', 'data-testid': 'retrain-start-hint' });
  // Hark installs a new version only when it measures better; a user who knows better may insist.
  const installAnyway = h('input', { type: 'checkbox', 'data-testid': 'retrain-install-anyway' }) as HTMLInputElement;
  const installAnywayLabel = h('label', { class: 'field-help' }, installAnyway, ' Install the new version even if it does not measure better');
  const progress = h('div', { class: 'retrain-progress', 'data-testid': 'retrain-progress', hidden: true });

  const renderStart = () => {
    const { enabled, hint } = startState(store.state);
    startButton.disabled = !enabled;
    startHint.textContent = hint;
  };
  startButton.addEventListener('click', async () => {
    startButton.disabled = true;
    try {
      const r = await app.call('retrain:start', startRequest(store.state.plan, installAnyway.checked));
      store.jobStarted(r.job);
    } catch {
      // shown as a toast
    }
    renderStart();
  });

  const renderProgress = () => {
    const s = progressJob(store.state);
    progress.hidden = !s;
    if (!s) return;
    const pct = progressPercent(s);
    const fill = h('span', { class: 'bar-fill' });
    fill.style.width = `${pct}%`;
    const cancel = h('button', { class: 'button small', type: 'button', 'data-testid': 'retrain-cancel', onclick: async () => {
      cancel.disabled = true;
      await app.call('retrain:cancel', { jobId: s.jobId }).catch(() => undefined);
    } }, 'Cancel');
    replaceChildren(progress,
      h('div', { class: 'card-head' }, h('strong', {}, `Teaching ${jobItemsText(s)}`), cancel),
      h('div', { class: 'bar progress-bar', role: 'progressbar', 'aria-label': 'Retraining progress', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct }, fill),
      h('p', { class: 'field-help', 'data-testid': 'retrain-progress-text' }, `${pct}% · ${progressText(s)}`));
  };

  store.watch((s) => [s.plan, s.recordings, s.running, s.recording], renderStart);
  store.watch((s) => [s.jobs, s.running], renderProgress);
  renderStart();
  renderProgress();

  return h('div', { class: 'card' }, h('h3', {}, 'Training'),
    h('div', { class: 'actions' }, startButton), installAnywayLabel, startHint, progress, ...createRetrainJobList(app, store, useVersion));
}
