/**
 * The grant audit: runs scans of every connected tenant (`ScanRun`), keeps each scan as a snapshot
 * on disk by the scan rules below, answers the Grants page from the latest, and hands revocation of
 * what the admin selected to `GrantRevocation` (a job).
 */
import type { CsvExport } from '../../src-shared/contract/activity';
import type { ParsedRequestOf } from '../../src-shared/contract/channels';
import type { ConnectionView } from '../../src-shared/contract/connections';
import type { GrantAppDetail, GrantAppPage, GrantAuditStatus, GrantChangeList, GrantFilter, GrantPage, RevocationPlan, RevocationReport, ScanProgress, SnapshotSummary } from '../../src-shared/contract/grants';
import type { JobSummary } from '../../src-shared/contract/jobs';
import type { ProviderId } from '../../src-shared/domain/ids';
import type { ActivityService } from '../activity/activity-service';
import type { ConnectionService } from '../connections/connection-service';
import type { TenantGateway } from '../connections/tenant-gateway';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import type { JobKernel } from '../jobs/job-kernel';
import { grantCsv, type GrantCsvView } from './grant-csv';
import { redactEvidence } from './evidence-redaction';
import { GrantIndex } from './grant-index';
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
import { ScanRun } from './scan-run';
import type { RiskLevel } from './scope-catalog';
import { newSnapshotId, type RevokedGrant, type SkippedSnapshot, type SnapshotStore, type StoredSnapshot } from './snapshot-store';
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

const appDetailGrants = 100;
const appDetailEvidence = 20;
/** Shown in place of a record the snapshot store could not read back (cut short or not JSON on disk). */
const unreadableEvidence = 'Evidence unreadable: this record of the saved scan is damaged. The grant itself is listed; scan again to read its record afresh.';
const changeListLimit = 500;

/** Grant key → when it was revoked (ISO), null when not known. */
type Revocations = Map<string, string | null>;

/** The scan on disk the page is drawn from, and the grants revoked since it was taken. */
interface CurrentScan {
  stored: StoredSnapshot;
  revoked: Revocations;
}

function connectionOfKey(key: string): string {
  return key.slice(0, key.indexOf('/'));
}

/**
 * Whether a revocation still hides its grant once a read of the grant's connection taken at
 * `readAt` is shown: one made before that read is dropped (the read found the grant present, so it
 * was granted again); one made at or after it stays. A time not known (a bare key written before
 * times were recorded) keeps hiding, as it always did: nothing says the read is the newer.
 */
function stillRevokedAfter(at: string | null, readAt: string): boolean {
  return at === null || !(Date.parse(at) < Date.parse(readAt));
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
  readonly #scans: ScanRun;
  readonly #revocation: GrantRevocation;
  /** Snapshot writes (a scan, a revocation) happen one after another. */
  #writes: Promise<unknown> = Promise.resolve();
  /** The last scan being read from disk; every reader waits for it. */
  #loading: Promise<void> = Promise.resolve();

  constructor(options: GrantAuditServiceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
    this.#scans = new ScanRun({
      connections: options.connections,
      audits: options.audits,
      ...(options.noGrantListings ? { noGrantListings: options.noGrantListings } : {}),
      gateway: options.gateway,
      events: options.events,
      activity: options.activity,
      save: (results, revoked) => this.#serialised(() => this.#saveScan(results, revoked)),
      shownSummary: () => this.#index?.summary(),
      ...(options.reportUnexpected ? { reportUnexpected: options.reportUnexpected } : {}),
      ...(options.progressIntervalMs !== undefined ? { progressIntervalMs: options.progressIntervalMs } : {}),
      clock: this.#clock,
    });
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
        if (loaded.latest) this.#current = { stored: loaded.latest, revoked: new Map(loaded.revoked.map(({ key, at }) => [key, at])) };
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
    await this.#scans.close();
    await this.#writes;
  }

  async status(): Promise<GrantAuditStatus> {
    await this.#loading;
    const { connections } = await this.#options.connections.list();
    return {
      snapshot: this.#index?.summary() ?? null,
      scan: this.#scans.progress(),
      scannable: this.#scans.scannable(connections),
      skippedScans: this.#skipped,
    };
  }

  // ---------- scanning ----------

  async startScan(connectionIds?: readonly string[]): Promise<ScanProgress> {
    await this.#loading;
    return this.#scans.start(connectionIds);
  }

  cancelScan(scanId: string): boolean {
    return this.#scans.cancel(scanId);
  }

  /**
   * Saves a scan as the new current one. Per connection: a read at least as good as the one shown
   * replaces it; one that read less (cancelled, failed, partial, disconnected) is kept aside and the
   * read shown is carried over; a connection not in this scan is carried over as it was; a removed
   * connection is left out. The diff compares with the scan before without its reads kept aside.
   */
  async #saveScan(results: readonly ConnectionScan[], revokedDuringScan: ReadonlySet<string>): Promise<void> {
    const now = this.#clock();
    const takenAt = now.toISOString();
    const current = this.#current;
    const base = current ? withoutHeldReads(current.stored.data) : null;
    const { connections } = await this.#options.connections.list();
    const fresh = new Map(results.map((result) => [result.connection.connectionId, result]));
    const parts: ConnectionScan[] = [];
    /** Connection id → when the read carried over was taken. */
    const carried = new Map<string, string>();
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
      carried.set(view.id, shown.readAt);
      parts.push(await this.#carriedPart(current.stored, shown, view, read ? { connection: read.connection, scan: read.scan } : undefined));
    }
    // Grants revoked since the read carried over stay hidden. Those revoked while the scan ran do
    // too, dated as of its reads: a read may have found the grant before it went.
    const revoked: Revocations = new Map();
    for (const [key, at] of current?.revoked ?? []) {
      const readAt = carried.get(connectionOfKey(key));
      if (readAt !== undefined && stillRevokedAfter(at, readAt)) revoked.set(key, at);
    }
    for (const key of revokedDuringScan) revoked.set(key, takenAt);
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
  async #commit(built: ReturnType<typeof buildSnapshot>, revoked: ReadonlyMap<string, string | null>): Promise<void> {
    const keys = new Set(built.data.grants.key);
    const kept: RevokedGrant[] = [...revoked].filter(([key]) => keys.has(key)).map(([key, at]) => ({ key, at }));
    const stored = await this.#options.store.save(built, { revoked: kept });
    this.#current = { stored, revoked: new Map(kept.map(({ key, at }) => [key, at])) };
    this.#skipped = [];
    await this.#show();
    this.#options.events.publish('grants.changed', { snapshotId: stored.data.id });
  }

  /** The risk of a grant of the scan before, worked out only if something is gone. */
  #riskOf(base: SnapshotData | null): (index: number) => RiskLevel {
    let index: GrantIndex | undefined;
    return (position) => (index ??= new GrantIndex(base!, this.#clock())).grantRisk(position);
  }

  /** A connection in a running scan that was disconnected or removed stops at once; a removed one leaves the page. */
  #connectionChanged(connectionId: string): void {
    let view: ConnectionView | null;
    try {
      view = this.#options.connections.view(connectionId);
    } catch {
      view = null;
    }
    this.#scans.connectionChanged(connectionId, view);
    if (!view && this.#present?.has(connectionId)) {
      void this.#loading
        .then(() => this.#show())
        .then(() => {
          if (this.#index) this.#options.events.publish('grants.changed', { snapshotId: this.#index.data.id });
        })
        .catch((error: unknown) => this.#options.reportUnexpected?.('hiding a removed connection’s grants', error));
    }
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
      evidence: records.map((record, position) => ({ grantKey: index.data.grants.key[shown[position]!]!, record: record === null ? unreadableEvidence : JSON.stringify(redactEvidence(record), null, 2) })),
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
      const revoked: Revocations = new Map(current.revoked);
      for (const view of connections) {
        const shown = base.connections.find((connection) => connection.connectionId === view.id);
        if (!shown) continue;
        const part = await this.#carriedPart(current.stored, shown, view);
        const newer = view.id === connectionId ? part.newer : null;
        const { readAt, outcome, note, errorCode } = newer?.connection ?? part.connection;
        parts.push(newer ? { connection: { ...part.connection, readAt, outcome, note, errorCode }, scan: newer.scan, newer: null } : part);
        if (!newer) continue;
        // Revocations of this connection made before the read now shown no longer hide what it found.
        for (const [key, at] of current.revoked) if (connectionOfKey(key) === view.id && !stillRevokedAfter(at, readAt)) revoked.delete(key);
      }
      const now = this.#clock();
      await this.#commit(buildSnapshot({ id: newSnapshotId(now), takenAt: now.toISOString(), scans: parts, previous: base, riskOfPrevious: this.#riskOf(base) }), revoked);
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

  revocationCsv(jobId: string): CsvExport {
    return this.#revocation.csv(jobId);
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
      const at = this.#clock().toISOString();
      await this.#options.store.markRevoked(current.stored.data.id, fresh.map((key) => ({ key, at })));
      for (const key of fresh) current.revoked.set(key, at);
      this.#scans.noteRevoked(fresh);
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
