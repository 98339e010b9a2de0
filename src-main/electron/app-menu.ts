/**
 * The application menu: standard roles only (nothing here reaches the renderer). Reload and
 * DevTools exist only in a development build; on macOS the first menu is the app menu.
 */
import type { MenuItemSpec } from './electron-like.ts';

export interface AppMenuOptions {
  appName: string;
  isPackaged: boolean;
  platform: NodeJS.Platform;
}

const separator: MenuItemSpec = { type: 'separator' };

export function appMenuTemplate({ appName, isPackaged, platform }: AppMenuOptions): MenuItemSpec[] {
  const mac = platform === 'darwin';
  const appMenu: MenuItemSpec[] = mac
    ? [{ label: appName, submenu: [{ role: 'about' }, separator, { role: 'services' }, separator, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, separator, { role: 'quit' }] }]
    : [];
  const devTools: MenuItemSpec[] = isPackaged ? [] : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, separator];
  return [
    ...appMenu,
    { label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, separator, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    {
      label: 'View',
      submenu: [...devTools, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, separator, { role: 'togglefullscreen' }],
    },
    { label: 'Window', submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }] },
    { role: 'help', submenu: [{ role: 'about', label: `About ${appName}` }] },
  ];
}
