/**
 * The list of retraining jobs other than the running one: phase, what each teaches, its
 * before/after figures and decision, and its actions (Resume an unfinished job, "Use this
 * version" of an installed one, Discard or Remove).
 */
import type { AppController } from '../app-controller.ts';
import { isResumable, type RetrainJobStatus } from '../../src-shared/retrain/retrain-types.ts';
import { shortDate } from '../view-state/model-versions.ts';
import { decisionText, figureRows, jobItemsText, phaseLabel } from '../view-state/retrain-plan.ts';
import { h, replaceChildren } from './dom.ts';
import { listedJobs, type RetrainPlanStore } from './retrain-plan-store.ts';

/** `useVersion` switches the app to an installed version. */
export function createRetrainJobList(app: AppController, store: RetrainPlanStore, useVersion: (dir: string) => void): HTMLElement[] {
  const jobList = h('ul', { class: 'item-list retrain-jobs', 'data-testid': 'retrain-jobs', 'aria-label': 'Retraining jobs' });
  const jobsEmpty = h('p', { class: 'empty-hint' }, 'No retraining yet. Training takes a few minutes and runs in the background; the model in use does not change until you choose the new version.');

  const figuresTable = (s: RetrainJobStatus) => {
    const rows = figureRows(s);
    if (!rows.length) return null;
    return h('table', { class: 'figures', 'data-testid': 'retrain-figures' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, 'Before'), h('th', { scope: 'col' }, 'After'))),
      h('tbody', {}, ...rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, r.label), h('td', {}, r.before), h('td', {}, r.after)))));
  };

  const resume = async (s: RetrainJobStatus) => {
    const r = await app.call('retrain:resume', { jobId: s.jobId }).catch(() => null);
    if (r) store.jobStarted(r.job);
  };

  const discard = async (s: RetrainJobStatus) => {
    const what = s.phase === 'done' ? 'Remove this job from the list? An installed version stays installed.' : 'Discard this unfinished job and its progress?';
    if (!window.confirm(what)) return;
    const r = await app.call('retrain:remove', { jobId: s.jobId }).catch(() => null);
    if (r) store.jobsRemoved(r.jobs);
  };

  const renderJob = (s: RetrainJobStatus) => {
    const { running, inUseDir } = store.state;
    const actions: HTMLElement[] = [];
    const isRunning = s.jobId === running;
    if (isResumable(s.phase) && !isRunning) {
      actions.push(h('button', { class: 'button small', type: 'button', 'data-testid': 'retrain-resume', disabled: running !== null, onclick: () => void resume(s) }, 'Resume'));
    }
    const dir = s.decision?.installed ? s.decision.modelDir : undefined;
    if (dir) {
      actions.push(dir === inUseDir
        ? h('span', { class: 'badge badge-done' }, 'In use')
        : h('button', { class: 'button primary small', type: 'button', 'data-testid': 'retrain-use', onclick: () => useVersion(dir) }, 'Use this version'));
    }
    if (!isRunning) {
      actions.push(h('button', { class: 'button subtle small', type: 'button', 'data-testid': 'retrain-discard', onclick: () => void discard(s) }, s.phase === 'done' ? 'Remove' : 'Discard'));
    }
    const badgeClass = s.phase === 'done' ? 'badge-done' : s.phase === 'failed' ? 'badge-error' : isRunning ? 'badge-running' : '';
    return h('li', { class: 'retrain-job', 'data-testid': 'retrain-job', 'data-phase': s.phase, 'data-job': s.jobId },
      h('div', { class: 'card-head' },
        h('span', { class: 'item-text' }, jobItemsText(s)),
        h('span', { class: `badge ${badgeClass}` }, phaseLabel(s.phase))),
      h('p', { class: 'field-help' }, `From ${s.baseModel}, ${shortDate(s.createdAt)}; ${s.recordingsTrain} of your recordings for training, ${s.recordingsHeldOut} kept for measuring.`),
      isRunning ? null : h('p', { class: 'job-message', 'data-testid': 'retrain-decision' }, decisionText(s) || s.message),
      figuresTable(s),
      actions.length ? h('div', { class: 'actions' }, ...actions) : null);
  };

  const render = () => {
    replaceChildren(jobList, ...listedJobs(store.state).map(renderJob));
    jobsEmpty.hidden = store.state.jobs.length > 0;
  };
  store.watch((s) => [s.jobs, s.running, s.inUseDir], render);
  render();
  return [jobList, jobsEmpty];
}
