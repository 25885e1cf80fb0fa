import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { VaultStatus } from '../../src-shared/contract/connections';
import { AppError } from '../errors/app-error';
import type { KeyValueStore } from '../storage/key-value-store';
import type { CipherProtection, SecretCipher } from './secret-cipher';

/** What the vault keeps for one connection. Only main ever holds these values in clear. */
export const ConnectionSecretsSchema = z.object({
  clientSecret: z.string().optional(),
  accessToken: z.string().optional(),
  refreshToken: z.string().optional(),
  /** msal-node's serialized token cache (it holds Microsoft's refresh token). */
  msalCache: z.string().optional(),
});
export type ConnectionSecrets = z.infer<typeof ConnectionSecretsSchema>;

const recordsKey = 'records';
const recordFormat = 'v1';

/** Keys main keeps for itself rather than for a connection, each named by what it is for. */
export type VaultKeyPurpose = 'activity-log';

/** A key of main's own, or why there is none that can be kept across restarts. */
export type VaultKey =
  /** `created`: made just now (none was kept before). */
  | { available: true; secret: KeyObject; created: boolean }
  | { available: false; reason: string };

const keysKey = 'keys';

/**
 * Encrypted secret records over a key-value store and a cipher. When the cipher cannot protect
 * secrets it refuses to persist anything; the admin may then choose session-only mode, which keeps
 * secrets in memory until the app quits.
 */
export class SecretVault {
  readonly #store: KeyValueStore;
  readonly #cipher: SecretCipher;
  readonly #memory = new Map<string, ConnectionSecrets>();
  /** Writes per record run one after another so the newest value is the one left on disk. */
  readonly #queues = new Map<string, Promise<unknown>>();
  #protection: CipherProtection | undefined;
  #sessionOnly = false;

  constructor(store: KeyValueStore, cipher: SecretCipher) {
    this.#store = store;
    this.#cipher = cipher;
  }

  async status(): Promise<VaultStatus> {
    const protection = await this.#currentProtection();
    if (protection.available) return { mode: 'encrypted', problem: null, nextStep: null };
    return {
      mode: this.#sessionOnly ? 'session-only' : 'unavailable',
      // The reason is worded to follow a colon; shown on its own it starts a sentence.
      problem: protection.reason.charAt(0).toUpperCase() + protection.reason.slice(1),
      nextStep: protection.nextStep,
    };
  }

  /** Allowed only while encryption is unavailable: with a working keychain there is no reason to. */
  async useSessionOnly(enabled: boolean): Promise<VaultStatus> {
    const protection = await this.#currentProtection();
    if (protection.available && enabled) {
      throw new AppError('invalid_request', 'Secrets are already encrypted by the operating system; session-only mode is not needed.');
    }
    this.#sessionOnly = enabled;
    return this.status();
  }

  /** Where a record written now would live. */
  async storageFor(): Promise<'encrypted' | 'session-only'> {
    const status = await this.status();
    if (status.mode === 'unavailable') throw this.#unavailable(status);
    return status.mode;
  }

  async put(id: string, secrets: ConnectionSecrets): Promise<'encrypted' | 'session-only'> {
    return this.#serial(id, () => this.#write(id, secrets));
  }

  /**
   * Merges `changes` into the stored record (e.g. a rotated refresh token): read and write in one
   * section of the record, so a token refresh that read the record before a new client secret was
   * written cannot write the old secret back.
   */
  async update(id: string, changes: Partial<ConnectionSecrets>): Promise<void> {
    await this.#serial(id, async () => {
      const current = (await this.#read(id)) ?? {};
      await this.#write(id, { ...current, ...changes });
    });
  }

  async get(id: string): Promise<ConnectionSecrets | undefined> {
    return this.#serial(id, () => this.#read(id));
  }

  async has(id: string): Promise<boolean> {
    await this.#queues.get(id);
    return this.#memory.has(id) || typeof this.#store.get(`${recordsKey}.${id}`) === 'string';
  }

  async delete(id: string): Promise<void> {
    await this.#serial(id, async () => {
      this.#memory.delete(id);
      this.#store.delete(`${recordsKey}.${id}`);
    });
  }

  /**
   * A 32-byte key of main's own (the activity log seals its chain with it), created on first use
   * and kept encrypted like the connection records. Without a keychain there is no key: one kept in
   * memory for the session would seal entries nobody could check after a restart.
   */
  async keyFor(purpose: VaultKeyPurpose): Promise<VaultKey> {
    const storeKey = `${keysKey}.${purpose}`;
    return this.#serial(storeKey, async () => {
      try {
        const protection = await this.#currentProtection();
        if (!protection.available) return { available: false, reason: `the keychain is unavailable (${protection.reason.replace(/\.$/, '')})` };
        const stored = this.#store.get(storeKey);
        if (typeof stored === 'string' && stored.startsWith(`${recordFormat}:`)) {
          const opened = await this.#cipher.decrypt(Buffer.from(stored.slice(recordFormat.length + 1), 'base64'));
          const secret = Buffer.from(opened.plaintext, 'base64');
          if (secret.length !== 32) return { available: false, reason: 'the key kept in the vault is damaged' };
          if (opened.shouldReEncrypt) this.#store.set(storeKey, `${recordFormat}:${(await this.#cipher.encrypt(opened.plaintext)).toString('base64')}`);
          return { available: true, secret: createSecretKey(secret), created: false };
        }
        if (stored !== undefined) return { available: false, reason: 'the key kept in the vault is damaged' };
        const secret = randomBytes(32);
        this.#store.set(storeKey, `${recordFormat}:${(await this.#cipher.encrypt(secret.toString('base64'))).toString('base64')}`);
        return { available: true, secret: createSecretKey(secret), created: true };
      } catch {
        // Never the error itself: it could carry key material.
        return { available: false, reason: 'the key kept in the vault cannot be read on this computer or by this user' };
      }
    });
  }

  /** Only inside the record's section. */
  async #write(id: string, secrets: ConnectionSecrets): Promise<'encrypted' | 'session-only'> {
    const storage = await this.storageFor();
    if (storage === 'session-only') {
      this.#memory.set(id, { ...secrets });
      this.#store.delete(`${recordsKey}.${id}`);
      return storage;
    }
    const ciphertext = await this.#cipher.encrypt(JSON.stringify(ConnectionSecretsSchema.parse(secrets)));
    this.#store.set(`${recordsKey}.${id}`, `${recordFormat}:${ciphertext.toString('base64')}`);
    this.#memory.delete(id);
    return storage;
  }

  /** Only inside the record's section; a record the OS asks to re-encrypt is written again. */
  async #read(id: string): Promise<ConnectionSecrets | undefined> {
    const inMemory = this.#memory.get(id);
    if (inMemory) return { ...inMemory };
    const stored = this.#store.get(`${recordsKey}.${id}`);
    if (typeof stored !== 'string') return undefined;
    if (!stored.startsWith(`${recordFormat}:`)) throw this.#unreadable();
    let opened: { plaintext: string; shouldReEncrypt: boolean };
    try {
      opened = await this.#cipher.decrypt(Buffer.from(stored.slice(recordFormat.length + 1), 'base64'));
    } catch (error) {
      throw this.#unreadable(error);
    }
    const parsed = ConnectionSecretsSchema.safeParse(JSON.parse(opened.plaintext));
    if (!parsed.success) throw this.#unreadable();
    if (opened.shouldReEncrypt) await this.#write(id, parsed.data);
    return parsed.data;
  }

  async #currentProtection(): Promise<CipherProtection> {
    this.#protection ??= await this.#cipher.protection();
    return this.#protection;
  }

  #serial<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(id) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.#queues.set(id, settled);
    void settled.then(() => {
      if (this.#queues.get(id) === settled) this.#queues.delete(id);
    });
    return next;
  }

  #unavailable(status: VaultStatus): AppError {
    return new AppError('vault_unavailable', `Consentry will not store tokens unprotected. ${status.problem ?? 'Encryption is unavailable.'}`, {
      nextStep: `${status.nextStep ?? ''} Or choose "Keep tokens for this session only" on the Connections page.`.trim(),
    });
  }

  #unreadable(cause?: unknown): AppError {
    return new AppError('vault_unavailable', 'The stored tokens of this connection cannot be decrypted on this computer or by this user.', {
      nextStep: 'Reconnect the connection to sign in again; the old tokens will be replaced.',
      cause,
    });
  }
}
