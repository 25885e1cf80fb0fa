import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { openElectronStoreFile } from '../../../../src-main/shell/electron-store';
import { ProfileFolder } from '../../../../src-main/storage/profile-file-opening';
import { settingsFile } from '../../../../src-main/storage/profile-files';
import { fakeElectron } from '../../../support/fake-electron';
import { temporaryDirectory } from '../../../support/temporary-directory';

vi.mock('electron', async () => (await import('../../../support/fake-electron')).fakeElectronModule());

// electron-store reads `app` from electron once, when it is imported, and caches userData on first
// use: this file therefore keeps the fake it started with (no reset), and each test names its folder.
describe('electron-store adapter', () => {
  test.skipIf(process.platform === 'win32')('writes its file in userData, readable by the current user only', async () => {
    fakeElectron.app.userData = await temporaryDirectory();
    const store = openElectronStoreFile(fakeElectron.app.userData, 'settings');
    store.set('settings', { theme: 'dark' });
    expect(store.get('settings')).toEqual({ theme: 'dark' });
    const file = await stat(join(fakeElectron.app.userData, 'settings.json'));
    expect(file.mode & 0o777).toBe(0o600);
  });

  test('a settings.json that is not JSON is kept aside and electron-store starts afresh, instead of throwing', async () => {
    const userData = await temporaryDirectory();
    await writeFile(join(userData, 'settings.json'), '{"settings": {"theme": ');
    const profile = new ProfileFolder(userData, { openStoreFile: openElectronStoreFile, clock: () => new Date('2026-12-04T10:11:12Z') });
    const store = profile.open(settingsFile);
    expect(store.get('settings')).toBeUndefined();
    store.set('settings', { theme: 'dark' });
    expect(profile.problems).toEqual([expect.objectContaining({ file: 'settings.json', keptAs: join(userData, 'settings.damaged-2026-12-04T10-11-12Z.json') })]);
    expect(await readFile(join(userData, 'settings.damaged-2026-12-04T10-11-12Z.json'), 'utf8')).toBe('{"settings": {"theme": ');
  });
});
