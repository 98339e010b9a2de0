/**
 * How text is typed into the focused application of another program, per platform, as plain
 * data: which back-end this session has (chooseInsertionBackend) and the exact command lines that
 * type an edit with it (insertionCommands). focused-app-typist.ts runs them.
 *
 * Dictated text is hostile input: it never appears in a command line (where `ps` would show it and
 * a leading "-" would read as an option) and never passes through a shell. Every back-end reads it
 * from standard input; the scripts for Windows and macOS are constants.
 *
 * - Linux, X11: `xdotool type --file -` (XTEST), with the characters outside the keyboard layout
 *   bound beforehand with xmodmap where it is installed (x11-keysym-bindings.ts says why).
 * - Linux, Wayland: `wtype -` (0.4 or later; needs a compositor with the virtual-keyboard protocol:
 *   wlroots-based ones and KDE, not GNOME), else `ydotool type --file -` (1.0 or later; needs the
 *   ydotoold daemon and access to /dev/uinput; keys of a US layout, so no non-ASCII text). xdotool
 *   is not used on Wayland: it reaches only X (XWayland) windows.
 * - Windows: Windows PowerShell running a fixed script that calls user32 SendInput with
 *   KEYEVENTF_UNICODE per UTF-16 unit (Return for a new line); an elevated window refuses input
 *   from a program that is not elevated (UIPI).
 * - macOS: `osascript -l JavaScript` running a fixed script that sends System Events keystrokes;
 *   Hark needs the Accessibility permission (System Settings > Privacy & Security > Accessibility).
 * - Anything else, or the tool missing: the clipboard (the caller copies and says so).
 */
import type { InsertionBackendName } from '../../src-shared/ipc/desktop-contract.ts';

export type { InsertionBackendName };

export interface InsertionBackend {
  name: InsertionBackendName;
  /** The program's path (absent for the clipboard). */
  executable?: string;
  /** xdotool: xmodmap's path, to bind characters outside the keyboard layout first (absent: xdotool binds them itself). */
  xmodmap?: string;
  /** A sentence for the user: what was found, or why text goes to the clipboard. */
  detail: string;
}

/** What to do at the cursor: press BackSpace `erase` times, then type `text` ("\n" is Return). */
export interface InsertionEdit {
  erase: number;
  text: string;
}

/** One program to run: its arguments, and what it reads on standard input. */
export interface ToolCommand {
  file: string;
  args: string[];
  stdin?: string;
}

export interface InsertionEnvironment {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** The path of an executable on PATH, or null (find-executable.ts in the app). */
  find: (cmd: string) => string | null;
}

/** Whether a Linux session is Wayland (its applications may still be X clients through XWayland). */
export function isWaylandSession(env: InsertionEnvironment['env']): boolean {
  return Boolean(env.WAYLAND_DISPLAY) || env.XDG_SESSION_TYPE === 'wayland';
}

/** The back-end this session types with. */
export function chooseInsertionBackend({ platform, env, find }: InsertionEnvironment): InsertionBackend {
  const clipboard = (detail: string): InsertionBackend => ({ name: 'clipboard', detail });
  const found = (name: InsertionBackendName, executable: string, detail: string): InsertionBackend => ({ name, executable, detail });
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') {
    if (isWaylandSession(env)) {
      const wtype = find('wtype');
      if (wtype) return found('wtype', wtype, `Wayland: typing with ${wtype}.`);
      const ydotool = find('ydotool');
      if (ydotool) return found('ydotool', ydotool, `Wayland: typing with ${ydotool} (the ydotoold daemon must be running).`);
      return clipboard('Wayland without wtype or ydotool: text is copied to the clipboard. Install wtype (or ydotool) to type into the focused application.');
    }
    if (env.DISPLAY) {
      const xdotool = find('xdotool');
      const xmodmap = find('xmodmap');
      if (xdotool && xmodmap) return { ...found('xdotool', xdotool, `X11: typing with ${xdotool} (characters outside the keyboard layout bound with ${xmodmap}).`), xmodmap };
      if (xdotool) return found('xdotool', xdotool, `X11: typing with ${xdotool} (without xmodmap some applications may miss characters outside the keyboard layout).`);
      return clipboard('X11 without xdotool: text is copied to the clipboard. Install xdotool to type into the focused application.');
    }
    return clipboard('No graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set): text is copied to the clipboard.');
  }
  if (platform === 'win32') {
    const root = env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows';
    const powershell = find('powershell.exe') ?? find(`${root}\\System32\\WindowsPowerShell\\v1.0\\powershell.exe`);
    if (powershell) return found('sendinput', powershell, 'Windows: typing with SendInput (through Windows PowerShell).');
    return clipboard('Windows PowerShell was not found: text is copied to the clipboard.');
  }
  if (platform === 'darwin') {
    const osascript = find('/usr/bin/osascript') ?? find('osascript');
    if (osascript) return found('applescript', osascript, 'macOS: typing with System Events keystrokes (Hark needs the Accessibility permission).');
    return clipboard('osascript was not found: text is copied to the clipboard.');
  }
  return clipboard(`Typing into other applications is not supported on ${platform}: text is copied to the clipboard.`);
}

/**
 * Control characters other than new line and tab removed (an Escape or a NUL in dictated text
 * must not reach the focused application as a key); Windows line ends made "\n".
 */
export function typeableText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '');
}

/** Linux input event code of BackSpace (linux/input-event-codes.h KEY_BACKSPACE), for ydotool key. */
const KEY_BACKSPACE = 14;

/** The commands that apply `edit` with `backend`, in order (none for the clipboard or an empty edit). */
export function insertionCommands(backend: InsertionBackend, edit: InsertionEdit): ToolCommand[] {
  const file = backend.executable;
  if (!file || backend.name === 'clipboard') return [];
  const text = typeableText(edit.text);
  const erase = Math.max(0, Math.floor(edit.erase));
  if (erase === 0 && text === '') return [];
  const out: ToolCommand[] = [];
  switch (backend.name) {
    case 'xdotool':
      if (erase) out.push({ file, args: ['key', '--clearmodifiers', ...Array<string>(erase).fill('BackSpace')] });
      if (text) out.push({ file, args: ['type', '--clearmodifiers', '--file', '-'], stdin: text });
      return out;
    case 'wtype':
      if (erase) out.push({ file, args: Array.from({ length: erase }, () => ['-k', 'BackSpace']).flat() });
      if (text) out.push({ file, args: ['-'], stdin: text });
      return out;
    case 'ydotool':
      if (erase) out.push({ file, args: ['key', ...Array.from({ length: erase }, () => [`${KEY_BACKSPACE}:1`, `${KEY_BACKSPACE}:0`]).flat()] });
      if (text) out.push({ file, args: ['type', '--file', '-'], stdin: text });
      return out;
    case 'sendinput':
      return [{ file, args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encodedPowerShell(SENDINPUT_SCRIPT)], stdin: `${erase}\n${text}` }];
    case 'applescript':
      return [{ file, args: ['-l', 'JavaScript', '-e', KEYSTROKE_SCRIPT], stdin: `${erase}\n${text}` }];
  }
}

/** PowerShell's -EncodedCommand: the script as base64 of UTF-16LE. */
export function encodedPowerShell(script: string): string {
  const bytes = new Uint8Array(script.length * 2);
  for (let i = 0; i < script.length; i++) {
    const unit = script.charCodeAt(i);
    bytes[2 * i] = unit & 0xff;
    bytes[2 * i + 1] = unit >> 8;
  }
  return Buffer.from(bytes).toString('base64');
}

/**
 * Windows: standard input is "<erase>\n<text>" in UTF-8. BackSpace `erase` times, then each UTF-16
 * unit of the text as a KEYEVENTF_UNICODE key (4) down and up (2), "\n" as Return (VK 0x0D).
 * INPUT holds a union whose largest member is MOUSEINPUT, so its size is right on 32 and 64 bits.
 */
export const SENDINPUT_SCRIPT = String.raw`$ErrorActionPreference = 'Stop'
$reader = New-Object System.IO.StreamReader([Console]::OpenStandardInput(), (New-Object System.Text.UTF8Encoding($false)))
$request = $reader.ReadToEnd()
Add-Type -TypeDefinition @'
using System;
using System.Runtime.InteropServices;
public static class HarkKeys {
  [StructLayout(LayoutKind.Sequential)] struct KEYBDINPUT { public ushort wVk; public ushort wScan; public uint dwFlags; public uint time; public IntPtr dwExtraInfo; }
  [StructLayout(LayoutKind.Sequential)] struct MOUSEINPUT { public int dx; public int dy; public uint mouseData; public uint dwFlags; public uint time; public IntPtr dwExtraInfo; }
  [StructLayout(LayoutKind.Explicit)] struct INPUTUNION { [FieldOffset(0)] public MOUSEINPUT mi; [FieldOffset(0)] public KEYBDINPUT ki; }
  [StructLayout(LayoutKind.Sequential)] struct INPUT { public uint type; public INPUTUNION u; }
  [DllImport("user32.dll", SetLastError = true)] static extern uint SendInput(uint count, INPUT[] inputs, int size);
  static INPUT Key(ushort vk, ushort scan, uint flags) { INPUT i = new INPUT(); i.type = 1; i.u.ki.wVk = vk; i.u.ki.wScan = scan; i.u.ki.dwFlags = flags; return i; }
  static void Send(INPUT down, INPUT up) {
    INPUT[] keys = new INPUT[] { down, up };
    if (SendInput(2, keys, Marshal.SizeOf(typeof(INPUT))) != 2) throw new Exception("SendInput was blocked (error " + Marshal.GetLastWin32Error() + ")");
  }
  public static void Erase(int n) { for (int k = 0; k < n; k++) Send(Key(0x08, 0, 0), Key(0x08, 0, 2)); }
  public static void Type(string text) {
    foreach (char c in text) {
      if (c == '\n') Send(Key(0x0D, 0, 0), Key(0x0D, 0, 2));
      else Send(Key(0, c, 4), Key(0, c, 6));
    }
  }
}
'@
$cut = $request.IndexOf([char]10)
[HarkKeys]::Erase([int]$request.Substring(0, $cut))
[HarkKeys]::Type($request.Substring($cut + 1))
`;

/**
 * macOS (JavaScript for Automation): standard input is "<erase>\n<text>" in UTF-8. BackSpace
 * (key code 51) `erase` times, then each line as a keystroke with Return (key code 36) between.
 */
export const KEYSTROKE_SCRIPT = `ObjC.import('Foundation');
const data = $.NSFileHandle.fileHandleWithStandardInput.readDataToEndOfFile;
const request = $.NSString.alloc.initWithDataEncoding(data, $.NSUTF8StringEncoding).js;
const cut = request.indexOf('\\n');
const events = Application('System Events');
for (let k = 0; k < Number(request.slice(0, cut)); k++) events.keyCode(51);
request.slice(cut + 1).split('\\n').forEach((line, i) => {
  if (i > 0) events.keyCode(36);
  if (line) events.keystroke(line);
});`;
