import type { AppController } from '../app-controller.ts';
import { EXPORT_FORMATS, MAX_FILE_BYTES, type FileInput, type FileJobState } from '../../src-shared/ipc/app-contract.ts';
import { FileJobList, isFinished, wordIndexAt, type FileJob } from '../view-state/file-job-list.ts';
import { formatEta, formatMinSec } from '../view-state/format-time.ts';
import { keywordSpecsFor } from '../view-state/live-config.ts';
import { h, replaceChildren } from './dom.ts';

const STATE_LABELS: Record<FileJobState, string> = { queued: 'Queued', running: 'Transcribing', done: 'Done', error: 'Failed', canceled: 'Canceled' };
/** Word elements added per animation frame when a transcript is shown. */
const WORDS_PER_FRAME = 400;

interface JobRow {
  li: HTMLElement;
  state: HTMLElement;
  progress: HTMLProgressElement;
  detail: HTMLElement;
  text: HTMLElement;
  actions: HTMLElement;
}

/**
 * The Files panel: a drop zone and "Open files…", the job queue driven by 'files:event', and the
 * selected job's transcript with click-to-play words, keyword hits and exports. Each event
 * updates one queue row in place.
 */
export function createFilesView(app: AppController): HTMLElement {
  const jobs = new FileJobList();
  const rows = new Map<string, JobRow>();
  const audioUrls = new Map<string, Promise<string>>();
  let selected: string | null = null;

  // --- adding files
  const fileInput = h('input', { type: 'file', multiple: true, accept: 'audio/*,.wav,.flac,.mp3,.ogg,.opus,.m4a', 'data-testid': 'file-input', class: 'visually-hidden', tabindex: -1, 'aria-hidden': 'true' });
  const openButton = h('button', { class: 'button primary', type: 'button', 'data-testid': 'open-files' }, 'Open files…');
  const dropZone = h('div', { class: 'drop-zone', 'data-testid': 'drop-zone', role: 'region', 'aria-label': 'Drop audio files here' },
    h('div', { class: 'drop-icon', 'aria-hidden': 'true' }, '⇪'),
    h('p', { class: 'empty-title' }, 'Drop audio files here (WAV, FLAC, MP3, Ogg, Opus)'),
    h('p', { class: 'empty-hint' }, 'or'), openButton, fileInput);

  const addInputs = async (files: FileInput[]) => {
    if (files.length === 0) return;
    const keywords = keywordSpecsFor(app.settings);
    const r = await app.call('files:add', { files, mode: { kind: 'dictation' }, ...(keywords.length > 0 ? { keywords } : {}) }).catch(() => null);
    if (!r) return;
    for (const j of r.jobs) {
      const job = jobs.add(j.jobId, j.name);
      if (job) renderJob(job);
    }
    syncEmpty();
  };
  const addFiles = async (list: FileList | File[]) => {
    const inputs: FileInput[] = [];
    for (const file of Array.from(list)) {
      const path = app.bridge.pathForFile(file);
      if (path) inputs.push({ name: file.name, path });
      else if (file.size > MAX_FILE_BYTES) app.toasts.show(`${file.name} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB.`, 'error');
      else {
        try {
          inputs.push({ name: file.name, data: await file.arrayBuffer() });
        } catch (e) {
          app.toasts.error(e, `Could not read ${file.name}`);
        }
      }
    }
    await addInputs(inputs);
  };

  openButton.addEventListener('click', async () => {
    // The web bridge has no native dialog: the page's own file input is the picker there.
    if (app.bridge.kind === 'web') return fileInput.click();
    const r = await app.call('dialog:open-audio', {}).catch(() => null);
    if (r) await addInputs(r.files);
  });
  fileInput.addEventListener('change', () => {
    const files = Array.from(fileInput.files ?? []);
    fileInput.value = '';
    void addFiles(files);
  });
  let dragDepth = 0;
  dropZone.addEventListener('dragenter', (e) => {
    e.preventDefault();
    dragDepth++;
    dropZone.classList.add('dragover');
  });
  dropZone.addEventListener('dragover', (e) => {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    dropZone.classList.add('dragover');
  });
  dropZone.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) dropZone.classList.remove('dragover');
  });
  dropZone.addEventListener('drop', (e) => {
    e.preventDefault();
    dragDepth = 0;
    dropZone.classList.remove('dragover');
    if (e.dataTransfer?.files.length) void addFiles(e.dataTransfer.files);
  });

  // --- the queue
  const queue = h('ul', { class: 'file-queue', 'data-testid': 'file-queue', 'aria-label': 'Transcription queue', 'aria-live': 'polite' });
  const queueEmpty = h('p', { class: 'empty-hint' }, 'No files yet. Transcripts come with word times and confidences; export them as text, subtitles or JSON.');
  const syncEmpty = () => (queueEmpty.hidden = jobs.jobs.size > 0);

  const renderJob = (job: FileJob) => {
    let row = rows.get(job.jobId);
    if (!row) {
      const progress = h('progress', { class: 'progress', max: 1, value: 0, 'data-testid': 'file-progress', 'aria-label': `Progress of ${job.name}` });
      row = {
        li: h('li', { class: 'file-job', 'data-testid': 'file-job', 'data-name': job.name, tabindex: 0 }),
        state: h('span', { class: 'badge' }),
        progress,
        detail: h('span', { class: 'file-detail' }),
        text: h('p', { class: 'file-partial' }),
        actions: h('span', { class: 'file-actions' }),
      };
      const r = row;
      r.li.append(h('div', { class: 'file-line' }, h('span', { class: 'file-name', title: job.name }, job.name), r.state, r.actions), h('div', { class: 'file-line' }, r.progress, r.detail), r.text);
      r.li.addEventListener('click', (e) => {
        if (!(e.target as Element).closest('button')) select(job.jobId);
      });
      r.li.addEventListener('keydown', (e) => {
        if ((e.key === 'Enter' || e.key === ' ') && e.target === r.li) {
          e.preventDefault();
          select(job.jobId);
        }
      });
      rows.set(job.jobId, r);
      queue.appendChild(r.li);
    }
    // A truncated or damaged file is done, with a warning (the CLI prints it and exits 1).
    const warning = job.state === 'done' ? warningOf(job) : null;
    row.li.dataset.state = job.state;
    if (warning) row.li.dataset.warning = warning;
    else delete row.li.dataset.warning;
    row.state.textContent = warning ? 'Done with a warning' : STATE_LABELS[job.state];
    row.state.className = `badge badge-${job.state}${warning ? ' badge-warning' : ''}`;
    row.progress.value = job.progress;
    row.progress.setAttribute('aria-valuenow', String(Math.round(job.progress * 100)));
    row.progress.hidden = job.state !== 'running' && job.state !== 'queued';
    const pct = `${Math.round(job.progress * 100)}%`;
    row.detail.textContent = job.state === 'running' ? [pct, formatEta(job.etaSec)].filter(Boolean).join(' · ')
      : job.state === 'error' ? (job.error ?? 'Failed')
        : job.state === 'done' && job.result ? [`${formatMinSec(job.result.durationSec)} of audio in ${job.result.processingSec.toFixed(1)} s`, warning].filter(Boolean).join(' · ') : '';
    row.detail.classList.toggle('error-text', job.state === 'error');
    row.detail.classList.toggle('warning-text', warning !== null);
    row.text.textContent = job.state === 'running' ? job.partialText : '';
    row.text.hidden = row.text.textContent === '';
    const finished = isFinished(job.state);
    if (row.actions.dataset.finished !== String(finished)) {
      row.actions.dataset.finished = String(finished);
      replaceChildren(row.actions, finished
        ? h('button', { class: 'button subtle small', type: 'button', onclick: () => void removeJob(job.jobId) }, 'Remove')
        : h('button', { class: 'button subtle small', type: 'button', onclick: () => void app.call('files:cancel', { jobId: job.jobId }).catch(() => undefined) }, 'Cancel'));
    }
    if (selected === job.jobId) renderResult();
  };

  const removeJob = async (jobId: string) => {
    await app.call('files:remove', { jobId }).catch(() => undefined);
    jobs.remove(jobId);
    rows.get(jobId)?.li.remove();
    rows.delete(jobId);
    const url = audioUrls.get(jobId);
    audioUrls.delete(jobId);
    if (url) void url.then((u) => URL.revokeObjectURL(u), () => undefined);
    if (selected === jobId) select(null);
    syncEmpty();
  };

  app.events.on('files', (e) => {
    const job = jobs.apply(e);
    if (!job) return;
    renderJob(job);
    syncEmpty();
    if (e.state === 'done' && selected === null) select(job.jobId);
    if (e.state === 'error') app.toasts.show(`${job.name}: ${job.error ?? 'failed'}`, 'error');
  });

  // --- the selected result
  const resultTitle = h('h3', {}, 'Transcript');
  const resultBody = h('div', { class: 'file-result', 'data-testid': 'file-result', 'aria-live': 'polite' });
  const hits = h('ul', { class: 'hit-list', 'aria-label': 'Keyword hits' });
  const audio = h('audio', { controls: true, preload: 'auto', 'data-testid': 'file-audio', class: 'file-audio' });
  const exportButtons = EXPORT_FORMATS.map((format) => {
    const b = h('button', { class: 'button small', type: 'button', 'data-testid': `export-${format}` }, format.toUpperCase());
    b.addEventListener('click', () => void exportJob(format));
    return b;
  });
  const resultCard = h('div', { class: 'card result-card' },
    h('div', { class: 'card-head' }, resultTitle, h('div', { class: 'toolbar' }, h('span', { class: 'toolbar-label' }, 'Export'), ...exportButtons)),
    audio, resultBody, hits);
  let wordSpans: HTMLElement[] = [];
  let playing = -1;

  const select = (jobId: string | null) => {
    selected = jobId;
    for (const [id, r] of rows) r.li.classList.toggle('selected', id === jobId);
    renderResult();
  };

  const renderResult = () => {
    const job = selected ? jobs.jobs.get(selected) : undefined;
    const result = job?.result;
    for (const b of exportButtons) b.disabled = !result;
    resultTitle.textContent = job ? job.name : 'Transcript';
    wordSpans = [];
    playing = -1;
    if (!job || !result) {
      audio.hidden = true;
      audio.removeAttribute('src');
      replaceChildren(resultBody, h('p', { class: 'empty-hint' }, job ? `${STATE_LABELS[job.state]}${job.state === 'running' ? '…' : ''}` : 'Select a finished file to read its transcript and play it back word by word.'));
      replaceChildren(hits);
      return;
    }
    if (resultBody.dataset.jobId === job.jobId && resultBody.childElementCount > 0 && resultBody.querySelector('[data-testid=file-word]')) return;
    resultBody.dataset.jobId = job.jobId;
    const p = h('p', { class: 'file-words' });
    replaceChildren(resultBody, result.words.length ? p : h('p', { class: 'empty-hint' }, result.text || 'No speech found in this file.'));
    const warning = warningOf(job);
    if (warning) resultBody.prepend(h('p', { class: 'notice', 'data-testid': 'file-warning', role: 'note' }, `Warning: ${warning}. The transcript covers only what could be read.`));
    // Long transcripts are built a slice per frame, so the window never stalls on thousands of
    // word elements (an hour of speech is ~10,000 words).
    const words = result.words;
    const jobId = job.jobId;
    const appendFrom = (from: number) => {
      if (resultBody.dataset.jobId !== jobId || !p.isConnected) return;
      const to = Math.min(words.length, from + WORDS_PER_FRAME);
      const frag = document.createDocumentFragment();
      for (let i = from; i < to; i++) {
        const w = words[i];
        if (i > 0) frag.appendChild(document.createTextNode(' '));
        const span = h('span', {
          class: w.confidence < 0.5 ? 'file-word word low' : 'file-word word', 'data-testid': 'file-word', 'data-start': w.start.toFixed(2), 'data-index': i,
          title: `${formatMinSec(w.start)} · confidence ${Math.round(w.confidence * 100)}%`, role: 'button', tabindex: 0,
        }, w.word);
        wordSpans.push(span);
        frag.appendChild(span);
      }
      p.appendChild(frag);
      if (to < words.length) requestAnimationFrame(() => appendFrom(to));
    };
    appendFrom(0);
    replaceChildren(hits, ...result.keywords.map((k) => h('li', { class: 'hit' }, h('span', { class: 'log-time' }, formatMinSec(k.start)), h('span', { class: 'log-main' }, k.keyword), h('span', { class: 'log-value' }, k.score.toFixed(2)))));
    if (result.keywords.length) hits.prepend(h('li', { class: 'hits-title' }, 'Keyword hits'));
    // The audio (16 kHz WAV from the backend, ~2 MB a minute) is fetched on the first play, not on
    // selection: most transcripts are read, not replayed.
    const cached = audioUrls.get(jobId);
    audio.hidden = !cached;
    if (cached) void loadAudio(jobId);
  };

  const loadAudio = (jobId: string): Promise<string | null> => {
    let url = audioUrls.get(jobId);
    if (!url) {
      url = app.call('files:audio', { jobId }).then((r) => URL.createObjectURL(new Blob([r.wav], { type: 'audio/wav' })));
      audioUrls.set(jobId, url);
      url.catch(() => audioUrls.delete(jobId));
    }
    return url.then((u) => {
      if (selected === jobId && audio.getAttribute('src') !== u) {
        audio.src = u;
        audio.hidden = false;
      }
      return u;
    }, () => null);
  };

  const playFrom = async (index: number) => {
    const job = selected ? jobs.jobs.get(selected) : undefined;
    const word = job?.result?.words[index];
    if (!job || !word) return;
    if (!(await loadAudio(job.jobId))) return;
    audio.currentTime = word.start;
    audio.play().catch((e) => app.toasts.error(e, 'Playback failed'));
  };
  resultBody.addEventListener('click', (e) => {
    const span = (e.target as Element).closest<HTMLElement>('[data-testid=file-word]');
    if (span) void playFrom(Number(span.dataset.index));
  });
  resultBody.addEventListener('keydown', (e) => {
    const span = (e.target as Element).closest<HTMLElement>('[data-testid=file-word]');
    if (span && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      void playFrom(Number(span.dataset.index));
    }
  });
  const highlight = () => {
    const words = selected ? jobs.jobs.get(selected)?.result?.words : undefined;
    const i = words ? wordIndexAt(words, audio.currentTime) : -1;
    if (i === playing) return;
    wordSpans[playing]?.classList.remove('playing');
    wordSpans[i]?.classList.add('playing');
    playing = i;
  };
  audio.addEventListener('timeupdate', highlight);
  audio.addEventListener('seeked', highlight);

  const exportJob = async (format: (typeof EXPORT_FORMATS)[number]) => {
    if (!selected) return;
    try {
      const file = await app.call('files:export', { jobId: selected, format });
      const saved = await app.call('dialog:save-text', { fileName: file.fileName, text: file.text });
      app.toasts.show(saved.saved ? `Saved ${saved.path ?? file.fileName}` : 'Export canceled', saved.saved ? 'success' : 'info');
    } catch {
      // call() has shown the error.
    }
  };

  select(null);
  syncEmpty();
  return h('section', { 'aria-label': 'Files' },
    h('div', { class: 'panel-head' }, h('div', {}, h('h2', {}, 'Files'), h('p', { class: 'subtitle' }, 'Transcribe recordings with the whole-utterance model (more accurate than live).'))),
    dropZone,
    h('div', { class: 'columns files-columns' },
      h('div', { class: 'card' }, h('h3', {}, 'Queue'), queueEmpty, queue),
      resultCard));
}

/** The warnings of a finished job ("truncated WAV: decoded the … frames present"), joined; null when none. */
function warningOf(job: FileJob): string | null {
  const w = job.result?.warnings ?? [];
  return w.length > 0 ? w.join('; ') : null;
}
