import { itemProblem, normalizeItem } from '../view-state/list-items.ts';
import { h } from './dom.ts';

/**
 * The "type a phrase + Add" row shared by Commands and Keywords: Enter or the button adds,
 * duplicates and empty input are refused with an inline message. `add` returns an error
 * message (shown inline) or null.
 */
export function createAddRow(opts: {
  what: string; placeholder: string; inputTestId: string; addTestId: string;
  existing: () => string[]; add: (item: string) => Promise<string | null>;
}): HTMLElement {
  const input = h('input', { class: 'input', type: 'text', maxlength: 200, placeholder: opts.placeholder, 'data-testid': opts.inputTestId, 'aria-label': `New ${opts.what}` });
  const message = h('p', { class: 'field-error', role: 'alert' });
  const button = h('button', { class: 'button primary', type: 'button', 'data-testid': opts.addTestId }, 'Add');
  const submit = async () => {
    const problem = itemProblem(input.value, opts.existing(), opts.what);
    message.textContent = problem ?? '';
    if (problem) return;
    button.disabled = true;
    const error = await opts.add(normalizeItem(input.value));
    button.disabled = false;
    message.textContent = error ?? '';
    if (!error) input.value = '';
    input.focus();
  };
  button.addEventListener('click', () => void submit());
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void submit();
    }
  });
  input.addEventListener('input', () => (message.textContent = ''));
  return h('div', { class: 'add-row-wrap' }, h('div', { class: 'add-row' }, input, button), message);
}

/** A small × button that removes `label` from a list. */
export function removeButton(label: string, onRemove: () => void): HTMLButtonElement {
  return h('button', { class: 'icon-button', type: 'button', 'aria-label': `Remove “${label}”`, title: 'Remove', onclick: onRemove }, '×');
}
