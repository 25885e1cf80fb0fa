import { beforeEach, describe, expect, test, vi } from 'vitest';
import { FakeNotification, resetFakeElectron } from '../../../support/fake-electron';

vi.mock('electron', async () => (await import('../../../support/fake-electron')).fakeElectronModule());

const { createDesktopNotifier } = await import('../../../../src-main/shell/desktop-notifier');

beforeEach(() => resetFakeElectron());

describe('desktop notifier', () => {
  test('shows an OS notification with the title and body', () => {
    createDesktopNotifier()({ title: 'Consentry: Contoso needs attention', body: 'Renewing the access token failed.' });
    expect(FakeNotification.instances).toHaveLength(1);
    expect(FakeNotification.instances[0]!.options).toMatchObject({ title: 'Consentry: Contoso needs attention' });
    expect(FakeNotification.instances[0]!.show).toHaveBeenCalledOnce();
  });

  test('does nothing where the OS has no notifications', () => {
    FakeNotification.supported = false;
    createDesktopNotifier()({ title: 't', body: 'b' });
    expect(FakeNotification.instances).toHaveLength(0);
  });
});
