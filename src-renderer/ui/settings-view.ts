import type { AppController } from '../app-controller.ts';
import type { ModelCard, ModelSummary, Settings } from '../../src-shared/ipc/app-contract.ts';
import { shortDate } from '../view-state/model-versions.ts';
import { NUMERIC_FIELDS, parseNumericSetting, type NumericField } from '../view-state/settings-form.ts';
import { createDesktopSettings } from './desktop-settings.ts';
import { h, replaceChildren } from './dom.ts';

/**
 * The Settings panel. Every control saves on change through settings:set; a rejection shows the
 * backend's message under the control and the control returns to the saved value. Whether a
 * change applies live or restarts listening is decided by the controller (liveChangeBetween).
 */
export function createSettingsView(app: AppController): HTMLElement {
  const fields: { sync: () => void }[] = [];

  const field = (label: string, control: HTMLElement, help: string, extra?: HTMLElement) => {
    const error = h('p', { class: 'field-error', role: 'alert' });
    const id = `f-${control.dataset.testid}`;
    control.id = id;
    const wrap = h('div', { class: 'field' },
      h('label', { class: 'field-label', for: id }, label),
      h('div', { class: 'field-control' }, control, extra ?? null),
      h('p', { class: 'field-help' }, help), error);
    return { wrap, error };
  };
  // The fields follow app.settings through its 'settings' event, which the last answer of a burst
  // of saves sends (a refused save puts the stored value back the same way).
  const saver = (error: HTMLElement) => async (patch: Partial<Settings>) => {
    error.textContent = '';
    const problem = await app.saveSettings(patch);
    if (problem) error.textContent = problem;
  };

  // Microphone
  const mic = h('select', { class: 'input', 'data-testid': 'setting-microphone' });
  const micField = field('Microphone', mic, 'Changing it restarts listening. Device names appear once microphone access is granted.');
  const saveMic = saver(micField.error);
  mic.addEventListener('change', () => void saveMic({ microphoneId: mic.value }));
  const syncMic = () => {
    const id = app.settings.microphoneId;
    const options = [h('option', { value: '' }, 'System default')];
    app.devices.forEach((d, i) => {
      if (d.deviceId === 'default' || d.deviceId === 'communications' || d.deviceId === '') return;
      options.push(h('option', { value: d.deviceId }, d.label || `Microphone ${i + 1}`));
    });
    if (id && !app.devices.some((d) => d.deviceId === id)) options.push(h('option', { value: id }, 'Saved microphone (not connected)'));
    replaceChildren(mic, ...options);
    mic.value = id;
  };
  fields.push({ sync: syncMic });
  app.events.on('devices', syncMic);

  // Mode
  const mode = h('select', { class: 'input', 'data-testid': 'setting-mode' }, h('option', { value: 'dictation' }, 'Dictation'), h('option', { value: 'commands' }, 'Commands'));
  const modeField = field('Listening mode', mode, 'Dictation writes what you say; Commands matches each utterance against your command list. Applies live.');
  mode.addEventListener('change', async () => {
    modeField.error.textContent = '';
    modeField.error.textContent = (await app.chooseMode(mode.value as Settings['mode'])) ?? '';
  });
  fields.push({ sync: () => (mode.value = app.settings.mode) });

  // Dictation formatting
  const format = h('input', { type: 'checkbox', class: 'checkbox', 'data-testid': 'setting-format-dictation' }) as HTMLInputElement;
  const formatField = field('Write dictation as text', format,
    'Numbers as people write them ("twenty five dollars" → $25) and spoken editing said between pauses: "new line", "new paragraph", "period", "comma", "question mark", "scratch that", "all caps …", "literal …". Applies to the transcript, Copy, Save and file exports. Off: the words as recognized.');
  const saveFormat = saver(formatField.error);
  format.addEventListener('change', () => void saveFormat({ formatDictation: format.checked }));
  fields.push({ sync: () => (format.checked = app.settings.formatDictation) });
  const punctuate = h('input', { type: 'checkbox', class: 'checkbox', 'data-testid': 'setting-punctuate' }) as HTMLInputElement;
  const punctuateField = field('Capitals and punctuation', punctuate,
    'With "Write dictation as text": a small learned model adds capitals and . , ? ! to each dictated utterance: the transcript, Copy, Save and file exports. Spoken "period", "comma" still apply when off.');
  const savePunctuate = saver(punctuateField.error);
  punctuate.addEventListener('change', () => void savePunctuate({ punctuate: punctuate.checked }));
  fields.push({ sync: () => { punctuate.checked = app.settings.punctuate; punctuate.disabled = !app.settings.formatDictation; } });

  // Dictation language model (app:info lists them and says which are installed)
  const lm = h('select', { class: 'input', 'data-testid': 'setting-dictation-lm' });
  const lmField = field('Dictation language model', lm, '');
  const lmHelp = lmField.wrap.querySelector('.field-help') as HTMLElement;
  const saveLm = saver(lmField.error);
  lm.addEventListener('change', () => void saveLm({ dictationLm: lm.value as Settings['dictationLm'] }));
  const syncLm = () => {
    const options = app.info?.dictationLms ?? [];
    const chosen = app.settings.dictationLm;
    replaceChildren(lm, ...options.map((o) => h('option', { value: o.name, disabled: !o.available && o.name !== chosen }, o.available ? o.label : `${o.label} (not installed)`)));
    lm.value = chosen;
    const shown = options.find((o) => o.name === chosen);
    lmHelp.textContent = `${shown ? `${shown.detail} ` : ''}Word lists and commands do not use it. Applies to Files jobs added from now on; live dictation restarts with it.`;
  };
  fields.push({ sync: syncLm });
  app.events.on('info', syncLm);

  // Model
  const model = h('select', { class: 'input', 'data-testid': 'setting-model' });
  const modelField = field('Model', model, 'Switching loads the model in the background; listening resumes when it is ready.');
  const saveModel = saver(modelField.error);
  model.addEventListener('change', () => void saveModel({ modelDir: model.value }));
  const card = h('div', { class: 'model-card' });
  const syncModel = () => {
    // The installed versions by folder (models:list), which the model setting names.
    const models = app.modelList?.models ?? [];
    const options = [h('option', { value: '' }, `Shipped model${describeShipped(models)}`)];
    for (const m of models) if (!m.shipped) options.push(h('option', { value: m.dir }, `${m.name} ${m.version}`));
    const dir = app.settings.modelDir;
    if (dir && !models.some((m) => m.dir === dir)) options.push(h('option', { value: dir }, dir));
    replaceChildren(model, ...options);
    model.value = dir;
    const state = app.model;
    if (!state || state.state === 'loading') replaceChildren(card, h('p', { class: 'empty-hint' }, 'Loading the model…'));
    else if (state.state === 'error') replaceChildren(card, h('p', { class: 'error-text' }, `The model in ${state.folder || 'the app'} failed to load: ${state.error}`));
    else replaceChildren(card, modelCard(state.model));
    chunk.placeholder = state?.state === 'ready' ? `model: ${state.model.chunkFrames}` : '0';
    lookahead.placeholder = state?.state === 'ready' ? `model: ${state.model.lookaheadFrames}` : '0';
    chunkHelp.textContent = state?.state === 'ready' ? `0 = the model's own (${state.model.chunkFrames} chunk, ${state.model.lookaheadFrames} look-ahead frames). Larger chunks: faster, later words.` : "0 = the model's own.";
  };

  // Numeric settings
  const numeric = (key: NumericField, kind: 'range' | 'number', unit: string, help: string, testid: string) => {
    const spec = NUMERIC_FIELDS[key];
    const input = h('input', { class: kind === 'range' ? 'slider' : 'input number', type: kind, min: spec.min, max: spec.max, step: spec.step, 'data-testid': testid });
    const value = h('output', { class: 'slider-value' });
    const f = field(spec.label, input, help, kind === 'range' ? value : h('span', { class: 'unit' }, unit));
    const save = saver(f.error);
    const show = (v: number) => (value.textContent = `${key === 'endpointSilenceSec' ? v.toFixed(2) : v} ${unit}`);
    input.addEventListener('input', () => show(Number(input.value)));
    input.addEventListener('change', () => {
      const parsed = parseNumericSetting(key, input.value);
      if ('error' in parsed) {
        f.error.textContent = parsed.error;
        return;
      }
      void save(parsed.patch);
    });
    fields.push({
      sync: () => {
        if (document.activeElement === input && kind === 'number') return;
        input.value = String(app.settings[key]);
        show(app.settings[key]);
      },
    });
    return { input, wrap: f.wrap };
  };
  const endpoint = numeric('endpointSilenceSec', 'range', 's', 'Silence after speech that ends an utterance. Shorter finalizes sooner but may split sentences.', 'setting-endpoint');
  const pushMs = numeric('pushMs', 'range', 'ms', 'Audio per update sent to the recognizer. Smaller is more responsive, larger uses less CPU.', 'setting-push-ms');
  const chunkField = numeric('chunkFrames', 'number', 'frames', '', 'setting-chunk-frames');
  const lookField = numeric('lookaheadFrames', 'number', 'frames', 'Future context per chunk: more is more accurate and later. 0 = the model’s own.', 'setting-lookahead-frames');
  const chunk = chunkField.input;
  const lookahead = lookField.input;
  const chunkHelp = chunkField.wrap.querySelector('.field-help') as HTMLElement;

  fields.push({ sync: syncModel });
  const desktopCard = createDesktopSettings(app, { field, saver, sync: (sync) => fields.push({ sync }) });
  const syncAll = () => {
    for (const f of fields) f.sync();
  };
  app.events.on('settings', syncAll);
  app.events.on('model', syncModel);
  app.events.on('info', syncModel);
  app.events.on('models', syncModel);
  syncAll();

  return h('section', { 'aria-label': 'Settings' },
    h('div', { class: 'panel-head' }, h('div', {}, h('h2', {}, 'Settings'), h('p', { class: 'subtitle' }, 'Saved as you change them. Changes to a running session apply at once.'))),
    h('div', { class: 'columns' },
      h('div', { class: 'card' }, h('h3', {}, 'Input'), micField.wrap, modeField.wrap, formatField.wrap, punctuateField.wrap, lmField.wrap, endpoint.wrap, pushMs.wrap),
      h('div', { class: 'card' }, h('h3', {}, 'Model'), modelField.wrap, card, chunkField.wrap, lookField.wrap),
      desktopCard));
}

function describeShipped(models: ModelCard[]): string {
  const shipped = models.find((m) => m.shipped);
  return shipped ? ` (${shipped.name} ${shipped.version})` : '';
}

function modelCard(m: ModelSummary): HTMLElement {
  const row = (k: string, v: string) => [h('dt', {}, k), h('dd', {}, v)];
  return h('dl', { class: 'model-facts', 'aria-label': 'Model in use' },
    ...row('Name', `${m.name}${m.shipped ? ' (shipped)' : ''}`),
    ...row('Version', m.version),
    ...row('Architecture', m.architecture),
    ...row('Size', `${m.sizeMB.toFixed(1)} MB`),
    ...row('Streaming', `${m.chunkFrames} chunk + ${m.lookaheadFrames} look-ahead frames`),
    ...row('Training', m.trainingSummary || '—'),
    ...row('Created', shortDate(m.createdAt)));
}
