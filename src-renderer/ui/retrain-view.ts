/**
 * The Retrain panel: the items to teach (typed phrases, words picked from the Words
 * screen, sound names), the user's recordings of each (Record through the app's capture path
 * until Stop or RECORD_MAX_SEC, with a level meter; Play, Re-record, Delete), and the retraining
 * jobs: Start, a progress bar with phase text and ETA, Cancel; Resume / Discard for unfinished
 * jobs; the before/after figures and the decision of a finished one, with "Use this version".
 * The app never switches models by itself. The plan (the items) is kept in localStorage; every
 * item that has recordings is in it anyway, since recordings are the user's data set.
 */
import type { AppController } from '../app-controller.ts';
import type { RecordingWire, UserWordWire } from '../../src-shared/ipc/app-contract.ts';
import { itemLabel } from '../../src-shared/retrain/retrain-items.ts';
import { isResumable, type RetrainJobStatus } from '../../src-shared/retrain/retrain-types.ts';
import { ClipRecorder } from '../audio/clip-recorder.ts';
import { toDbfs } from '../audio/block-batcher.ts';
import {
  addPlanItem, addPlanSound, decisionText, figureRows, jobItemsText, phaseLabel, progressPercent, progressText, recordingCountText,
  recordingsByItem, removePlanItem, RECORD_MAX_SEC, startProblem, startRequest, SUGGESTED_RECORDINGS, withRecordedItems, type RetrainPlan,
} from '../model/retrain-plan.ts';
import { shortDate } from '../model/model-versions.ts';
import { h, replaceChildren } from './dom.ts';
import { errorMessage } from './toasts.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';

const PLAN_KEY = 'hark.retrain.plan';
/** Below this peak a recording is called almost silent. */
const QUIET_PEAK = 0.01;

function loadPlan(): RetrainPlan {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(PLAN_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function savePlan(plan: RetrainPlan): void {
  try {
    localStorage.setItem(PLAN_KEY, JSON.stringify(plan));
  } catch {
    // Storage may be unavailable: the plan lasts for this window.
  }
}

interface Recording {
  item: string;
  replaceId?: string;
  recorder: ClipRecorder | null;
  peak: number;
  finishing: boolean;
}

export function createRetrainView(app: AppController): HTMLElement {
  let plan: RetrainPlan = loadPlan();
  let recordings: RecordingWire[] = [];
  let words: UserWordWire[] = [];
  let jobs: RetrainJobStatus[] = [];
  let running: string | null = null;
  let current: Recording | null = null;
  /** The newest installed version the user has not yet chosen or dismissed. */
  let dismissedReady = new Set<string>();

  const audio = h('audio', { hidden: true, 'data-testid': 'recording-audio' });
  let audioUrl: string | null = null;
  audio.addEventListener('playing', () => (audio.dataset.state = 'playing'));
  audio.addEventListener('ended', () => (audio.dataset.state = 'ended'));

  // --- What to teach ----------------------------------------------------------------------
  const message = h('p', { class: 'field-error', role: 'alert', 'data-testid': 'retrain-item-error' });
  const phraseInput = h('input', { class: 'input', type: 'text', maxlength: 100, placeholder: 'a word or phrase, e.g. open zorblat', 'data-testid': 'retrain-item-input', 'aria-label': 'Word or phrase to teach' });
  const phraseAdd = h('button', { class: 'button primary', type: 'button', 'data-testid': 'retrain-item-add' }, 'Add');
  const wordPick = h('select', { class: 'input', 'data-testid': 'retrain-word-pick', 'aria-label': 'Add one of your words' });
  const soundInput = h('input', { class: 'input', type: 'text', maxlength: 32, placeholder: 'a sound name, e.g. clap', 'data-testid': 'retrain-sound-input', 'aria-label': 'Sound to teach' });
  const soundAdd = h('button', { class: 'button', type: 'button', 'data-testid': 'retrain-sound-add' }, 'Add sound');
  const itemList = h('ul', { class: 'item-list retrain-items', 'data-testid': 'retrain-items', 'aria-label': 'Items to teach' });
  const itemsEmpty = h('p', { class: 'empty-hint' }, 'Nothing to teach yet. Add a word or phrase Hark gets wrong, or a sound such as a clap.');

  const setPlan = (next: RetrainPlan) => {
    plan = next;
    savePlan(plan);
    render();
  };
  const tryAdd = (result: { plan: RetrainPlan } | { error: string }, input?: HTMLInputElement) => {
    if ('error' in result) {
      message.textContent = result.error;
      return;
    }
    message.textContent = '';
    if (input) input.value = '';
    setPlan(result.plan);
  };
  phraseAdd.addEventListener('click', () => tryAdd(addPlanItem(plan, phraseInput.value), phraseInput));
  soundAdd.addEventListener('click', () => tryAdd(addPlanSound(plan, soundInput.value), soundInput));
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
    const options = [h('option', { value: '' }, words.length ? 'Add one of your words…' : 'Your words (none yet: add some on Words)')];
    for (const w of words) options.push(h('option', { value: w.word }, w.word));
    replaceChildren(wordPick, ...options);
    wordPick.disabled = words.length === 0;
    wordPick.value = '';
  };
  wordPick.addEventListener('change', () => {
    if (wordPick.value) tryAdd(addPlanItem(plan, wordPick.value));
    wordPick.value = '';
  });
  wordPick.addEventListener('focus', () => void refreshWords());

  // --- Recording --------------------------------------------------------------------------
  const startRecording = async (item: string, replaceId?: string) => {
    if (current) return;
    const rec: Recording = { item, replaceId, recorder: null, peak: 0, finishing: false };
    current = rec;
    render();
    try {
      rec.recorder = await ClipRecorder.start({
        deviceId: app.settings.microphoneId,
        sampleRate: SAMPLE_RATE,
        maxSec: RECORD_MAX_SEC,
        onLevel: (peak) => {
          if (peak > rec.peak) rec.peak = peak;
          drawLevel(peak);
        },
        onAutoStop: () => void finishRecording(),
      });
      render();
    } catch (e) {
      current = null;
      app.toasts.error(e, 'Recording');
      render();
    }
  };

  const finishRecording = async () => {
    const rec = current;
    if (!rec || !rec.recorder || rec.finishing) return;
    rec.finishing = true;
    render();
    try {
      const pcm = await rec.recorder.stop();
      if (pcm.length < SAMPLE_RATE / 10) {
        app.toasts.show('The recording was too short: press Record, say the item, then Stop.', 'error');
        return;
      }
      const r = await app.call('recordings:add', { item: rec.item, pcm, ...(rec.replaceId ? { replaceId: rec.replaceId } : {}) });
      recordings = [...recordings.filter((x) => x.item !== rec.item), ...r.recordings];
      if (rec.peak < QUIET_PEAK) app.toasts.show(`The recording of “${itemLabel(rec.item)}” is almost silent (peak ${toDbfs(rec.peak).toFixed(0)} dBFS): check the microphone.`, 'error');
    } catch {
      // shown as a toast by app.call
    } finally {
      current = null;
      render();
    }
  };

  let levelFill: HTMLElement | null = null;
  const drawLevel = (peak: number) => {
    if (!levelFill) return;
    const db = toDbfs(peak);
    levelFill.style.transform = `scaleX(${Math.max(0, Math.min(1, (db + 60) / 60)).toFixed(2)})`;
    levelFill.parentElement?.setAttribute('aria-valuenow', String(Math.round(db)));
  };

  const play = async (r: RecordingWire) => {
    const res = await app.call('recordings:audio', { id: r.id }).catch(() => null);
    if (!res) return;
    if (audioUrl) URL.revokeObjectURL(audioUrl);
    audioUrl = URL.createObjectURL(new Blob([res.wav], { type: 'audio/wav' }));
    audio.dataset.state = 'loading';
    audio.dataset.recordingId = r.id;
    audio.src = audioUrl;
    audio.play().catch((e) => app.toasts.error(e, 'Playback failed'));
  };

  const remove = async (r: RecordingWire) => {
    const ok = await app.call('recordings:remove', { id: r.id }).then(() => true, () => false);
    if (ok) {
      recordings = recordings.filter((x) => x.id !== r.id);
      render();
    }
  };

  const renderItem = (item: string, recs: RecordingWire[]) => {
    const busy = current !== null;
    const mine = current?.item === item;
    const recordButton = h('button', {
      class: `button small ${mine && !current?.replaceId ? 'danger' : 'primary'}`, type: 'button', 'data-testid': 'record-button',
      disabled: (busy && !mine) || (mine && (!current?.recorder || current.finishing)),
      'aria-label': mine ? `Stop recording “${itemLabel(item)}”` : `Record “${itemLabel(item)}”`,
    }, mine ? (current?.finishing ? 'Saving…' : current?.recorder ? '■ Stop' : 'Opening…') : '● Record');
    recordButton.addEventListener('click', () => void (mine ? finishRecording() : startRecording(item)));
    const removeItem = h('button', {
      class: 'icon-button', type: 'button', 'aria-label': `Remove “${itemLabel(item)}” from the list`,
      title: recs.length ? 'Delete its recordings first' : 'Remove', disabled: recs.length > 0 || mine,
    }, '×');
    removeItem.addEventListener('click', () => setPlan(removePlanItem(plan, item)));
    let level: HTMLElement | null = null;
    if (mine) {
      levelFill = h('div', { class: 'meter-fill' });
      level = h('div', { class: 'meter recording-meter', role: 'meter', 'data-testid': 'recording-level', 'aria-label': 'Recording level', 'aria-valuemin': -60, 'aria-valuemax': 0, 'aria-valuenow': -60 }, levelFill);
    }
    const recList = h('ol', { class: 'recording-list', 'aria-label': `Recordings of “${itemLabel(item)}”` }, ...recs.map((r, i) => {
      const replacing = current?.replaceId === r.id;
      const rerecord = h('button', { class: 'button subtle small', type: 'button', 'data-testid': 'recording-rerecord', disabled: busy && !replacing }, replacing ? (current?.finishing ? 'Saving…' : '■ Stop') : 'Re-record');
      rerecord.addEventListener('click', () => void (replacing ? finishRecording() : startRecording(item, r.id)));
      return h('li', { class: 'recording', 'data-testid': 'recording', 'data-id': r.id },
        h('span', { class: 'recording-name' }, `Recording ${i + 1}`),
        h('span', { class: 'recording-length' }, `${r.durationSec.toFixed(1)} s`),
        h('button', { class: 'button subtle small', type: 'button', 'data-testid': 'recording-play', onclick: () => void play(r) }, '▶ Play'),
        rerecord,
        h('button', { class: 'button subtle small', type: 'button', 'data-testid': 'recording-delete', disabled: busy, 'aria-label': `Delete recording ${i + 1} of “${itemLabel(item)}”`, onclick: () => void remove(r) }, 'Delete'));
    }));
    return h('li', { class: 'retrain-item', 'data-testid': 'retrain-item', 'data-item': item },
      h('div', { class: 'item' },
        h('span', { class: 'item-text' }, itemLabel(item)),
        h('span', { class: `badge ${recs.length >= SUGGESTED_RECORDINGS ? 'badge-done' : ''}`, 'data-testid': 'recording-count' }, recordingCountText(recs.length)),
        level, recordButton, removeItem),
      recs.length ? recList : null);
  };

  // --- Jobs -------------------------------------------------------------------------------
  const startButton = h('button', { class: 'button primary', type: 'button', 'data-testid': 'retrain-start' }, 'Start retraining');
  const startHint = h('p', { class: 'field-help', 'data-testid': 'retrain-start-hint' });
  // Hark installs a new version only when it measures better; a user who knows better may insist.
  const installAnyway = h('input', { type: 'checkbox', 'data-testid': 'retrain-install-anyway' }) as HTMLInputElement;
  const installAnywayLabel = h('label', { class: 'field-help' }, installAnyway, ' Install the new version even if it does not measure better');
  const progress = h('div', { class: 'retrain-progress', 'data-testid': 'retrain-progress', hidden: true });
  const readyBanner = h('div', { class: 'notice notice-success', 'data-testid': 'retrain-ready', role: 'status', hidden: true });
  const jobList = h('ul', { class: 'item-list retrain-jobs', 'data-testid': 'retrain-jobs', 'aria-label': 'Retraining jobs' });
  const jobsEmpty = h('p', { class: 'empty-hint' }, 'No retraining yet. Training takes a few minutes and runs in the background; the model in use does not change until you choose the new version.');

  startButton.addEventListener('click', async () => {
    startButton.disabled = true;
    try {
      const r = await app.call('retrain:start', startRequest(plan, installAnyway.checked));
      upsertJob(r.job);
      running = r.job.jobId;
    } catch {
      // shown as a toast
    }
    render();
  });

  const useVersion = async (dir: string) => {
    const r = await app.call('models:use', { dir }).catch(() => null);
    if (r) {
      const card = r.models.find((m) => m.inUse);
      app.toasts.show(`Hark now uses ${card ? `${card.name} ${card.version}` : 'the new version'}.`, 'success');
      render();
    }
  };

  const upsertJob = (s: RetrainJobStatus) => {
    const i = jobs.findIndex((j) => j.jobId === s.jobId);
    if (i >= 0) jobs[i] = s;
    else jobs = [s, ...jobs];
  };

  const inUseDir = () => app.modelList?.inUse ?? '';

  const figuresTable = (s: RetrainJobStatus) => {
    const rows = figureRows(s);
    if (!rows.length) return null;
    return h('table', { class: 'figures', 'data-testid': 'retrain-figures' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, 'Before'), h('th', { scope: 'col' }, 'After'))),
      h('tbody', {}, ...rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, r.label), h('td', {}, r.before), h('td', {}, r.after)))));
  };

  const renderJob = (s: RetrainJobStatus) => {
    const actions: HTMLElement[] = [];
    const isRunning = s.jobId === running;
    if (isResumable(s.phase) && !isRunning) {
      actions.push(h('button', { class: 'button small', type: 'button', 'data-testid': 'retrain-resume', disabled: running !== null, onclick: async () => {
        const r = await app.call('retrain:resume', { jobId: s.jobId }).catch(() => null);
        if (r) {
          upsertJob(r.job);
          running = r.job.jobId;
          render();
        }
      } }, 'Resume'));
    }
    const dir = s.decision?.installed ? s.decision.modelDir : undefined;
    if (dir) {
      actions.push(dir === inUseDir()
        ? h('span', { class: 'badge badge-done' }, 'In use')
        : h('button', { class: 'button primary small', type: 'button', 'data-testid': 'retrain-use', onclick: () => void useVersion(dir) }, 'Use this version'));
    }
    if (!isRunning) {
      actions.push(h('button', { class: 'button subtle small', type: 'button', 'data-testid': 'retrain-discard', onclick: async () => {
        const what = s.phase === 'done' ? 'Remove this job from the list? An installed version stays installed.' : 'Discard this unfinished job and its progress?';
        if (!window.confirm(what)) return;
        const r = await app.call('retrain:remove', { jobId: s.jobId }).catch(() => null);
        if (r) {
          jobs = r.jobs;
          render();
        }
      } }, s.phase === 'done' ? 'Remove' : 'Discard'));
    }
    const badgeClass = s.phase === 'done' ? 'badge-done' : s.phase === 'failed' ? 'badge-error' : isRunning ? 'badge-running' : '';
    return h('li', { class: 'retrain-job', 'data-testid': 'retrain-job', 'data-phase': s.phase, 'data-job': s.jobId },
      h('div', { class: 'card-head' },
        h('span', { class: 'item-text' }, jobItemsText(s)),
        h('span', { class: `badge ${badgeClass}` }, phaseLabel(s.phase))),
      h('p', { class: 'field-help' }, `From ${s.baseModel}, ${shortDate(s.createdAt)}; ${s.recordingsTrain} of your recordings for training, ${s.recordingsHeldOut} kept for measuring.`),
      isRunning ? null : h('p', { class: 'job-message', 'data-testid': 'retrain-decision' }, decisionText(s) || s.message),
      figuresTable(s),
      actions.length ? h('div', { class: 'actions' }, ...actions) : null);
  };

  const renderProgress = () => {
    const s = jobs.find((j) => j.jobId === running);
    progress.hidden = !s;
    if (!s) return;
    const pct = progressPercent(s);
    const fill = h('span', { class: 'bar-fill' });
    fill.style.width = `${pct}%`;
    const cancel = h('button', { class: 'button small', type: 'button', 'data-testid': 'retrain-cancel', onclick: async () => {
      cancel.disabled = true;
      await app.call('retrain:cancel', { jobId: s.jobId }).catch(() => undefined);
    } }, 'Cancel');
    replaceChildren(progress,
      h('div', { class: 'card-head' }, h('strong', {}, `Teaching ${jobItemsText(s)}`), cancel),
      h('div', { class: 'bar progress-bar', role: 'progressbar', 'aria-label': 'Retraining progress', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct }, fill),
      h('p', { class: 'field-help', 'data-testid': 'retrain-progress-text' }, `${pct}% · ${progressText(s)}`));
  };

  const renderReady = () => {
    const s = jobs.find((j) => j.phase === 'done' && j.decision?.installed && j.decision.modelDir && j.decision.modelDir !== inUseDir() && !dismissedReady.has(j.jobId));
    readyBanner.hidden = !s;
    if (!s) return;
    const dir = s.decision!.modelDir!;
    replaceChildren(readyBanner,
      h('span', {}, `A new version is ready: ${s.decision!.name} ${s.decision!.version} knows ${jobItemsText(s)}.`),
      h('button', { class: 'button primary', type: 'button', 'data-testid': 'retrain-ready-use', onclick: () => void useVersion(dir) }, 'Use this version'),
      h('button', { class: 'button subtle', type: 'button', onclick: () => { dismissedReady = new Set([...dismissedReady, s.jobId]); renderReady(); } }, 'Not now'));
  };

  const render = () => {
    plan = withRecordedItems(plan, recordings);
    const byItem = recordingsByItem(recordings);
    levelFill = null;
    replaceChildren(itemList, ...plan.map((item) => renderItem(item, byItem.get(item) ?? [])));
    itemsEmpty.hidden = plan.length > 0;
    const problem = startProblem(plan, byItem, running !== null);
    startButton.disabled = problem !== null || current !== null;
    startHint.textContent = problem ?? `Teaches ${plan.map(itemLabel).join(', ')} to the model in use, with your ${recordings.filter((r) => plan.includes(r.item)).length} recordings of them. The current model stays in use until you choose the new version.`;
    renderProgress();
    renderReady();
    replaceChildren(jobList, ...jobs.filter((j) => j.jobId !== running).map(renderJob));
    jobsEmpty.hidden = jobs.length > 0;
  };

  const refreshWords = async () => {
    words = (await app.call('words:list', {}).catch(() => ({ words: [] as UserWordWire[] }))).words;
    renderWordPick();
  };
  const refreshRecordings = async () => {
    try {
      recordings = (await app.bridge.invoke('recordings:list', {})).recordings;
    } catch (e) {
      app.toasts.show(`Your recordings: ${errorMessage(e)}`, 'error');
    }
    render();
    await refreshWords();
  };
  // Listing jobs starts the retraining worker (and tfjs in it): only once the panel is shown.
  let jobsListed = false;
  const refreshJobs = async () => {
    jobsListed = true;
    try {
      const j = await app.bridge.invoke('retrain:list', {});
      for (const s of jobs) if (!j.jobs.some((x) => x.jobId === s.jobId)) j.jobs.unshift(s);
      jobs = j.jobs;
      running = j.running;
    } catch (e) {
      app.toasts.show(`Retraining jobs: ${errorMessage(e)}`, 'error');
    }
    render();
  };

  let shown = false;
  const maybeListJobs = () => {
    if (shown && app.info && !jobsListed) void refreshJobs();
  };
  app.events.on('info', () => {
    void refreshRecordings();
    maybeListJobs();
  });
  app.events.on('models', () => render());
  app.events.on('retrain', (s) => {
    upsertJob(s);
    if (s.phase === 'done' || s.phase === 'failed' || s.phase === 'interrupted') {
      if (running === s.jobId) running = null;
      if (s.phase === 'done') app.toasts.show(decisionText(s), s.decision?.installed ? 'success' : 'info');
    } else {
      running = s.jobId;
    }
    render();
  });
  renderWordPick();
  render();

  const section = h('section', { 'aria-label': 'Retrain' },
    h('div', { class: 'panel-head' },
      h('div', {}, h('h2', {}, 'Retrain'), h('p', { class: 'subtitle' }, 'Teach Hark your words, phrases and sounds, in your voice.'))),
    readyBanner,
    h('div', { class: 'columns' },
      h('div', { class: 'card' }, h('h3', {}, 'What to teach'),
        h('div', { class: 'add-row-wrap' },
          h('div', { class: 'add-row' }, phraseInput, phraseAdd),
          h('div', { class: 'add-row' }, wordPick),
          h('div', { class: 'add-row' }, soundInput, soundAdd),
          message),
        h('p', { class: 'field-help', 'data-testid': 'recording-hint' }, `${SUGGESTED_RECORDINGS} recordings per item help Hark learn your voice. Each recording stops after ${RECORD_MAX_SEC} s.`),
        itemList, itemsEmpty, audio),
      h('div', { class: 'card' }, h('h3', {}, 'Training'),
        h('div', { class: 'actions' }, startButton), installAnywayLabel, startHint, progress, jobList, jobsEmpty)));
  new IntersectionObserver((entries, observer) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    shown = true;
    observer.disconnect();
    maybeListJobs();
  }).observe(section);
  return section;
}
