/**
 * Typing into other applications, the parts that run anywhere: which back-end a session gets
 * (X11, Wayland, Windows, macOS, none), the exact command lines for each (dictated text only on
 * standard input, never in an argument), the keymap helpers of the X11 back-end, and the typist's
 * fall-back to the clipboard, with real programs that fail. The X11 back-end typing for real into
 * a real X client is tests/integration/type-into-app-xvfb.test.ts; wtype, ydotool, SendInput and
 * System Events cannot run here (no Wayland compositor, no Windows or macOS), so for them only
 * the detection and the command lines are checked.
 */
import { describe, expect, it } from 'vitest';
import { FocusedAppTypist, utf8ToolEnv } from '../../src-main/system/focused-app-typist.ts';
import {
  chooseInsertionBackend, encodedPowerShell, insertionCommands, KEYSTROKE_SCRIPT, SENDINPUT_SCRIPT, typeableText, type InsertionEnvironment,
} from '../../src-main/system/text-insertion-backends.ts';
import { charactersToBind, keysymOf, spareKeycodes, xmodmapExpression } from '../../src-main/system/x11-keysym-bindings.ts';

/** A PATH holding exactly `tools` (as /usr/bin/<tool>). */
const only = (...tools: string[]): InsertionEnvironment['find'] => (cmd) => {
  const name = cmd.split(/[/\\]/).pop()!;
  return tools.includes(name) ? (cmd.includes('/') || cmd.includes('\\') ? cmd : `/usr/bin/${cmd}`) : null;
};

const HOSTILE = '-rf --window 0 $(touch /tmp/pwned) `id` ; | & "quoted" \'single\'';

describe('chooseInsertionBackend', () => {
  it('uses xdotool on X11, with xmodmap when there is one', () => {
    expect(chooseInsertionBackend({ platform: 'linux', env: { DISPLAY: ':0' }, find: only('xdotool', 'xmodmap', 'wtype') }))
      .toEqual({ name: 'xdotool', executable: '/usr/bin/xdotool', xmodmap: '/usr/bin/xmodmap', detail: expect.stringMatching(/^X11: typing with \/usr\/bin\/xdotool \(characters outside the keyboard layout bound with/) });
    const bare = chooseInsertionBackend({ platform: 'linux', env: { DISPLAY: ':0', XDG_SESSION_TYPE: 'x11' }, find: only('xdotool') });
    expect(bare).toMatchObject({ name: 'xdotool', executable: '/usr/bin/xdotool' });
    expect(bare.xmodmap).toBeUndefined();
  });

  it('uses wtype, else ydotool on Wayland, never xdotool there', () => {
    const wayland = { DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland' };
    expect(chooseInsertionBackend({ platform: 'linux', env: wayland, find: only('xdotool', 'wtype', 'ydotool') })).toMatchObject({ name: 'wtype', executable: '/usr/bin/wtype' });
    expect(chooseInsertionBackend({ platform: 'linux', env: wayland, find: only('xdotool', 'ydotool') })).toMatchObject({ name: 'ydotool', detail: expect.stringMatching(/ydotoold/) });
    // XDG_SESSION_TYPE alone says Wayland too.
    expect(chooseInsertionBackend({ platform: 'linux', env: { XDG_SESSION_TYPE: 'wayland' }, find: only('wtype') })).toMatchObject({ name: 'wtype' });
    const none = chooseInsertionBackend({ platform: 'linux', env: wayland, find: only('xdotool') });
    expect(none).toEqual({ name: 'clipboard', detail: expect.stringMatching(/^Wayland without wtype or ydotool: text is copied to the clipboard/) });
  });

  it('falls back to the clipboard, saying why, without a tool or a display', () => {
    expect(chooseInsertionBackend({ platform: 'linux', env: { DISPLAY: ':0' }, find: only() }).detail).toMatch(/^X11 without xdotool: text is copied to the clipboard\. Install xdotool/);
    expect(chooseInsertionBackend({ platform: 'linux', env: {}, find: only('xdotool') })).toMatchObject({ name: 'clipboard', detail: expect.stringMatching(/No graphical session/) });
    expect(chooseInsertionBackend({ platform: 'aix', env: {}, find: only() })).toMatchObject({ name: 'clipboard', detail: expect.stringMatching(/not supported on aix/) });
  });

  it('uses Windows PowerShell on Windows and osascript on macOS', () => {
    expect(chooseInsertionBackend({ platform: 'win32', env: {}, find: only('powershell.exe') })).toMatchObject({ name: 'sendinput', executable: '/usr/bin/powershell.exe' });
    // Not on PATH: the system copy under SystemRoot.
    expect(chooseInsertionBackend({ platform: 'win32', env: { SystemRoot: 'D:\\Win' }, find: (cmd) => (cmd === 'D:\\Win\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' ? cmd : null) }))
      .toMatchObject({ name: 'sendinput', executable: 'D:\\Win\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' });
    expect(chooseInsertionBackend({ platform: 'win32', env: {}, find: only() })).toMatchObject({ name: 'clipboard' });
    expect(chooseInsertionBackend({ platform: 'darwin', env: {}, find: only('osascript') })).toMatchObject({ name: 'applescript', executable: '/usr/bin/osascript', detail: expect.stringMatching(/Accessibility permission/) });
  });
});

describe('insertionCommands', () => {
  const x = { name: 'xdotool', executable: '/usr/bin/xdotool', detail: '' } as const;

  it('xdotool: BackSpace keys, then the text read from standard input', () => {
    expect(insertionCommands(x, { erase: 3, text: `Hello.\n${HOSTILE}` })).toEqual([
      { file: '/usr/bin/xdotool', args: ['key', '--clearmodifiers', 'BackSpace', 'BackSpace', 'BackSpace'] },
      { file: '/usr/bin/xdotool', args: ['type', '--clearmodifiers', '--file', '-'], stdin: `Hello.\n${HOSTILE}` },
    ]);
    expect(insertionCommands(x, { erase: 0, text: 'a' })).toHaveLength(1);
    expect(insertionCommands(x, { erase: 0, text: '' })).toEqual([]);
    expect(insertionCommands(x, { erase: 0, text: '\u0000\u001b' })).toEqual([]);
  });

  it('wtype and ydotool: the same shape in their own syntax', () => {
    expect(insertionCommands({ name: 'wtype', executable: '/usr/bin/wtype', detail: '' }, { erase: 2, text: HOSTILE })).toEqual([
      { file: '/usr/bin/wtype', args: ['-k', 'BackSpace', '-k', 'BackSpace'] },
      { file: '/usr/bin/wtype', args: ['-'], stdin: HOSTILE },
    ]);
    expect(insertionCommands({ name: 'ydotool', executable: '/usr/bin/ydotool', detail: '' }, { erase: 2, text: HOSTILE })).toEqual([
      { file: '/usr/bin/ydotool', args: ['key', '14:1', '14:0', '14:1', '14:0'] },
      { file: '/usr/bin/ydotool', args: ['type', '--file', '-'], stdin: HOSTILE },
    ]);
  });

  it('Windows and macOS: a fixed script, the edit on standard input', () => {
    const [win] = insertionCommands({ name: 'sendinput', executable: 'powershell.exe', detail: '' }, { erase: 4, text: `é\n${HOSTILE}` });
    expect(win.args.slice(0, -1)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
    expect(Buffer.from(win.args.at(-1)!, 'base64').toString('utf16le')).toBe(SENDINPUT_SCRIPT);
    expect(win.stdin).toBe(`4\né\n${HOSTILE}`);
    // KEYEVENTF_UNICODE (4) down, then with KEYEVENTF_KEYUP (2).
    expect(SENDINPUT_SCRIPT).toContain('Send(Key(0, c, 4), Key(0, c, 6))');
    const [mac] = insertionCommands({ name: 'applescript', executable: '/usr/bin/osascript', detail: '' }, { erase: 0, text: HOSTILE });
    expect(mac).toEqual({ file: '/usr/bin/osascript', args: ['-l', 'JavaScript', '-e', KEYSTROKE_SCRIPT], stdin: `0\n${HOSTILE}` });
    expect(KEYSTROKE_SCRIPT).toContain("Application('System Events')");
  });

  it('never puts dictated text into an argument', () => {
    for (const name of ['xdotool', 'wtype', 'ydotool', 'sendinput', 'applescript'] as const) {
      for (const c of insertionCommands({ name, executable: '/bin/tool', detail: '' }, { erase: 1, text: HOSTILE })) {
        for (const a of c.args) expect(a.includes('pwned') && a !== SENDINPUT_SCRIPT && a !== KEYSTROKE_SCRIPT, `${name}: ${a}`).toBe(false);
      }
    }
    expect(insertionCommands({ name: 'clipboard', detail: '' }, { erase: 0, text: 'x' })).toEqual([]);
  });

  it('types text without control characters other than new line and tab', () => {
    expect(typeableText('a\u001b[31mb\u0000c\r\nd\re\tf\u007f')).toBe('a[31mbc\nd\ne\tf');
  });

  it('encodes PowerShell commands as base64 of UTF-16LE', () => {
    expect(encodedPowerShell('dir')).toBe(Buffer.from('dir', 'utf16le').toString('base64'));
  });
});

describe('X11 keysym bindings', () => {
  it('finds the spare keycodes in xmodmap -pke, highest first', () => {
    const pke = 'keycode   8 =\nkeycode   9 = Escape NoSymbol Escape\nkeycode  38 = a A a A\nkeycode 247 =\nkeycode 255 = \n';
    expect(spareKeycodes(pke)).toEqual([255, 247, 8]);
  });

  it('binds the non-ASCII characters once each, by their keysyms', () => {
    expect(charactersToBind('café “quoted” — café 😀')).toEqual(['é', '“', '”', '—', '😀']);
    expect(keysymOf('é')).toBe(0xe9);
    expect(keysymOf('“')).toBe(0x100201c);
    expect(keysymOf('😀')).toBe(0x101f600);
    expect(xmodmapExpression(250, '“')).toEqual(['-e', 'keycode 250 = 0x100201c 0x100201c']);
    expect(xmodmapExpression(250, null)).toEqual(['-e', 'keycode 250 =']);
  });
});

describe('FocusedAppTypist', () => {
  it('runs the tools with a UTF-8 character type (xdotool refuses non-ASCII text in the C locale)', () => {
    expect(utf8ToolEnv({ LANG: 'de_DE.UTF-8', DISPLAY: ':1' })).toEqual({ LANG: 'de_DE.UTF-8', DISPLAY: ':1' });
    expect(utf8ToolEnv({ LC_CTYPE: 'en_US.utf8' })).toEqual({ LC_CTYPE: 'en_US.utf8' });
    expect(utf8ToolEnv({ DISPLAY: ':1' })).toEqual({ DISPLAY: ':1', LC_ALL: 'C.UTF-8' });
    expect(utf8ToolEnv({ LANG: 'en_US.UTF-8', LC_ALL: 'C' })).toEqual({ LANG: 'en_US.UTF-8', LC_ALL: 'C.UTF-8' });
  });

  it('copies to the clipboard when there is no typing tool, saying why', async () => {
    const clipboard: string[] = [];
    const typist = new FocusedAppTypist({ backend: { name: 'clipboard', detail: 'X11 without xdotool: text is copied to the clipboard.' }, writeClipboard: (t) => clipboard.push(t) });
    expect(await typist.insert({ erase: 2, text: 'Hello there.' })).toEqual({ method: 'clipboard', reason: 'X11 without xdotool: text is copied to the clipboard.' });
    expect(clipboard).toEqual(['Hello there.']);
  });

  it('copies to the clipboard when the tool fails, with its message, in order', async () => {
    const clipboard: string[] = [];
    // A real program that reads its input and fails as a tool does when its daemon is not running.
    const failing = { name: 'ydotool', executable: '/bin/sh', detail: '' } as const;
    const typist = new FocusedAppTypist({ backend: failing, writeClipboard: (t) => clipboard.push(t), env: { PATH: process.env.PATH } });
    // `sh type --file -` fails: there is no script called "type".
    const results = await Promise.all([typist.insert({ erase: 0, text: 'first' }), typist.insert({ erase: 0, text: 'second' })]);
    for (const r of results) expect(r).toMatchObject({ method: 'clipboard', reason: expect.stringMatching(/^ydotool failed \(.+\): text is copied to the clipboard\.$/) });
    expect(clipboard).toEqual(['first', 'second']);
    const missing = new FocusedAppTypist({ backend: { name: 'xdotool', executable: '/nonexistent/xdotool', detail: '' }, writeClipboard: (t) => clipboard.push(t) });
    expect(await missing.insert({ erase: 0, text: 'third' })).toMatchObject({ method: 'clipboard', reason: expect.stringMatching(/ENOENT/) });
  });

  it('reports typed when the tool succeeds', async () => {
    // `true` reads nothing and exits 0, as a tool that typed does.
    const typist = new FocusedAppTypist({ backend: { name: 'wtype', executable: '/bin/true', detail: '' }, writeClipboard: () => { throw new Error('no clipboard'); } });
    expect(await typist.insert({ erase: 1, text: 'x'.repeat(200_000) })).toEqual({ method: 'typed', backend: 'wtype' });
  });
});
