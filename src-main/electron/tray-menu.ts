/**
 * The tray's menu and tooltip for a listening state: Start or Stop listening, Show window, Quit.
 * Linux desktops with AppIndicator show the menu on any click, so everything is in the menu.
 */
import type { MenuItemSpec } from './electron-like.ts';

export interface TrayMenuActions {
  /** Asks the window to start (true) or stop (false) listening. */
  listen(on: boolean): void;
  showWindow(): void;
  quit(): void;
}

export function trayToolTip(listening: boolean): string {
  return listening ? 'Hark: listening' : 'Hark: not listening';
}

export function trayMenuTemplate(listening: boolean, actions: TrayMenuActions): MenuItemSpec[] {
  return [
    { label: listening ? 'Stop listening' : 'Start listening', click: () => actions.listen(!listening) },
    { label: 'Show window', click: () => actions.showWindow() },
    { type: 'separator' },
    { label: 'Quit Hark', click: () => actions.quit() },
  ];
}
