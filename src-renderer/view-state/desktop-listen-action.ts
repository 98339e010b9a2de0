import type { DesktopEvent } from '../../src-shared/ipc/app-contract.ts';

/**
 * What the window does about a desktop:event (a global shortcut, the tray menu), given whether it
 * listens now. Electron's global shortcuts report a press and never the release, so push-to-talk
 * is "press, speak one utterance": it starts listening for one utterance (its final stops it), and
 * a press while listening stops, as toggle does.
 */
export type ListenAction = 'start' | 'start-one-utterance' | 'stop' | 'none';

export function listenActionFor(event: DesktopEvent, listening: boolean): ListenAction {
  switch (event.type) {
    case 'shortcut':
      if (listening) return 'stop';
      return event.action === 'toggle' ? 'start' : 'start-one-utterance';
    case 'listen':
      if (event.listen === listening) return 'none';
      return event.listen ? 'start' : 'stop';
    case 'status':
      return 'none';
  }
}
