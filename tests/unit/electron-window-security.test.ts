/**
 * What a Hark window may do: its options (sandboxed, isolated, no Node), where it may navigate,
 * what it may open, and which permissions it gets (the microphone, for the app origin only).
 */
import { describe, expect, it } from 'vitest';
import { APP_INDEX_URL, APP_ORIGIN, isAppUrl } from '../../src-main/electron/app-origin.ts';
import { lockDownNavigation } from '../../src-main/electron/navigation-lockdown.ts';
import { allowPermissionCheck, allowPermissionRequest, installPermissionPolicy } from '../../src-main/electron/permission-policy.ts';
import { harkWindowOptions } from '../../src-main/electron/window-options.ts';
import { createFakeElectron, FakeWebContents, navigationEvent } from './electron-fake.ts';

describe('window options', () => {
  it('isolate and sandbox the renderer with no Node anywhere', () => {
    const o = harkWindowOptions('/app/dist-electron/preload.cjs', { devTools: false });
    expect(o.webPreferences).toMatchObject({
      preload: '/app/dist-electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
    });
    expect(o.title).toBe('Hark');
    expect(o.show).toBe(false);
    expect(o.minWidth).toBeGreaterThan(0);
    expect(o.minHeight).toBeGreaterThan(0);
    expect(o.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i);
  });
});

describe('app origin', () => {
  it('matches app://hark/ only', () => {
    expect(isAppUrl(APP_INDEX_URL)).toBe(true);
    expect(isAppUrl('app://hark/capture-worklet.js')).toBe(true);
    for (const url of ['app://evil/index.html', 'https://hark/', 'file:///app/index.html', 'app://user@hark/', 'not a url', '', null]) {
      expect(isAppUrl(url), String(url)).toBe(false);
    }
  });
});

describe('navigation lockdown', () => {
  const setup = () => {
    const fake = createFakeElectron();
    const wc = new FakeWebContents();
    lockDownNavigation(wc, fake.electron.shell);
    return { wc, state: fake.state };
  };

  it('keeps the page on the app origin', () => {
    const { wc } = setup();
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://other/index.html', 'javascript:alert(1)']) {
      const e = navigationEvent(url);
      wc.emit('will-navigate', e);
      expect(e.defaultPrevented, url).toBe(true);
      const r = navigationEvent(url);
      wc.emit('will-redirect', r);
      expect(r.defaultPrevented, url).toBe(true);
    }
    const inApp = navigationEvent(APP_INDEX_URL);
    wc.emit('will-navigate', inApp);
    expect(inApp.defaultPrevented).toBe(false);
  });

  it('denies every new window and opens only http(s) links in the system browser', () => {
    const { wc, state } = setup();
    for (const url of ['https://github.com/hark', 'http://example.com/', 'file:///etc/passwd', 'app://hark/index.html', 'smb://server/share', 'javascript:alert(1)']) {
      expect(wc.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(state.openedExternally).toEqual(['https://github.com/hark', 'http://example.com/']);
  });

  it('refuses webviews', () => {
    const { wc } = setup();
    const e = navigationEvent('app://hark/');
    wc.emit('will-attach-webview', e);
    expect(e.defaultPrevented).toBe(true);
  });
});

describe('permission policy', () => {
  it('grants the microphone to the app origin main frame only', () => {
    expect(allowPermissionRequest('media', { requestingUrl: APP_INDEX_URL, isMainFrame: true, mediaTypes: ['audio'], securityOrigin: `${APP_ORIGIN}/` })).toBe(true);
    expect(allowPermissionRequest('media', { requestingUrl: APP_INDEX_URL, isMainFrame: true, mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(allowPermissionRequest('media', { requestingUrl: APP_INDEX_URL, isMainFrame: false, mediaTypes: ['audio'] })).toBe(false);
    expect(allowPermissionRequest('media', { requestingUrl: 'https://example.com/', isMainFrame: true, mediaTypes: ['audio'] })).toBe(false);
    expect(allowPermissionRequest('media', { requestingUrl: APP_INDEX_URL, isMainFrame: true, mediaTypes: ['audio'], securityOrigin: 'https://example.com/' })).toBe(false);
    for (const p of ['notifications', 'geolocation', 'clipboard-read', 'display-capture', 'openExternal', 'fileSystem', 'unknown']) {
      expect(allowPermissionRequest(p, { requestingUrl: APP_INDEX_URL, isMainFrame: true }), p).toBe(false);
    }
  });

  it('answers permission checks the same way', () => {
    expect(allowPermissionCheck('media', APP_ORIGIN, { mediaType: 'audio' })).toBe(true);
    expect(allowPermissionCheck('media', APP_ORIGIN, { mediaType: 'unknown' })).toBe(true);
    expect(allowPermissionCheck('media', APP_ORIGIN, { mediaType: 'video' })).toBe(false);
    expect(allowPermissionCheck('media', 'https://example.com', { mediaType: 'audio' })).toBe(false);
    expect(allowPermissionCheck('media', 'null', {})).toBe(false);
    for (const p of ['hid', 'serial', 'usb', 'notifications', 'clipboard-read']) expect(allowPermissionCheck(p, APP_ORIGIN, {}), p).toBe(false);
  });

  it('is installed on the session for both requests and checks', () => {
    const { electron, state } = createFakeElectron();
    installPermissionPolicy(electron.session.defaultSession);
    const wc = new FakeWebContents();
    const answers: boolean[] = [];
    state.permissionRequest!(wc, 'media', (g) => answers.push(g), { requestingUrl: APP_INDEX_URL, isMainFrame: true, mediaTypes: ['audio'] });
    state.permissionRequest!(wc, 'notifications', (g) => answers.push(g), { requestingUrl: APP_INDEX_URL, isMainFrame: true });
    expect(answers).toEqual([true, false]);
    expect(state.permissionCheck!(wc, 'media', APP_ORIGIN, { mediaType: 'audio' })).toBe(true);
    expect(state.permissionCheck!(null, 'geolocation', APP_ORIGIN, {})).toBe(false);
  });
});
