import type { AppController } from '../app-controller.ts';
import { MODE_LABELS, modeNoticeText, type ListenMode } from '../view-state/listen-mode.ts';
import { h } from './dom.ts';

/**
 * The notice (data-testid mode-notice) on the screen of `screen` mode when another mode is the
 * active one, with a button (mode-notice-switch) that makes `screen` the active mode. Hidden
 * while the modes agree; follows the settings and the listening state.
 */
export function createModeNotice(app: AppController, screen: ListenMode): HTMLElement {
  const text = h('span', { class: 'mode-notice-text' });
  const button = h('button', { class: 'button small', type: 'button', 'data-testid': 'mode-notice-switch' }, `Switch to ${MODE_LABELS[screen].toLowerCase()}`);
  button.addEventListener('click', () => void app.chooseMode(screen));
  const notice = h('div', { class: 'notice mode-notice', 'data-testid': 'mode-notice', 'data-screen': screen, role: 'status' }, text, button);
  const render = () => {
    const t = modeNoticeText(screen, app.settings.mode, app.listening);
    notice.hidden = t === null;
    text.textContent = t ?? '';
  };
  app.events.on('settings', render);
  app.events.on('status', render);
  render();
  return notice;
}
