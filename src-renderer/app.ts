/**
 * Renderer entry (dist-renderer/app.js). Builds the window from the views, then connects to the
 * app through `window.hark` (read here at startup: in a browser the web bridge module script runs
 * before this one). Without the bridge, or when startup fails, a fatal screen explains why.
 */
import { DEFAULT_SETTINGS, type Settings } from '../src-shared/ipc/app-contract.ts';
import { AppController } from './app-controller.ts';
import { getBridge } from './hark-bridge.ts';
import { createCommandsView } from './ui/commands-view.ts';
import { createDictationView } from './ui/dictation-view.ts';
import { h, replaceChildren } from './ui/dom.ts';
import { createFilesView } from './ui/files-view.ts';
import { createHeader } from './ui/header-view.ts';
import { createKeywordsView } from './ui/keywords-view.ts';
import { createModelsView } from './ui/models-view.ts';
import { createRetrainView } from './ui/retrain-view.ts';
import { createSettingsView } from './ui/settings-view.ts';
import { createWordsView } from './ui/words-view.ts';
import { createTabs, TAB_NAMES, type TabName } from './ui/tabs.ts';
import { errorMessage, Toasts } from './ui/toasts.ts';

const TAB_KEY = 'hark.tab';

function showFatal(root: HTMLElement, title: string, detail: string): void {
  replaceChildren(root, h('div', { class: 'fatal', role: 'alert', 'data-testid': 'fatal' },
    h('div', { class: 'fatal-card' }, h('h1', {}, title), h('p', {}, detail),
      h('button', { class: 'button primary', type: 'button', onclick: () => location.reload() }, 'Reload'))));
}

function savedTab(): TabName {
  try {
    const t = localStorage.getItem(TAB_KEY);
    return (TAB_NAMES as readonly string[]).includes(t ?? '') ? (t as TabName) : 'dictation';
  } catch {
    return 'dictation';
  }
}

/** getBridge(), allowing a bridge script that sets window.hark asynchronously up to 3 s. */
async function waitForBridge(): Promise<ReturnType<typeof getBridge>> {
  const deadline = performance.now() + 3000;
  for (;;) {
    try {
      return getBridge();
    } catch (e) {
      if (performance.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function main(): Promise<void> {
  const root = document.getElementById('app') ?? document.body;
  let bridge;
  try {
    bridge = await waitForBridge();
  } catch (e) {
    showFatal(root, 'Hark cannot start', errorMessage(e));
    return;
  }
  const toasts = new Toasts();
  const app = new AppController(bridge, toasts, structuredClone({ ...DEFAULT_SETTINGS }) as Settings);

  const tabs = createTabs([
    { name: 'dictation', label: 'Dictation', icon: '✎', panel: createDictationView(app) },
    { name: 'commands', label: 'Commands', icon: '⌘', panel: createCommandsView(app) },
    { name: 'keywords', label: 'Keywords', icon: '◎', panel: createKeywordsView(app) },
    { name: 'files', label: 'Files', icon: '▤', panel: createFilesView(app) },
    { name: 'words', label: 'Words', icon: 'Aa', panel: createWordsView(app) },
    { name: 'retrain', label: 'Retrain', icon: '↻', panel: createRetrainView(app) },
    { name: 'models', label: 'Models', icon: '◈', panel: createModelsView(app) },
    { name: 'settings', label: 'Settings', icon: '⚙', panel: createSettingsView(app) },
  ], savedTab(), (name) => {
    try {
      localStorage.setItem(TAB_KEY, name);
    } catch {
      // Storage may be unavailable (private mode); the tab just is not remembered.
    }
    // Visiting a screen never changes the listening mode: only the header's or Settings' selector does.
  });

  replaceChildren(root, createHeader(app), h('div', { class: 'body' }, tabs.nav, tabs.panels), toasts.element);
  root.classList.add('ready');

  window.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && e.key.toLowerCase() === 'l') {
      e.preventDefault();
      void app.toggleListening();
    }
  });
  window.addEventListener('unhandledrejection', (e) => toasts.error(e.reason));

  try {
    await app.init();
  } catch (e) {
    showFatal(root, 'Hark could not connect to its engine', errorMessage(e));
  }
}

void main();
