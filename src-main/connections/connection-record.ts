import { z } from 'zod';
import { CapabilityIdSchema, ConnectionProblemSchema, ConnectionSettingsSchema, ProviderIdSchema, type ConnectionProblem } from '../../src-shared/contract/connections';
import type { AppError } from '../errors/app-error';
import type { ProviderDefinitions } from '../oauth/provider-definitions';
import type { KeyValueStore } from '../storage/key-value-store';
import { capabilityScopes } from '../oauth/connection-resolution';

/**
 * What Consentry remembers about a connection, apart from its secrets (those live in the vault).
 * `state` is what the admin or the provider decided; the displayed status adds the clock to it.
 */
const StoredConnectionSchema = z.object({
  id: z.string(),
  label: z.string(),
  provider: ProviderIdSchema,
  clientId: z.string(),
  hasClientSecret: z.boolean(),
  /** When the admin entered the client secret in use; absent on records written before Consentry recorded it. */
  clientSecretSetAt: z.string().nullable().optional(),
  settings: ConnectionSettingsSchema,
  /** The capabilities the admin allowed; whether each is held is read from `scopesGranted`. */
  capabilities: z.array(CapabilityIdSchema),
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

/**
 * Records written before capabilities had `profile: 'audit' | 'remediate'`. A remediate record keeps
 * the capabilities its granted scopes already cover (nothing more is assumed); an audit record gets
 * none. A custom provider's remediate scopes were asked for with the rest, so they join its read
 * list; on an audit record they were never asked for and are dropped.
 */
function fromProfileRecord(definitions: ProviderDefinitions, input: unknown): unknown {
  if (typeof input !== 'object' || input === null || !('profile' in input) || 'capabilities' in input) return input;
  const { profile, settings, ...rest } = input as Record<string, unknown> & { profile: unknown; settings?: unknown };
  const provider = ProviderIdSchema.safeParse(rest.provider);
  if (!provider.success || (profile !== 'audit' && profile !== 'remediate') || typeof settings !== 'object' || settings === null) return input;
  const { remediateScopes, ...kept } = settings as Record<string, unknown>;
  const migratedSettings =
    profile === 'remediate' && Array.isArray(remediateScopes) && remediateScopes.length > 0
      ? { ...kept, auditScopes: [...new Set([...(Array.isArray(kept.auditScopes) ? kept.auditScopes : []), ...remediateScopes])] }
      : kept;
  const parsedSettings = ConnectionSettingsSchema.safeParse(migratedSettings);
  if (!parsedSettings.success) return input;
  const granted = new Set(Array.isArray(rest.scopesGranted) ? rest.scopesGranted : []);
  const capabilities =
    profile === 'remediate'
      ? capabilityScopes(definitions.get(provider.data), parsedSettings.data)
          .filter((capability) => capability.scopes.every((added) => granted.has(added.scope)))
          .map((capability) => capability.id)
      : [];
  return { ...rest, settings: migratedSettings, capabilities };
}

/** A stored record, migrated first when it predates capabilities (which capabilities a provider has is its preset's). */
export function connectionRecordSchema(definitions: ProviderDefinitions) {
  return z.preprocess((input) => fromProfileRecord(definitions, input), StoredConnectionSchema);
}
export type ConnectionRecord = z.infer<typeof StoredConnectionSchema>;

const recordsKey = 'connections';

/** Connection records in the app's store; a record that fails its schema (a hand edit) is skipped, not fatal. */
export class ConnectionStore {
  readonly #store: KeyValueStore;
  readonly #schema: ReturnType<typeof connectionRecordSchema>;

  constructor(store: KeyValueStore, definitions: ProviderDefinitions) {
    this.#store = store;
    this.#schema = connectionRecordSchema(definitions);
  }

  all(): ConnectionRecord[] {
    const stored = this.#store.get(recordsKey);
    if (!Array.isArray(stored)) return [];
    return stored.flatMap((item) => {
      const parsed = this.#schema.safeParse(item);
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

/** An error as the connection keeps it (`lastError`), with when it happened. */
export function connectionProblem(error: AppError, at: Date): ConnectionProblem {
  return { code: error.code, message: error.message, ...(error.nextStep ? { nextStep: error.nextStep } : {}), at: at.toISOString() };
}
