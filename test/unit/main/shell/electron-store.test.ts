import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { openElectronStore } from '../../../../src-main/shell/electron-store';
import { fakeElectron } from '../../../support/fake-electron';
import { temporaryDirectory } from '../../../support/temporary-directory';

vi.mock('electron', async () => (await import('../../../support/fake-electron')).fakeElectronModule());

// electron-store reads `app` from electron once, when it is imported, and caches userData on first
// use: this file therefore keeps the fake it started with (no reset).
// electron-store caches userData the first time a store is opened in a process, so one test only.
describe('electron-store adapter', () => {
  test.skipIf(process.platform === 'win32')('writes its file in userData, readable by the current user only', async () => {
    fakeElectron.app.userData = await temporaryDirectory();
    const store = openElectronStore('settings');
    store.set('settings', { theme: 'dark' });
    expect(store.get('settings')).toEqual({ theme: 'dark' });
    const file = await stat(join(fakeElectron.app.userData, 'settings.json'));
    expect(file.mode & 0o777).toBe(0o600);
  });
});
