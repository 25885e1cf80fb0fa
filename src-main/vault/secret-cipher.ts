/**
 * Encrypts vault records at rest. The desktop app uses Electron safeStorage (the OS keychain);
 * tests and the browser bridge use AES-256-GCM with a key of their own. Never a plaintext adapter.
 */
export type CipherProtection =
  | { available: true }
  | {
      available: false;
      /** Why secrets cannot be protected, in a sentence the admin can read. */
      reason: string;
      nextStep: string;
    };

export interface SecretCipher {
  protection(): Promise<CipherProtection>;
  encrypt(plaintext: string): Promise<Buffer>;
  /** `shouldReEncrypt`: the OS rotated its key; write the record again with the current one. */
  decrypt(ciphertext: Buffer): Promise<{ plaintext: string; shouldReEncrypt: boolean }>;
}
