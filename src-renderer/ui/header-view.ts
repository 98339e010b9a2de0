import type { AppController } from '../app-controller.ts';
import { LISTEN_MODES, micLabel, MODE_LABELS, type ListenMode } from '../view-state/listen-mode.ts';
import { MIC_STATE_LABELS } from '../view-state/mic-state.ts';
import { h } from './dom.ts';

/** Floor of the level meter scale, dBFS. */
const METER_FLOOR_DB = -60;
/** Steps the level meter shows (fewer steps, fewer repaints). */
const METER_STEPS = 20;
/** Shortest time between two level meter updates (10 a second). */
const METER_INTERVAL_MS = 100;

/**
 * The header: app name, model pill, microphone pill (data-testid mic-state, data-state =
 * MicState; "Listening — Dictation" names the mode while listening), the listening mode selector
 * (listen-mode: the one place besides Settings where the mode changes, shown on every screen),
 * level meter and the Start / Stop button. The meter is redrawn once per animation
 * frame while listening (from the loudest block since the last frame), never per audio block.
 */
export function createHeader(app: AppController): HTMLElement {
  const modelPill = h('span', { class: 'pill', 'data-testid': 'model-state', title: 'Model' });
  const micPill = h('span', { class: 'pill', 'data-testid': 'mic-state', role: 'status', 'aria-live': 'polite' });
  const meterFill = h('div', { class: 'meter-fill' });
  const meter = h('div', {
    class: 'meter', 'data-testid': 'level-meter', role: 'meter', 'aria-label': 'Input level', 'aria-valuemin': METER_FLOOR_DB, 'aria-valuemax': 0, 'aria-valuenow': METER_FLOOR_DB,
  }, meterFill);
  const button = h('button', { class: 'button primary listen', type: 'button', 'data-testid': 'listen-toggle', 'aria-keyshortcuts': 'Control+Shift+L Meta+Shift+L', title: 'Ctrl/Cmd+Shift+L' });
  const buttonLabel = h('span', {});
  button.append(h('span', { class: 'listen-dot', 'aria-hidden': 'true' }), buttonLabel);
  button.addEventListener('click', () => void app.toggleListening());
  const modeSelect = h('select', { class: 'input mode-select', 'data-testid': 'listen-mode', 'aria-label': 'Listening mode', title: 'Listening mode' },
    ...LISTEN_MODES.map((m) => h('option', { value: m }, MODE_LABELS[m])));
  // A refused choice brings the stored mode back through the 'settings' event.
  modeSelect.addEventListener('change', () => void app.chooseMode(modeSelect.value as ListenMode));

  // The meter moves with the captured blocks, in the task that already handles the block, at
  // most every METER_INTERVAL_MS and only when it visibly moves: each update costs the renderer a
  // style pass, a paint and a composite, and the meter was 2.5 of the renderer's 6.4% of a core
  // while listening (bench/app.bench.ts). Screen readers get the level once a second.
  let shownDb = METER_FLOOR_DB;
  let lastUpdate = 0;
  let lastAria = 0;
  let shownFraction = -1;
  let hot = false;
  const draw = () => {
    if (app.phase !== 'listening') return;
    const now = performance.now();
    if (lastUpdate && now - lastUpdate < METER_INTERVAL_MS) return;
    const elapsedSec = lastUpdate ? (now - lastUpdate) / 1000 : 0;
    lastUpdate = now;
    // readLevelDb returns the peak since the last read, so nothing between updates is missed.
    const db = app.readLevelDb();
    // Fast attack, slow release (30 dB per second), as a VU meter reads.
    shownDb = db > shownDb ? db : Math.max(db, shownDb - 30 * elapsedSec);
    const fraction = Math.round(Math.min(1, Math.max(0, (shownDb - METER_FLOOR_DB) / -METER_FLOOR_DB)) * METER_STEPS) / METER_STEPS;
    if (fraction !== shownFraction) {
      shownFraction = fraction;
      meterFill.style.transform = `scaleX(${fraction.toFixed(3)})`;
    }
    if ((shownDb > -3) !== hot) {
      hot = !hot;
      meterFill.classList.toggle('hot', hot);
    }
    if (now - lastAria >= 1000) {
      lastAria = now;
      meter.setAttribute('aria-valuenow', String(Math.round(shownDb)));
    }
  };
  app.events.on('level', draw);

  const render = () => {
    const state = app.micState;
    micPill.textContent = micLabel(MIC_STATE_LABELS[state], state === 'listening', app.settings.mode);
    modeSelect.value = app.settings.mode;
    micPill.dataset.state = state;
    micPill.className = `pill pill-${state}`;
    const m = app.model;
    modelPill.textContent = !m || m.state === 'loading' ? 'Model loading' : m.state === 'error' ? 'Model error' : `${m.model.name} ${m.model.version}`;
    modelPill.className = `pill pill-model-${m?.state ?? 'loading'}`;
    modelPill.title = m?.state === 'error' ? m.error : m?.state === 'ready' ? m.model.architecture : 'Loading the recognition model…';
    const on = app.listening;
    buttonLabel.textContent = on ? 'Stop listening' : 'Start listening';
    button.classList.toggle('active', on);
    button.setAttribute('aria-pressed', String(on));
    button.disabled = app.phase === 'stopping' || (!on && app.model?.state !== 'ready');
    meter.classList.toggle('idle', app.phase !== 'listening');
    if (app.phase !== 'listening') {
      shownDb = METER_FLOOR_DB;
      shownFraction = -1;
      lastUpdate = 0;
      lastAria = 0;
      hot = false;
      meterFill.style.transform = 'scaleX(0)';
      meterFill.classList.remove('hot');
      meter.setAttribute('aria-valuenow', String(METER_FLOOR_DB));
    }
  };
  app.events.on('status', render);
  app.events.on('model', render);
  app.events.on('settings', render);
  render();

  return h('header', { class: 'app-header' },
    h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), h('h1', {}, 'Hark')),
    h('div', { class: 'header-status' }, modelPill, micPill, modeSelect, meter),
    button);
}
