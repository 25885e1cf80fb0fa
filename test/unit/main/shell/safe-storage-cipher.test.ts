import { beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeElectron, resetFakeElectron } from '../../../support/fake-electron';

vi.mock('electron', async () => (await import('../../../support/fake-electron')).fakeElectronModule());

const { createSafeStorageCipher } = await import('../../../../src-main/shell/safe-storage-cipher');

beforeEach(() => resetFakeElectron());

describe('safeStorage cipher', () => {
  test('encrypts and decrypts through the async API only', async () => {
    const cipher = createSafeStorageCipher('darwin');
    const sealed = await cipher.encrypt('refresh-token-value');
    expect(sealed.toString()).not.toContain('refresh-token-value');
    expect(await cipher.decrypt(sealed)).toEqual({ plaintext: 'refresh-token-value', shouldReEncrypt: false });
    expect(fakeElectron.safeStorage.encryptStringAsync).toHaveBeenCalledOnce();
    expect(fakeElectron.safeStorage.decryptStringAsync).toHaveBeenCalledOnce();
  });

  test('reports no protection, with a platform-specific fix, when the OS offers no key', async () => {
    fakeElectron.safeStorage.asyncAvailable = false;
    expect(await createSafeStorageCipher('darwin').protection()).toMatchObject({ available: false, nextStep: expect.stringMatching(/keychain/i) });
    expect(await createSafeStorageCipher('win32').protection()).toMatchObject({ available: false, nextStep: expect.stringMatching(/Windows/) });
  });

  test("treats Linux's basic_text backend as no protection", async () => {
    fakeElectron.safeStorage.backend = 'basic_text';
    expect(await createSafeStorageCipher('linux').protection()).toMatchObject({ available: false, reason: expect.stringMatching(/fixed one/) });
    fakeElectron.safeStorage.backend = 'gnome_libsecret';
    expect(await createSafeStorageCipher('linux').protection()).toEqual({ available: true });
  });
});
