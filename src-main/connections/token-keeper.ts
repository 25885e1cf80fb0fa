/**
 * Keeps each connection's tokens usable: hands main's provider calls an access token (renewed first
 * when about to expire, decrypted from the vault once per token), renews on a timer before expiry,
 * one renewal at a time per connection, with backoff on transient failures and one alert per episode.
 */
import type { ClientFamily } from '../../src-shared/contract/connections';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import type { OAuthClient, TokenGrant } from '../oauth/oauth-client';
import { failureFromTokenCall, OAuthFailure } from '../oauth/oauth-failure';
import type { ProviderDefinition } from '../oauth/provider-definition';
import type { ProviderDefinitions } from '../oauth/provider-definitions';
import { resolveConnection } from '../oauth/connection-resolution';
import type { SecretVault } from '../vault/secret-vault';
import { connectionProblem, type ConnectionRecord } from './connection-record';
import { refreshDueAt } from './connection-status';
import { retryDelayMs } from './refresh-backoff';

/** A desktop notification (through the shell in the app; recorded in tests). */
export type DesktopNotifier = (notice: { title: string; body: string }) => void;

/** The connection records as the lifecycle keeps them: every change goes through `save`. */
export interface ConnectionRecords {
  find(id: string): ConnectionRecord | undefined;
  /** The record, or `not_found`. */
  require(id: string): ConnectionRecord;
  save(record: ConnectionRecord): void;
}

export interface TokenKeeperOptions {
  records: ConnectionRecords;
  definitions: ProviderDefinitions;
  vault: SecretVault;
  clients: Record<ClientFamily, OAuthClient>;
  events: EventHub;
  notify: DesktopNotifier;
  recordActivity(action: string, record: ConnectionRecord, result: 'succeeded' | 'failed', errorCode: string | null, detail: string): Promise<void>;
  clock: () => Date;
  random?: () => number;
}

/** setTimeout takes at most 2^31-1 ms; a later refresh is re-planned when that timer fires. */
const maxTimerMs = 2 ** 31 - 1;
/** Renew before a provider call when the access token has less than this left. */
const accessTokenMarginMs = 60_000;

/** The record after a sign-in or a renewal: what the provider granted and when the new token expires. */
export function withGrant(definition: ProviderDefinition, record: ConnectionRecord, grant: TokenGrant, now: Date): ConnectionRecord {
  const assumed = definition.assumedAccessTokenLifetimeSeconds;
  const expiresAt = grant.accessTokenExpiresAt ?? (assumed ? new Date(now.getTime() + assumed * 1_000) : null);
  return {
    ...record,
    account: grant.account ?? record.account,
    tenant: grant.tenant ?? record.tenant,
    // A provider that does not say what it granted granted what was asked (RFC 6749 §5.1).
    scopesGranted: grant.scopesGranted ?? record.scopesRequested,
    accessTokenIssuedAt: now.toISOString(),
    accessTokenExpiresAt: expiresAt?.toISOString() ?? null,
    msalHomeAccountId: grant.msalHomeAccountId ?? record.msalHomeAccountId,
    failedRefreshes: 0,
    nextRetryAt: null,
  };
}

export class TokenKeeper {
  readonly #options: TokenKeeperOptions;
  readonly #clock: () => Date;
  /** Access tokens read from the vault, for main's own provider calls; dropped whenever the record changes. */
  readonly #accessTokens = new Map<string, string>();
  readonly #refreshes = new Map<string, Promise<ConnectionRecord>>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #closed = false;

  constructor(options: TokenKeeperOptions) {
    this.#options = options;
    this.#clock = options.clock;
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  /**
   * A usable access token for the provider API calls main makes on the connection's behalf,
   * renewed first when it is about to expire. It never leaves main.
   */
  async accessToken(id: string): Promise<string> {
    let record = this.#options.records.require(id);
    const expiresAt = record.accessTokenExpiresAt ? Date.parse(record.accessTokenExpiresAt) : null;
    if (record.state === 'connected' && expiresAt !== null && expiresAt - this.#clock().getTime() < accessTokenMarginMs) {
      await this.refresh(id);
      record = this.#options.records.require(id);
    }
    const expired = record.accessTokenExpiresAt !== null && Date.parse(record.accessTokenExpiresAt) <= this.#clock().getTime();
    // A scan asks before every call: the vault is decrypted once per token, not once per call.
    const known = this.#accessTokens.get(id);
    if (known && !expired) return known;
    const secrets = record.state === 'connected' ? await this.#options.vault.get(id) : null;
    if (!secrets?.accessToken || expired) {
      throw new AppError('needs_reconnect', `${record.label} has no valid access token.`, { nextStep: 'Reconnect it on the Connections page, then try again.' });
    }
    this.#accessTokens.set(id, secrets.accessToken);
    return secrets.accessToken;
  }

  /** The token read for this connection is stale (its record changed, or it was removed). */
  forget(id: string): void {
    this.#accessTokens.delete(id);
  }

  isRefreshing(id: string): boolean {
    return this.#refreshes.has(id);
  }

  /** Renews the access token now; joins a renewal already under way. */
  refresh(id: string): Promise<ConnectionRecord> {
    const running = this.#refreshes.get(id);
    if (running) return running;
    const record = this.#options.records.require(id);
    if (record.state !== 'connected') {
      throw new AppError('needs_reconnect', `${record.label} is not connected, so there is nothing to renew.`, { nextStep: 'Reconnect it first.' });
    }
    const work = this.#refresh(record).finally(() => {
      this.#refreshes.delete(id);
    });
    this.#refreshes.set(id, work);
    this.#options.events.publish('connections.changed', { connectionId: id });
    return work;
  }

  /** Plans the connection's next renewal (its retry after a failure, else before expiry); none unless connected. */
  plan(record: ConnectionRecord): void {
    this.unplan(record.id);
    if (this.#closed || record.state !== 'connected') return;
    const due = record.nextRetryAt ? new Date(record.nextRetryAt) : refreshDueAt(record);
    if (!due) return;
    const wait = Math.max(0, due.getTime() - this.#clock().getTime());
    const timer = setTimeout(
      () => {
        this.#timers.delete(record.id);
        if (wait > maxTimerMs) {
          const current = this.#options.records.find(record.id);
          if (current) this.plan(current);
          return;
        }
        // Failures are recorded on the connection and raised as alerts by the refresh itself.
        Promise.resolve()
          .then(() => this.refresh(record.id))
          .catch(() => undefined);
      },
      Math.min(wait, maxTimerMs),
    );
    timer.unref();
    this.#timers.set(record.id, timer);
  }

  unplan(id: string): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
  }

  async #refresh(record: ConnectionRecord): Promise<ConnectionRecord> {
    this.unplan(record.id);
    const definition = this.#options.definitions.get(record.provider);
    let failure: OAuthFailure;
    try {
      const secrets = await this.#options.vault.get(record.id);
      if (!secrets) throw new OAuthFailure('needs_reconnect', 'The tokens of this connection are gone from the vault.', { nextStep: 'Reconnect to sign in again.' });
      const grant = await this.#options.clients[definition.family].refresh(resolveConnection(this.#options.definitions, record, record.msalHomeAccountId), secrets);
      // The newest refresh token is written before the new access token is used anywhere.
      await this.#options.vault.update(record.id, grant.secrets);
      const now = this.#clock();
      const current = this.#options.records.find(record.id) ?? record;
      const refreshed: ConnectionRecord = { ...withGrant(definition, current, grant, now), lastRefreshAt: now.toISOString(), lastError: null };
      this.#options.records.save(refreshed);
      this.plan(refreshed);
      if (record.failedRefreshes > 0) await this.#options.recordActivity('connection.refresh', refreshed, 'succeeded', null, `Renewed after ${record.failedRefreshes} failed tries.`);
      return refreshed;
    } catch (error) {
      failure = error instanceof OAuthFailure ? error : failureFromTokenCall(error, { providerLabel: definition.label, redirectUri: '' });
    }
    const current = this.#options.records.find(record.id) ?? record;
    const now = this.#clock();
    const failedRefreshes = current.failedRefreshes + 1;
    let next: ConnectionRecord;
    if (failure.transient) {
      const retryAt = new Date(now.getTime() + retryDelayMs(failedRefreshes, this.#options.random));
      next = { ...current, failedRefreshes, nextRetryAt: retryAt.toISOString(), lastError: connectionProblem(failure, this.#clock()) };
    } else {
      next = { ...current, state: failure.code === 'needs_reconnect' ? 'needs_reconnect' : 'error', failedRefreshes, nextRetryAt: null, lastError: connectionProblem(failure, this.#clock()) };
    }
    this.#options.records.save(next);
    this.plan(next);
    await this.#options.recordActivity('connection.refresh', next, 'failed', failure.code, failure.message);
    // Tell the admin once per episode, not at every retry.
    if (current.failedRefreshes === 0 || next.state !== 'connected') this.#alert(next, failure);
    return next;
  }

  #alert(record: ConnectionRecord, failure: AppError): void {
    const message = record.state === 'connected' ? `Renewing the access token failed: ${failure.message}` : failure.message;
    this.#options.events.publish('connections.alert', {
      connectionId: record.id,
      label: record.label,
      code: failure.code,
      message,
      ...(failure.nextStep ? { nextStep: failure.nextStep } : {}),
    });
    this.#options.notify({ title: `Consentry: ${record.label} needs attention`, body: message });
  }
}
