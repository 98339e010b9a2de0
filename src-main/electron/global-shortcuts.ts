/**
 * The two global shortcuts of the settings (toggle, push-to-talk) kept registered with Electron's
 * globalShortcut: applying new settings unregisters what changed and registers the new
 * accelerators; one that cannot be registered (another application holds it, which some systems
 * report only by refusing it, or Electron cannot read it) or that repeats the other is reported
 * with a reason and tried again at the next apply.
 *
 * Electron calls back on key press only, never on release: what a press means (start, stop, one
 * utterance) is the window's business (desktop-integration.ts sends it the action).
 */
import type { ShortcutAction, ShortcutState } from '../../src-shared/ipc/app-contract.ts';
import type { GlobalShortcutLike } from './electron-like.ts';

export const SHORTCUT_ACTIONS: readonly ShortcutAction[] = ['toggle', 'push-to-talk'];

export class GlobalShortcuts {
  private readonly states = new Map<ShortcutAction, ShortcutState>(SHORTCUT_ACTIONS.map((a) => [a, { accelerator: '', registered: false, problem: null }]));

  constructor(private readonly globalShortcut: GlobalShortcutLike, private readonly onPress: (action: ShortcutAction) => void) {}

  /** Brings the registrations in line with `wanted`; returns whether any state changed. */
  apply(wanted: Record<ShortcutAction, string>): boolean {
    const before = JSON.stringify(this.status());
    // Unregister first: a shortcut moving from one action to the other is free when registered again.
    for (const action of SHORTCUT_ACTIONS) {
      const state = this.states.get(action)!;
      if (state.registered && state.accelerator !== wanted[action]) {
        this.globalShortcut.unregister(state.accelerator);
        this.states.set(action, { accelerator: state.accelerator, registered: false, problem: null });
      }
    }
    for (const action of SHORTCUT_ACTIONS) {
      const accelerator = wanted[action];
      const state = this.states.get(action)!;
      if (state.registered) continue;
      const other = SHORTCUT_ACTIONS.find((a) => a !== action && wanted[a] === accelerator && accelerator !== '');
      if (accelerator === '') this.states.set(action, { accelerator, registered: false, problem: null });
      else if (other && SHORTCUT_ACTIONS.indexOf(other) < SHORTCUT_ACTIONS.indexOf(action)) {
        this.states.set(action, { accelerator, registered: false, problem: `${accelerator} is already the ${other} shortcut` });
      } else this.states.set(action, this.register(action, accelerator));
    }
    return JSON.stringify(this.status()) !== before;
  }

  private register(action: ShortcutAction, accelerator: string): ShortcutState {
    try {
      if (this.globalShortcut.register(accelerator, () => this.onPress(action))) return { accelerator, registered: true, problem: null };
      return { accelerator, registered: false, problem: `${accelerator} could not be registered: another application (or the desktop) uses it` };
    } catch (e) {
      return { accelerator, registered: false, problem: `${accelerator} could not be registered: ${(e as Error).message}` };
    }
  }

  status(): Record<ShortcutAction, ShortcutState> {
    return Object.fromEntries(SHORTCUT_ACTIONS.map((a) => [a, { ...this.states.get(a)! }])) as Record<ShortcutAction, ShortcutState>;
  }

  /** Unregisters every shortcut (before quitting). */
  dispose(): void {
    for (const action of SHORTCUT_ACTIONS) {
      const state = this.states.get(action)!;
      if (state.registered) this.globalShortcut.unregister(state.accelerator);
      this.states.set(action, { accelerator: state.accelerator, registered: false, problem: null });
    }
  }
}
