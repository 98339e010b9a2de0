/**
 * The Retrain panel: the items to teach (typed phrases, words picked from the Words
 * screen, sound names), the user's recordings of each (Record through the app's capture path
 * until Stop or RECORD_MAX_SEC, with a level meter; Play, Re-record, Delete), and the retraining
 * jobs: Start, a progress bar with phase text and ETA, Cancel; Resume / Discard for unfinished
 * jobs; the before/after figures and the decision of a finished one, with "Use this version".
 * The app never switches models by itself. The plan (the items) is kept in localStorage; every
 * item that has recordings is in it anyway, since recordings are the user's data set.
 *
 * The state lives in a RetrainPlanStore; this file loads it from the backend, feeds it the app's
 * events and lays out the panels, each of which re-renders from the store.
 */
import type { AppController } from '../app-controller.ts';
import type { UserWordWire } from '../../src-shared/ipc/app-contract.ts';
import { decisionText, type RetrainPlan } from '../view-state/retrain-plan.ts';
import { h } from './dom.ts';
import { createRetrainItemsPanel } from './retrain-items-panel.ts';
import { RetrainPlanStore } from './retrain-plan-store.ts';
import { createRetrainReadyBanner } from './retrain-ready-banner.ts';
import { RetrainRecorder } from './retrain-recorder.ts';
import { createRetrainTrainingPanel } from './retrain-training-panel.ts';
import { errorMessage } from './toasts.ts';

const PLAN_KEY = 'hark.retrain.plan';

function loadPlan(): RetrainPlan {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(PLAN_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function savePlan(plan: RetrainPlan): void {
  try {
    localStorage.setItem(PLAN_KEY, JSON.stringify(plan));
  } catch {
    // Storage may be unavailable: the plan lasts for this window.
  }
}

export function createRetrainView(app: AppController): HTMLElement {
  const store = new RetrainPlanStore(loadPlan(), app.modelList?.inUse ?? '', savePlan);

  const refreshWords = async () => {
    store.setWords((await app.call('words:list', {}).catch(() => ({ words: [] as UserWordWire[] }))).words);
  };
  const refreshRecordings = async () => {
    try {
      store.setRecordings((await app.bridge.invoke('recordings:list', {})).recordings);
    } catch (e) {
      app.toasts.show(`Your recordings: ${errorMessage(e)}`, 'error');
    }
    await refreshWords();
  };
  const refreshJobs = async () => {
    try {
      const j = await app.bridge.invoke('retrain:list', {});
      store.jobsListed(j.jobs, j.running);
    } catch (e) {
      app.toasts.show(`Retraining jobs: ${errorMessage(e)}`, 'error');
    }
  };
  // Listing jobs starts the retraining worker (and tfjs in it): only once the panel is shown.
  const jobsListing = { shown: false, started: false };
  const maybeListJobs = () => {
    if (!jobsListing.shown || !app.info || jobsListing.started) return;
    jobsListing.started = true;
    void refreshJobs();
  };

  const useVersion = async (dir: string) => {
    const r = await app.call('models:use', { dir }).catch(() => null);
    if (r) {
      const card = r.models.find((m) => m.inUse);
      app.toasts.show(`Hark now uses ${card ? `${card.name} ${card.version}` : 'the new version'}.`, 'success');
      store.setInUseDir(app.modelList?.inUse ?? '');
    }
  };

  app.events.on('info', () => {
    void refreshRecordings();
    maybeListJobs();
  });
  app.events.on('models', () => store.setInUseDir(app.modelList?.inUse ?? ''));
  // The word picker lists words added on the Words screen at once.
  app.events.on('words', (words) => store.setWords(words));
  app.events.on('retrain', (s) => {
    store.jobChanged(s);
    if (s.phase === 'done') app.toasts.show(decisionText(s), s.decision?.installed ? 'success' : 'info');
  });

  const recorder = new RetrainRecorder(app, store);
  const section = h('section', { 'aria-label': 'Retrain' },
    h('div', { class: 'panel-head' },
      h('div', {}, h('h2', {}, 'Retrain'), h('p', { class: 'subtitle' }, 'Teach Hark your words, phrases and sounds, in your voice.'))),
    createRetrainReadyBanner(store, (dir) => void useVersion(dir)),
    h('div', { class: 'columns' },
      createRetrainItemsPanel(store, recorder, () => void refreshWords()),
      createRetrainTrainingPanel(app, store, (dir) => void useVersion(dir))));
  new IntersectionObserver((entries, observer) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    jobsListing.shown = true;
    observer.disconnect();
    maybeListJobs();
  }).observe(section);
  return section;
}
