/**
 * Every tenant's credentials in one list, as last read: each connection whose provider has a
 * credentials adapter is read through its own scheduler (all tenants at once), each credential
 * gets its key and the policy's status, and each connection a source that says how it was read,
 * so a tenant that could not be read is never shown as clean. Consentry's own client secrets are
 * listed from the connections. The list is kept in memory and checked again when the policy
 * changes; lookups by key are a map read, so 10,000 rows cost nothing to query.
 */
import type { ConnectionView } from '../../src-shared/contract/connections';
import type { Credential, CredentialInventory, CredentialPolicy, CredentialSource } from '../../src-shared/contract/credentials';
import type { Settings } from '../../src-shared/contract/settings';
import type { ProviderId } from '../../src-shared/domain/ids';
import type { ConnectionService } from '../connections/connection-service';
import { holdsCapability, missingCapabilityScopes } from '../connections/connection-views';
import type { TenantGateway } from '../connections/tenant-gateway';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import { credentialKey } from './credential-key';
import { credentialPolicyFrom, evaluateCredential } from './credential-policy';
import type { CredentialReading, ProviderCredentials, ReadCredential } from './credentials-port';
import { countInWords } from '../../src-shared/domain/count-in-words';

/** A connection in one of these states has tokens a read can use. */
const readyStatuses = new Set<ConnectionView['status']>(['active', 'expiring_soon', 'expired', 'refreshing', 'refresh_failing']);

/**
 * Okta lists API tokens only with a scope the credentials capability adds (okta.apiTokens.read);
 * Entra, Google Cloud and Zendesk list credentials with the audit scopes every connection holds.
 */
export const providersReadingWithCapability: readonly ProviderId[] = ['okta'];
/** Google Cloud keys are read per project the admin names. */
const providersReadingProjects: readonly ProviderId[] = ['google'];

export const connectionSecretId = 'client_secret';

export interface CredentialInventoryOptions {
  adapters: Partial<Record<ProviderId, ProviderCredentials>>;
  connections: Pick<ConnectionService, 'list' | 'view' | 'clientSecretEnteredAt'>;
  gateway: Pick<TenantGateway, 'context'>;
  cloudProjects: { of(connectionId: string): string[] };
  settings: { get(): Settings };
  events: Pick<EventHub, 'publish' | 'subscribe'>;
  /** Told after every read (the expiry alerts). */
  afterRead?: (credentials: Iterable<Credential>) => void;
  reportUnexpected: (context: string, error: unknown) => void;
  clock?: () => Date;
}

interface ConnectionPart {
  source: CredentialSource;
  keys: string[];
}


export class CredentialInventoryStore {
  readonly #options: CredentialInventoryOptions;
  readonly #clock: () => Date;
  readonly #rows = new Map<string, Credential>();
  readonly #parts = new Map<string, ConnectionPart>();
  /** Reads under way, per connection: a second ask joins the first. */
  readonly #reading = new Map<string, Promise<void>>();
  #policy: CredentialPolicy;
  #readAt: string | null = null;
  /** The connections in the order the connection service lists them. */
  #order: string[] = [];
  /** The first read of every connection, once asked for. */
  #firstRead: Promise<void> | null = null;
  #rotationOf: (key: string) => string | null = () => null;
  readonly #unsubscribe: () => void;

  constructor(options: CredentialInventoryOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
    this.#policy = credentialPolicyFrom(options.settings.get());
    this.#unsubscribe = options.events.subscribe((event, payload) => {
      if (event === 'settings.changed') this.#policyChanged(payload as Settings);
      if (event === 'connections.changed') this.#connectionChanged((payload as { connectionId: string }).connectionId);
    });
  }

  close(): void {
    this.#unsubscribe();
  }

  /** The rotation runner tells which credential has an unfinished rotation. */
  useRotations(rotationOf: (key: string) => string | null): void {
    this.#rotationOf = rotationOf;
  }

  /** The inventory as last read; read once on the first ask. */
  async inventory(): Promise<CredentialInventory> {
    // A read of one connection (a project named, a rotation) does not stand for the first read of all.
    await (this.#firstRead ??= this.read().catch((error: unknown) => {
      this.#firstRead = null;
      throw error;
    }));
    return this.snapshot();
  }

  /** Connection by connection in the Connections page's order, each in the order its provider listed them. */
  snapshot(): CredentialInventory {
    const parts = [...this.#parts.entries()].sort(([a], [b]) => this.#positionOf(a) - this.#positionOf(b)).map(([, part]) => part);
    const credentials: Credential[] = [];
    for (const part of parts) {
      for (const key of part.keys) {
        const row = this.#rows.get(key)!;
        const rotationId = this.#rotationOf(key);
        credentials.push(rotationId === row.rotationId ? row : { ...row, rotationId });
      }
    }
    return { credentials, sources: parts.map((part) => part.source), policy: this.#policy, readAt: this.#readAt, reading: this.#reading.size > 0 };
  }

  #positionOf(connectionId: string): number {
    const position = this.#order.indexOf(connectionId);
    return position === -1 ? Number.MAX_SAFE_INTEGER : position;
  }

  credential(key: string): Credential | null {
    const row = this.#rows.get(key);
    return row ? { ...row, rotationId: this.#rotationOf(key) } : null;
  }

  /**
   * The connection's credentials read again after a change (a rotation, a revocation, projects
   * named): a read already under way may have started before it, so this one follows it.
   */
  async reread(connectionId: string): Promise<void> {
    await this.#reading.get(connectionId);
    await this.read([connectionId]);
  }

  /**
   * Reads the named connections again (every one when none is named). A full read also drops the
   * rows of connections that are gone or disconnected.
   */
  async read(connectionIds?: readonly string[]): Promise<void> {
    const { connections } = await this.#options.connections.list();
    this.#order = connections.map((view) => view.id);
    const chosen = connectionIds ? connections.filter((view) => connectionIds.includes(view.id)) : connections;
    const listed = chosen.filter((view) => view.status !== 'revoked' || view.hasClientSecret);
    if (!connectionIds) {
      const kept = new Set(listed.map((view) => view.id));
      for (const connectionId of [...this.#parts.keys()]) if (!kept.has(connectionId)) this.#drop(connectionId);
    }
    await Promise.all(listed.map((view) => this.#readJoined(view)));
    this.#readAt = this.#clock().toISOString();
    this.#options.events.publish('credentials.changed', { connectionId: connectionIds?.length === 1 ? connectionIds[0]! : null });
    this.#options.afterRead?.(this.#rows.values());
  }

  #readJoined(view: ConnectionView): Promise<void> {
    const running = this.#reading.get(view.id);
    if (running) return running;
    const work = this.#readConnection(view)
      .catch((error: unknown) => {
        this.#options.reportUnexpected(`reading the credentials of ${view.label}`, error);
        // Listed as not read, never left out: a tenant missing from the list would look clean.
        this.#replace(view, this.#unexpectedFailure(view), [], this.#clock().toISOString());
      })
      .finally(() => this.#reading.delete(view.id));
    this.#reading.set(view.id, work);
    return work;
  }

  async #readConnection(view: ConnectionView): Promise<void> {
    const readAt = this.#clock().toISOString();
    const adapter = this.#options.adapters[view.provider];
    const base = { connectionId: view.id, tenantLabel: view.label, provider: view.provider, nextStep: null, missingScopes: [], count: 0, readAt: null };
    const rows: ReadCredential[] = [];
    let source: CredentialSource;
    if (!adapter) {
      source = { ...base, state: 'not_supported', message: `${view.providerLabel} offers no API that lists its keys or tokens; review them in its admin console.` };
    } else if (view.status === 'revoked') {
      source = { ...base, state: 'failed', message: `${view.label} is disconnected, so its credentials were not read.`, nextStep: 'Reconnect it on the Connections page to list them.' };
    } else if (!readyStatuses.has(view.status)) {
      source = { ...base, state: 'failed', message: `${view.label} needs signing in again, so its credentials were not read.`, nextStep: 'Reconnect it on the Connections page, then read again.' };
    } else if (providersReadingWithCapability.includes(view.provider) && !holdsCapability(view, 'credentials')) {
      const missing = missingCapabilityScopes(view, 'credentials');
      source = {
        ...base,
        state: 'missing_scopes',
        message: `Listing ${view.providerLabel} API tokens needs the credentials permission${missing.length ? ` (${missing.join(', ')})` : ''}.`,
        nextStep: 'Allow “Rotate keys and secrets” for that connection (a sign-in that asks only for those scopes), then read again.',
        missingScopes: missing,
      };
    } else if (providersReadingProjects.includes(view.provider) && this.#options.cloudProjects.of(view.id).length === 0) {
      source = {
        ...base,
        state: 'needs_projects',
        message: 'No Google Cloud project is named, so no service-account key or API key was read.',
        nextStep: 'Name the projects whose keys to list (Credentials › Cloud projects), then read again.',
      };
    } else {
      const read = await this.#readAdapter(adapter, view);
      rows.push(...read.rows);
      source = { ...base, ...read.source, readAt };
    }
    const own = this.#clientSecretRow(view);
    if (own) rows.push(own);
    this.#replace(view, source, rows, readAt);
  }

  async #readAdapter(adapter: ProviderCredentials, view: ConnectionView): Promise<{ rows: ReadCredential[]; source: Pick<CredentialSource, 'state' | 'message' | 'nextStep' | 'missingScopes' | 'count'> }> {
    let reading: CredentialReading;
    try {
      reading = await adapter.read(this.#options.gateway.context(view.id), { cloudProjects: this.#options.cloudProjects.of(view.id) });
    } catch (error) {
      const failure = error instanceof AppError ? error : null;
      if (!failure) this.#options.reportUnexpected(`reading the credentials of ${view.label}`, error);
      const state = failure?.code === 'permission_denied' ? 'missing_scopes' : 'failed';
      return {
        rows: [],
        source: {
          state,
          message: failure ? `${failure.message}${failure.code === 'permission_denied' ? '' : ` (${failure.code})`}` : `${view.providerLabel} answered in a way Consentry could not read (provider_error).`,
          nextStep: failure?.nextStep ?? 'Read again; if it keeps failing, check the connection on the Connections page.',
          missingScopes: [],
          count: 0,
        },
      };
    }
    const { credentials, problems } = reading;
    const count = credentials.length;
    const missingScopes = [...new Set(problems.flatMap((problem) => problem.missingScopes))];
    if (problems.length === 0) return { rows: credentials, source: { state: 'read', message: `Read ${countInWords(count, 'credential')}.`, nextStep: null, missingScopes, count } };
    const notRead = problems.map((problem) => `${problem.what} (${problem.message})`).join('; ');
    const allPermission = problems.every((problem) => problem.code === 'permission_denied' || problem.missingScopes.length > 0);
    const nextStep = missingScopes.length > 0 ? `Grant ${missingScopes.join(', ')} to the account or app Consentry signs in with, then read again.` : 'Read again; what was read is listed meanwhile.';
    if (count === 0 && allPermission) return { rows: [], source: { state: 'missing_scopes', message: `Nothing could be read without more permission: ${notRead}.`, nextStep, missingScopes, count } };
    return { rows: credentials, source: { state: 'partial', message: `Read ${countInWords(count, 'credential')}; not read: ${notRead}.`, nextStep, missingScopes, count } };
  }

  #unexpectedFailure(view: ConnectionView): CredentialSource {
    return {
      connectionId: view.id,
      tenantLabel: view.label,
      provider: view.provider,
      state: 'failed',
      message: `Reading the credentials of ${view.label} stopped on an unexpected error (provider_error); none of them is listed.`,
      nextStep: 'Read again; if it keeps failing, check the connection on the Connections page.',
      missingScopes: [],
      count: 0,
      readAt: null,
    };
  }

  /** The client secret the admin entered for the connection (kept in the vault): its age is what Consentry knows. */
  #clientSecretRow(view: ConnectionView): ReadCredential | null {
    if (!view.hasClientSecret) return null;
    const enteredAt = this.#options.connections.clientSecretEnteredAt(view.id);
    const lastUsedAt = view.lastRefreshAt ?? view.connectedAt;
    const usedNote = lastUsedAt ? 'Consentry’s last token renewal with it.' : 'Not used since it was entered.';
    return {
      kind: 'connection_client_secret',
      ownerKind: 'connection',
      ownerId: view.id,
      ownerName: view.label,
      credentialId: connectionSecretId,
      displayName: `Client secret of ${view.label}`,
      hint: null,
      createdAt: enteredAt ?? null,
      expiresAt: null,
      lastUsedAt,
      // Consentry renews the connection's tokens with it itself, so it knows.
      lastUseKnown: true,
      lastUsedNote: enteredAt === undefined ? `Age unknown: entered before Consentry recorded it. ${usedNote}` : usedNote,
      restrictions: null,
      disabled: false,
      managedBy: 'admin',
      rotation: { mode: 'api', note: null },
      revocable: false,
    };
  }

  #replace(view: ConnectionView, source: CredentialSource, read: readonly ReadCredential[], readAt: string): void {
    for (const key of this.#parts.get(view.id)?.keys ?? []) this.#rows.delete(key);
    const now = this.#clock();
    const keys: string[] = [];
    for (const credential of read) {
      const key = credentialKey(view.id, credential.kind, credential.ownerId, credential.credentialId);
      if (this.#rows.has(key)) continue;
      keys.push(key);
      const { status, findings } = evaluateCredential(credential, this.#policy, now);
      this.#rows.set(key, { ...credential, key, connectionId: view.id, tenantLabel: view.label, provider: view.provider, status, findings, readAt, rotationId: this.#rotationOf(key) });
    }
    this.#parts.set(view.id, { source, keys });
  }

  #drop(connectionId: string): void {
    for (const key of this.#parts.get(connectionId)?.keys ?? []) this.#rows.delete(key);
    this.#parts.delete(connectionId);
  }

  /** The policy's status is re-applied to every row read (no provider call). */
  #reapply(): void {
    const now = this.#clock();
    for (const [key, row] of this.#rows) this.#rows.set(key, { ...row, ...evaluateCredential(row, this.#policy, now) });
  }

  #policyChanged(settings: Settings): void {
    const next = credentialPolicyFrom(settings);
    if (JSON.stringify(next) === JSON.stringify(this.#policy)) return;
    this.#policy = next;
    this.#reapply();
    this.#options.events.publish('credentials.changed', { connectionId: null });
  }

  /**
   * A removed connection's rows go with it; one that is now ready after a read that could not
   * reach it (not signed in, a permission missing) is read again. Nothing here may throw into the
   * publisher.
   */
  #connectionChanged(connectionId: string): void {
    let view: ConnectionView;
    try {
      view = this.#options.connections.view(connectionId);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'not_found') || !this.#parts.has(connectionId)) return;
      this.#drop(connectionId);
      this.#options.events.publish('credentials.changed', { connectionId });
      return;
    }
    if (this.#firstRead === null || this.#reading.has(connectionId) || !readyStatuses.has(view.status)) return;
    if (!this.#options.adapters[view.provider] && !view.hasClientSecret) return;
    const state = this.#parts.get(connectionId)?.source.state;
    if (state !== undefined && state !== 'failed' && state !== 'missing_scopes') return;
    this.read([connectionId]).catch((error: unknown) => this.#options.reportUnexpected(`reading the credentials of ${view.label}`, error));
  }
}
