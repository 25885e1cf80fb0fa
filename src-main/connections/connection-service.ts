import { randomUUID } from 'node:crypto';
import type { ClientFamily, ConnectAttempt, ConnectionDraft, ConnectionList, ConnectionPreview, ConnectionPreviewRequest, ConnectionProblem, ConnectionSettings, ConnectionView, DisconnectOutcome, ProviderCatalog, VaultStatus } from '../../src-shared/contract/connections';
import type { CapabilityId } from '../../src-shared/domain/ids';
import { ConnectionDraftSchema, ConnectionPreviewRequestSchema } from '../../src-shared/contract/connections';
import { capabilityIds } from '../../src-shared/domain/ids';
import type { ActivityService } from '../activity/activity-service';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import { defaultAuthorizationTimeoutMs } from '../oauth/loopback-listener';
import type { OAuthClient, ResolvedConnection, TokenGrant } from '../oauth/oauth-client';
import { failureFromTokenCall, OAuthFailure } from '../oauth/oauth-failure';
import { providerDefinition, providerDefinitions } from '../oauth/provider-catalog';
import type { SecretVault } from '../vault/secret-vault';
import type { ConnectionRecord, ConnectionStore } from './connection-record';
import { computeStatus, refreshDueAt } from './connection-status';
import { retryDelayMs } from './refresh-backoff';
import { capabilityScopes, previewConnection, redirectFor, requestedScopes, resolveConnection } from '../oauth/connection-resolution';

/** A desktop notification (through the shell in the app; recorded in tests). */
export type DesktopNotifier = (notice: { title: string; body: string }) => void;

export interface ConnectionServiceOptions {
  store: ConnectionStore;
  vault: SecretVault;
  clients: Record<ClientFamily, OAuthClient>;
  /** The guarded opener: the only way to the system browser. */
  openBrowser: (url: string, context: { trustedHosts: readonly string[] }) => Promise<void>;
  notify: DesktopNotifier;
  activity: ActivityService;
  events: EventHub;
  clock?: () => Date;
  random?: () => number;
  authorizationTimeoutMs?: number;
  /** Why the vault may have lost tokens since the last run (its file was damaged and set aside), told on each connection that needs a reconnect. */
  missingTokensReason?: string;
}

/** setTimeout takes at most 2^31-1 ms; a later refresh is re-planned when that timer fires. */
const maxTimerMs = 2 ** 31 - 1;
/** Renew before a provider call when the access token has less than this left. */
const accessTokenMarginMs = 60_000;

/**
 * Connections and their lifecycle: connect in the system browser, keep tokens fresh (one refresh
 * at a time per connection, backoff on transient failures), reconnect, disconnect with revocation.
 */
export class ConnectionService {
  /** Access tokens read from the vault, for main's own provider calls; dropped whenever the record changes. */
  readonly #accessTokens = new Map<string, string>();
  readonly #options: ConnectionServiceOptions;
  readonly #clock: () => Date;
  readonly #attempts = new Map<string, AbortController>();
  readonly #refreshes = new Map<string, Promise<ConnectionView>>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #closed = false;

  constructor(options: ConnectionServiceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** Plans the refresh of every live connection; tokens kept session-only did not survive a restart. */
  async start(): Promise<void> {
    for (const record of this.#options.store.all()) {
      if (record.state !== 'connected') continue;
      if (record.sample) {
        // The sample workspace runs inside Consentry and starts afresh with each run.
        this.#save({
          ...record,
          state: 'needs_reconnect',
          lastError: this.#problem(new AppError('needs_reconnect', 'The sample workspace starts afresh each time Consentry starts.', { nextStep: 'Choose "Explore the sample workspace" to connect it again.' })),
        });
        continue;
      }
      if (!(await this.#options.vault.has(record.id))) {
        const why = record.storage === 'session-only' ? 'Its tokens were kept for the last session only.' : (this.#options.missingTokensReason ?? 'Its tokens are missing from the vault.');
        this.#save({
          ...record,
          state: 'needs_reconnect',
          lastError: this.#problem(new AppError('needs_reconnect', why, { nextStep: 'Reconnect to sign in again.' })),
        });
        continue;
      }
      this.#plan(record);
    }
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    for (const controller of this.#attempts.values()) controller.abort();
  }

  catalog(): ProviderCatalog {
    return {
      providers: providerDefinitions.map((definition) => ({
        id: definition.id,
        label: definition.label,
        family: definition.family,
        summary: definition.summary,
        fields: definition.fields,
        clientSecret: definition.clientSecret,
        clientSecretNote: definition.clientSecretNote,
        registration: definition.registration,
        manualRevocation: definition.manualRevocation({}),
        scopes: definition.scopes,
        capabilities: capabilityScopes(definition, {}),
        scopesEditable: definition.scopesEditable,
        revocation: definition.revocation.kind === 'none' ? 'none' : definition.revocation.kind === 'rfc7009' ? 'standard' : 'provider-call',
        clouds: definition.clouds,
      })),
    };
  }

  async list(): Promise<ConnectionList> {
    return { connections: this.#options.store.all().map((record) => this.#view(record)), vault: await this.#options.vault.status() };
  }

  preview(request: ConnectionPreviewRequest): ConnectionPreview {
    return previewConnection({ ...ConnectionPreviewRequestSchema.parse(request), clientId: '' });
  }

  useSessionOnly(enabled: boolean): Promise<VaultStatus> {
    return this.#options.vault.useSessionOnly(enabled);
  }

  /** `sample`: a connection to the built-in sample workspace, whose public client has no secret. */
  async connect(attemptId: string, input: ConnectionDraft, options: { sample?: boolean } = {}): Promise<ConnectionView> {
    const draft = ConnectionDraftSchema.parse(input);
    const resolved = resolveConnection(draft);
    const definition = resolved.definition;
    if (definition.clientSecret === 'required' && !draft.clientSecret && !options.sample) {
      throw new AppError('invalid_request', `${definition.label} needs the client secret too.`, { fields: [{ field: 'clientSecret', message: definition.clientSecretNote }] });
    }
    const now = this.#clock().toISOString();
    const supported = new Set(capabilityScopes(definition, draft.settings).map((capability) => capability.id));
    const record: ConnectionRecord = {
      id: randomUUID(),
      label: draft.label,
      provider: draft.provider,
      clientId: draft.clientId,
      hasClientSecret: draft.clientSecret !== undefined,
      settings: draft.settings,
      capabilities: capabilityIds.filter((id) => supported.has(id) && draft.capabilities.includes(id)),
      state: 'connected',
      account: null,
      tenant: null,
      scopesRequested: resolved.scopes,
      scopesGranted: [],
      storage: 'encrypted',
      createdAt: now,
      connectedAt: null,
      accessTokenIssuedAt: null,
      accessTokenExpiresAt: null,
      lastRefreshAt: null,
      lastError: null,
      failedRefreshes: 0,
      nextRetryAt: null,
      msalHomeAccountId: null,
      sample: options.sample ?? false,
    };
    return this.#authorize(attemptId, record, resolved, draft.clientSecret ? { clientSecret: draft.clientSecret } : {}, 'connection.connect');
  }

  /**
   * Signs in again with the connection's settings and allowed capabilities; `settings` replaces the
   * settings (the sample workspace moves to new ports at each start).
   */
  async reconnect(id: string, attemptId: string, settings?: ConnectionSettings): Promise<ConnectionView> {
    const stored = this.#record(id);
    const record = settings ? { ...stored, settings } : stored;
    const resolved = resolveConnection(record, record.msalHomeAccountId);
    return this.#authorize(attemptId, { ...record, scopesRequested: resolved.scopes }, resolved, await this.#storedSecrets(record), 'connection.reconnect');
  }

  /**
   * Allows a capability when it is first used. A sign-in asks for the base scopes, the capabilities
   * held and this one (incremental consent), and no more; when the scopes it needs are granted
   * already (Google's revoke_grants adds none), nothing is asked and no browser opens.
   */
  async enableCapability(id: string, attemptId: string, capability: CapabilityId): Promise<ConnectionView> {
    const record = this.#record(id);
    const definition = providerDefinition(record.provider);
    const wanted = capabilityScopes(definition, record.settings).find((candidate) => candidate.id === capability);
    if (!wanted) {
      throw new AppError('not_supported', `${definition.label} offers nothing Consentry could do for "${capability}".`, { nextStep: 'Nothing was asked for; choose a capability this provider supports.' });
    }
    const action = `connection.capability.${capability}`;
    const granted = new Set(record.scopesGranted);
    if (wanted.scopes.every((added) => granted.has(added.scope))) {
      const allowed: ConnectionRecord = { ...record, capabilities: capabilityIds.filter((candidate) => candidate === capability || record.capabilities.includes(candidate)) };
      this.#save(allowed);
      await this.#recordActivity(action, allowed, 'succeeded', null, wanted.scopes.length === 0 ? 'Allowed; it needs no scope beyond the audit scopes, so nothing was asked.' : 'Allowed; the scopes it needs were granted already, so nothing was asked.');
      return this.#view(allowed);
    }
    // Allowed capabilities whose scopes are missing are not asked for again unless the admin allows them anew.
    const held = this.#capabilities(record).filter((candidate) => candidate.held).map((candidate) => candidate.id);
    const next = { ...record, capabilities: capabilityIds.filter((candidate) => candidate === capability || held.includes(candidate)) };
    const resolved = resolveConnection(next, record.msalHomeAccountId);
    return this.#authorize(attemptId, { ...next, scopesRequested: resolved.scopes }, resolved, await this.#storedSecrets(record), action);
  }

  /**
   * Stops a capability at once: Consentry no longer holds it, whatever the provider still grants,
   * and no later sign-in asks for its scopes. No browser opens: Google (include_granted_scopes) and
   * Entra (consented permissions) keep granting scopes until they are removed there, so a sign-in
   * alone could not take them back; the activity entry names what stays granted.
   */
  async disableCapability(id: string, capability: CapabilityId): Promise<ConnectionView> {
    const record = this.#record(id);
    const definition = providerDefinition(record.provider);
    const stopped: ConnectionRecord = { ...record, capabilities: record.capabilities.filter((candidate) => candidate !== capability) };
    this.#save(stopped);
    const stillAsked = new Set(requestedScopes(definition, record.settings, stopped.capabilities).map((asked) => asked.scope));
    const still = (capabilityScopes(definition, record.settings).find((candidate) => candidate.id === capability)?.scopes ?? [])
      .map((added) => added.scope)
      .filter((scope) => record.scopesGranted.includes(scope) && !stillAsked.has(scope));
    await this.#recordActivity(
      `connection.capability.${capability}.stopped`,
      stopped,
      'succeeded',
      null,
      still.length === 0 ? 'Stopped; no scope of it is left granted.' : `Stopped; Consentry no longer uses it. Still granted until removed at the provider or by a reconnect: ${still.join(' ')}.`,
    );
    return this.#view(stopped);
  }

  /** The connections made to the built-in sample workspace. */
  sampleConnections(): ConnectionView[] {
    return this.#options.store
      .all()
      .filter((record) => record.sample)
      .map((record) => this.#view(record));
  }

  /**
   * How many provider API calls a minute Consentry may make for this tenant (the quota of the
   * admin's own project); null goes back to the provider's documented default.
   */
  async setApiQuota(id: string, quotaPerMinute: number | null): Promise<ConnectionView> {
    const record = this.#record(id);
    const { apiQuotaPerMinute: _previous, ...settings } = record.settings;
    const updated: ConnectionRecord = { ...record, settings: quotaPerMinute === null ? settings : { ...settings, apiQuotaPerMinute: quotaPerMinute } };
    this.#save(updated);
    await this.#recordActivity('connection.setApiQuota', updated, 'succeeded', null, quotaPerMinute === null ? 'API calls per minute: the provider’s default.' : `API calls per minute: ${quotaPerMinute}.`);
    return this.#view(updated);
  }

  view(id: string): ConnectionView {
    return this.#view(this.#record(id));
  }

  /**
   * A usable access token for the provider API calls main makes on the connection's behalf,
   * renewed first when it is about to expire. It never leaves main.
   */
  async accessToken(id: string): Promise<string> {
    let record = this.#record(id);
    const expiresAt = record.accessTokenExpiresAt ? Date.parse(record.accessTokenExpiresAt) : null;
    if (record.state === 'connected' && expiresAt !== null && expiresAt - this.#clock().getTime() < accessTokenMarginMs) {
      await this.refresh(id);
      record = this.#record(id);
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

  cancelAttempt(attemptId: string): boolean {
    const controller = this.#attempts.get(attemptId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  /** Renews the access token now; joins a renewal already under way. */
  refresh(id: string): Promise<ConnectionView> {
    const running = this.#refreshes.get(id);
    if (running) return running;
    const record = this.#record(id);
    if (record.state !== 'connected') {
      throw new AppError('needs_reconnect', `${record.label} is not connected, so there is nothing to renew.`, { nextStep: 'Reconnect it first.' });
    }
    const work = this.#refresh(record)
      .finally(() => {
        this.#refreshes.delete(id);
      })
      .then((updated) => this.#view(updated));
    this.#refreshes.set(id, work);
    this.#publishChanged(id);
    return work;
  }

  /** Revokes at the provider, then deletes local secrets whatever the provider said. */
  async disconnect(id: string): Promise<DisconnectOutcome> {
    const record = this.#record(id);
    this.#unplan(id);
    const definition = providerDefinition(record.provider);
    const manual = definition.manualRevocation(record.settings);
    let revocation: DisconnectOutcome['revocation'] = 'nothing_to_revoke';
    let message: string;
    let failure: AppError | undefined;
    let clientSecret: string | undefined;
    try {
      const secrets = await this.#options.vault.get(id);
      clientSecret = secrets?.clientSecret;
      if (secrets && record.state !== 'revoked') {
        revocation = await this.#options.clients[definition.family].revoke(resolveConnection(record, record.msalHomeAccountId), secrets);
      }
    } catch (error) {
      failure = error instanceof AppError ? error : failureFromTokenCall(error, { providerLabel: definition.label, redirectUri: '' });
      revocation = 'failed';
    }
    // Tokens go first, whatever happens next; the client secret is the admin's configuration and
    // stays for a reconnect (Remove from list deletes it too).
    await this.#options.vault.delete(id);
    if (clientSecret) await this.#options.vault.put(id, { clientSecret }).catch(() => undefined);
    const revoked: ConnectionRecord = {
      ...record,
      state: 'revoked',
      accessTokenExpiresAt: null,
      accessTokenIssuedAt: null,
      failedRefreshes: 0,
      nextRetryAt: null,
      lastError: failure ? this.#problem(failure) : null,
    };
    this.#save(revoked);
    switch (revocation) {
      case 'revoked':
        message = `${definition.label} confirmed the revocation; local tokens were deleted.`;
        break;
      case 'nothing_to_revoke':
        message = 'There was no live token to revoke; local data was deleted.';
        break;
      case 'not_supported':
        message = `${definition.label} offers no call that revokes this app's tokens. Local tokens were deleted; remove the grant by hand to end it at the provider.`;
        break;
      case 'failed':
        message = `${definition.label} could not be told to revoke the tokens (${failure?.message ?? 'unknown error'}). Local tokens were deleted anyway; revoke the grant by hand.`;
        break;
    }
    await this.#recordActivity('connection.disconnect', revoked, revocation === 'failed' ? 'failed' : 'succeeded', failure?.code ?? null, `Revocation: ${revocation}. Local tokens deleted.`);
    return {
      connection: this.#view(revoked),
      revocation,
      message,
      manualRevocation: revocation === 'failed' || revocation === 'not_supported' ? manual : null,
    };
  }

  async remove(id: string): Promise<void> {
    const record = this.#record(id);
    if (record.state === 'connected') {
      throw new AppError('invalid_request', `${record.label} is still connected.`, { nextStep: 'Disconnect it first, so its tokens are revoked at the provider.' });
    }
    await this.#options.vault.delete(id);
    this.#options.store.remove(id);
    this.#accessTokens.delete(id);
    await this.#recordActivity('connection.remove', record, 'succeeded', null, 'Removed from the list.');
    this.#options.events.publish('connections.changed', { connectionId: id });
  }

  // ---------- internals ----------

  async #authorize(attemptId: string, record: ConnectionRecord, resolved: ResolvedConnection, secrets: Record<string, string | undefined>, action: string): Promise<ConnectionView> {
    if (this.#attempts.size > 0) {
      throw new AppError('attempt_in_progress', 'Another sign-in is already waiting in the browser.', { nextStep: 'Finish or cancel it first.' });
    }
    // Registered before the first await, so a cancel sent right after the click is not missed.
    const controller = new AbortController();
    this.#attempts.set(attemptId, controller);
    const stage = (value: ConnectAttempt['stage'], message: string, host: string | null = null) =>
      this.#options.events.publish('connections.attempt', { attemptId, stage: value, message, authorizationHost: host });
    let host: string | null = null;
    try {
      const storage = await this.#options.vault.storageFor();
      if (controller.signal.aborted) throw new OAuthFailure('cancelled', 'The connection attempt was cancelled.', { nextStep: 'Connect again when you are ready.' });
      stage('preparing', `Preparing the sign-in to ${resolved.definition.label}…`);
      const grant = await this.#options.clients[resolved.definition.family].authorize(resolved, secrets, {
        // The sign-in page's host comes from the connection's own configuration (a custom issuer,
        // a national cloud), so the opener may accept it beyond its list of known providers.
        openBrowser: (url) => this.#options.openBrowser(url, { trustedHosts: [new URL(url).host] }),
        onWaitingForBrowser: (url) => {
          host = url.host;
          stage('waiting_for_browser', `Finish signing in to ${resolved.definition.label} in your browser (${url.host}).`, host);
        },
        onExchangingCode: () => stage('exchanging_code', 'Sign-in received; collecting the tokens…', host),
        signal: controller.signal,
        timeoutMs: this.#options.authorizationTimeoutMs ?? defaultAuthorizationTimeoutMs,
      });
      const now = this.#clock();
      const saved: ConnectionRecord = {
        ...this.#withGrant(record, grant, now),
        state: 'connected',
        storage,
        connectedAt: now.toISOString(),
        lastError: null,
      };
      await this.#options.vault.put(record.id, { ...secrets, ...grant.secrets });
      this.#save(saved);
      this.#plan(saved);
      stage('connected', `Connected to ${resolved.definition.label}${saved.account ? ` as ${saved.account}` : ''}.`, host);
      const held = this.#view(saved).capabilities.filter((capability) => capability.held).map((capability) => capability.id);
      await this.#recordActivity(
        action,
        saved,
        'succeeded',
        null,
        `Capabilities held: ${held.length > 0 ? held.join(', ') : 'none (read only)'}; ${saved.scopesGranted.length || saved.scopesRequested.length} scopes; tokens ${storage === 'encrypted' ? 'encrypted at rest' : 'kept for this session only'}.`,
      );
      return this.#view(saved);
    } catch (error) {
      const failure = error instanceof AppError ? error : failureFromTokenCall(error, resolved.failureContext);
      stage(failure.code === 'cancelled' ? 'cancelled' : 'failed', failure.message, host);
      await this.#recordActivity(action, record, 'failed', failure.code, failure.message);
      throw failure;
    } finally {
      this.#attempts.delete(attemptId);
    }
  }

  /** The secrets a sign-in again starts from (the client secret, when there is one). */
  async #storedSecrets(record: ConnectionRecord): Promise<Record<string, string | undefined>> {
    try {
      return (await this.#options.vault.get(record.id)) ?? {};
    } catch {
      // Unreadable tokens are replaced by this sign-in; only the client secret would be lost.
      if (record.hasClientSecret) {
        throw new AppError('vault_unavailable', 'The stored client secret of this connection cannot be decrypted.', { nextStep: 'Remove the connection and add it again with its client secret.' });
      }
      return {};
    }
  }

  #withGrant(record: ConnectionRecord, grant: TokenGrant, now: Date): ConnectionRecord {
    const definition = providerDefinition(record.provider);
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

  async #refresh(record: ConnectionRecord): Promise<ConnectionRecord> {
    this.#unplan(record.id);
    const definition = providerDefinition(record.provider);
    let failure: OAuthFailure;
    try {
      const secrets = await this.#options.vault.get(record.id);
      if (!secrets) throw new OAuthFailure('needs_reconnect', 'The tokens of this connection are gone from the vault.', { nextStep: 'Reconnect to sign in again.' });
      const grant = await this.#options.clients[definition.family].refresh(resolveConnection(record, record.msalHomeAccountId), secrets);
      // The newest refresh token is written before the new access token is used anywhere.
      await this.#options.vault.update(record.id, grant.secrets);
      const now = this.#clock();
      const current = this.#options.store.get(record.id) ?? record;
      const refreshed: ConnectionRecord = { ...this.#withGrant(current, grant, now), lastRefreshAt: now.toISOString(), lastError: null };
      this.#save(refreshed);
      this.#plan(refreshed);
      if (record.failedRefreshes > 0) await this.#recordActivity('connection.refresh', refreshed, 'succeeded', null, `Renewed after ${record.failedRefreshes} failed tries.`);
      return refreshed;
    } catch (error) {
      failure = error instanceof OAuthFailure ? error : failureFromTokenCall(error, { providerLabel: definition.label, redirectUri: '' });
    }
    const current = this.#options.store.get(record.id) ?? record;
    const now = this.#clock();
    const failedRefreshes = current.failedRefreshes + 1;
    let next: ConnectionRecord;
    if (failure.transient) {
      const retryAt = new Date(now.getTime() + retryDelayMs(failedRefreshes, this.#options.random));
      next = { ...current, failedRefreshes, nextRetryAt: retryAt.toISOString(), lastError: this.#problem(failure) };
    } else {
      next = { ...current, state: failure.code === 'needs_reconnect' ? 'needs_reconnect' : 'error', failedRefreshes, nextRetryAt: null, lastError: this.#problem(failure) };
    }
    this.#save(next);
    this.#plan(next);
    await this.#recordActivity('connection.refresh', next, 'failed', failure.code, failure.message);
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

  #plan(record: ConnectionRecord): void {
    this.#unplan(record.id);
    if (this.#closed || record.state !== 'connected') return;
    const due = record.nextRetryAt ? new Date(record.nextRetryAt) : refreshDueAt(record);
    if (!due) return;
    const wait = Math.max(0, due.getTime() - this.#clock().getTime());
    const timer = setTimeout(
      () => {
        this.#timers.delete(record.id);
        if (wait > maxTimerMs) {
          const current = this.#options.store.get(record.id);
          if (current) this.#plan(current);
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

  #unplan(id: string): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
  }

  #record(id: string): ConnectionRecord {
    const record = this.#options.store.get(id);
    if (!record) throw new AppError('not_found', 'That connection no longer exists.', { nextStep: 'Reload the Connections page.' });
    return record;
  }

  #save(record: ConnectionRecord): void {
    // Any change (renewal, disconnect, reconnect) may have replaced the token.
    this.#accessTokens.delete(record.id);
    this.#options.store.save(record);
    this.#publishChanged(record.id);
  }

  #publishChanged(id: string): void {
    this.#options.events.publish('connections.changed', { connectionId: id });
  }

  #problem(error: AppError): ConnectionProblem {
    return { code: error.code, message: error.message, ...(error.nextStep ? { nextStep: error.nextStep } : {}), at: this.#clock().toISOString() };
  }

  async #recordActivity(action: string, record: ConnectionRecord, result: 'succeeded' | 'failed', errorCode: string | null, detail: string): Promise<void> {
    await this.#options.activity.record({
      action,
      target: `connection:${record.label} (${providerDefinition(record.provider).label})`,
      result,
      errorCode,
      detail,
    });
  }

  /** Held: allowed, and every scope it adds granted; a stopped capability is never held. */
  #capabilities(record: ConnectionRecord): ConnectionView['capabilities'] {
    const granted = new Set(record.scopesGranted);
    return capabilityScopes(providerDefinition(record.provider), record.settings).map(({ id, scopes }) => {
      const allowed = record.capabilities.includes(id);
      return { id, allowed, held: allowed && scopes.every((added) => granted.has(added.scope)), extraScopes: scopes };
    });
  }

  #view(record: ConnectionRecord): ConnectionView {
    const definition = providerDefinition(record.provider);
    const computed = computeStatus(record, this.#clock(), this.#refreshes.has(record.id));
    return {
      id: record.id,
      label: record.label,
      provider: record.provider,
      providerLabel: definition.label,
      family: definition.family,
      account: record.account,
      tenant: record.tenant,
      capabilities: this.#capabilities(record),
      status: computed.status,
      statusDetail: computed.detail,
      scopesRequested: record.scopesRequested,
      scopesGranted: record.scopesGranted,
      clientId: record.clientId,
      hasClientSecret: record.hasClientSecret,
      redirectUri: redirectFor(definition, record.settings).uri,
      settings: record.settings,
      storage: record.storage,
      createdAt: record.createdAt,
      connectedAt: record.connectedAt,
      accessTokenExpiresAt: record.accessTokenExpiresAt,
      lastRefreshAt: record.lastRefreshAt,
      nextRefreshAt: computed.nextRefreshAt?.toISOString() ?? null,
      lastError: record.lastError,
      manualRevocation: definition.manualRevocation(record.settings),
      sample: record.sample,
    };
  }
}
