/**
 * The vault's cipher in Node tests and the browser bridge: real AES-256-GCM with a key the test
 * holds, standing in for Electron safeStorage. Never plaintext, so tests see what the disk sees.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { CipherProtection, SecretCipher } from '../../src-main/vault/secret-cipher';

const version = 1;

export function createAesGcmCipher(key: Buffer = randomBytes(32), protection: CipherProtection = { available: true }): SecretCipher {
  if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key.');
  return {
    protection: async () => protection,
    async encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([version]), iv, cipher.getAuthTag(), body]);
    },
    async decrypt(ciphertext) {
      if (ciphertext[0] !== version) throw new Error('Unknown vault record version.');
      const decipher = createDecipheriv('aes-256-gcm', key, ciphertext.subarray(1, 13));
      decipher.setAuthTag(ciphertext.subarray(13, 29));
      const plaintext = Buffer.concat([decipher.update(ciphertext.subarray(29)), decipher.final()]).toString('utf8');
      return { plaintext, shouldReEncrypt: false };
    },
  };
}
