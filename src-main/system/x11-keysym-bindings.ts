/**
 * Characters outside the keyboard layout (é, “, — on a US layout), bound to spare keycodes with
 * xmodmap before xdotool types them. xdotool alone binds such a character to a scratch keycode for
 * one key press and unbinds it at once; an application that reads the new keymap after that (seen
 * with Chromium under Xvfb: most of "café “quoted” — naïve" lost) gets the wrong key or none.
 * Bound here, the characters stay in the keymap while xdotool types, and after: they are unbound
 * only when their keycode is needed for another character, or at release() (quitting). A spare
 * keycode is one whose row is empty in `xmodmap -pke`; no physical key sends it. One spare keycode
 * is always left for xdotool's own use.
 */
import { execFile } from 'node:child_process';

/** The X keysym of a character: Latin-1 keysyms are their code points, others 0x01000000 + code point (X11 keysym encoding, Appendix A). */
export function keysymOf(char: string): number {
  const cp = char.codePointAt(0)!;
  return cp <= 0xff ? cp : 0x01000000 + cp;
}

/** The keycodes whose row is empty in `xmodmap -pke` output ("keycode 250 ="), highest first. */
export function spareKeycodes(pke: string): number[] {
  const out: number[] = [];
  for (const line of pke.split('\n')) {
    const m = /^keycode\s+(\d+)\s*=\s*$/.exec(line);
    if (m) out.push(Number(m[1]));
  }
  return out.sort((a, b) => b - a);
}

/** The characters of `text` that need a binding: not ASCII, not control, each once, in order. */
export function charactersToBind(text: string): string[] {
  return [...new Set(Array.from(text).filter((c) => c.codePointAt(0)! > 0x7e))];
}

/** xmodmap arguments binding `char` to `keycode` (unshifted and shifted), or unbinding it (null). */
export function xmodmapExpression(keycode: number, char: string | null): string[] {
  if (char === null) return ['-e', `keycode ${keycode} =`];
  const ks = `0x${keysymOf(char).toString(16)}`;
  return ['-e', `keycode ${keycode} = ${ks} ${ks}`];
}

export class X11KeysymBindings {
  /** char -> keycode, in the order bound (the oldest is reused first). */
  private readonly bound = new Map<string, number>();
  private spare: number[] | null = null;

  constructor(private readonly xmodmap: string, private readonly env: NodeJS.ProcessEnv) {}

  /** Binds every character of `text` that needs it (as many as there are spare keycodes). */
  async bind(text: string): Promise<void> {
    const wanted = charactersToBind(text);
    const missing = wanted.filter((c) => !this.bound.has(c));
    if (missing.length === 0) return;
    this.spare ??= spareKeycodes(await this.run(['-pke'])).slice(0, -1);
    const args: string[] = [];
    for (const char of missing) {
      let keycode = this.spare.find((k) => ![...this.bound.values()].includes(k));
      if (keycode === undefined) {
        // Reuse the oldest binding this text does not need.
        const old = [...this.bound.entries()].find(([c]) => !wanted.includes(c));
        if (!old) break;
        this.bound.delete(old[0]);
        keycode = old[1];
      }
      this.bound.set(char, keycode);
      args.push(...xmodmapExpression(keycode, char));
    }
    if (args.length) await this.run(args);
  }

  /** Unbinds everything bound here (the keycodes are spare again). */
  async release(): Promise<void> {
    const args = [...this.bound.values()].flatMap((k) => xmodmapExpression(k, null));
    this.bound.clear();
    if (args.length) await this.run(args);
  }

  private run(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(this.xmodmap, args, { env: this.env, timeout: 10_000, maxBuffer: 4 << 20 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`xmodmap: ${String(stderr).trim() || error.message}`));
        else resolve(String(stdout));
      });
    });
  }
}
