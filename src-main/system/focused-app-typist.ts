/**
 * Types edits into the focused application of another program with the back-end this session has
 * (text-insertion-backends.ts), one edit at a time in the order given; where there is none, or
 * the tool fails (ydotoold not running, a compositor without the virtual-keyboard protocol), the
 * text goes to the clipboard and the result says why. Programs are run from an argument array
 * with the text on standard input: no shell, nothing of the text in a command line.
 */
import { spawn } from 'node:child_process';
import {
  chooseInsertionBackend, insertionCommands, typeableText, type InsertionBackend, type InsertionEdit, type InsertionEnvironment, type ToolCommand,
} from './text-insertion-backends.ts';
import { X11KeysymBindings } from './x11-keysym-bindings.ts';

/**
 * The tools' environment with a UTF-8 character type: xdotool decodes its input with the locale's
 * (mbrtowc), and in the C locale refuses every non-ASCII character ("Invalid multi-byte
 * sequence"). A UTF-8 locale of the user's is kept; otherwise C.UTF-8 (glibc, musl) is used.
 */
export function utf8ToolEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const ctype = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(ctype) ? env : { ...env, LC_ALL: 'C.UTF-8' };
}

export type InsertionResult =
  | { method: 'typed'; backend: InsertionBackend['name'] }
  /** `reason`: a sentence for the user saying why the text is on the clipboard and not typed. */
  | { method: 'clipboard'; reason: string };

export interface FocusedAppTypistOptions {
  backend: InsertionBackend;
  /** Puts text on the system clipboard (Electron's clipboard.writeText in the app). */
  writeClipboard: (text: string) => void;
  /** The environment of the tools (DISPLAY, WAYLAND_DISPLAY, YDOTOOL_SOCKET); default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * The longest a tool may run before it is killed and the text goes to the clipboard; default 10 s
   * plus 50 ms a key (xdotool types a key every 12 ms).
   */
  timeoutMs?: number;
}

export class FocusedAppTypist {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly bindings: X11KeysymBindings | null;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly opts: FocusedAppTypistOptions) {
    const { backend } = opts;
    this.env = utf8ToolEnv(opts.env ?? process.env);
    this.bindings = backend.name === 'xdotool' && backend.xmodmap ? new X11KeysymBindings(backend.xmodmap, this.env) : null;
  }

  /** A typist for this process's session (PATH and the display variables of `env`). */
  static forSession(writeClipboard: (text: string) => void, environment: InsertionEnvironment, env: NodeJS.ProcessEnv = process.env): FocusedAppTypist {
    return new FocusedAppTypist({ backend: chooseInsertionBackend(environment), writeClipboard, env });
  }

  get backend(): InsertionBackend {
    return this.opts.backend;
  }

  /** Applies `edit` after every edit given before it has been applied. */
  insert(edit: InsertionEdit): Promise<InsertionResult> {
    const next = this.queue.then(() => this.apply(edit));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async apply(edit: InsertionEdit): Promise<InsertionResult> {
    const { backend } = this.opts;
    const commands = insertionCommands(backend, edit);
    if (backend.name === 'clipboard') return this.toClipboard(edit, backend.detail);
    try {
      // Without the bindings xdotool binds each character itself: typed still, less reliably.
      if (this.bindings && commands.length) await this.bindings.bind(typeableText(edit.text)).catch(() => undefined);
      for (const command of commands) await this.run(command);
      return { method: 'typed', backend: backend.name };
    } catch (e) {
      return this.toClipboard(edit, `${backend.name} failed (${(e as Error).message}): text is copied to the clipboard.`);
    }
  }

  /** After the edits given so far: gives back the keycodes bound for typing (before quitting). */
  dispose(): Promise<void> {
    const done = this.queue.then(() => this.bindings?.release()).catch(() => undefined);
    this.queue = done;
    return done;
  }

  private toClipboard(edit: InsertionEdit, reason: string): InsertionResult {
    const text = typeableText(edit.text);
    if (text) this.opts.writeClipboard(text);
    return { method: 'clipboard', reason };
  }

  /** Runs one tool to its end; rejects with its error output when it fails or takes too long. */
  private run(command: ToolCommand): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(command.file, command.args, { env: this.env, stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true });
      let stderr = '';
      const timeoutMs = this.opts.timeoutMs ?? 10_000 + 50 * ((command.stdin?.length ?? 0) + command.args.length);
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(stderr.trim().split('\n').pop() || `exit ${code ?? signal}`));
      });
      // A tool that exits without reading all of its input must not crash the app (EPIPE).
      child.stdin.on('error', () => undefined);
      child.stdin.end(command.stdin ?? '');
    });
  }
}
