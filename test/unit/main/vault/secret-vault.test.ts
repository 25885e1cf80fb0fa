import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { openConfKeyValueStore } from '../../../../src-main/storage/conf-key-value-store';
import type { SecretCipher } from '../../../../src-main/vault/secret-cipher';
import { SecretVault } from '../../../../src-main/vault/secret-vault';
import { createAesGcmCipher } from '../../../support/aes-gcm-cipher';
import { temporaryDirectory } from '../../../support/temporary-directory';

const unavailable = { available: false as const, reason: 'no keyring is running.', nextStep: 'Start GNOME Keyring.' };

async function vaultWith(cipher: SecretCipher) {
  const directory = await temporaryDirectory();
  return { vault: new SecretVault(openConfKeyValueStore(directory, 'vault'), cipher), file: join(directory, 'vault.json'), directory };
}

describe('secret vault', () => {
  test('keeps records encrypted on disk, readable only with the key', async () => {
    const { vault, file, directory } = await vaultWith(createAesGcmCipher());
    await vault.put('c1', { refreshToken: 'rt-secret-value', clientSecret: 'client-secret-value' });
    const onDisk = await readFile(file, 'utf8');
    expect(onDisk).not.toContain('rt-secret-value');
    expect(onDisk).not.toContain('client-secret-value');
    expect(await vault.get('c1')).toEqual({ refreshToken: 'rt-secret-value', clientSecret: 'client-secret-value' });
    const otherKey = new SecretVault(openConfKeyValueStore(directory, 'vault'), createAesGcmCipher());
    await expect(otherKey.get('c1')).rejects.toMatchObject({ code: 'vault_unavailable' });
  });

  test('refuses to persist when encryption is unavailable, and says how to fix it', async () => {
    const { vault, file } = await vaultWith(createAesGcmCipher(undefined, unavailable));
    expect(await vault.status()).toEqual({ mode: 'unavailable', problem: 'No keyring is running.', nextStep: unavailable.nextStep });
    await expect(vault.put('c1', { refreshToken: 'rt' })).rejects.toMatchObject({ code: 'vault_unavailable', nextStep: expect.stringContaining('session only') });
    await expect(readFile(file, 'utf8')).rejects.toThrow();
  });

  test('keeps secrets in memory only in the session-only mode the admin chose', async () => {
    const { vault, directory } = await vaultWith(createAesGcmCipher(undefined, unavailable));
    expect((await vault.useSessionOnly(true)).mode).toBe('session-only');
    expect(await vault.put('c1', { refreshToken: 'rt' })).toBe('session-only');
    expect(await vault.get('c1')).toEqual({ refreshToken: 'rt' });
    const afterRestart = new SecretVault(openConfKeyValueStore(directory, 'vault'), createAesGcmCipher(undefined, unavailable));
    expect(await afterRestart.get('c1')).toBeUndefined();
  });

  test('does not offer session-only mode when the keychain works', async () => {
    const { vault } = await vaultWith(createAesGcmCipher());
    await expect(vault.useSessionOnly(true)).rejects.toMatchObject({ code: 'invalid_request' });
  });

  test('merges updates so a rotated refresh token replaces the old one and keeps the rest', async () => {
    const { vault } = await vaultWith(createAesGcmCipher());
    await vault.put('c1', { clientSecret: 's', refreshToken: 'rt-1', accessToken: 'at-1' });
    await Promise.all([vault.update('c1', { refreshToken: 'rt-2', accessToken: 'at-2' })]);
    expect(await vault.get('c1')).toEqual({ clientSecret: 's', refreshToken: 'rt-2', accessToken: 'at-2' });
  });

  test('a token refresh that read the record before a new client secret was written cannot write the old secret back', async () => {
    const inner = createAesGcmCipher();
    let holdNextRead: (() => void) | null = null;
    const held = new Promise<void>((resolve) => (holdNextRead = resolve));
    let holding = false;
    const cipher: SecretCipher = {
      ...inner,
      async decrypt(value) {
        // The refresh's read of the record is slow (a keychain prompt): it ends when the test says so.
        if (holding) {
          holding = false;
          await held;
        }
        return inner.decrypt(value);
      },
    };
    const { vault } = await vaultWith(cipher);
    await vault.put('c1', { clientSecret: 'old-secret', refreshToken: 'rt-1', accessToken: 'at-1' });
    holding = true;
    const refresh = vault.update('c1', { refreshToken: 'rt-2', accessToken: 'at-2' });
    const replace = vault.update('c1', { clientSecret: 'new-secret' });
    // The replacement runs as far as it can while the refresh's read is held (to its end, were nothing ordering them).
    await Promise.race([replace, new Promise((resolve) => setImmediate(resolve))]);
    holdNextRead!();
    await Promise.all([refresh, replace]);
    expect(await vault.get('c1')).toEqual({ clientSecret: 'new-secret', refreshToken: 'rt-2', accessToken: 'at-2' });
  });

  test('writes a record again when the OS asks for re-encryption', async () => {
    const inner = createAesGcmCipher();
    const cipher: SecretCipher = { ...inner, decrypt: vi.fn(async (value: Buffer) => ({ ...(await inner.decrypt(value)), shouldReEncrypt: true })), encrypt: vi.fn(inner.encrypt) };
    const { vault } = await vaultWith(cipher);
    await vault.put('c1', { refreshToken: 'rt' });
    await vault.get('c1');
    expect(cipher.encrypt).toHaveBeenCalledTimes(2);
  });

  test('deletes records', async () => {
    const { vault } = await vaultWith(createAesGcmCipher());
    await vault.put('c1', { refreshToken: 'rt' });
    await vault.delete('c1');
    expect(await vault.get('c1')).toBeUndefined();
    expect(await vault.has('c1')).toBe(false);
  });

  test('creates the activity log key on first use, keeps it encrypted, and hands the same key out after a restart', async () => {
    const cipherKey = randomBytes(32);
    const { vault, file, directory } = await vaultWith(createAesGcmCipher(cipherKey));
    const first = await vault.keyFor('activity-log');
    if (!first.available) throw new Error('expected a key');
    expect(first.created).toBe(true);
    const bytes = first.secret.export();
    expect(bytes).toHaveLength(32);
    const onDisk = await readFile(file, 'utf8');
    for (const form of [bytes.toString('hex'), bytes.toString('base64')]) expect(onDisk).not.toContain(form);
    const afterRestart = await new SecretVault(openConfKeyValueStore(directory, 'vault'), createAesGcmCipher(cipherKey)).keyFor('activity-log');
    expect(afterRestart.available && afterRestart.created).toBe(false);
    expect(afterRestart.available && afterRestart.secret.export()).toEqual(bytes);
  });

  test('has no activity log key without a keychain, even in session-only mode, and says why', async () => {
    const { vault } = await vaultWith(createAesGcmCipher(undefined, unavailable));
    await vault.useSessionOnly(true);
    expect(await vault.keyFor('activity-log')).toEqual({ available: false, reason: 'the keychain is unavailable (no keyring is running)' });
  });

  test('never replaces an activity log key it cannot decrypt', async () => {
    const { vault, directory } = await vaultWith(createAesGcmCipher());
    await vault.keyFor('activity-log');
    const otherUser = new SecretVault(openConfKeyValueStore(directory, 'vault'), createAesGcmCipher());
    expect(await otherUser.keyFor('activity-log')).toEqual({ available: false, reason: 'the key kept in the vault cannot be read on this computer or by this user' });
    const original = await vault.keyFor('activity-log');
    expect(original).toMatchObject({ available: true, created: false });
  });
});
