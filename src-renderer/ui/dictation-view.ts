import type { AppController } from '../app-controller.ts';
import { LOW_CONFIDENCE, type DictationTranscript, type TranscriptFinal } from '../view-state/dictation-transcript.ts';
import { fileStamp, formatClock } from '../view-state/format-time.ts';
import { h, replaceChildren } from './dom.ts';
import { createModeNotice } from './mode-notice.ts';

/**
 * The Dictation panel: the finals written as a document (settings.formatDictation: numbers,
 * spoken editing; each utterance's text a timestamped span of written tokens, line breaks where
 * "new line" was said), or with formatting off as timestamped paragraphs of word spans; then the
 * live partial as heard (settled part plain, changing tail dim italic). A partial touches only the
 * partial's two text nodes; a final appends one paragraph, or re-renders the document (an undo
 * can remove what came before). In Commands mode a notice says that speech goes to the command
 * log, with a button to switch to dictation.
 */
export function createDictationView(app: AppController): HTMLElement {
  const stable = h('span', { class: 'partial-stable', 'data-testid': 'partial-stable' });
  const tail = h('span', { class: 'partial-tail', 'data-testid': 'partial-tail' });
  const partial = h('p', { class: 'partial', 'data-testid': 'partial', 'aria-label': 'Live hypothesis' }, stable, tail);
  const finals = h('div', { class: 'finals', 'data-testid': 'finals' });
  const empty = h('div', { class: 'empty-state' },
    h('p', { class: 'empty-title' }, 'Press Start and speak…'),
    h('p', { class: 'empty-hint' }, 'Your words appear here as you talk. Ctrl/Cmd+Shift+L starts and stops listening.'));
  const transcript = h('div', { class: 'transcript', 'aria-live': 'polite', 'aria-relevant': 'additions text', role: 'log' }, empty, finals, partial);

  let shown = 0;
  let documentOf = -1;
  const render = () => {
    const t = app.transcript;
    finals.classList.toggle('document', t.formatted);
    finals.dataset.formatted = String(t.formatted);
    finals.dataset.count = String(t.finals.length);
    if (t.formatted) {
      // Re-rendered when the finals or the formatting changed (not on partials).
      const key = t.finals.length;
      if (shown !== -1 || documentOf !== key) replaceChildren(finals, ...renderDocument(t));
      shown = -1;
      documentOf = key;
    } else {
      if (shown === -1 || t.finals.length < shown) {
        replaceChildren(finals);
        shown = 0;
      }
      for (; shown < t.finals.length; shown++) finals.appendChild(renderFinal(t.finals[shown]));
      documentOf = -1;
    }
    stable.textContent = t.partial.stable;
    tail.textContent = t.partial.tail;
    const hasPartial = t.partial.stable !== '' || t.partial.tail !== '';
    partial.hidden = !hasPartial;
    empty.hidden = hasPartial || t.finals.length > 0;
    const nearBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 80;
    if (nearBottom) transcript.scrollTop = transcript.scrollHeight;
  };
  app.events.on('transcript', render);
  render();

  const copy = h('button', { class: 'button', type: 'button', 'data-testid': 'copy' }, 'Copy');
  copy.addEventListener('click', async () => {
    const text = app.transcript.finalText();
    if (!text) return app.toasts.show('Nothing to copy yet.');
    try {
      await navigator.clipboard.writeText(text);
      app.toasts.show('Copied the transcript.', 'success');
    } catch (e) {
      app.toasts.error(e, 'Copy failed');
    }
  });
  const clear = h('button', { class: 'button', type: 'button', 'data-testid': 'clear' }, 'Clear');
  clear.addEventListener('click', () => app.clearTranscript());
  const save = h('button', { class: 'button', type: 'button', 'data-testid': 'save-dictation' }, 'Save…');
  save.addEventListener('click', async () => {
    const text = app.transcript.finalText();
    if (!text) return app.toasts.show('Nothing to save yet.');
    const r = await app.call('dialog:save-text', { fileName: `dictation-${fileStamp(new Date())}.txt`, text }).catch(() => null);
    if (r) app.toasts.show(r.saved ? `Saved ${r.path ?? ''}`.trim() : 'Save canceled', r.saved ? 'success' : 'info');
  });

  return h('section', { 'aria-label': 'Dictation' },
    h('div', { class: 'panel-head' },
      h('div', {}, h('h2', {}, 'Dictation'), h('p', { class: 'subtitle' }, 'Open dictation with the built-in lexicon and language model.')),
      h('div', { class: 'toolbar' }, copy, clear, save)),
    createModeNotice(app, 'dictation'),
    transcript);
}

/** A word span: dim when a source word is doubtful, its confidence in the title. */
function wordSpan(text: string, words: readonly { confidence: number }[]): HTMLElement {
  const confidence = words.length ? Math.min(...words.map((w) => w.confidence)) : 1;
  return h('span', { class: confidence < LOW_CONFIDENCE ? 'word low' : 'word', 'data-testid': 'word', title: `confidence ${Math.round(confidence * 100)}%` }, text);
}

/**
 * The written document: per utterance with text a span.final (its start time, then its tokens),
 * punctuation joined to the text before it, a <br> per line break; spaces as joinDictationTokens puts them.
 */
function renderDocument(t: DictationTranscript): Node[] {
  const out: Node[] = [];
  let group: HTMLElement | null = null;
  let groupOf = -1;
  let prev: string | null = null;
  for (const tok of t.document().tokens) {
    if (tok.kind === 'break') {
      for (let i = 0; i < tok.text.length; i++) out.push(h('br', {}));
      group = null;
      prev = tok.kind;
      continue;
    }
    const f = t.finals[tok.utterance];
    const space = tok.kind === 'text' && prev !== null && prev !== 'break' ? document.createTextNode(' ') : null;
    if (!group || groupOf !== tok.utterance) {
      if (space) out.push(space);
      group = h('span', { class: 'final', 'data-testid': 'final' });
      if (tok.kind === 'text') group.appendChild(h('span', { class: 'stamp', 'aria-hidden': 'false' }, formatClock(f.words[tok.start]?.start ?? f.start)));
      groupOf = tok.utterance;
      out.push(group);
    } else if (space) {
      group.appendChild(space);
    }
    group.appendChild(wordSpan(tok.text, f.words.slice(tok.start, tok.end)));
    prev = tok.kind;
  }
  return out;
}

function renderFinal(f: TranscriptFinal): HTMLElement {
  const p = h('p', { class: 'final', 'data-testid': 'final' }, h('span', { class: 'stamp', 'aria-hidden': 'false' }, formatClock(f.words[0]?.start ?? f.start)));
  const text = h('span', { class: 'final-text' });
  if (f.words.length === 0) text.textContent = f.text;
  f.words.forEach((w, i) => {
    if (i > 0) text.appendChild(document.createTextNode(' '));
    text.appendChild(h('span', {
      class: w.confidence < LOW_CONFIDENCE ? 'word low' : 'word', 'data-testid': 'word', title: `confidence ${Math.round(w.confidence * 100)}%`,
    }, w.word));
  });
  p.appendChild(text);
  return p;
}
