/**
 * The Models panel: every installed version with its card (what retraining added, when, how it
 * measured), the one in use marked; Use (or Roll back, for an older version of the model in
 * use), Export folder… (the card then says where the copy went, and stays saying it: the toast
 * leaves after a few seconds), Remove (the user's versions, never the one in use), and Import folder….
 * Folders come from dialog:choose-folder (a native dialog in Electron, a typed path in a browser).
 * A folder whose model.json cannot be used is listed after the versions, with the reason.
 */
import type { AppController } from '../app-controller.ts';
import type { BrokenModel, ModelCard, ModelList } from '../../src-shared/ipc/app-contract.ts';
import { cardLines, shortDate, useActionOf } from '../view-state/model-versions.ts';
import { h, replaceChildren } from './dom.ts';

export function createModelsView(app: AppController): HTMLElement {
  const list = h('ul', { class: 'model-versions', 'data-testid': 'model-list', 'aria-label': 'Installed model versions' });
  const empty = h('p', { class: 'empty-hint' }, 'Listing the installed models…');
  const importButton = h('button', { class: 'button', type: 'button', 'data-testid': 'models-import' }, 'Import folder…');
  /** Where each version (by folder) was last exported in this window, shown on its card. */
  const exportedTo = new Map<string, string>();

  const chooseFolder = async (purpose: 'import-model' | 'export-model') => (await app.call('dialog:choose-folder', { purpose }).catch(() => ({ path: null }))).path;

  importButton.addEventListener('click', async () => {
    const path = await chooseFolder('import-model');
    if (!path) return;
    importButton.disabled = true;
    const r = await app.call('models:import', { path }).catch(() => null);
    importButton.disabled = false;
    if (r) app.toasts.show(`Installed ${r.imported.name} ${r.imported.version}. Choose Use to switch to it.`, 'success');
  });

  const act = async (button: HTMLButtonElement, step: () => Promise<unknown>) => {
    button.disabled = true;
    try {
      await step();
    } catch {
      // shown as a toast by app.call
    } finally {
      button.disabled = false;
    }
  };

  const renderCard = (m: ModelCard, all: ModelList) => {
    const action = useActionOf(m, all);
    const buttons: HTMLElement[] = [];
    if (action !== 'in use') {
      const use = h('button', { class: `button small ${action === 'use' ? 'primary' : ''}`, type: 'button', 'data-testid': 'model-use' }, action === 'roll back' ? 'Roll back to this version' : 'Use');
      use.addEventListener('click', () => void act(use, async () => {
        await app.call('models:use', { dir: m.dir });
        app.toasts.show(`Hark now uses ${m.name} ${m.version}.`, 'success');
      }));
      buttons.push(use);
    }
    const exp = h('button', { class: 'button small', type: 'button', 'data-testid': 'model-export' }, 'Export folder…');
    const exportStatus = h('p', { class: 'field-help model-line', 'data-testid': 'model-export-status', role: 'status' }, exportedTo.has(m.dir) ? `Exported to ${exportedTo.get(m.dir)}.` : '');
    exportStatus.hidden = !exportedTo.has(m.dir);
    exp.addEventListener('click', () => void act(exp, async () => {
      const path = await chooseFolder('export-model');
      if (!path) return;
      exp.textContent = 'Exporting…';
      try {
        const r = await app.call('models:export', { dir: m.dir, path });
        exportedTo.set(m.dir, r.path);
        exportStatus.textContent = `Exported to ${r.path}.`;
        exportStatus.hidden = false;
        app.toasts.show(`Exported ${m.name} ${m.version} to ${r.path}.`, 'success');
      } finally {
        exp.textContent = 'Export folder…';
      }
    }));
    buttons.push(exp);
    if (!m.shipped && !m.inUse) {
      const rm = h('button', { class: 'button subtle small danger-text', type: 'button', 'data-testid': 'model-remove' }, 'Remove');
      rm.addEventListener('click', () => void act(rm, async () => {
        if (!window.confirm(`Remove ${m.name} ${m.version}? Its folder is deleted.`)) return;
        await app.call('models:remove', { dir: m.dir });
      }));
      buttons.push(rm);
    }
    const row = (k: string, v: string) => [h('dt', {}, k), h('dd', {}, v)];
    return h('li', { class: `card model-version${m.inUse ? ' in-use' : ''}`, 'data-testid': 'model-version', 'data-dir': m.dir, 'data-in-use': String(m.inUse), 'aria-current': m.inUse ? 'true' : null },
      h('div', { class: 'card-head' },
        h('h3', {}, `${m.name} ${m.version}`),
        h('span', { class: 'badges' },
          m.inUse ? h('span', { class: 'badge badge-done', 'data-testid': 'model-in-use' }, 'In use') : null,
          m.shipped ? h('span', { class: 'badge' }, 'Shipped') : null,
          m.retrain ? h('span', { class: 'badge badge-running' }, 'Retrained') : null)),
      h('dl', { class: 'model-facts' },
        ...row('Created', shortDate(m.createdAt)),
        ...row('Architecture', m.architecture),
        ...row('Size', `${m.sizeMB.toFixed(1)} MB`)),
      ...cardLines(m).map((line) => h('p', { class: 'field-help model-line' }, line)),
      h('div', { class: 'actions' }, ...buttons),
      exportStatus);
  };

  /** A folder whose model.json cannot be used: its name and why, and no actions. */
  const renderBroken = (b: BrokenModel) =>
    h('li', { class: 'card model-version broken', 'data-testid': 'model-broken', 'data-dir': b.dir },
      h('div', { class: 'card-head' },
        h('h3', {}, b.dir.split(/[\\/]/).pop() ?? b.dir),
        h('span', { class: 'badges' }, h('span', { class: 'badge badge-error' }, 'Cannot be used'))),
      h('p', { class: 'field-help model-line' }, b.reason));

  const render = (all: ModelList | null) => {
    if (!all) return;
    replaceChildren(list, ...all.models.map((m) => renderCard(m, all)), ...all.broken.map(renderBroken));
    empty.textContent = 'No model is installed.';
    empty.hidden = all.models.length > 0;
  };
  app.events.on('models', render);
  render(app.modelList);

  return h('section', { 'aria-label': 'Models' },
    h('div', { class: 'panel-head' },
      h('div', {}, h('h2', {}, 'Models'), h('p', { class: 'subtitle' }, 'The installed versions. Retraining adds one; switching back is one click.')),
      importButton),
    list, empty);
}
