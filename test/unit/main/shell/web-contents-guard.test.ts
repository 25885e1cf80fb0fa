import { beforeEach, describe, expect, test, vi } from 'vitest';
import { guardAllWebContents } from '../../../../src-main/shell/web-contents-guard';
import { fakeElectron, FakeWebContents, resetFakeElectron } from '../../../support/fake-electron';

vi.mock('electron', async () => (await import('../../../support/fake-electron')).fakeElectronModule());

function guardedContents() {
  const openExternal = vi.fn(async (_url: string) => undefined);
  const reportRefusal = vi.fn();
  guardAllWebContents(fakeElectron.app as never, {
    isAppUrl: (url) => url.startsWith('app://consentry/'),
    openExternal,
    reportRefusal,
  });
  const contents = new FakeWebContents();
  fakeElectron.app.emit('web-contents-created', {}, contents);
  return { contents, openExternal, reportRefusal };
}

function emitCancellable(contents: FakeWebContents, event: string, ...args: unknown[]) {
  const preventDefault = vi.fn();
  contents.emit(event, { preventDefault }, ...args);
  return preventDefault;
}

describe('web contents guard', () => {
  beforeEach(() => resetFakeElectron());

  test('stops navigation away from the app and lets in-app navigation through', () => {
    const { contents, reportRefusal } = guardedContents();
    expect(emitCancellable(contents, 'will-navigate', 'https://evil.example/')).toHaveBeenCalled();
    expect(emitCancellable(contents, 'will-navigate', 'file:///etc/passwd')).toHaveBeenCalled();
    expect(emitCancellable(contents, 'will-navigate', 'app://consentry/index.html')).not.toHaveBeenCalled();
    expect(reportRefusal).toHaveBeenCalledWith('navigation', 'https://evil.example/');
  });

  test('stops redirects away from the app', () => {
    const { contents } = guardedContents();
    expect(emitCancellable(contents, 'will-redirect', 'https://evil.example/')).toHaveBeenCalled();
  });

  test('never opens a window; hands the link to the guarded opener instead', () => {
    const { contents, openExternal } = guardedContents();
    expect(contents.windowOpenHandler?.({ url: 'https://accounts.google.com/' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://accounts.google.com/');
  });

  test('refuses to attach a webview', () => {
    const { contents } = guardedContents();
    expect(emitCancellable(contents, 'will-attach-webview', {}, {})).toHaveBeenCalled();
  });
});
