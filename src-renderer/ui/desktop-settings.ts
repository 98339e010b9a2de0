import type { AppController } from '../app-controller.ts';
import { parseAccelerator } from '../../src-shared/ipc/accelerator.ts';
import type { Settings, ShortcutAction, ShortcutState } from '../../src-shared/ipc/app-contract.ts';
import { h } from './dom.ts';

/** The Settings screen's field builder and saver (settings-view.ts), shared so the card looks and saves the same way. */
export interface SettingsFieldKit {
  field: (label: string, control: HTMLElement, help: string, extra?: HTMLElement) => { wrap: HTMLElement; error: HTMLElement };
  saver: (error: HTMLElement) => (patch: Partial<Settings>) => Promise<void>;
  /** Registers a control's sync with the saved settings. */
  sync: (fn: () => void) => void;
}

const SHORTCUT_FIELDS: { action: ShortcutAction; key: 'toggleShortcut' | 'pushToTalkShortcut'; label: string; help: string; testid: string }[] = [
  {
    action: 'toggle', key: 'toggleShortcut', label: 'Toggle shortcut', testid: 'setting-toggle-shortcut',
    help: 'Starts and stops listening from any application, e.g. CommandOrControl+Alt+H. Empty: none.',
  },
  {
    action: 'push-to-talk', key: 'pushToTalkShortcut', label: 'Push-to-talk shortcut', testid: 'setting-push-to-talk-shortcut',
    help: 'Press once and speak one utterance: listening stops when it ends, or at the next press. (The system tells Hark when a key is pressed, not when it is released, so there is no need to hold it.) Empty: none.',
  },
];

/**
 * The Desktop card of the Settings screen: the two global shortcuts (checked as typed with the
 * validator the backend uses, saved in canonical spelling, with main's registration state under
 * each), typing dictation into the focused application, and which way of typing was found.
 */
export function createDesktopSettings(app: AppController, kit: SettingsFieldKit): HTMLElement {
  const wraps: HTMLElement[] = [];
  for (const spec of SHORTCUT_FIELDS) {
    const input = h('input', { class: 'input', type: 'text', spellcheck: 'false', autocomplete: 'off', placeholder: 'none', 'data-testid': spec.testid }) as HTMLInputElement;
    const state = h('p', { class: 'field-help', 'data-testid': `${spec.testid}-state`, role: 'status' });
    const f = kit.field(spec.label, input, spec.help, undefined);
    f.wrap.insertBefore(state, f.error);
    const save = kit.saver(f.error);
    input.addEventListener('change', () => {
      const parsed = parseAccelerator(input.value);
      if ('problem' in parsed) {
        f.error.textContent = `${spec.label}: ${parsed.problem}.`;
        return;
      }
      void save({ [spec.key]: parsed.accelerator });
    });
    const render = () => (state.textContent = shortcutText(app, app.desktop?.shortcuts[spec.action]));
    kit.sync(() => {
      if (document.activeElement !== input) input.value = app.settings[spec.key];
      render();
    });
    app.events.on('desktop', render);
    wraps.push(f.wrap);
  }

  const typeInto = h('input', { type: 'checkbox', class: 'checkbox', 'data-testid': 'setting-type-into-app' }) as HTMLInputElement;
  const backend = h('p', { class: 'field-help', 'data-testid': 'insertion-backend', role: 'status' });
  const typeField = kit.field('Type into the focused application', typeInto,
    'Each dictation final is typed where the cursor is in the application you are working in ("scratch that" erases it again). Not while Hark’s own window has the focus.');
  typeField.wrap.insertBefore(backend, typeField.error);
  const saveTypeInto = kit.saver(typeField.error);
  typeInto.addEventListener('change', () => void saveTypeInto({ typeIntoFocusedApp: typeInto.checked }));
  const renderBackend = () => {
    const d = app.desktop;
    backend.textContent = d ? d.insertion.detail : 'Looking for a way to type…';
    backend.dataset.backend = d?.insertion.backend ?? '';
  };
  kit.sync(() => {
    typeInto.checked = app.settings.typeIntoFocusedApp;
    renderBackend();
  });
  app.events.on('desktop', renderBackend);

  return h('div', { class: 'card', 'data-testid': 'desktop-settings' }, h('h3', {}, 'Desktop'), ...wraps, typeField.wrap);
}

function shortcutText(app: AppController, state: ShortcutState | undefined): string {
  if (!app.desktop) return '';
  if (!app.desktop.available) return app.desktop.shortcuts.toggle.problem ?? '';
  if (!state) return '';
  if (state.registered) return `Active: ${state.accelerator}`;
  if (state.problem) return `Not active: ${state.problem}.`;
  return 'No shortcut set.';
}
