/**
 * The "What to teach" card: the add row, then each item of the plan with its recordings
 * (Record / Stop with a level meter, Play, Re-record, Delete). An item that has recordings
 * cannot be removed until they are deleted: recordings are the user's data set.
 */
import type { RecordingWire } from '../../src-shared/ipc/app-contract.ts';
import { itemLabel } from '../../src-shared/retrain/retrain-items.ts';
import { recordingCountText, recordingsByItem, removePlanItem, RECORD_MAX_SEC, SUGGESTED_RECORDINGS } from '../view-state/retrain-plan.ts';
import { h, replaceChildren } from './dom.ts';
import { createRetrainItemAdder } from './retrain-item-adder.ts';
import type { RetrainPlanStore } from './retrain-plan-store.ts';
import type { RetrainRecorder } from './retrain-recorder.ts';

export function createRetrainItemsPanel(store: RetrainPlanStore, recorder: RetrainRecorder, refreshWords: () => void): HTMLElement {
  const itemList = h('ul', { class: 'item-list retrain-items', 'data-testid': 'retrain-items', 'aria-label': 'Items to teach' });
  const itemsEmpty = h('p', { class: 'empty-hint' }, 'Nothing to teach yet. Add a word or phrase Hark gets wrong, or a sound such as a clap.');

  const renderItem = (item: string, recs: RecordingWire[]) => {
    const current = store.state.recording;
    const busy = current !== null;
    const mine = current?.item === item;
    const recordButton = h('button', {
      class: `button small ${mine && !current?.replaceId ? 'danger' : 'primary'}`, type: 'button', 'data-testid': 'record-button',
      disabled: (busy && !mine) || (mine && current?.stage !== 'recording'),
      'aria-label': mine ? `Stop recording “${itemLabel(item)}”` : `Record “${itemLabel(item)}”`,
    }, mine ? (current?.stage === 'saving' ? 'Saving…' : current?.stage === 'recording' ? '■ Stop' : 'Opening…') : '● Record');
    recordButton.addEventListener('click', () => void (mine ? recorder.finish() : recorder.start(item)));
    const removeItem = h('button', {
      class: 'icon-button', type: 'button', 'aria-label': `Remove “${itemLabel(item)}” from the list`,
      title: recs.length ? 'Delete its recordings first' : 'Remove', disabled: recs.length > 0 || mine,
    }, '×');
    removeItem.addEventListener('click', () => store.editPlan(removePlanItem(store.state.plan, item)));
    const recList = h('ol', { class: 'recording-list', 'aria-label': `Recordings of “${itemLabel(item)}”` }, ...recs.map((r, i) => {
      const replacing = current?.replaceId === r.id;
      const rerecord = h('button', { class: 'button subtle small', type: 'button', 'data-testid': 'recording-rerecord', disabled: busy && !replacing }, replacing ? (current?.stage === 'saving' ? 'Saving…' : '■ Stop') : 'Re-record');
      rerecord.addEventListener('click', () => void (replacing ? recorder.finish() : recorder.start(item, r.id)));
      return h('li', { class: 'recording', 'data-testid': 'recording', 'data-id': r.id },
        h('span', { class: 'recording-name' }, `Recording ${i + 1}`),
        h('span', { class: 'recording-length' }, `${r.durationSec.toFixed(1)} s`),
        h('button', { class: 'button subtle small', type: 'button', 'data-testid': 'recording-play', onclick: () => void recorder.play(r) }, '▶ Play'),
        rerecord,
        h('button', { class: 'button subtle small', type: 'button', 'data-testid': 'recording-delete', disabled: busy, 'aria-label': `Delete recording ${i + 1} of “${itemLabel(item)}”`, onclick: () => void recorder.remove(r) }, 'Delete'));
    }));
    return h('li', { class: 'retrain-item', 'data-testid': 'retrain-item', 'data-item': item },
      h('div', { class: 'item' },
        h('span', { class: 'item-text' }, itemLabel(item)),
        h('span', { class: `badge ${recs.length >= SUGGESTED_RECORDINGS ? 'badge-done' : ''}`, 'data-testid': 'recording-count' }, recordingCountText(recs.length)),
        mine ? recorder.meter() : null, recordButton, removeItem),
      recs.length ? recList : null);
  };

  const render = () => {
    const { plan, recordings } = store.state;
    const byItem = recordingsByItem(recordings);
    replaceChildren(itemList, ...plan.map((item) => renderItem(item, byItem.get(item) ?? [])));
    itemsEmpty.hidden = plan.length > 0;
  };
  store.watch((s) => [s.plan, s.recordings, s.recording], render);
  render();

  return h('div', { class: 'card' }, h('h3', {}, 'What to teach'),
    createRetrainItemAdder(store, refreshWords),
    h('p', { class: 'field-help', 'data-testid': 'recording-hint' }, `${SUGGESTED_RECORDINGS} recordings per item help Hark learn your voice. Each recording stops after ${RECORD_MAX_SEC} s.`),
    itemList, itemsEmpty, recorder.audio);
}
