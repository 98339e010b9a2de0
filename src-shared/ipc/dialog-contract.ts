/**
 * The native dialogs in the IPC contract: the dialog:* channels, answered by the Electron main
 * process itself (host 'main'); the web bridge answers them inside the page.
 */
import { emptyRequest, type ChannelApi, type ChannelTable } from './channel-table.ts';
import type { FileInput } from './files-contract.ts';
import { IpcPayloadError, oneOf, onlyKeys, record, string } from './validate.ts';

export const FOLDER_PURPOSES = ['import-model', 'export-model'] as const;
export type FolderPurpose = (typeof FOLDER_PURPOSES)[number];

export const DIALOG_CHANNELS = {
  'dialog:open-audio': { host: 'main', request: emptyRequest('dialog:open-audio') },
  'dialog:save-text': {
    host: 'main',
    request: (value): { fileName: string; text: string } => {
      const c = 'dialog:save-text';
      const r = record(value, c, 'request');
      onlyKeys(r, ['fileName', 'text'], c, 'request');
      const fileName = string(r.fileName, c, 'fileName', 255);
      if (!fileName.trim() || /[/\\]/.test(fileName)) throw new IpcPayloadError(c, 'fileName', 'must be a plain file name');
      return { fileName, text: string(r.text, c, 'text', 64 * 1024 * 1024) };
    },
  },
  /** A folder chosen by the user (null when cancelled): a model package to import, or where to export one. */
  'dialog:choose-folder': {
    host: 'main',
    request: (value): { purpose: FolderPurpose } => {
      const c = 'dialog:choose-folder';
      const r = record(value, c, 'request');
      onlyKeys(r, ['purpose'], c, 'request');
      return { purpose: oneOf(FOLDER_PURPOSES)(r.purpose, c, 'purpose') };
    },
  },
} as const satisfies ChannelTable;

export type DialogApi = ChannelApi<typeof DIALOG_CHANNELS, {
  'dialog:open-audio': { files: FileInput[] };
  'dialog:save-text': { saved: boolean; path?: string };
  'dialog:choose-folder': { path: string | null };
}>;
