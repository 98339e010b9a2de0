/**
 * The Words panel: the user's own vocabulary (names, jargon, product names) with pronunciations.
 * Adding a word without a pronunciation takes CMUdict's or the grapheme-to-phoneme guess; Hear
 * speaks the stored phonemes (so a wrong guess is heard, not read); the pronunciation field
 * corrects it ("Z AO R B L AE T", alternatives separated by "|"). Words are usable at once in
 * dictation, commands and keywords; a running stream restarts to take them.
 */
import type { AppController } from '../app-controller.ts';
import type { UserWordWire } from '../../src-shared/ipc/app-contract.ts';
import { h, replaceChildren } from './dom.ts';
import { removeButton } from './list-editor.ts';

const SOURCE_LABELS: Record<UserWordWire['source'], string> = { g2p: 'guessed', cmudict: 'CMUdict', user: 'yours' };

const pronText = (w: UserWordWire) => w.pronunciations.map((p) => p.join(' ')).join(' | ');
const pronList = (text: string) => text.split('|').map((p) => p.trim()).filter(Boolean);

export function createWordsView(app: AppController): HTMLElement {
  const list = h('ul', { class: 'item-list', 'data-testid': 'word-list', 'aria-label': 'Your words' });
  const empty = h('p', { class: 'empty-hint' }, 'No words yet. Add names and terms Hark should know; each is usable at once in dictation, commands and keywords.');
  const message = h('p', { class: 'field-error', role: 'alert' });
  const wordInput = h('input', { class: 'input', type: 'text', maxlength: 64, placeholder: 'e.g. Zorblat', 'data-testid': 'word-input', 'aria-label': 'New word' });
  const pronInput = h('input', { class: 'input', type: 'text', maxlength: 200, placeholder: 'pronunciation (optional), e.g. Z AO R B L AE T', 'data-testid': 'word-pron-input', 'aria-label': 'Pronunciation (ARPAbet, optional)' });
  const addButton = h('button', { class: 'button primary', type: 'button', 'data-testid': 'word-add' }, 'Add');
  const audio = h('audio', { hidden: true, 'data-testid': 'word-audio' });
  let audioUrl: string | null = null;

  const changed = (words: UserWordWire[]) => {
    render(words);
    app.events.emit('words', words);
    // A running stream takes new words when it restarts.
    void app.restartListening();
  };

  const render = (words: UserWordWire[]) => {
    empty.hidden = words.length > 0;
    replaceChildren(list, ...words.map((w) => {
      const pron = h('input', { class: 'input pron', type: 'text', value: pronText(w), 'data-testid': 'word-pron', 'aria-label': `Pronunciation of “${w.word}”`, title: 'ARPAbet phonemes; alternatives separated by |' });
      pron.addEventListener('change', async () => {
        const r = await app.call('words:add', { word: w.word, pronunciations: pronList(pron.value) }).catch(() => null);
        if (r) changed(r.words);
        else pron.value = pronText(w);
      });
      const say = h('button', { class: 'button subtle', type: 'button', 'data-testid': 'word-say', title: 'Hear the pronunciation Hark listens for' }, 'Hear');
      say.addEventListener('click', async () => {
        const r = await app.call('words:say', { word: w.word }).catch(() => null);
        if (!r) return;
        if (audioUrl) URL.revokeObjectURL(audioUrl);
        audioUrl = URL.createObjectURL(new Blob([r.wav], { type: 'audio/wav' }));
        audio.src = audioUrl;
        audio.play().catch((e) => app.toasts.error(e, 'Playback failed'));
      });
      return h('li', { class: 'item word-item', 'data-testid': 'word-item', 'data-word': w.word },
        h('span', { class: 'item-text' }, w.word),
        h('span', { class: `badge badge-${w.source}`, 'data-testid': 'word-source' }, SOURCE_LABELS[w.source]),
        pron, say,
        removeButton(w.word, async () => {
          const r = await app.call('words:remove', { word: w.word }).catch(() => null);
          if (r) changed(r.words);
        }));
    }));
  };

  const add = async () => {
    const word = wordInput.value.trim();
    message.textContent = word ? '' : 'Type a word first.';
    if (!word) return;
    addButton.disabled = true;
    try {
      const prons = pronList(pronInput.value);
      const r = await app.bridge.invoke('words:add', { word, ...(prons.length ? { pronunciations: prons } : {}) });
      wordInput.value = '';
      pronInput.value = '';
      changed(r.words);
      if (r.word.source === 'g2p') app.toasts.show(`“${r.word.word}” is not in the dictionary: its pronunciation is a guess. Press Hear, and correct it if it sounds wrong.`);
    } catch (e) {
      message.textContent = e instanceof Error ? e.message : String(e);
    } finally {
      addButton.disabled = false;
      wordInput.focus();
    }
  };
  addButton.addEventListener('click', () => void add());
  for (const input of [wordInput, pronInput]) {
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        void add();
      }
    });
    input.addEventListener('input', () => (message.textContent = ''));
  }

  app.events.on('info', () => {
    void app.call('words:list', {}).then((r) => render(r.words), () => undefined);
  });

  return h('section', { 'aria-label': 'Words' },
    h('div', { class: 'panel-head' },
      h('div', {}, h('h2', {}, 'Words'), h('p', { class: 'subtitle' }, 'Your own words and how they sound. Hark uses them at once, everywhere.'))),
    h('div', { class: 'card' },
      h('div', { class: 'add-row-wrap' }, h('div', { class: 'add-row' }, wordInput, pronInput, addButton), message),
      list, empty, audio));
}
