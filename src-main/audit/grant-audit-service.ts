/**
 * The grant audit: scans every connected tenant through its provider's adapter and the tenant's
 * request scheduler, keeps each scan as a snapshot on disk, answers the Grants page from the
 * latest, and hands revocation of what the admin selected to `GrantRevocation` (a job).
 */
import { randomUUID } from 'node:crypto';
import type { CsvExport } from '../../src-shared/contract/activity';
import type { ParsedRequestOf } from '../../src-shared/contract/channels';
import type { ConnectionView } from '../../src-shared/contract/connections';
import type { BridgeFailure } from '../../src-shared/contract/envelope';
import type { GrantAppDetail, GrantAppPage, GrantAuditStatus, GrantChangeList, GrantFilter, GrantPage, RevocationPlan, RevocationReport, ScanProgress, SnapshotSummary } from '../../src-shared/contract/grants';
import type { JobSummary } from '../../src-shared/contract/jobs';
import type { ProviderId } from '../../src-shared/domain/ids';
import type { ActivityService } from '../activity/activity-service';
import type { ConnectionService } from '../connections/connection-service';
import type { TenantGateway } from '../connections/tenant-gateway';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import type { RequestScheduler } from '../net/request-scheduler';
import type { JobKernel } from '../jobs/job-kernel';
import { grantCsv, type GrantCsvView } from './grant-csv';
import { redactEvidence } from './evidence-redaction';
import { GrantIndex } from './grant-index';
import type { ProviderScan } from './grant-model';
import {
  buildSnapshot,
  connectionPart,
  partGrantIndices,
  shownSnapshot,
  withoutHeldReads,
  type ConnectionScan,
  type SnapshotConnection,
  type SnapshotData,
} from './grant-snapshot';
import type { ProviderAudit } from './provider-audit';
import { GrantRevocation } from './grant-revocation';
import type { RiskLevel } from './scope-catalog';
import { newSnapshotId, type SkippedSnapshot, type SnapshotStore, type StoredSnapshot } from './snapshot-store';
import { tenantKeyOf } from './tenant-identity';

export interface GrantAuditServiceOptions {
  connections: Pick<ConnectionService, 'list' | 'view'>;
  audits: Partial<Record<ProviderId, ProviderAudit>>;
  /** Why a provider without an adapter cannot be scanned, and where the admin reviews its apps by hand instead. */
  noGrantListings?: Partial<Record<ProviderId, string>>;
  /** Every call to a tenant's API gets its context (token, scheduler, base URL) here. */
  gateway: TenantGateway;
  /** Revocations run as durable jobs. */
  jobs: JobKernel;
  store: SnapshotStore;
  events: EventHub;
  activity: ActivityService;
  /** Errors nobody expected (a bug, not a provider's answer): logged for the developers. */
  reportUnexpected?: (context: string, error: unknown) => void;
  /** How often a running scan's progress is published (tests shorten it). */
  progressIntervalMs?: number;
  clock?: () => Date;
}

const readyStatuses = new Set<ConnectionView['status']>(['active', 'expiring_soon', 'expired', 'refreshing', 'refresh_failing']);
const appDetailGrants = 100;
const appDetailEvidence = 20;
const changeListLimit = 500;
const progressIntervalMs = 500;
const rateWindowMs = 10_000;

interface ScanPart {
  label: string;
  provider: ProviderId;
  phase: string;
  done: number;
  total: number;
  /** 0–1, never less than before. */
  fraction: number;
  ended: boolean;
  scheduler?: RequestScheduler;
  /** Stops this connection's part alone (it was disconnected or removed meanwhile). */
  stop: AbortController;
}

interface RunningScan {
  id: string;
  startedAt: Date;
  controller: AbortController;
  state: ScanProgress['state'];
  parts: Map<string, ScanPart>;
  /** (time, calls, fraction) samples for the rate and the ETA. */
  samples: { at: number; calls: number; fraction: number }[];
  callsAtStart: Map<string, number>;
  /** Grants revoked while it ran: hidden in its result too. */
  revoked: Set<string>;
  error: BridgeFailure | null;
}

/** The scan on disk the page is drawn from, and the grants revoked since it was taken. */
interface CurrentScan {
  stored: StoredSnapshot;
  revoked: Set<string>;
}

/** How much a read read: a newer read that read less never replaces the one shown on its own. */
const readRank: Record<SnapshotConnection['outcome'], number> = { complete: 3, partial: 2, cancelled: 1, failed: 0, not_supported: 0 };

function readsLess(fresh: Pick<SnapshotConnection, 'outcome' | 'completed' | 'total'>, shown: Pick<SnapshotConnection, 'outcome' | 'completed' | 'total'>): boolean {
  if (readRank[fresh.outcome] !== readRank[shown.outcome]) return readRank[fresh.outcome] < readRank[shown.outcome];
  const share = (read: typeof fresh) => (read.total > 0 ? read.completed / read.total : 0);
  return (fresh.outcome === 'partial' || fresh.outcome === 'cancelled') && share(fresh) < share(shown);
}

export class GrantAuditService {
  readonly #options: GrantAuditServiceOptions;
  readonly #clock: () => Date;
  #current: CurrentScan | null = null;
  /** What the page shows of the current scan (see `shownSnapshot`), with its evidence offsets. */
  #stored: StoredSnapshot | null = null;
  #index: GrantIndex | null = null;
  /** Newer scans on disk that could not be used. */
  #skipped: SkippedSnapshot[] = [];
  /** The connections in the list when last looked; null before the first look. */
  #present: Set<string> | null = null;
  #unsubscribe: (() => void) | undefined;
  #scan: RunningScan | null = null;
  #lastScan: ScanProgress | null = null;
  readonly #revocation: GrantRevocation;
  /** Snapshot writes (a scan, a revocation) happen one after another. */
  #writes: Promise<unknown> = Promise.resolve();
  #progressTimer: NodeJS.Timeout | undefined;
  /** The last scan being read from disk; every reader waits for it. */
  #loading: Promise<void> = Promise.resolve();
  #running: Promise<void> | undefined;

  constructor(options: GrantAuditServiceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
    this.#revocation = new GrantRevocation({
      audits: options.audits,
      connections: options.connections,
      gateway: options.gateway,
      jobs: options.jobs,
      current: async () => {
        await this.#loading;
        return this.#index && this.#stored ? { index: this.#index, stored: this.#stored } : null;
      },
      evidence: (stored, positions) => options.store.evidence(stored, positions),
      markRevoked: (keys) => this.markRevoked(keys),
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }

  /**
   * Reads the last scan in the background (a second or two at 500,000 grants), so the app starts
   * at once and the Grants page opens on it as soon as it is asked.
   */
  start(): Promise<void> {
    this.#unsubscribe ??= this.#options.events.subscribe((event, payload) => {
      if (event === 'connections.changed') this.#connectionChanged((payload as { connectionId: string }).connectionId);
    });
    this.#loading = (async () => {
      try {
        const loaded = await this.#options.store.load();
        this.#skipped = loaded.skipped;
        if (loaded.latest) this.#current = { stored: loaded.latest, revoked: new Set(loaded.revoked) };
      } catch (error) {
        // The page still opens, says why there is no scan, and a rescan can work once the folder can.
        this.#options.reportUnexpected?.('reading the last grant scan', error);
        const code = (error as NodeJS.ErrnoException | null)?.code;
        this.#skipped = [{ file: 'grant-snapshots', takenAt: null, problem: `the folder of saved scans could not be read${code ? ` (${code})` : ''}`, keptAs: null }];
      }
      await this.#show();
    })();
    return this.#loading;
  }

  /** Stops a running scan (keeping what was read) and waits for the snapshot writes to end. */
  async close(): Promise<void> {
    this.#unsubscribe?.();
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
          note: !supported ? (this.#options.noGrantListings?.[connection.provider] ?? null) : ready ? null : `${connection.label} must be reconnected before it can be scanned.`,
        };
      }),
      skippedScans: this.#skipped,
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
      parts: new Map(targets.map((connection) => [connection.id, { label: connection.label, provider: connection.provider, phase: 'waiting', done: 0, total: 0, fraction: 0, ended: false, stop: new AbortController() }])),
      samples: [],
      callsAtStart: new Map(),
      revoked: new Set(),
      error: null,
    };
    this.#scan = scan;
    this.#progressTimer = setInterval(() => this.#publishProgress(scan), this.#options.progressIntervalMs ?? progressIntervalMs);
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
    const targetLabels = targets.map((connection) => connection.label).join(', ');
    // Shown only once the scan is saved, so "finished" never comes before the scan it finished.
    let ended: ScanProgress['state'] = 'failed';
    try {
      const results = await Promise.all(targets.map((connection) => this.#scanConnection(scan, connection)));
      const cancelled = scan.controller.signal.aborted;
      const anythingRead = results.some((result) => result.scan !== null);
      const tried = results.filter((result) => result.connection.outcome !== 'not_supported');
      if (!anythingRead && !cancelled) {
        // Nothing could be read: the scan failed, and says why, instead of "finished".
        const failed = tried.length > 0 ? tried : results;
        scan.error = {
          code: failed[0]?.connection.errorCode ?? 'provider_error',
          message: `Nothing could be read. ${failed.map((result) => `${result.connection.label}: ${result.connection.note ?? 'could not be read.'}`).join(' ')}`,
          nextStep: 'Fix the cause named above (reconnect, grant the permission, try again later), then scan again. The page still shows the scan before.',
        };
      } else {
        ended = cancelled ? 'cancelled' : 'finished';
      }
      // A scan that read nothing changes nothing: the page keeps the scan before and says this one failed.
      if (anythingRead) await this.#serialised(() => this.#saveScan(scan, results));
      const summary = this.#index?.summary();
      await this.#options.activity.record({
        action: 'grants.scan',
        target: targetLabels,
        result: results.every((result) => result.connection.outcome === 'complete' || result.connection.outcome === 'not_supported') ? 'succeeded' : 'failed',
        errorCode: scan.error?.code ?? null,
        detail: scan.error
          ? scan.error.message
          : anythingRead && summary
            ? `${cancelled ? 'Cancelled; kept what was read: ' : ''}${summary.apps} apps, ${summary.grants} grants shown${summary.partial ? ' (partial)' : ''}.`
            : 'Cancelled before anything was read.',
      });
    } catch (error) {
      ended = 'failed';
      if (error instanceof AppError) scan.error = error.toFailure();
      else {
        scan.error = { code: 'internal', message: 'The scan stopped because of an unexpected error; nothing was saved.', nextStep: 'Scan again. If it happens again, report it with the app’s log.' };
        this.#options.reportUnexpected?.('grant scan', error);
      }
      await this.#options.activity
        .record({ action: 'grants.scan', target: targetLabels, result: 'failed', errorCode: scan.error.code, detail: scan.error.message })
        .catch((recordError: unknown) => this.#options.reportUnexpected?.('recording a failed grant scan', recordError));
    } finally {
      clearInterval(this.#progressTimer);
      scan.state = ended;
      this.#lastScan = this.#progress(scan);
      this.#scan = null;
      this.#options.events.publish('grants.scanProgress', this.#lastScan);
    }
  }

  /**
   * Saves a scan as the new current one. Per connection: a read at least as good as the one shown
   * replaces it; one that read less (cancelled, failed, partial, disconnected) is kept aside and the
   * read shown is carried over; a connection not in this scan is carried over as it was; a removed
   * connection is left out. The diff compares with the scan before without its reads kept aside.
   */
  async #saveScan(scan: RunningScan, results: readonly ConnectionScan[]): Promise<void> {
    const now = this.#clock();
    const takenAt = now.toISOString();
    const current = this.#current;
    const base = current ? withoutHeldReads(current.stored.data) : null;
    const { connections } = await this.#options.connections.list();
    const fresh = new Map(results.map((result) => [result.connection.connectionId, result]));
    const parts: ConnectionScan[] = [];
    const carried = new Set<string>();
    for (const view of connections) {
      const found = fresh.get(view.id);
      const read = found ? { ...found, connection: { ...found.connection, readAt: takenAt } } : null;
      const shown = base?.connections.find((connection) => connection.connectionId === view.id);
      if (!shown || !current) {
        if (read) parts.push(read);
        continue;
      }
      const readLess = read !== null && read.connection.outcome !== 'not_supported' && readsLess({ outcome: read.connection.outcome, completed: read.scan?.completed ?? 0, total: read.scan?.total ?? 0 }, shown);
      if (read && !readLess) {
        parts.push(read);
        continue;
      }
      carried.add(view.id);
      parts.push(await this.#carriedPart(current.stored, shown, view, read ? { connection: read.connection, scan: read.scan } : undefined));
    }
    // Grants revoked while the scan ran, and those revoked since the read carried over, stay hidden.
    const revoked = new Set(scan.revoked);
    for (const key of current?.revoked ?? []) if (carried.has(key.slice(0, key.indexOf('/')))) revoked.add(key);
    await this.#commit(buildSnapshot({ id: newSnapshotId(now), takenAt, scans: parts, previous: base, riskOfPrevious: this.#riskOf(base) }), revoked);
  }

  /**
   * A connection's read shown now, carried into a new snapshot with its evidence as stored, and
   * beside it a newer read to keep aside (`newer`), else the one it already had kept aside.
   */
  async #carriedPart(stored: StoredSnapshot, shown: SnapshotConnection, view: ConnectionView, newer?: NonNullable<ConnectionScan['newer']>): Promise<ConnectionScan> {
    const read = async (held: boolean) => {
      const indices = partGrantIndices(stored.data, shown.connectionId, held);
      return connectionPart(stored.data, shown, held, indices, await this.#options.store.evidenceBytes(stored, indices));
    };
    const { completed: _completed, total: _total, incomplete: _incomplete, newerRead, ...connection } = shown;
    const keptAside = newerRead ? { connection: newerRead, scan: newerRead.grants > 0 ? await read(true) : null } : null;
    return {
      connection: { ...connection, label: view.label, tenantKey: tenantKeyOf(view) },
      scan: shown.outcome === 'failed' || shown.outcome === 'not_supported' ? null : await read(false),
      newer: newer ?? keptAside,
    };
  }

  /** Writes a built snapshot with the grants revoked since, and makes it the one shown. */
  async #commit(built: ReturnType<typeof buildSnapshot>, revoked: ReadonlySet<string>): Promise<void> {
    const keys = new Set(built.data.grants.key);
    const kept = [...revoked].filter((key) => keys.has(key));
    const stored = await this.#options.store.save(built, { revoked: kept });
    this.#current = { stored, revoked: new Set(kept) };
    this.#skipped = [];
    await this.#show();
    this.#options.events.publish('grants.changed', { snapshotId: stored.data.id });
  }

  /** The risk of a grant of the scan before, worked out only if something is gone. */
  #riskOf(base: SnapshotData | null): (index: number) => RiskLevel {
    let index: GrantIndex | undefined;
    return (position) => (index ??= new GrantIndex(base!, this.#clock())).grantRisk(position);
  }

  async #scanConnection(scan: RunningScan, connection: ConnectionView): Promise<ConnectionScan> {
    const part = scan.parts.get(connection.id)!;
    try {
      return await this.#readConnection(scan, part, connection);
    } finally {
      part.ended = true;
      part.fraction = 1;
    }
  }

  async #readConnection(scan: RunningScan, part: ScanPart, connection: ConnectionView): Promise<ConnectionScan> {
    const audit = this.#options.audits[connection.provider];
    const base = { connectionId: connection.id, label: connection.label, provider: connection.provider, unit: audit?.unit ?? 'users', tenantKey: tenantKeyOf(connection), readAt: scan.startedAt.toISOString() };
    if (!audit) {
      part.phase = 'not supported';
      return { connection: { ...base, outcome: 'not_supported', note: this.#options.noGrantListings?.[connection.provider] ?? null, errorCode: 'not_supported' }, scan: null };
    }
    if (!readyStatuses.has(connection.status)) {
      part.phase = 'needs reconnect';
      return { connection: { ...base, outcome: 'failed', note: `${connection.label} must be reconnected before it can be scanned.`, errorCode: 'needs_reconnect' }, scan: null };
    }
    const signal = AbortSignal.any([scan.controller.signal, part.stop.signal]);
    const context = this.#options.gateway.contextFor(connection, signal);
    part.scheduler = context.scheduler;
    scan.callsAtStart.set(connection.id, context.scheduler.stats().calls);
    const disconnected = () => part.stop.signal.aborted;
    let result: ProviderScan;
    try {
      result = await audit.scan({
        ...context,
        onProgress: (progress) => {
          part.done = progress.done;
          part.total = progress.total;
          if (progress.phase) part.phase = progress.phase;
          const fraction = progress.fraction ?? (progress.total > 0 ? progress.done / progress.total : 0);
          part.fraction = Math.max(part.fraction, Math.min(1, fraction));
        },
      });
    } catch (error) {
      if (disconnected()) {
        part.phase = 'disconnected';
        return { connection: { ...base, outcome: 'cancelled', note: `Stopped at once: ${connection.label} was disconnected during the scan.`, errorCode: 'needs_reconnect' }, scan: null };
      }
      part.phase = scan.controller.signal.aborted ? 'cancelled' : 'failed';
      if (scan.controller.signal.aborted) return { connection: { ...base, outcome: 'cancelled', note: 'Cancelled before this tenant was read.', errorCode: 'cancelled' }, scan: null };
      const failure = this.#failureOf(audit, error, connection);
      return { connection: { ...base, outcome: 'failed', note: failure.message, errorCode: failure.code }, scan: null };
    }
    const cut = signal.aborted && (result.completed < result.total || result.incomplete.some((item) => !item.detailOnly));
    part.phase = disconnected() ? 'disconnected' : 'done';
    const outcome = cut ? 'cancelled' : result.incomplete.length > 0 || result.completed < result.total ? 'partial' : 'complete';
    const note =
      outcome === 'cancelled'
        ? disconnected()
          ? `Stopped at once: ${connection.label} was disconnected during the scan; ${result.completed} of ${result.total} read.`
          : `Cancelled: ${result.completed} of ${result.total} read and kept.`
        : outcome === 'partial'
          ? result.incomplete.every((item) => item.detailOnly)
            ? 'Every grant was read, but some details could not be (listed below).'
            : `${result.incomplete.length} item${result.incomplete.length === 1 ? '' : 's'} could not be read; the numbers are a floor.`
          : null;
    return { connection: { ...base, outcome, note, errorCode: outcome === 'cancelled' ? (disconnected() ? 'needs_reconnect' : 'cancelled') : null }, scan: result };
  }

  /** A connection in a running scan that was disconnected or removed stops at once; a removed one leaves the page. */
  #connectionChanged(connectionId: string): void {
    let view: ConnectionView | null;
    try {
      view = this.#options.connections.view(connectionId);
    } catch {
      view = null;
    }
    const part = this.#scan?.parts.get(connectionId);
    if (part && !part.ended && (!view || !readyStatuses.has(view.status))) part.stop.abort();
    if (!view && this.#present?.has(connectionId)) {
      void this.#loading
        .then(() => this.#show())
        .then(() => {
          if (this.#index) this.#options.events.publish('grants.changed', { snapshotId: this.#index.data.id });
        })
        .catch((error: unknown) => this.#options.reportUnexpected?.('hiding a removed connection’s grants', error));
    }
  }

  #failureOf(audit: ProviderAudit, error: unknown, connection: ConnectionView): BridgeFailure {
    if (error instanceof AppError) return error.toFailure();
    const described = audit.describeFailure?.(error);
    return { code: described?.code ?? 'provider_error', message: described?.message ?? `${connection.label} could not be scanned.` };
  }

  #progress(scan: RunningScan): ScanProgress {
    const parts = [...scan.parts.entries()];
    const fraction = parts.length > 0 ? parts.reduce((sum, [, part]) => sum + part.fraction, 0) / parts.length : 1;
    const calls = parts.reduce((sum, [id, part]) => sum + (part.scheduler ? part.scheduler.stats().calls - (scan.callsAtStart.get(id) ?? 0) : 0), 0);
    const now = this.#clock().getTime();
    scan.samples.push({ at: now, calls, fraction });
    while (scan.samples.length > 2 && scan.samples[0]!.at < now - rateWindowMs) scan.samples.shift();
    const first = scan.samples[0]!;
    const seconds = (now - first.at) / 1_000;
    const callsPerMinute = seconds > 0 ? ((calls - first.calls) / seconds) * 60 : 0;
    const perSecond = seconds > 0 ? (fraction - first.fraction) / seconds : 0;
    const percent = (value: number) => Math.round(value * 1_000) / 10;
    return {
      scanId: scan.id,
      state: scan.state,
      startedAt: scan.startedAt.toISOString(),
      done: parts.filter(([, part]) => part.ended).length,
      total: parts.length,
      percent: percent(fraction),
      callsPerMinute: Math.round(callsPerMinute),
      etaSeconds: perSecond > 0 && fraction < 1 ? Math.ceil((1 - fraction) / perSecond) : null,
      connections: parts.map(([connectionId, part]) => ({ connectionId, label: part.label, provider: part.provider, phase: part.phase, done: part.done, total: part.total, percent: percent(part.fraction) })),
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

  /**
   * Shows a connection's newer read that was kept aside because it read less than the one shown:
   * the admin's choice, saved as a new scan that compares with the one before.
   */
  async useNewerRead(connectionId: string): Promise<SnapshotSummary> {
    await this.#loading;
    return this.#serialised(async () => {
      const current = this.#current;
      const base = current ? withoutHeldReads(current.stored.data) : null;
      const chosen = base?.connections.find((connection) => connection.connectionId === connectionId);
      if (!current || !base || !chosen?.newerRead || chosen.newerRead.grants === 0) {
        throw new AppError('not_found', 'There is no newer read of that connection to show.', { nextStep: 'Reload the Grants page.' });
      }
      const { connections } = await this.#options.connections.list();
      const parts: ConnectionScan[] = [];
      for (const view of connections) {
        const shown = base.connections.find((connection) => connection.connectionId === view.id);
        if (!shown) continue;
        const part = await this.#carriedPart(current.stored, shown, view);
        const newer = view.id === connectionId ? part.newer : null;
        const { readAt, outcome, note, errorCode } = newer?.connection ?? part.connection;
        parts.push(newer ? { connection: { ...part.connection, readAt, outcome, note, errorCode }, scan: newer.scan, newer: null } : part);
      }
      const now = this.#clock();
      await this.#commit(buildSnapshot({ id: newSnapshotId(now), takenAt: now.toISOString(), scans: parts, previous: base, riskOfPrevious: this.#riskOf(base) }), current.revoked);
      const summary = this.#requireIndex().summary();
      await this.#options.activity.record({
        action: 'grants.useNewerRead',
        target: chosen.label,
        result: 'succeeded',
        errorCode: null,
        detail: `Shows the ${chosen.newerRead.outcome} read of ${chosen.newerRead.readAt} instead of the ${chosen.outcome} read of ${chosen.readAt}.`,
      });
      return summary;
    });
  }

  /** How many grants of the scan shown are new since the scan before at this risk level. */
  async newGrantsRated(level: RiskLevel): Promise<{ snapshotId: string; count: number } | null> {
    await this.#loading;
    return this.#index ? { snapshotId: this.#index.data.id, count: this.#index.newGrantsRated(level) } : null;
  }

  // ---------- revoking ----------

  planRevocation(selection: ParsedRequestOf<'grants.planRevocation'>): Promise<RevocationPlan> {
    return this.#revocation.plan(selection);
  }

  revoke(request: ParsedRequestOf<'grants.revoke'>): Promise<JobSummary> {
    return this.#revocation.confirm(request);
  }

  revocationReport(jobId: string): RevocationReport {
    return this.#revocation.report(jobId);
  }

  /**
   * Records grants as revoked since the current scan (the revocation calls this for each batch of
   * grants it revoked). Durable before it resolves: appended to the scan's revocation file and
   * flushed. From then on no query, summary or CSV shows them, and a scan running now keeps them
   * hidden in its result (never "present" again, never "new"). The scan's own data is not
   * rewritten, so the next scan, comparing with it, lists them as gone. Keys not shown (unknown,
   * already recorded) are ignored, so calling it again with the same keys changes nothing.
   */
  async markRevoked(grantKeys: readonly string[]): Promise<void> {
    await this.#loading;
    return this.#serialised(async () => {
      const current = this.#current;
      const index = this.#index;
      if (!current || !index) return;
      const fresh = [...new Set(grantKeys)].filter((key) => !current.revoked.has(key) && index.grantIndex(key) !== undefined);
      if (fresh.length === 0) return;
      await this.#options.store.markRevoked(current.stored.data.id, fresh);
      for (const key of fresh) {
        current.revoked.add(key);
        this.#scan?.revoked.add(key);
      }
      await this.#show();
      this.#options.events.publish('grants.changed', { snapshotId: current.stored.data.id });
    });
  }

  #requireIndex(): GrantIndex {
    if (!this.#index) throw new AppError('not_found', 'There is no grant scan yet.', { nextStep: 'Run a scan on the Grants page.' });
    return this.#index;
  }

  /** Draws the page's view of the current scan: no read kept aside, nothing revoked since, nothing of a removed connection. */
  async #show(): Promise<void> {
    const { connections } = await this.#options.connections.list();
    this.#present = new Set(connections.map((connection) => connection.id));
    const current = this.#current;
    if (!current) {
      this.#stored = null;
      this.#index = null;
      return;
    }
    const { stored } = current;
    const { data, kept } = shownSnapshot(stored.data, { revoked: current.revoked, connectionIds: this.#present });
    this.#stored = { data, evidenceFile: stored.evidenceFile, evidenceAt: kept.map((at) => stored.evidenceAt[at]!), evidenceLength: kept.map((at) => stored.evidenceLength[at]!) };
    this.#index = new GrantIndex(data, this.#clock());
  }

  #serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#writes.then(work, work);
    this.#writes = next.catch(() => undefined);
    return next;
  }
}
