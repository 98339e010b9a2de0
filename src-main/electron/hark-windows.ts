/**
 * The windows Hark itself opened, by webContents id: the only senders main answers and the only
 * receivers of backend events. A sender's backend state (live streams, file jobs) is released
 * when its page goes away: the window closes, its renderer dies, or its main frame navigates or
 * reloads.
 */
import { isAppUrl } from './app-origin.ts';
import type { BrowserWindowLike, InvokeEventLike, WebContentsLike } from './electron-like.ts';

export class HarkWindows<W extends BrowserWindowLike = BrowserWindowLike> {
  private readonly byId = new Map<number, W>();

  /** `onSenderGone(id)` runs each time window `id`'s page goes away (possibly more than once). */
  constructor(private readonly onSenderGone: (senderId: number) => void) {}

  /** Registers a window at creation, before it loads anything. */
  add(win: W): void {
    const wc = win.webContents;
    const id = wc.id;
    this.byId.set(id, win);
    const gone = () => this.onSenderGone(id);
    const remove = () => {
      if (this.byId.get(id) !== win) return;
      this.byId.delete(id);
      gone();
    };
    wc.on('did-start-navigation', (e) => {
      if (e.isMainFrame && !e.isSameDocument) gone();
    });
    wc.on('render-process-gone', gone);
    wc.on('destroyed', remove);
    win.on('closed', remove);
  }

  /** The window of a registered, live webContents. */
  get(senderId: number): W | undefined {
    const win = this.byId.get(senderId);
    if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return undefined;
    return win;
  }

  /** Every registered window still alive. */
  all(): W[] {
    return [...this.byId.keys()].map((id) => this.get(id)).filter((w): w is W => w !== undefined);
  }

  /**
   * The window behind an IPC message, or undefined when the message must be ignored: it did not
   * come from one of Hark's own webContents, or not from the main frame of a page on the app
   * origin (an iframe, or a page that navigated elsewhere).
   */
  senderWindow(event: InvokeEventLike): W | undefined {
    const win = this.get(event.sender.id);
    if (!win) return undefined;
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !isAppUrl(frame.url)) return undefined;
    return win;
  }

  /** The live webContents with this id, for delivering an event. */
  receiver(senderId: number): WebContentsLike | undefined {
    return this.get(senderId)?.webContents;
  }
}
