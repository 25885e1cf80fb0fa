/**
 * Scans every connected tenant on the admin's schedule (Settings → background scan interval)
 * while Consentry runs, and tells the admin — on the desktop and in the console — when a scan
 * finds new Critical grants. It never starts a scan while one runs or when no connection can be
 * scanned, and a scan the admin started counts: the next one is due an interval after it.
 */
import type { GrantAlert, ScanProgress } from '../../src-shared/contract/grants';
import type { Settings } from '../../src-shared/contract/settings';
import type { DesktopNotifier } from '../connections/connection-service';
import type { EventHub } from '../events/event-hub';
import type { GrantAuditService } from './grant-audit-service';

/** setTimeout and clearTimeout, or a test's hand-driven stand-in. */
export interface ScanTimer {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const nodeTimer: ScanTimer = {
  set: (callback, ms) => setTimeout(callback, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface BackgroundScansOptions {
  grants: Pick<GrantAuditService, 'status' | 'startScan' | 'newGrantsRated'>;
  settings: { get(): Pick<Settings, 'backgroundScanIntervalMinutes'> };
  events: EventHub;
  notify: DesktopNotifier;
  timer?: ScanTimer;
  clock?: () => Date;
  reportUnexpected?: (context: string, error: unknown) => void;
}

/** A scan overdue at start waits this long, so the console and the connections' renewals come first. */
export const overdueScanDelayMs = 60_000;
const scanEnds = new Set<ScanProgress['state']>(['finished', 'cancelled', 'failed']);

export class BackgroundScans {
  readonly #options: BackgroundScansOptions;
  readonly #timer: ScanTimer;
  readonly #clock: () => Date;
  #handle: unknown;
  #unsubscribe: (() => void) | undefined;
  /** The last time a background scan was started or skipped. */
  #lastAttempt: number | null = null;
  /** The background scan under way, with the scan shown when it started. */
  #running: { scanId: string; before: string | null } | null = null;
  #closed = false;

  constructor(options: BackgroundScansOptions) {
    this.#options = options;
    this.#timer = options.timer ?? nodeTimer;
    this.#clock = options.clock ?? (() => new Date());
  }

  start(): void {
    this.#unsubscribe = this.#options.events.subscribe((event, payload) => {
      if (event === 'settings.changed') this.#plan();
      if (event === 'grants.scanProgress') this.#scanProgressed(payload as ScanProgress);
    });
    this.#plan();
  }

  close(): void {
    this.#closed = true;
    this.#unsubscribe?.();
    this.#clear();
  }

  #intervalMs(): number {
    return this.#options.settings.get().backgroundScanIntervalMinutes * 60_000;
  }

  #clear(): void {
    if (this.#handle !== undefined) this.#timer.clear(this.#handle);
    this.#handle = undefined;
  }

  /** Sets the timer for the next scan: an interval after the last scan or attempt, whichever is later. */
  #plan(): void {
    this.#clear();
    const interval = this.#intervalMs();
    if (this.#closed || interval === 0 || this.#running) return;
    this.#options.grants
      .status()
      .then((status) => {
        if (this.#closed || this.#running || this.#intervalMs() !== interval) return;
        const now = this.#clock().getTime();
        const last = Math.max(status.snapshot ? Date.parse(status.snapshot.takenAt) : Number.NEGATIVE_INFINITY, this.#lastAttempt ?? Number.NEGATIVE_INFINITY);
        const wait = Number.isFinite(last) ? Math.max(overdueScanDelayMs, last + interval - now) : overdueScanDelayMs;
        this.#clear();
        this.#handle = this.#timer.set(() => void this.#due(interval), Math.min(wait, interval));
      })
      .catch((error: unknown) => this.#options.reportUnexpected?.('planning the background scan', error));
  }

  async #due(interval: number): Promise<void> {
    this.#handle = undefined;
    try {
      const status = await this.#options.grants.status();
      const now = this.#clock().getTime();
      const last = Math.max(status.snapshot ? Date.parse(status.snapshot.takenAt) : Number.NEGATIVE_INFINITY, this.#lastAttempt ?? Number.NEGATIVE_INFINITY);
      // A scan the admin ran meanwhile moved the next one on; a running one is left alone.
      const busy = status.scan?.state === 'running' || status.scan?.state === 'cancelling';
      const early = Number.isFinite(last) && now - last < interval - overdueScanDelayMs;
      if (this.#closed || early) return;
      // Skipped (a scan runs, nothing can be scanned) counts as an attempt: the next is an interval on.
      this.#lastAttempt = now;
      if (busy || !status.scannable.some((connection) => connection.supported && connection.ready)) return;
      const progress = await this.#options.grants.startScan();
      this.#running = { scanId: progress.scanId, before: status.snapshot?.id ?? null };
    } catch (error) {
      // Another scan started in between: this one is simply skipped.
      if ((error as { code?: string }).code !== 'scan_in_progress') this.#options.reportUnexpected?.('starting a background scan', error);
    } finally {
      if (!this.#running) this.#plan();
    }
  }

  #scanProgressed(progress: ScanProgress): void {
    const running = this.#running;
    if (!running || progress.scanId !== running.scanId || !scanEnds.has(progress.state)) return;
    this.#running = null;
    this.#alertNewCritical(running.before)
      .catch((error: unknown) => this.#options.reportUnexpected?.('telling of new Critical grants', error))
      .finally(() => this.#plan());
  }

  async #alertNewCritical(before: string | null): Promise<void> {
    const found = await this.#options.grants.newGrantsRated('critical');
    // Only a scan that was saved can have found anything new.
    if (!found || found.snapshotId === before || found.count === 0) return;
    const message = `A background scan found ${found.count === 1 ? 'a new Critical grant' : `${found.count.toLocaleString('en-US')} new Critical grants`} since the scan before. Review ${found.count === 1 ? 'it' : 'them'} on the Grants page.`;
    const alert: GrantAlert = { snapshotId: found.snapshotId, criticalGrants: found.count, message };
    this.#options.events.publish('grants.alert', alert);
    this.#options.notify({ title: 'Consentry: new Critical grants', body: message });
  }
}
