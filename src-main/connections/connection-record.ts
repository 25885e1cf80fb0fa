import { z } from 'zod';
import { AccessProfileSchema, ConnectionProblemSchema, ConnectionSettingsSchema, ProviderIdSchema } from '../../src-preload/contract';
import type { KeyValueStore } from '../storage/key-value-store';

/**
 * What Consentry remembers about a connection, apart from its secrets (those live in the vault).
 * `state` is what the admin or the provider decided; the displayed status adds the clock to it.
 */
export const ConnectionRecordSchema = z.object({
  id: z.string(),
  label: z.string(),
  provider: ProviderIdSchema,
  clientId: z.string(),
  hasClientSecret: z.boolean(),
  settings: ConnectionSettingsSchema,
  profile: AccessProfileSchema,
  state: z.enum(['connected', 'needs_reconnect', 'revoked', 'error']),
  account: z.string().nullable(),
  tenant: z.string().nullable(),
  scopesRequested: z.array(z.string()),
  scopesGranted: z.array(z.string()),
  storage: z.enum(['encrypted', 'session-only']),
  createdAt: z.string(),
  connectedAt: z.string().nullable(),
  accessTokenIssuedAt: z.string().nullable(),
  accessTokenExpiresAt: z.string().nullable(),
  lastRefreshAt: z.string().nullable(),
  lastError: ConnectionProblemSchema.nullable(),
  /** Refresh failures in a row; reset by a success. */
  failedRefreshes: z.number().int().nonnegative(),
  nextRetryAt: z.string().nullable(),
  msalHomeAccountId: z.string().nullable(),
  /** Connected to the built-in sample workspace, not a real tenant. */
  sample: z.boolean().default(false),
});
export type ConnectionRecord = z.infer<typeof ConnectionRecordSchema>;

const recordsKey = 'connections';

/** Connection records in the app's store; a record that fails its schema (a hand edit) is skipped, not fatal. */
export class ConnectionStore {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  all(): ConnectionRecord[] {
    const stored = this.#store.get(recordsKey);
    if (!Array.isArray(stored)) return [];
    return stored.flatMap((item) => {
      const parsed = ConnectionRecordSchema.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    });
  }

  get(id: string): ConnectionRecord | undefined {
    return this.all().find((record) => record.id === id);
  }

  save(record: ConnectionRecord): void {
    const records = this.all();
    const index = records.findIndex((existing) => existing.id === record.id);
    if (index === -1) records.push(record);
    else records[index] = record;
    this.#store.set(recordsKey, records);
  }

  remove(id: string): void {
    this.#store.set(
      recordsKey,
      this.all().filter((record) => record.id !== id),
    );
  }
}
