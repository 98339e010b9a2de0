import { h } from './dom.ts';

export type ToastKind = 'info' | 'success' | 'error' | 'warning';

/**
 * The toast stack: a strip below the screens, right-aligned, that takes room from the screen
 * instead of covering it. Each toast is data-testid="toast" with data-kind; info and
 * success toasts leave after 4 s, errors after 8 s or when clicked; warnings (something the user
 * must know, such as a damaged settings file and where its copy is) stay until dismissed. At most
 * 5 are shown.
 */
export class Toasts {
  readonly element = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });

  show(message: string, kind: ToastKind = 'info'): void {
    const toast = h('div', { class: `toast toast-${kind}`, 'data-testid': 'toast', 'data-kind': kind, role: kind === 'error' || kind === 'warning' ? 'alert' : null }, h('span', { class: 'toast-message' }, message));
    const close = () => toast.remove();
    // The × is drawn by CSS so the toast's textContent is exactly the message.
    const dismiss = h('button', { class: 'toast-close', type: 'button', 'aria-label': 'Dismiss', onclick: close });
    toast.appendChild(dismiss);
    this.element.appendChild(toast);
    while (this.element.childElementCount > 5) this.element.firstElementChild?.remove();
    if (kind !== 'warning') setTimeout(close, kind === 'error' ? 8000 : 4000);
  }

  /** Shows an error's message (what every rejected invoke ends in). */
  error(e: unknown, context?: string): void {
    const message = errorMessage(e);
    this.show(context ? `${context}: ${message}` : message, 'error');
  }
}

/** The message of anything thrown, without the "Error invoking remote method" noise Electron adds. */
export function errorMessage(e: unknown): string {
  const raw = e instanceof Error ? e.message : typeof e === 'object' && e && 'message' in e ? String((e as { message: unknown }).message) : String(e);
  return raw.replace(/^Error invoking remote method '[^']+': (?:\w*Error: )?/, '');
}
