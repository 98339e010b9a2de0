/**
 * What the window does about a global shortcut or the tray menu (desktop-listen-action.ts):
 * toggle starts and stops; push-to-talk starts one utterance and stops when pressed again; the
 * tray's Start / Stop act only when they change something; a status changes nothing.
 */
import { describe, expect, it } from 'vitest';
import type { DesktopStatus } from '../../src-shared/ipc/app-contract.ts';
import { listenActionFor } from '../../src-renderer/view-state/desktop-listen-action.ts';

describe('listenActionFor', () => {
  it('maps each event and listening state to one action', () => {
    const status = { type: 'status', status: {} as DesktopStatus } as const;
    const table: [Parameters<typeof listenActionFor>[0], boolean, string][] = [
      [{ type: 'shortcut', action: 'toggle' }, false, 'start'],
      [{ type: 'shortcut', action: 'toggle' }, true, 'stop'],
      [{ type: 'shortcut', action: 'push-to-talk' }, false, 'start-one-utterance'],
      [{ type: 'shortcut', action: 'push-to-talk' }, true, 'stop'],
      [{ type: 'listen', listen: true }, false, 'start'],
      [{ type: 'listen', listen: true }, true, 'none'],
      [{ type: 'listen', listen: false }, true, 'stop'],
      [{ type: 'listen', listen: false }, false, 'none'],
      [status, false, 'none'],
      [status, true, 'none'],
    ];
    for (const [event, listening, action] of table) expect(listenActionFor(event, listening), `${JSON.stringify(event)} while ${listening ? '' : 'not '}listening`).toBe(action);
  });
});
