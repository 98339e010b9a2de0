/**
 * The Retrain screen's add row: a typed word or phrase, one of the user's words (from the Words
 * screen), or a sound name goes into the plan; a text that cannot be taught shows its reason.
 */
import { addPlanItem, addPlanSound, type RetrainPlan } from '../view-state/retrain-plan.ts';
import { h, replaceChildren } from './dom.ts';
import type { RetrainPlanStore } from './retrain-plan-store.ts';

/** `refreshWords` lists the user's words again (the picker asks when it gets focus). */
export function createRetrainItemAdder(store: RetrainPlanStore, refreshWords: () => void): HTMLElement {
  const message = h('p', { class: 'field-error', role: 'alert', 'data-testid': 'retrain-item-error' });
  const phraseInput = h('input', { class: 'input', type: 'text', maxlength: 100, placeholder: 'a word or phrase, e.g. open zorblat', 'data-testid': 'retrain-item-input', 'aria-label': 'Word or phrase to teach' });
  const phraseAdd = h('button', { class: 'button primary', type: 'button', 'data-testid': 'retrain-item-add' }, 'Add');
  const wordPick = h('select', { class: 'input', 'data-testid': 'retrain-word-pick', 'aria-label': 'Add one of your words' });
  const soundInput = h('input', { class: 'input', type: 'text', maxlength: 32, placeholder: 'a sound name, e.g. clap', 'data-testid': 'retrain-sound-input', 'aria-label': 'Sound to teach' });
  const soundAdd = h('button', { class: 'button', type: 'button', 'data-testid': 'retrain-sound-add' }, 'Add sound');

  const tryAdd = (result: { plan: RetrainPlan } | { error: string }, input?: HTMLInputElement) => {
    if ('error' in result) {
      message.textContent = result.error;
      return;
    }
    message.textContent = '';
    if (input) input.value = '';
    store.editPlan(result.plan);
  };
  phraseAdd.addEventListener('click', () => tryAdd(addPlanItem(store.state.plan, phraseInput.value), phraseInput));
  soundAdd.addEventListener('click', () => tryAdd(addPlanSound(store.state.plan, soundInput.value), soundInput));
  for (const [input, button] of [[phraseInput, phraseAdd], [soundInput, soundAdd]] as const) {
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        button.click();
      }
    });
    input.addEventListener('input', () => (message.textContent = ''));
  }

  const renderWordPick = () => {
    const { words } = store.state;
    const options = [h('option', { value: '' }, words.length ? 'Add one of your words…' : 'Your words (none yet: add some on Words)')];
    for (const w of words) options.push(h('option', { value: w.word }, w.word));
    replaceChildren(wordPick, ...options);
    wordPick.disabled = words.length === 0;
    wordPick.value = '';
  };
  wordPick.addEventListener('change', () => {
    if (wordPick.value) tryAdd(addPlanItem(store.state.plan, wordPick.value));
    wordPick.value = '';
  });
  wordPick.addEventListener('focus', () => refreshWords());
  store.watch((s) => [s.words], renderWordPick);
  renderWordPick();

  return h('div', { class: 'add-row-wrap' },
    h('div', { class: 'add-row' }, phraseInput, phraseAdd),
    h('div', { class: 'add-row' }, wordPick),
    h('div', { class: 'add-row' }, soundInput, soundAdd),
    message);
}
