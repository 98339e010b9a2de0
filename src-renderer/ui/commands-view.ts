import type { AppController } from '../app-controller.ts';
import { itemLabel } from '../../src-shared/retrain/retrain-items.ts';
import { rejectionText } from '../view-state/command-rejection.ts';
import { formatClockTenths } from '../view-state/format-time.ts';
import { flash, h, replaceChildren } from './dom.ts';
import { createAddRow, removeButton } from './list-editor.ts';
import { createModeNotice } from './mode-notice.ts';

const MAX_LOG_ROWS = 200;

/**
 * The Commands panel: the phrase list (saved to settings on every change) and a log of
 * phrase-mode finals, newest first: recognized commands with a confidence bar (and a flash of
 * the matching list item), rejections greyed with the closest phrase and what was heard. "Add sound…" offers the sound units of the model
 * in use (`<sound:NAME>` items, shown as "sound: NAME"); the Retrain screen teaches new ones.
 * In Dictation mode a notice says these phrases are not listened for, with a button to switch.
 */
export function createCommandsView(app: AppController): HTMLElement {
  const list = h('ul', { class: 'item-list', 'data-testid': 'command-list', 'aria-label': 'Commands' });
  const items = new Map<string, HTMLElement>();
  const log = h('ol', { class: 'event-log', 'data-testid': 'command-log', 'aria-live': 'polite', 'aria-label': 'Recognized commands' });
  const logEmpty = h('p', { class: 'empty-hint log-empty' }, 'Recognized commands appear here while listening in Commands mode.');
  const hint = h('p', { class: 'notice' });
  const live = h('p', { class: 'command-live', 'aria-hidden': 'true' });

  const save = (commands: string[]) => app.saveSettings({ commands });
  const renderList = () => {
    const commands = app.settings.commands;
    items.clear();
    replaceChildren(list, ...commands.map((phrase) => {
      const li = h('li', { class: 'item', 'data-testid': 'command-item', 'data-phrase': phrase },
        h('span', { class: 'item-text' }, itemLabel(phrase)),
        removeButton(itemLabel(phrase), () => void save(app.settings.commands.filter((c) => c !== phrase))));
      items.set(phrase.toLowerCase(), li);
      return li;
    }));
    if (commands.length === 0) list.appendChild(h('li', { class: 'empty-hint' }, 'No commands yet. Add the phrases you want to say, e.g. “next slide”.'));
    hint.textContent = commands.length === 0 ? 'Commands mode needs at least one command before listening.' : '';
    hint.hidden = hint.textContent === '';
  };
  app.events.on('settings', renderList);
  renderList();

  const soundPick = h('select', { class: 'input', 'data-testid': 'command-add-sound', 'aria-label': 'Add a sound as a command' });
  const renderSounds = () => {
    const sounds = app.modelList?.models.find((m) => m.inUse)?.sounds ?? [];
    replaceChildren(soundPick, h('option', { value: '' }, sounds.length ? 'Add sound…' : 'No sounds in this model (teach one on Retrain)'),
      ...sounds.map((name) => h('option', { value: name }, `sound: ${name}`)));
    soundPick.disabled = sounds.length === 0;
    soundPick.value = '';
  };
  soundPick.addEventListener('change', () => {
    const token = soundPick.value ? `<sound:${soundPick.value}>` : '';
    soundPick.value = '';
    if (!token) return;
    if (app.settings.commands.includes(token)) app.toasts.show(`“${itemLabel(token)}” is already a command.`);
    else void save([...app.settings.commands, token]);
  });
  app.events.on('models', renderSounds);
  renderSounds();

  app.events.on('recognition', (e) => {
    if (e.type === 'partial') {
      live.textContent = app.settings.mode === 'commands' && e.text ? `Hearing: ${e.text}` : '';
      return;
    }
    if (e.type !== 'final' || e.phrase === undefined) return;
    live.textContent = '';
    const time = h('span', { class: 'log-time', title: 'Session time' }, formatClockTenths(e.words[0]?.start ?? e.start));
    let row: HTMLElement;
    if (e.phrase !== null) {
      const pct = Math.round(Math.max(0, Math.min(1, e.confidence)) * 100);
      const fill = h('span', { class: 'bar-fill' });
      fill.style.width = `${pct}%`;
      row = h('li', { class: 'log-row fired', 'data-testid': 'command-event', 'data-phrase': e.phrase, 'data-kind': 'fired' },
        time, h('span', { class: 'log-main' }, itemLabel(e.phrase)),
        h('span', { class: 'bar', role: 'meter', 'aria-label': 'Confidence', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct }, fill),
        h('span', { class: 'log-value' }, `${pct}%`));
      const item = items.get(e.phrase.toLowerCase());
      if (item) flash(item, 'fired');
    } else {
      // What was heard: the closest listed phrase and its confidence, and the phoneme reading.
      row = h('li', { class: 'log-row rejected', 'data-testid': 'command-event', 'data-phrase': '', 'data-kind': 'rejected', 'data-closest': e.rejection?.closest ?? '' },
        time, h('span', { class: 'log-main' }, rejectionText(e.rejection, e.end - e.start)));
    }
    log.prepend(row);
    while (log.childElementCount > MAX_LOG_ROWS) log.lastElementChild?.remove();
    logEmpty.hidden = true;
  });

  const clearLog = h('button', { class: 'button subtle', type: 'button', onclick: () => { replaceChildren(log); logEmpty.hidden = false; } }, 'Clear log');
  return h('section', { 'aria-label': 'Commands' },
    h('div', { class: 'panel-head' }, h('div', {}, h('h2', {}, 'Commands'), h('p', { class: 'subtitle' }, 'Each utterance is matched against these phrases, or rejected.'))),
    createModeNotice(app, 'commands'),
    hint,
    h('div', { class: 'columns' },
      h('div', { class: 'card' }, h('h3', {}, 'Phrases'),
        createAddRow({ what: 'command', placeholder: 'e.g. open the browser', inputTestId: 'command-input', addTestId: 'command-add', existing: () => app.settings.commands, add: (item) => save([...app.settings.commands, item]) }),
        h('div', { class: 'add-row' }, soundPick),
        list),
      h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h3', {}, 'Activity'), clearLog), live, logEmpty, log)));
}
