/**
 * A running grant scan: reads each connection through its provider's adapter and the tenant's
 * request scheduler, publishes progress (rate, ETA, per connection), stops a connection that was
 * disconnected meanwhile or the whole scan when cancelled, and hands what it read to the grant
 * audit to save. One runs at a time; the last one's end state stays for the status.
 */
import { randomUUID } from 'node:crypto';
import type { ConnectionView } from '../../src-shared/contract/connections';
import type { BridgeFailure } from '../../src-shared/contract/envelope';
import type { GrantAuditStatus, ScanProgress, SnapshotSummary } from '../../src-shared/contract/grants';
import type { ProviderId } from '../../src-shared/domain/ids';
import type { ActivityService } from '../activity/activity-service';
import type { ConnectionService } from '../connections/connection-service';
import type { TenantGateway } from '../connections/tenant-gateway';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import type { RequestScheduler } from '../net/request-scheduler';
import type { ProviderScan } from './grant-model';
import type { ConnectionScan } from './grant-snapshot';
import type { ProviderAudit } from './provider-audit';
import { tenantKeyOf } from './tenant-identity';

export interface ScanRunOptions {
  connections: Pick<ConnectionService, 'list' | 'view'>;
  audits: Partial<Record<ProviderId, ProviderAudit>>;
  /** Why a provider without an adapter cannot be scanned, and where the admin reviews its apps by hand instead. */
  noGrantListings?: Partial<Record<ProviderId, string>>;
  gateway: Pick<TenantGateway, 'contextFor'>;
  events: EventHub;
  activity: ActivityService;
  /**
   * Saves what a scan read as the scan shown. `revoked` is the scan's own set, still growing while
   * the save waits its turn: grants revoked meanwhile stay hidden in the result.
   */
  save(results: readonly ConnectionScan[], revoked: ReadonlySet<string>): Promise<void>;
  /** The scan shown once saved, for the activity entry. */
  shownSummary(): SnapshotSummary | undefined;
  reportUnexpected?: (context: string, error: unknown) => void;
  /** How often a running scan's progress is published (tests shorten it). */
  progressIntervalMs?: number;
  clock: () => Date;
}

/** A connection in one of these states has tokens a scan can use. */
const readyStatuses = new Set<ConnectionView['status']>(['active', 'expiring_soon', 'expired', 'refreshing', 'refresh_failing']);
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

export class ScanRun {
  readonly #options: ScanRunOptions;
  readonly #clock: () => Date;
  #scan: RunningScan | null = null;
  #lastScan: ScanProgress | null = null;
  #progressTimer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(options: ScanRunOptions) {
    this.#options = options;
    this.#clock = options.clock;
  }

  /** The running scan's progress, else how the last one ended; null before the first. */
  progress(): ScanProgress | null {
    return this.#scan ? this.#progress(this.#scan) : this.#lastScan;
  }

  /** For each connection: can it be scanned, and if not, why. */
  scannable(connections: readonly ConnectionView[]): GrantAuditStatus['scannable'] {
    return connections.map((connection) => {
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
    });
  }

  /** Starts a scan of the connections named (all when none are), unless one is running. */
  async start(connectionIds?: readonly string[]): Promise<ScanProgress> {
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

  cancel(scanId: string): boolean {
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
      if (anythingRead) await this.#options.save(results, scan.revoked);
      const summary = this.#options.shownSummary();
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

  /** Grants revoked while a scan runs stay hidden in its result (never "present" again, never "new"). */
  noteRevoked(grantKeys: Iterable<string>): void {
    for (const key of grantKeys) this.#scan?.revoked.add(key);
  }

  /** A connection in a running scan that was disconnected or removed (`view` null) stops at once. */
  connectionChanged(connectionId: string, view: ConnectionView | null): void {
    const part = this.#scan?.parts.get(connectionId);
    if (part && !part.ended && (!view || !readyStatuses.has(view.status))) part.stop.abort();
  }

  /** Stops a running scan (keeping what was read) and waits for it to end. */
  async close(): Promise<void> {
    this.#scan?.controller.abort();
    await this.#running;
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
}
