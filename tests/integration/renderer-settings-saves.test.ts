/**
 * The window's settings state against the real backend when answers overtake each other: a burst
 * of saves whose first answer (and its broadcast) arrives after the user has changed another
 * control must not put that control's older value back, and the state after the burst is the
 * backend's. The bridge is the real AppBackend in this process; only the delivery of answers and
 * events to the window is held back, as a busy machine does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppBackend } from '../../src-main/backend/app-backend.ts';
import { HARK_CHANNELS, type EventChannel, type HarkBridge, type InvokeChannel, type Settings } from '../../src-shared/ipc/app-contract.ts';
import { AppController } from '../../src-renderer/app-controller.ts';
import type { Toasts } from '../../src-renderer/ui/toasts.ts';

let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('settings saves in the window', () => {
  it('keeps the newest value when an earlier save answers late', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hark-saves-'));
    const listeners = new Map<string, ((p: unknown) => void)[]>();
    /** Deliveries to the window held back until released (answers and events alike). */
    const held: (() => void)[] = [];
    let holding = false;
    const deliver = (f: () => void) => (holding ? held.push(f) : f());
    const backend = await AppBackend.create({
      userDataDir: dir,
      emit: (_s, channel, payload) => deliver(() => (listeners.get(channel) ?? []).forEach((l) => l(payload))),
    });
    const bridge = {
      kind: 'web',
      invoke: (channel: InvokeChannel, request: unknown) => backend.handle(1, channel, HARK_CHANNELS[channel].request(request) as never)
        .then((v) => new Promise((resolve) => deliver(() => resolve(v)))),
      on: (channel: EventChannel, l: (p: unknown) => void) => {
        listeners.set(channel, [...(listeners.get(channel) ?? []), l]);
        return () => undefined;
      },
      pathForFile: () => null,
    } as unknown as HarkBridge;
    const toasts = { show: () => undefined, error: () => undefined } as unknown as Toasts;
    const app = new AppController(bridge, toasts, (await backend.handle(1, 'settings:get', {})) as Settings);
    const seen: number[] = [];
    app.events.on('settings', (s) => seen.push((s as Settings).endpointSilenceSec));
    try {
      // The mode save is answered (and broadcast) by the backend, but the window gets both late.
      holding = true;
      const modeSaved = app.saveSettings({ mode: 'commands' });
      await new Promise((r) => setTimeout(r, 50));
      // Meanwhile the user moves the endpoint slider: its save goes out too.
      const endpointSaved = app.saveSettings({ endpointSilenceSec: 1.2 });
      await new Promise((r) => setTimeout(r, 50));
      // The mode answer and its broadcast say endpoint 0.6 (the state before the slider moved).
      holding = false;
      for (const f of held.splice(0)) f();
      expect(await modeSaved).toBeNull();
      expect(await endpointSaved).toBeNull();
      expect(seen).not.toContain(0.6);
      expect(app.settings).toMatchObject({ mode: 'commands', endpointSilenceSec: 1.2 });
      expect(await backend.handle(1, 'settings:get', {})).toMatchObject({ mode: 'commands', endpointSilenceSec: 1.2 });
      // A refused save in a burst still leaves the window with the backend's state.
      const bad = app.saveSettings({ pushMs: 5 });
      const good = app.saveSettings({ pushMs: 80 });
      expect(await bad).toMatch(/pushMs/);
      expect(await good).toBeNull();
      expect(app.settings.pushMs).toBe(80);
    } finally {
      await backend.dispose();
    }
  });
});
