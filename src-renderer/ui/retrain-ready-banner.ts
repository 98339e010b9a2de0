/**
 * "A new version is ready": shown for the newest installed version that is not in use until the
 * user uses it or says "Not now". The app never switches models by itself.
 */
import { jobItemsText } from '../view-state/retrain-plan.ts';
import { h, replaceChildren } from './dom.ts';
import { readyJob, type RetrainPlanStore } from './retrain-plan-store.ts';

/** `useVersion` switches the app to an installed version. */
export function createRetrainReadyBanner(store: RetrainPlanStore, useVersion: (dir: string) => void): HTMLElement {
  const banner = h('div', { class: 'notice notice-success', 'data-testid': 'retrain-ready', role: 'status', hidden: true });
  const render = () => {
    const s = readyJob(store.state);
    banner.hidden = !s;
    if (!s?.decision?.modelDir) return;
    const { modelDir, name, version } = s.decision;
    replaceChildren(banner,
      h('span', {}, `A new version is ready: ${name} ${version} knows ${jobItemsText(s)}.`),
      h('button', { class: 'button primary', type: 'button', 'data-testid': 'retrain-ready-use', onclick: () => useVersion(modelDir) }, 'Use this version'),
      h('button', { class: 'button subtle', type: 'button', onclick: () => store.dismissReady(s.jobId) }, 'Not now'));
  };
  store.watch((s) => [s.jobs, s.inUseDir, s.dismissedReady], render);
  render();
  return banner;
}
