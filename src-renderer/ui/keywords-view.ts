import type { AppController } from '../app-controller.ts';
import type { KeywordSetting } from '../../src-shared/ipc/app-contract.ts';
import { formatClockTenths } from '../view-state/format-time.ts';
import { flash, h, replaceChildren } from './dom.ts';
import { createAddRow, removeButton } from './list-editor.ts';

const MAX_LOG_ROWS = 200;
const SAVE_DELAY_MS = 300;

/**
 * The Keywords panel: keywords with a sensitivity slider each (saved 300 ms after the last move;
 * a running stream gets the new list through the settings change), and a log of detections.
 * Rows are rebuilt only when the set of keywords changes, so a slider being dragged is never
 * replaced under the pointer.
 */
export function createKeywordsView(app: AppController): HTMLElement {
  const list = h('ul', { class: 'item-list', 'data-testid': 'keyword-list', 'aria-label': 'Keywords' });
  const rows = new Map<string, { li: HTMLElement; slider: HTMLInputElement; value: HTMLElement }>();
  const log = h('ol', { class: 'event-log', 'data-testid': 'keyword-log', 'aria-live': 'polite', 'aria-label': 'Keyword detections' });
  const logEmpty = h('p', { class: 'empty-hint log-empty' }, 'Detections appear here while listening, in any mode.');
  let pending: KeywordSetting[] | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const current = () => pending ?? app.settings.keywords;
  const save = (keywords: KeywordSetting[]) => app.saveSettings({ keywords });
  const scheduleSave = (keywords: KeywordSetting[]) => {
    pending = keywords;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const k = pending;
      pending = null;
      if (k) void save(k);
    }, SAVE_DELAY_MS);
  };

  let shownKeys = '';
  const render = () => {
    const keywords = current();
    const keys = keywords.map((k) => k.text).join('\u0000');
    if (keys === shownKeys && rows.size === keywords.length) {
      for (const k of keywords) {
        const r = rows.get(k.text);
        if (r && document.activeElement !== r.slider) {
          r.slider.value = String(k.sensitivity);
          r.value.textContent = k.sensitivity.toFixed(2);
        }
      }
      return;
    }
    shownKeys = keys;
    rows.clear();
    replaceChildren(list, ...keywords.map((k) => {
      const value = h('output', { class: 'slider-value' }, k.sensitivity.toFixed(2));
      const slider = h('input', {
        type: 'range', class: 'slider', min: 0.05, max: 1, step: 0.05, value: k.sensitivity, 'data-testid': 'keyword-sensitivity', 'aria-label': `Sensitivity of “${k.text}”`,
      });
      slider.addEventListener('input', () => {
        const s = Number(slider.value);
        value.textContent = s.toFixed(2);
        scheduleSave(current().map((x) => (x.text === k.text ? { ...x, sensitivity: s } : x)));
      });
      const li = h('li', { class: 'item keyword-item', 'data-testid': 'keyword-item', 'data-keyword': k.text },
        h('span', { class: 'item-text' }, k.text),
        h('label', { class: 'slider-wrap', title: 'Higher fires more easily' }, h('span', { class: 'slider-label' }, 'Sensitivity'), slider, value),
        removeButton(k.text, () => {
          clearTimeout(timer);
          pending = null;
          void save(app.settings.keywords.filter((x) => x.text !== k.text));
        }));
      rows.set(k.text, { li, slider, value });
      return li;
    }));
    if (keywords.length === 0) list.appendChild(h('li', { class: 'empty-hint' }, 'No keywords. Add a word or short phrase to spot while listening, e.g. “hey computer”.'));
  };
  app.events.on('settings', render);
  render();

  app.events.on('recognition', (e) => {
    if (e.type !== 'keyword') return;
    const row = [...rows.entries()].find(([text]) => text.toLowerCase() === e.keyword.toLowerCase())?.[1];
    if (row) flash(row.li, 'fired');
    log.prepend(h('li', { class: 'log-row fired', 'data-testid': 'keyword-event', 'data-keyword': e.keyword },
      h('span', { class: 'log-time' }, formatClockTenths(e.start)),
      h('span', { class: 'log-main' }, e.keyword),
      h('span', { class: 'log-value', title: 'Detection score' }, e.score.toFixed(2))));
    while (log.childElementCount > MAX_LOG_ROWS) log.lastElementChild?.remove();
    logEmpty.hidden = true;
  });

  const clearLog = h('button', { class: 'button subtle', type: 'button', onclick: () => { replaceChildren(log); logEmpty.hidden = false; } }, 'Clear log');
  return h('section', { 'aria-label': 'Keywords' },
    h('div', { class: 'panel-head' }, h('div', {}, h('h2', {}, 'Keywords'), h('p', { class: 'subtitle' }, 'Spotted whenever Hark listens, alongside dictation or commands.'))),
    h('div', { class: 'columns' },
      h('div', { class: 'card' }, h('h3', {}, 'Keywords'),
        createAddRow({ what: 'keyword', placeholder: 'e.g. hey computer', inputTestId: 'keyword-input', addTestId: 'keyword-add', existing: () => current().map((k) => k.text), add: (text) => save([...current(), { text, sensitivity: 0.5 }]) }),
        list),
      h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h3', {}, 'Detections'), clearLog), logEmpty, log)));
}
