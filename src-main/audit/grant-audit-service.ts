/**
 * The grant audit: scans every connected tenant through its provider's adapter and the tenant's
 * request scheduler, keeps each scan as a snapshot on disk, answers the Grants page from the
 * latest, and revokes what the admin selected — after a plan they confirmed, with the remediate
 * profile, one activity entry per grant and a read-back per grant.
 */
import { randomUUID } from 'node:crypto';
import type {
  BridgeFailure,
  ConnectionView,
  GrantAppDetail,
  GrantAppPage,
  GrantAuditStatus,
  GrantChangeList,
  GrantFilter,
  GrantPage,
  ParsedRequestOf,
  ProviderId,
  RevocationPlan,
  RevocationReport,
  RevocationResultItem,
  ScanProgress,
  CsvExport,
} from '../../src-preload/contract';
import type { ActivityService } from '../activity/activity-service';
import type { ConnectionService } from '../connections/connection-service';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import type { RequestScheduler } from '../net/request-scheduler';
import type { TenantSchedulers } from '../net/tenant-schedulers';
import { providerApiBaseUrl } from '../oauth/provider-catalog';
import { grantCsv, type GrantCsvView } from './grant-csv';
import { redactEvidence } from './evidence-redaction';
import { GrantIndex } from './grant-index';
import type { ProviderScan } from './grant-model';
import { buildSnapshot, withoutGrants, type ConnectionScan } from './grant-snapshot';
import type { ProviderAudit, ProviderCallContext, RevocationOutcome } from './provider-audit';
import { newSnapshotId, type SnapshotStore, type StoredSnapshot } from './snapshot-store';

export interface GrantAuditServiceOptions {
  connections: Pick<ConnectionService, 'list' | 'view' | 'accessToken'>;
  audits: Partial<Record<ProviderId, ProviderAudit>>;
  schedulers: TenantSchedulers;
  store: SnapshotStore;
  events: EventHub;
  activity: ActivityService;
  /** How provider APIs are called; the global fetch unless a host needs a pinned certificate. */
  fetch?: typeof fetch;
  clock?: () => Date;
}

/** Why a provider cannot be scanned, and where the admin reviews its apps by hand instead. */
const noAdminListing: Partial<Record<ProviderId, string>> = {
  zoom: 'Zoom offers no admin API that lists the apps each user authorized. Review them in the Zoom App Marketplace under Manage → Added Apps.',
  hubspot: 'HubSpot offers no API that lists the apps connected to an account. Review them in HubSpot under Settings → Integrations → Connected Apps.',
  pipedrive: 'Pipedrive offers no API that lists the apps users installed. Review them in Pipedrive under Tools and apps → Marketplace apps.',
  slack: 'Slack lists approved apps only on Enterprise Grid (admin.apps), not the apps each user authorized. Review them in Slack under Settings & administration → Manage apps.',
  custom: 'A custom OAuth provider has no standard API that lists grants. Review them in the provider’s admin console.',
};

const readyStatuses = new Set<ConnectionView['status']>(['active', 'expiring_soon', 'expired', 'refreshing', 'refresh_failing']);
/** Beyond this many grants a click is not enough: the admin types the confirmation. */
const typedConfirmationFrom = 2;
const planLifetimeMs = 15 * 60_000;
const planPreviewItems = 200;
const appDetailGrants = 100;
const appDetailEvidence = 20;
const changeListLimit = 500;
const progressIntervalMs = 500;
const rateWindowMs = 10_000;

interface RunningScan {
  id: string;
  startedAt: Date;
  controller: AbortController;
  state: ScanProgress['state'];
  parts: Map<string, { label: string; provider: ProviderId; phase: string; done: number; total: number; scheduler?: RequestScheduler }>;
  /** (time, calls, done) samples for the rate and the ETA. */
  samples: { at: number; calls: number; done: number }[];
  callsAtStart: Map<string, number>;
  error: BridgeFailure | null;
}

interface StoredPlan {
  id: string;
  createdAt: number;
  snapshotId: string;
  /** What was confirmed, kept so that a grant gone from the scan meanwhile is still named. */
  items: { key: string; appName: string; user: string | null; provider: ProviderId }[];
  confirmationText: string | null;
  connectionIds: string[];
}

export class GrantAuditService {
  readonly #options: GrantAuditServiceOptions;
  readonly #clock: () => Date;
  #stored: StoredSnapshot | null = null;
  #index: GrantIndex | null = null;
  #scan: RunningScan | null = null;
  #lastScan: ScanProgress | null = null;
  readonly #plans = new Map<string, StoredPlan>();
  /** Snapshot writes (a scan, a revocation) happen one after another. */
  #writes: Promise<unknown> = Promise.resolve();
  #progressTimer: NodeJS.Timeout | undefined;
  /** The last scan being read from disk; every reader waits for it. */
  #loading: Promise<void> = Promise.resolve();
  #running: Promise<void> | undefined;

  constructor(options: GrantAuditServiceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
  }

  /**
   * Reads the last scan in the background (a second or two at 500,000 grants), so the app starts
   * at once and the Grants page opens on it as soon as it is asked.
   */
  start(): Promise<void> {
    this.#loading = this.#options.store.latest().then((stored) => {
      if (stored) this.#use(stored);
    });
    return this.#loading;
  }

  /** Stops a running scan (keeping what was read) and waits for the snapshot writes to end. */
  async close(): Promise<void> {
    this.#scan?.controller.abort();
    await this.#running;
    await this.#writes;
  }

  async status(): Promise<GrantAuditStatus> {
    await this.#loading;
    const { connections } = await this.#options.connections.list();
    return {
      snapshot: this.#index?.summary() ?? null,
      scan: this.#scan ? this.#progress(this.#scan) : this.#lastScan,
      scannable: connections.map((connection) => {
        const supported = this.#options.audits[connection.provider] !== undefined;
        const ready = readyStatuses.has(connection.status);
        return {
          connectionId: connection.id,
          label: connection.label,
          provider: connection.provider,
          supported,
          ready,
          note: !supported ? (noAdminListing[connection.provider] ?? null) : ready ? null : `${connection.label} must be reconnected before it can be scanned.`,
        };
      }),
    };
  }

  // ---------- scanning ----------

  async startScan(connectionIds?: readonly string[]): Promise<ScanProgress> {
    await this.#loading;
    const { connections } = await this.#options.connections.list();
    // Checked after the last await, so two clicks cannot both start a scan.
    if (this.#scan) throw new AppError('scan_in_progress', 'A scan is already running.', { nextStep: 'Wait for it to finish or cancel it.' });
    const targets = connectionIds ? connections.filter((connection) => connectionIds.includes(connection.id)) : connections;
    if (targets.length === 0) throw new AppError('not_found', 'There is no connected tenant to scan.', { nextStep: 'Connect a tenant on the Connections page first.' });
    const scan: RunningScan = {
      id: randomUUID(),
      startedAt: this.#clock(),
      controller: new AbortController(),
      state: 'running',
      parts: new Map(targets.map((connection) => [connection.id, { label: connection.label, provider: connection.provider, phase: 'waiting', done: 0, total: 0 }])),
      samples: [],
      callsAtStart: new Map(),
      error: null,
    };
    this.#scan = scan;
    this.#progressTimer = setInterval(() => this.#publishProgress(scan), progressIntervalMs);
    this.#progressTimer.unref();
    this.#running = this.#runScan(scan, targets);
    return this.#progress(scan);
  }

  cancelScan(scanId: string): boolean {
    const scan = this.#scan;
    if (!scan || scan.id !== scanId || scan.state !== 'running') return false;
    scan.state = 'cancelling';
    scan.controller.abort();
    this.#publishProgress(scan);
    return true;
  }

  async #runScan(scan: RunningScan, targets: readonly ConnectionView[]): Promise<void> {
    try {
      const results = await Promise.all(targets.map((connection) => this.#scanConnection(scan, connection)));
      const cancelled = scan.controller.signal.aborted;
      const anythingRead = results.some((result) => result.scan !== null);
      if (anythingRead) {
        await this.#serialised(async () => {
          const now = this.#clock();
          const previous = this.#index;
          const built = buildSnapshot({
            id: newSnapshotId(now),
            takenAt: now.toISOString(),
            scans: results,
            previous: previous?.data ?? null,
            riskOfPrevious: (index) => previous!.grantRisk(index),
          });
          this.#use(await this.#options.store.save(built));
        });
      }
      scan.state = cancelled ? 'cancelled' : 'finished';
      const summary = this.#index?.summary();
      await this.#options.activity.record({
        action: 'grants.scan',
        target: targets.map((connection) => connection.label).join(', '),
        result: results.every((result) => result.connection.outcome === 'complete' || result.connection.outcome === 'not_supported') ? 'succeeded' : 'failed',
        errorCode: null,
        detail: anythingRead && summary
          ? `${cancelled ? 'Cancelled; kept what was read: ' : ''}${summary.apps} apps, ${summary.grants} grants${summary.partial ? ' (partial)' : ''}.`
          : cancelled ? 'Cancelled before anything was read.' : 'Nothing could be read.',
      });
      if (anythingRead && this.#index) this.#options.events.publish('grants.changed', { snapshotId: this.#index.data.id });
    } catch (error) {
      scan.state = 'failed';
      scan.error = error instanceof AppError ? error.toFailure() : { code: 'internal', message: 'The scan stopped because of an unexpected error; nothing was saved.' };
    } finally {
      clearInterval(this.#progressTimer);
      this.#lastScan = this.#progress(scan);
      this.#scan = null;
      this.#options.events.publish('grants.scanProgress', this.#lastScan);
    }
  }

  async #scanConnection(scan: RunningScan, connection: ConnectionView): Promise<ConnectionScan> {
    const part = scan.parts.get(connection.id)!;
    const audit = this.#options.audits[connection.provider];
    const base = { connectionId: connection.id, label: connection.label, provider: connection.provider, unit: audit?.unit ?? 'users' };
    if (!audit) {
      part.phase = 'not supported';
      return { connection: { ...base, outcome: 'not_supported', note: noAdminListing[connection.provider] ?? null, errorCode: 'not_supported' }, scan: null };
    }
    if (!readyStatuses.has(connection.status)) {
      part.phase = 'needs reconnect';
      return { connection: { ...base, outcome: 'failed', note: `${connection.label} must be reconnected before it can be scanned.`, errorCode: 'needs_reconnect' }, scan: null };
    }
    const context = this.#callContext(connection, scan.controller.signal);
    part.scheduler = context.scheduler;
    scan.callsAtStart.set(connection.id, context.scheduler.stats().calls);
    let result: ProviderScan;
    try {
      result = await audit.scan({
        ...context,
        onProgress: (progress) => {
          part.done = progress.done;
          part.total = progress.total;
          if (progress.phase) part.phase = progress.phase;
        },
      });
    } catch (error) {
      part.phase = scan.controller.signal.aborted ? 'cancelled' : 'failed';
      if (scan.controller.signal.aborted) return { connection: { ...base, outcome: 'cancelled', note: 'Cancelled before this tenant was read.', errorCode: 'cancelled' }, scan: null };
      const failure = this.#failureOf(audit, error, connection);
      return { connection: { ...base, outcome: 'failed', note: failure.message, errorCode: failure.code }, scan: null };
    }
    part.phase = 'done';
    const cancelled = scan.controller.signal.aborted && (result.completed < result.total || result.incomplete.some((item) => !item.detailOnly));
    const outcome = cancelled ? 'cancelled' : result.incomplete.length > 0 || result.completed < result.total ? 'partial' : 'complete';
    const note =
      outcome === 'cancelled'
        ? `Cancelled: ${result.completed} of ${result.total} read and kept.`
        : outcome === 'partial'
          ? result.incomplete.every((item) => item.detailOnly)
            ? 'Every grant was read, but some details could not be (listed below).'
            : `${result.incomplete.length} item${result.incomplete.length === 1 ? '' : 's'} could not be read; the numbers are a floor.`
          : null;
    return { connection: { ...base, outcome, note, errorCode: outcome === 'cancelled' ? 'cancelled' : null }, scan: result };
  }

  #failureOf(audit: ProviderAudit, error: unknown, connection: ConnectionView): BridgeFailure {
    if (error instanceof AppError) return error.toFailure();
    const described = audit.describeFailure?.(error);
    return { code: described?.code ?? 'provider_error', message: described?.message ?? `${connection.label} could not be scanned.` };
  }

  #callContext(connection: ConnectionView, signal?: AbortSignal): ProviderCallContext {
    const connections = this.#options.connections;
    return {
      apiBaseUrl: providerApiBaseUrl(connection.provider, connection.settings),
      settings: connection.settings,
      accessToken: () => connections.accessToken(connection.id),
      scheduler: this.#options.schedulers.for(connection.id, connection.provider, connection.settings.apiQuotaPerMinute),
      ...(signal ? { signal } : {}),
      ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}),
    };
  }

  #progress(scan: RunningScan): ScanProgress {
    const parts = [...scan.parts.entries()];
    const done = parts.reduce((sum, [, part]) => sum + part.done, 0);
    const total = parts.reduce((sum, [, part]) => sum + part.total, 0);
    const calls = parts.reduce((sum, [id, part]) => sum + (part.scheduler ? part.scheduler.stats().calls - (scan.callsAtStart.get(id) ?? 0) : 0), 0);
    const now = this.#clock().getTime();
    scan.samples.push({ at: now, calls, done });
    while (scan.samples.length > 2 && scan.samples[0]!.at < now - rateWindowMs) scan.samples.shift();
    const first = scan.samples[0]!;
    const seconds = (now - first.at) / 1_000;
    const callsPerMinute = seconds > 0 ? ((calls - first.calls) / seconds) * 60 : 0;
    const unitsPerSecond = seconds > 0 ? (done - first.done) / seconds : 0;
    return {
      scanId: scan.id,
      state: scan.state,
      startedAt: scan.startedAt.toISOString(),
      done,
      total,
      callsPerMinute: Math.round(callsPerMinute),
      etaSeconds: unitsPerSecond > 0 && total > done ? Math.ceil((total - done) / unitsPerSecond) : null,
      connections: parts.map(([connectionId, part]) => ({ connectionId, label: part.label, provider: part.provider, phase: part.phase, done: part.done, total: part.total })),
      error: scan.error,
    };
  }

  #publishProgress(scan: RunningScan): void {
    if (this.#scan === scan) this.#options.events.publish('grants.scanProgress', this.#progress(scan));
  }

  // ---------- reading the last scan ----------

  async apps(query: ParsedRequestOf<'grants.apps'>): Promise<GrantAppPage> {
    await this.#loading;
    if (!this.#index) return { snapshotId: null, total: 0, rows: [] };
    return { snapshotId: this.#index.data.id, ...this.#index.queryApps(query.filter, query.sort, query.offset, query.limit) };
  }

  async grants(query: ParsedRequestOf<'grants.list'>): Promise<GrantPage> {
    await this.#loading;
    if (!this.#index) return { snapshotId: null, total: 0, rows: [] };
    return { snapshotId: this.#index.data.id, ...this.#index.queryGrants(query.filter, query.sort, query.offset, query.limit) };
  }

  async app(key: string): Promise<GrantAppDetail> {
    await this.#loading;
    const index = this.#requireIndex();
    const found = index.app(key);
    if (!found) throw new AppError('not_found', 'That app is not in the last scan.', { nextStep: 'Reload the Grants page.' });
    const shown = found.grants.slice(0, appDetailGrants);
    const records = await this.#options.store.evidence(this.#stored!, shown.slice(0, appDetailEvidence));
    return {
      app: found.row,
      scopes: found.scopes,
      grants: shown.map((grant) => index.grantRow(grant)),
      evidence: records.map((record, position) => ({ grantKey: index.data.grants.key[shown[position]!]!, record: JSON.stringify(redactEvidence(record), null, 2) })),
    };
  }

  async changes(): Promise<GrantChangeList> {
    await this.#loading;
    if (!this.#index) return { newApps: [], newRiskyGrants: [], goneGrants: [], limit: changeListLimit };
    return this.#index.changes(changeListLimit);
  }

  async exportCsv(view: GrantCsvView, filter: GrantFilter): Promise<CsvExport> {
    await this.#loading;
    const index = this.#requireIndex();
    return grantCsv(index, view, filter, this.#clock());
  }

  // ---------- revoking ----------

  async planRevocation(selection: ParsedRequestOf<'grants.planRevocation'>): Promise<RevocationPlan> {
    await this.#loading;
    const index = this.#requireIndex();
    if (selection.snapshotId !== index.data.id) {
      throw new AppError('plan_expired', 'A newer scan has replaced the one you selected from.', { nextStep: 'Select the grants again in the current scan.' });
    }
    const selected = new Set<number>();
    for (const appKey of selection.appKeys) for (const grant of index.app(appKey)?.grants ?? []) selected.add(grant);
    for (const grantKey of selection.grantKeys) {
      const grant = index.grantIndex(grantKey);
      if (grant !== undefined) selected.add(grant);
    }
    if (selected.size === 0) throw new AppError('not_found', 'None of the selected grants is in the current scan.', { nextStep: 'Reload the Grants page and select again.' });
    const ordered = [...selected].sort((a, b) => a - b);
    const byConnection = new Map<string, { grants: number; users: Set<string> }>();
    const apps = new Set<string>();
    const users = new Set<string>();
    let tenantWide = 0;
    for (const grant of ordered) {
      const app = index.snapshotApp(grant);
      apps.add(app.key);
      const row = index.grantRow(grant);
      const entry = byConnection.get(app.connectionId) ?? { grants: 0, users: new Set<string>() };
      entry.grants += 1;
      if (row.user) {
        entry.users.add(row.user);
        users.add(row.user);
      } else tenantWide += 1;
      byConnection.set(app.connectionId, entry);
    }
    const connections = [...byConnection.entries()].map(([connectionId, entry]) => {
      const view = this.#options.connections.view(connectionId);
      const audit = this.#options.audits[view.provider];
      return {
        connectionId,
        label: view.label,
        provider: view.provider,
        grants: entry.grants,
        needsRemediate: view.profile !== 'remediate',
        offersSessionRevocation: audit?.revokeSignInSessions !== undefined && entry.users.size > 0,
      };
    });
    const warnings: string[] = [];
    if (connections.some((connection) => connection.provider === 'microsoft')) {
      warnings.push('Microsoft: removing a grant stops new tokens only. Access tokens already issued stay valid until they expire (up to about an hour) unless you also sign the users out.');
    }
    if (tenantWide > 0) warnings.push(`${tenantWide} of these ${tenantWide === 1 ? 'is a tenant-wide consent' : 'are tenant-wide consents'}: revoking removes the app's access for everyone in the organisation.`);
    if (connections.some((connection) => connection.needsRemediate)) {
      warnings.push('Revoking changes your tenant, so it needs the remediate profile. Turn on remediation for the connections marked below first; Consentry asks only for the extra scopes.');
    }
    const plan: StoredPlan = {
      id: randomUUID(),
      createdAt: this.#clock().getTime(),
      snapshotId: index.data.id,
      items: ordered.map((grant) => {
        const row = index.grantRow(grant);
        return { key: row.key, appName: row.appName, user: row.user, provider: row.provider };
      }),
      confirmationText: ordered.length >= typedConfirmationFrom ? `revoke ${ordered.length} grants` : null,
      connectionIds: connections.map((connection) => connection.connectionId),
    };
    this.#prunePlans();
    this.#plans.set(plan.id, plan);
    return {
      planId: plan.id,
      items: ordered.slice(0, planPreviewItems).map((grant) => {
        const row = index.grantRow(grant);
        const audit = this.#options.audits[row.provider];
        return {
          key: row.key,
          connectionId: row.connectionId,
          provider: row.provider,
          appName: row.appName,
          user: row.user,
          scopes: row.scopes,
          action: audit?.describeRevocation(this.#target(index, grant, null)) ?? 'Revoke at the provider.',
        };
      }),
      total: ordered.length,
      apps: apps.size,
      users: users.size,
      tenantWide,
      connections,
      warnings,
      confirmationText: plan.confirmationText,
    };
  }

  async revoke(request: ParsedRequestOf<'grants.revoke'>): Promise<RevocationReport> {
    this.#prunePlans();
    const plan = this.#plans.get(request.planId);
    if (!plan) throw new AppError('plan_expired', 'That revocation plan has expired or was already carried out.', { nextStep: 'Select the grants again and review the new confirmation.' });
    if (plan.confirmationText !== null && request.confirmation.trim().toLowerCase() !== plan.confirmationText) {
      throw new AppError('confirmation_mismatch', `Type “${plan.confirmationText}” to confirm.`, { nextStep: 'Nothing was revoked.' });
    }
    const views = plan.connectionIds.map((id) => this.#options.connections.view(id));
    const lacking = views.filter((view) => view.profile !== 'remediate');
    if (lacking.length > 0) {
      throw new AppError('remediation_required', `Revoking needs the remediate profile on ${lacking.map((view) => view.label).join(', ')}.`, {
        nextStep: 'Turn on remediation for it (a reconnect that asks only for the extra scopes), then confirm again. Nothing was revoked.',
      });
    }
    this.#plans.delete(plan.id);
    return this.#serialised(() => this.#carryOut(plan, request.revokeSessions, new Map(views.map((view) => [view.id, view]))));
  }

  async #carryOut(plan: StoredPlan, revokeSessions: boolean, views: Map<string, ConnectionView>): Promise<RevocationReport> {
    const index = this.#requireIndex();
    const stored = this.#stored!;
    const positions = plan.items.map((item) => index.grantIndex(item.key));
    const present = positions.filter((position): position is number => position !== undefined);
    const evidence = await this.#options.store.evidence(stored, present);
    const evidenceOf = new Map(present.map((position, at) => [position, evidence[at]]));
    let done = 0;
    const total = plan.items.length;
    const publish = () => this.#options.events.publish('grants.revokeProgress', { planId: plan.id, done, total });
    publish();
    const items: RevocationResultItem[] = await Promise.all(
      plan.items.map(async ({ key, appName, user, provider }, at): Promise<RevocationResultItem> => {
        const position = positions[at];
        try {
          if (position === undefined) {
            return { key, appName, user, provider, outcome: 'skipped', verified: false, message: 'No longer in the current scan (revoked meanwhile?); nothing was done.', errorCode: 'not_found' };
          }
          const row = index.grantRow(position);
          const view = views.get(row.connectionId)!;
          const audit = this.#options.audits[view.provider];
          const outcome: RevocationOutcome = audit
            ? await audit.revoke(this.#callContext(view), this.#target(index, position, evidenceOf.get(position)))
            : { outcome: 'failed', verified: false, message: `${view.providerLabel} grants cannot be revoked from Consentry.`, errorCode: 'not_supported' };
          await this.#options.activity.record({
            action: 'grants.revoke',
            target: `${row.appName} — ${row.user ?? 'everyone (tenant-wide consent)'} (${view.label})`,
            result: outcome.outcome === 'failed' ? 'failed' : 'succeeded',
            errorCode: outcome.errorCode,
            detail: `${outcome.message}${outcome.verified ? ' Verified by reading back.' : ''}`,
          });
          return { key, appName: row.appName, user: row.user, provider: row.provider, ...outcome };
        } finally {
          done += 1;
          publish();
        }
      }),
    );

    let sessionsRevoked = 0;
    if (revokeSessions) sessionsRevoked = await this.#revokeSessions(index, items, views);

    const removed = new Set(items.filter((item) => item.outcome === 'revoked' || item.outcome === 'already_gone').map((item) => item.key));
    if (removed.size > 0) {
      const { data, kept } = withoutGrants(index.data, removed);
      const next: StoredSnapshot = { data, evidenceFile: stored.evidenceFile, evidenceAt: kept.map((at) => stored.evidenceAt[at]!), evidenceLength: kept.map((at) => stored.evidenceLength[at]!) };
      await this.#options.store.rewrite(next);
      this.#use(next);
      this.#options.events.publish('grants.changed', { snapshotId: data.id });
    }
    return {
      planId: plan.id,
      items,
      revoked: items.filter((item) => item.outcome === 'revoked' || item.outcome === 'already_gone').length,
      failed: items.filter((item) => item.outcome === 'failed').length,
      sessionsRevoked,
    };
  }

  async #revokeSessions(index: GrantIndex, items: readonly RevocationResultItem[], views: Map<string, ConnectionView>): Promise<number> {
    const usersByConnection = new Map<string, Set<string>>();
    for (const item of items) {
      if (item.user === null || (item.outcome !== 'revoked' && item.outcome !== 'already_gone')) continue;
      const position = index.grantIndex(item.key);
      if (position === undefined) continue;
      const connectionId = index.snapshotApp(position).connectionId;
      usersByConnection.set(connectionId, (usersByConnection.get(connectionId) ?? new Set()).add(item.user));
    }
    let revoked = 0;
    for (const [connectionId, users] of usersByConnection) {
      const view = views.get(connectionId)!;
      const audit = this.#options.audits[view.provider];
      if (!audit?.revokeSignInSessions) continue;
      const context = this.#callContext(view);
      await Promise.all(
        [...users].map(async (user) => {
          const outcome = await audit.revokeSignInSessions!(context, user);
          if (outcome.outcome !== 'failed') revoked += 1;
          await this.#options.activity.record({
            action: 'grants.revokeSessions',
            target: `${user} (${view.label})`,
            result: outcome.outcome === 'failed' ? 'failed' : 'succeeded',
            errorCode: outcome.errorCode,
            detail: outcome.message,
          });
        }),
      );
    }
    return revoked;
  }

  #target(index: GrantIndex, position: number, evidence: unknown) {
    const row = index.grantRow(position);
    const app = index.snapshotApp(position);
    const unscoped = (key: string) => key.slice(app.connectionId.length + 1);
    return {
      app: { key: unscoped(app.key), provider: app.provider, clientId: app.clientId, name: app.name, publisher: app.publisher, verifiedPublisher: app.verifiedPublisher, internal: app.internal, anonymous: app.anonymous },
      grant: {
        key: unscoped(row.key),
        appKey: unscoped(app.key),
        provider: app.provider,
        user: row.user,
        scopes: row.scopes,
        consent: row.consent,
        access: row.access,
        lastUsed: row.lastUsed,
        evidence,
        revocationHandle: index.data.grants.handle[position]!,
      },
    };
  }

  #prunePlans(): void {
    const now = this.#clock().getTime();
    for (const [id, plan] of this.#plans) if (now - plan.createdAt > planLifetimeMs) this.#plans.delete(id);
  }

  #requireIndex(): GrantIndex {
    if (!this.#index) throw new AppError('not_found', 'There is no grant scan yet.', { nextStep: 'Run a scan on the Grants page.' });
    return this.#index;
  }

  #use(stored: StoredSnapshot): void {
    this.#stored = stored;
    this.#index = new GrantIndex(stored.data, this.#clock());
  }

  #serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#writes.then(work, work);
    this.#writes = next.catch(() => undefined);
    return next;
  }
}
