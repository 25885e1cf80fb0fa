import { randomUUID } from 'node:crypto';
import type { ClientFamily, ConnectAttempt, ConnectionDraft, ConnectionList, ConnectionPreview, ConnectionPreviewRequest, ConnectionSettings, ConnectionView, DisconnectOutcome, ProviderCatalog, VaultStatus } from '../../src-shared/contract/connections';
import type { CapabilityId } from '../../src-shared/domain/ids';
import { ConnectionDraftSchema, ConnectionPreviewRequestSchema } from '../../src-shared/contract/connections';
import { arrivesWith, capabilitiesInThisBuild, capabilityIds } from '../../src-shared/domain/ids';
import type { ActivityService } from '../activity/activity-service';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import { defaultAuthorizationTimeoutMs } from '../oauth/loopback-listener';
import type { OAuthClient, ResolvedConnection, TokenGrant } from '../oauth/oauth-client';
import { failureFromTokenCall, OAuthFailure } from '../oauth/oauth-failure';
import type { ProviderDefinitions } from '../oauth/provider-definitions';
import type { SecretVault } from '../vault/secret-vault';
import { connectionProblem, type ConnectionRecord, type ConnectionStore } from './connection-record';
import { capabilityStates, connectionView, providerCatalogView } from './connection-views';
import { TokenKeeper, withGrant, type DesktopNotifier } from './token-keeper';
import { capabilityScopes, previewConnection, requestedScopes, resolveConnection } from '../oauth/connection-resolution';

export type { DesktopNotifier } from './token-keeper';

export interface ConnectionServiceOptions {
  store: ConnectionStore;
  /** The provider presets (from the provider modules): endpoints, scopes per capability, client family. */
  definitions: ProviderDefinitions;
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
  /** The capabilities that may be allowed: those this build has a page for, unless a test of the scope rules allows more. */
  capabilitiesInThisBuild?: readonly CapabilityId[];
}

/**
 * Connections and their lifecycle: connect in the system browser, reconnect, allow or stop a
 * capability, disconnect with revocation, remove. Keeping tokens fresh is the `TokenKeeper`'s.
 */
export class ConnectionService {
  readonly #options: ConnectionServiceOptions;
  readonly #clock: () => Date;
  readonly #attempts = new Map<string, AbortController>();
  readonly #tokens: TokenKeeper;

  constructor(options: ConnectionServiceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
    this.#tokens = new TokenKeeper({
      records: { find: (id) => options.store.get(id), require: (id) => this.#record(id), save: (record) => this.#save(record) },
      definitions: options.definitions,
      vault: options.vault,
      clients: options.clients,
      events: options.events,
      notify: options.notify,
      recordActivity: (...entry) => this.#recordActivity(...entry),
      clock: this.#clock,
      ...(options.random ? { random: options.random } : {}),
    });
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
          lastError: connectionProblem(new AppError('needs_reconnect', 'The sample workspace starts afresh each time Consentry starts.', { nextStep: 'Choose "Explore the sample workspace" to connect it again.' }), this.#clock()),
        });
        continue;
      }
      if (!(await this.#options.vault.has(record.id))) {
        const why = record.storage === 'session-only' ? 'Its tokens were kept for the last session only.' : (this.#options.missingTokensReason ?? 'Its tokens are missing from the vault.');
        this.#save({
          ...record,
          state: 'needs_reconnect',
          lastError: connectionProblem(new AppError('needs_reconnect', why, { nextStep: 'Reconnect to sign in again.' }), this.#clock()),
        });
        continue;
      }
      this.#tokens.plan(record);
    }
  }

  /** Refuses a capability this build has no page for: its scopes would be asked for and never used. Stopping one stays allowed. */
  #refuseOutsideThisBuild(capabilities: readonly CapabilityId[]): void {
    const usable = this.#options.capabilitiesInThisBuild ?? capabilitiesInThisBuild;
    const missing = capabilities.find((capability) => !usable.includes(capability));
    if (missing === undefined) return;
    throw new AppError('not_supported', `"${missing.replace('_', ' ')}" is not in this version of Consentry: it arrives with ${arrivesWith(missing)}.`, {
      nextStep: 'Nothing was asked for; leave it off until then.',
    });
  }

  close(): void {
    this.#tokens.close();
    for (const controller of this.#attempts.values()) controller.abort();
  }

  catalog(): ProviderCatalog {
    return providerCatalogView(this.#options.definitions);
  }

  async list(): Promise<ConnectionList> {
    return { connections: this.#options.store.all().map((record) => this.#view(record)), vault: await this.#options.vault.status() };
  }

  preview(request: ConnectionPreviewRequest): ConnectionPreview {
    this.#refuseOutsideThisBuild(ConnectionPreviewRequestSchema.parse(request).capabilities);
    return previewConnection(this.#options.definitions, { ...ConnectionPreviewRequestSchema.parse(request), clientId: '' });
  }

  useSessionOnly(enabled: boolean): Promise<VaultStatus> {
    return this.#options.vault.useSessionOnly(enabled);
  }

  /** `sample`: a connection to the built-in sample workspace, whose public client has no secret. */
  async connect(attemptId: string, input: ConnectionDraft, options: { sample?: boolean } = {}): Promise<ConnectionView> {
    const draft = ConnectionDraftSchema.parse(input);
    this.#refuseOutsideThisBuild(draft.capabilities);
    const resolved = resolveConnection(this.#options.definitions, draft);
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
      clientSecretSetAt: draft.clientSecret !== undefined ? now : null,
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
    const resolved = resolveConnection(this.#options.definitions, record, record.msalHomeAccountId);
    return this.#authorize(attemptId, { ...record, scopesRequested: resolved.scopes }, resolved, await this.#storedSecrets(record), 'connection.reconnect');
  }

  /**
   * Allows a capability when it is first used. A sign-in asks for the base scopes, the capabilities
   * held and this one (incremental consent), and no more; when the scopes it needs are granted
   * already (Google's revoke_grants adds none), nothing is asked and no browser opens.
   */
  async enableCapability(id: string, attemptId: string, capability: CapabilityId): Promise<ConnectionView> {
    this.#refuseOutsideThisBuild([capability]);
    const record = this.#record(id);
    const definition = this.#options.definitions.get(record.provider);
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
    const held = capabilityStates(this.#options.definitions.get(record.provider), record).filter((candidate) => candidate.held).map((candidate) => candidate.id);
    const next = { ...record, capabilities: capabilityIds.filter((candidate) => candidate === capability || held.includes(candidate)) };
    const resolved = resolveConnection(this.#options.definitions, next, record.msalHomeAccountId);
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
    const definition = this.#options.definitions.get(record.provider);
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

  /** A usable access token for main's own provider calls (see `TokenKeeper.accessToken`); it never leaves main. */
  async accessToken(id: string): Promise<string> {
    return this.#tokens.accessToken(id);
  }

  /**
   * When the client secret in use was entered: null when the connection has none, undefined when it
   * was entered before Consentry recorded it.
   */
  clientSecretEnteredAt(id: string): string | null | undefined {
    const record = this.#record(id);
    return record.hasClientSecret ? record.clientSecretSetAt : null;
  }

  /**
   * Replaces the connection's client secret (a rotation at the provider): a token refresh with the
   * new secret proves it first; then it takes the old one's place in the vault, and the old one is
   * forgotten. A refused secret changes nothing. The secret is never logged.
   */
  async replaceClientSecret(id: string, clientSecret: string): Promise<void> {
    const record = this.#record(id);
    const definition = this.#options.definitions.get(record.provider);
    if (!record.hasClientSecret) {
      throw new AppError('invalid_request', `${record.label} signs in without a client secret, so there is none to replace.`, { nextStep: 'Nothing was changed.' });
    }
    if (record.state !== 'connected') {
      throw new AppError('needs_reconnect', `${record.label} is not connected, so a new client secret cannot be proven with a token refresh.`, { nextStep: 'Reconnect it first, then enter the new secret again. The old secret is kept.' });
    }
    const secrets = await this.#storedSecrets(record);
    let grant: TokenGrant;
    try {
      grant = await this.#options.clients[definition.family].refresh(resolveConnection(this.#options.definitions, record, record.msalHomeAccountId), { ...secrets, clientSecret });
    } catch (error) {
      const failure = error instanceof AppError ? error : failureFromTokenCall(error, { providerLabel: definition.label, redirectUri: '' });
      await this.#recordActivity('connection.client_secret.replace', record, 'failed', 'invalid_client', `${definition.label} refused a token refresh with the new client secret (${failure.code}); the old secret is kept.`);
      throw new AppError('invalid_client', `${definition.label} did not accept the new client secret of ${record.label}: ${failure.message}`, {
        nextStep: 'Check that you copied the whole new secret of this connection’s client (not its id), and that it is active at the provider, then enter it again. The old secret is kept and still used.',
      });
    }
    // The newest refresh token and the new secret are written before anything else uses them.
    await this.#options.vault.update(id, { ...grant.secrets, clientSecret });
    const now = this.#clock();
    const current = this.#options.store.get(id) ?? record;
    const saved: ConnectionRecord = { ...withGrant(definition, current, grant, now), clientSecretSetAt: now.toISOString(), lastRefreshAt: now.toISOString(), lastError: null };
    this.#save(saved);
    this.#tokens.plan(saved);
    await this.#recordActivity('connection.client_secret.replace', saved, 'succeeded', null, 'New client secret proven with a token refresh and stored in the vault; the old one was forgotten.');
  }

  cancelAttempt(attemptId: string): boolean {
    const controller = this.#attempts.get(attemptId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  /** Renews the access token now; joins a renewal already under way. */
  refresh(id: string): Promise<ConnectionView> {
    return this.#tokens.refresh(id).then((updated) => this.#view(updated));
  }

  /** Revokes at the provider, then deletes local secrets whatever the provider said. */
  async disconnect(id: string): Promise<DisconnectOutcome> {
    const record = this.#record(id);
    this.#tokens.unplan(id);
    const definition = this.#options.definitions.get(record.provider);
    const manual = definition.manualRevocation(record.settings);
    let revocation: DisconnectOutcome['revocation'] = 'nothing_to_revoke';
    let message: string;
    let failure: AppError | undefined;
    let clientSecret: string | undefined;
    try {
      const secrets = await this.#options.vault.get(id);
      clientSecret = secrets?.clientSecret;
      if (secrets && record.state !== 'revoked') {
        revocation = await this.#options.clients[definition.family].revoke(resolveConnection(this.#options.definitions, record, record.msalHomeAccountId), secrets);
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
      lastError: failure ? connectionProblem(failure, this.#clock()) : null,
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
    this.#tokens.forget(id);
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
        ...withGrant(resolved.definition, record, grant, now),
        state: 'connected',
        storage,
        connectedAt: now.toISOString(),
        lastError: null,
      };
      await this.#options.vault.put(record.id, { ...secrets, ...grant.secrets });
      this.#save(saved);
      this.#tokens.plan(saved);
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

  #record(id: string): ConnectionRecord {
    const record = this.#options.store.get(id);
    if (!record) throw new AppError('not_found', 'That connection no longer exists.', { nextStep: 'Reload the Connections page.' });
    return record;
  }

  #save(record: ConnectionRecord): void {
    // Any change (renewal, disconnect, reconnect) may have replaced the token.
    this.#tokens.forget(record.id);
    this.#options.store.save(record);
    this.#publishChanged(record.id);
  }

  #publishChanged(id: string): void {
    this.#options.events.publish('connections.changed', { connectionId: id });
  }

  async #recordActivity(action: string, record: ConnectionRecord, result: 'succeeded' | 'failed', errorCode: string | null, detail: string): Promise<void> {
    await this.#options.activity.record({
      action,
      target: `connection:${record.label} (${this.#options.definitions.get(record.provider).label})`,
      result,
      errorCode,
      detail,
    });
  }

  #view(record: ConnectionRecord): ConnectionView {
    return connectionView(this.#options.definitions.get(record.provider), record, this.#clock(), this.#tokens.isRefreshing(record.id));
  }
}
