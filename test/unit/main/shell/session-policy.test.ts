import { beforeEach, describe, expect, test, vi } from 'vitest';
import { applySessionPolicy } from '../../../../src-main/shell/session-policy';
import { fakeElectron, resetFakeElectron, type FakeSession } from '../../../support/fake-electron';

vi.mock('electron', async () => (await import('../../../support/fake-electron')).fakeElectronModule());

function policySession(devServerUrl?: string): FakeSession {
  const session = fakeElectron.session.defaultSession;
  applySessionPolicy(session as never, { appOrigin: 'app://consentry', devServerUrl });
  return session;
}

describe('renderer session policy', () => {
  beforeEach(() => resetFakeElectron());

  test('refuses every permission the page asks for', () => {
    const session = policySession();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      session.permissionRequestHandler?.({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(session.permissionCheckHandler?.({}, permission)).toBe(false);
    }
    expect(session.devicePermissionHandler?.({})).toBe(false);
  });

  test('lets the page load its own files and nothing from the network', () => {
    const session = policySession();
    expect(session.isBlocked('app://consentry/assets/index.js')).toBe(false);
    expect(session.isBlocked('data:image/png;base64,AAAA')).toBe(false);
    expect(session.isBlocked('https://accounts.google.com/')).toBe(true);
    expect(session.isBlocked('http://127.0.0.1:8080/')).toBe(true);
    expect(session.isBlocked('wss://evil.example/socket')).toBe(true);
    expect(session.isBlocked('file:///etc/passwd')).toBe(true);
    expect(session.isBlocked('app://other/index.html')).toBe(true);
  });

  test('lets the dev server and its socket through only while developing', () => {
    expect(policySession().isBlocked('http://localhost:5173/src/main.tsx')).toBe(true);
    resetFakeElectron();
    const dev = policySession('http://localhost:5173/');
    expect(dev.isBlocked('http://localhost:5173/src/main.tsx')).toBe(false);
    expect(dev.isBlocked('ws://localhost:5173/')).toBe(false);
    expect(dev.isBlocked('http://localhost:5174/')).toBe(true);
  });

  test('adds a Content-Security-Policy to dev-server pages only when developing', () => {
    expect(policySession().headersReceived).toBeUndefined();
    resetFakeElectron();
    const dev = policySession('http://localhost:5173/');
    let headers: Record<string, string[]> = {};
    dev.headersReceived?.({ url: 'http://localhost:5173/', responseHeaders: {} }, (response: { responseHeaders: Record<string, string[]> }) => {
      headers = response.responseHeaders;
    });
    expect(headers['Content-Security-Policy']?.[0]).toContain("default-src 'none'");
  });
});
