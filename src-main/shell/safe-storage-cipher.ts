import { safeStorage } from 'electron';
import type { CipherProtection, SecretCipher } from '../vault/secret-cipher';

/**
 * The vault's cipher in the desktop app: Electron safeStorage (Keychain on macOS, DPAPI on
 * Windows, libsecret/kwallet on Linux) through its async API, the sync calls being deprecated.
 */
export function createSafeStorageCipher(platform: NodeJS.Platform = process.platform): SecretCipher {
  return {
    async protection(): Promise<CipherProtection> {
      if (!(await safeStorage.isAsyncEncryptionAvailable())) {
        return {
          available: false,
          reason: 'the operating system offers no encryption key to this app.',
          nextStep:
            platform === 'darwin'
              ? 'Unlock your login keychain (Keychain Access) and restart Consentry.'
              : platform === 'win32'
                ? 'Sign in to Windows with your own account (not a temporary profile) and restart Consentry.'
                : 'Start a keyring (GNOME Keyring or KWallet) in your desktop session and restart Consentry.',
        };
      }
      // On Linux without a keyring Chromium falls back to a hard-coded key: that is not protection.
      if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
        return {
          available: false,
          reason: 'no keyring is running, so the only key available is a fixed one that protects nothing.',
          nextStep: 'Start GNOME Keyring or KWallet in your desktop session and restart Consentry.',
        };
      }
      return { available: true };
    },
    encrypt: (plaintext) => safeStorage.encryptStringAsync(plaintext),
    async decrypt(ciphertext) {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(ciphertext);
      return { plaintext: result, shouldReEncrypt };
    },
  };
}
