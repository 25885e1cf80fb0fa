/**
 * Reads a tenant's grants again after a consent grant, so the Grants page shows the new
 * tenant-wide consent. One scan runs at a time: while one runs (the admin's, a background one, or
 * the rescan after another grant) the connections asked for wait, and are scanned together once it
 * has ended. The running scan does not count: it may have read the tenant before the grant.
 */
import type { ScanProgress } from '../../src-shared/contract/grants';
import type { GrantAuditService } from '../audit/grant-audit-service';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';

export interface GrantRescanQueueOptions {
  grants: Pick<GrantAuditService, 'status' | 'startScan'>;
  events: Pick<EventHub, 'subscribe'>;
}

/** The connections waiting for the next scan, and that scan's start. */
interface Turn {
  connectionIds: Set<string>;
  started: Promise<ScanProgress | null>;
}

const scanRuns = new Set<ScanProgress['state']>(['running', 'cancelling']);

export class GrantRescanQueue {
  readonly #options: GrantRescanQueueOptions;
  /** The turn still taking connections: none once its scan is about to start. */
  #next: Turn | null = null;
  #closed = false;
  readonly #wake = new Set<() => void>();

  constructor(options: GrantRescanQueueOptions) {
    this.#options = options;
  }

  /**
   * Scans the connections once no scan runs; resolves when that scan has started (null when the
   * console closed first or none of them is left to scan). Never fails because a scan was running.
   */
  rescan(connectionIds: readonly string[]): Promise<ScanProgress | null> {
    if (this.#next) {
      for (const id of connectionIds) this.#next.connectionIds.add(id);
      return this.#next.started;
    }
    const turn = { connectionIds: new Set(connectionIds) } as Turn;
    turn.started = this.#startWhenIdle(turn);
    this.#next = turn;
    return turn.started;
  }

  /** Stops waiting: no scan is started after the console closes. */
  close(): void {
    this.#closed = true;
    for (const wake of this.#wake) wake();
  }

  async #startWhenIdle(turn: Turn): Promise<ScanProgress | null> {
    // Let the callers of this tick join the turn before anything is read.
    await Promise.resolve();
    while (!this.#closed) {
      // Listening before the status is read, so a scan that ends in between is not missed.
      const ended = this.#nextScanEnd();
      try {
        const status = await this.#options.grants.status();
        if (this.#closed) return null;
        if (!status.scan || !scanRuns.has(status.scan.state)) {
          if (this.#next === turn) this.#next = null;
          try {
            return await this.#options.grants.startScan([...turn.connectionIds]);
          } catch (error) {
            // Another scan started first: wait for it too. Connections removed meanwhile leave nothing to scan.
            if (!(error instanceof AppError) || (error.code !== 'scan_in_progress' && error.code !== 'not_found')) throw error;
            if (error.code === 'not_found') return null;
          }
        }
        await ended.promise;
      } finally {
        ended.stop();
      }
    }
    return null;
  }

  /** Resolves when a scan ends (or the queue closes). */
  #nextScanEnd(): { promise: Promise<void>; stop: () => void } {
    let stop = () => undefined as void;
    const promise = new Promise<void>((resolve) => {
      const unsubscribe = this.#options.events.subscribe((event, payload) => {
        if (event === 'grants.scanProgress' && !scanRuns.has((payload as ScanProgress).state)) resolve();
      });
      this.#wake.add(resolve);
      stop = () => {
        unsubscribe();
        this.#wake.delete(resolve);
      };
    });
    return { promise, stop };
  }
}
