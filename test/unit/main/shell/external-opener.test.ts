import { beforeEach, describe, expect, test, vi } from 'vitest';
import { AppError } from '../../../../src-main/errors/app-error';
import { createExternalUrlPolicy } from '../../../../src-main/security/external-url-policy';
import { createGuardedOpener } from '../../../../src-main/shell/external-opener';
import { fakeElectron, resetFakeElectron } from '../../../support/fake-electron';

vi.mock('electron', async () => (await import('../../../support/fake-electron')).fakeElectronModule());

describe('guarded opener', () => {
  beforeEach(() => resetFakeElectron());

  test('opens an allowed provider page in the system browser', async () => {
    await createGuardedOpener(createExternalUrlPolicy())('https://login.microsoftonline.com/common/oauth2/v2.0/authorize');
    expect(fakeElectron.shell.openExternal).toHaveBeenCalledWith('https://login.microsoftonline.com/common/oauth2/v2.0/authorize', { activate: true });
  });

  test('refuses anything else with external_url_refused and never reaches the shell', async () => {
    const open = createGuardedOpener(createExternalUrlPolicy());
    for (const url of ['file:///C:/Windows/System32/cmd.exe', 'https://evil.example/', 'smb://server/share']) {
      const error = await open(url).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'external_url_refused' });
    }
    expect(fakeElectron.shell.openExternal).not.toHaveBeenCalled();
  });

  test("opens a custom provider's sign-in page when the connection names its host", async () => {
    await createGuardedOpener(createExternalUrlPolicy())('https://idp.corp.example/authorize', { trustedHosts: ['idp.corp.example'] });
    expect(fakeElectron.shell.openExternal).toHaveBeenCalledWith('https://idp.corp.example/authorize', { activate: true });
  });
});
