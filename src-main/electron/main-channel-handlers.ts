/**
 * The invoke channels answered by the main process itself (HARK_CHANNELS host 'main'): native
 * open, save and folder dialogs, and the desktop integration's (desktop-integration.ts makes
 * those). Each handler gets the already validated request and the window that asked, so a dialog
 * is modal to it.
 */
import { basename, join } from 'node:path';
import { HARK_CHANNELS, INVOKE_CHANNELS, type InvokeChannel, type RequestOf, type ResponseOf } from '../../src-shared/ipc/app-contract.ts';
import { writeFileAtomic } from '../system/atomic-write.ts';
import type { AppLike, BrowserWindowLike, DialogLike, FileFilter } from './electron-like.ts';

type HostOf<C extends InvokeChannel> = (typeof HARK_CHANNELS)[C]['host'];
type LiteralMainChannel = { [C in InvokeChannel]: HostOf<C> extends 'main' ? C : never }[InvokeChannel];
/**
 * The channels main must answer. Taken from HARK_CHANNELS' `host` when its type keeps the
 * literal; while the table's type widens `host` to 'backend' | 'main', the convention that they
 * live under `dialog:` and `desktop:` stands in (electron-ipc-wiring.test.ts checks that it
 * matches the table).
 */
export type MainChannel = [LiteralMainChannel] extends [never] ? Extract<InvokeChannel, `dialog:${string}` | `desktop:${string}`> : LiteralMainChannel;

export type MainChannelHandler<C extends InvokeChannel, W extends BrowserWindowLike = BrowserWindowLike> = (request: RequestOf<C>, win: W) => Promise<ResponseOf<C>>;

/** One handler per main channel: a missing one is a compile error. */
export type MainChannelHandlers<W extends BrowserWindowLike = BrowserWindowLike> = { [C in MainChannel]: MainChannelHandler<C, W> };

export type DesktopChannel = Extract<MainChannel, `desktop:${string}`>;
export type DesktopChannelHandlers<W extends BrowserWindowLike = BrowserWindowLike> = { [C in DesktopChannel]: MainChannelHandler<C, W> };

export const MAIN_CHANNELS = INVOKE_CHANNELS.filter((c) => HARK_CHANNELS[c].host === 'main');

export const AUDIO_FILE_FILTERS: FileFilter[] = [
  { name: 'Audio', extensions: ['wav', 'flac', 'mp3', 'ogg', 'oga', 'opus', 'webm', 'm4a'] },
  { name: 'All files', extensions: ['*'] },
];

export function mainChannelHandlers<W extends BrowserWindowLike>(deps: { dialog: DialogLike<W>; app: Pick<AppLike, 'getPath'>; desktop: DesktopChannelHandlers<W> }): MainChannelHandlers<W> {
  return {
    ...deps.desktop,
    'dialog:open-audio': async (_request, win) => {
      const r = await deps.dialog.showOpenDialog(win, { title: 'Open audio files', properties: ['openFile', 'multiSelections'], filters: AUDIO_FILE_FILTERS });
      if (r.canceled) return { files: [] };
      return { files: r.filePaths.map((path) => ({ name: basename(path), path })) };
    },
    'dialog:save-text': async (request, win) => {
      const r = await deps.dialog.showSaveDialog(win, { defaultPath: join(deps.app.getPath('documents'), request.fileName) });
      if (r.canceled || !r.filePath) return { saved: false };
      await writeFileAtomic(r.filePath, request.text);
      return { saved: true, path: r.filePath };
    },
    'dialog:choose-folder': async (request, win) => {
      const importing = request.purpose === 'import-model';
      const r = await deps.dialog.showOpenDialog(win, {
        title: importing ? 'Import a model folder' : 'Export the model into a new or empty folder',
        buttonLabel: importing ? 'Import' : 'Export here',
        properties: importing ? ['openDirectory'] : ['openDirectory', 'createDirectory'],
      });
      return { path: r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0] };
    },
  };
}
