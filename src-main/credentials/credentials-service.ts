/**
 * The Credentials page's service: the inventory across tenants (read at start, daily and on ask),
 * the Google Cloud projects it reads, each credential's history, the CSV export, revoking
 * compromised credentials as a job, and the expiry alerts. It names no provider: the adapters come
 * from the registry. Rotation is the rotation runner's; it asks this service for a credential and
 * to read a connection again, and tells it which credentials have a rotation under way.
 */
import type { ParsedRequestOf } from '../../src-shared/contract/channels';
import type { ActivityEntry } from '../../src-shared/contract/activity';
import type { Credential, CredentialAlert, CredentialInventory, Rotation, RevokePlan, RevokeReport } from '../../src-shared/contract/credentials';
import type { JobSummary } from '../../src-shared/contract/jobs';
import type { Settings } from '../../src-shared/contract/settings';
import type { ProviderId } from '../../src-shared/domain/ids';
import type { ActivityService } from '../activity/activity-service';
import type { ConnectionService, DesktopNotifier } from '../connections/connection-service';
import type { TenantGateway } from '../connections/tenant-gateway';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import type { JobKernel } from '../jobs/job-kernel';
import type { KeyValueStore } from '../storage/key-value-store';
import { CloudProjects } from './cloud-projects';
import { CredentialAlerts } from './credential-alerts';
import { credentialsCsv } from './credential-export';
import { CredentialInventoryStore } from './credential-inventory';
import { credentialReference } from './credential-key';
import { CredentialRevocation } from './credential-revocation';
import type { ProviderCredentials } from './credentials-port';

const dailyMs = 24 * 60 * 60_000;
/** Activity entries a credential's history shows, newest first. */
const historyEntries = 200;

export interface CredentialsServiceOptions {
  adapters: Partial<Record<ProviderId, ProviderCredentials>>;
  connections: Pick<ConnectionService, 'list' | 'view' | 'clientSecretEnteredAt'>;
  gateway: Pick<TenantGateway, 'context'>;
  jobs: JobKernel;
  activity: Pick<ActivityService, 'record' | 'list'>;
  events: Pick<EventHub, 'publish' | 'subscribe'>;
  settings: { get(): Settings };
  /** cloud-projects.json */
  cloudProjectsStore: KeyValueStore;
  /** credential-alerts.json */
  alertsStore: KeyValueStore;
  notify: DesktopNotifier;
  reportUnexpected: (context: string, error: unknown) => void;
  clock?: () => Date;
}

export class CredentialsService {
  readonly #options: CredentialsServiceOptions;
  readonly #clock: () => Date;
  readonly #projects: CloudProjects;
  readonly #inventory: CredentialInventoryStore;
  readonly #revocation: CredentialRevocation;
  readonly #alerts: CredentialAlerts;
  #rotationsFor: (key: string) => Rotation[] = () => [];
  #revoked: (keys: string[]) => Promise<void> | void = () => undefined;
  #daily: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: CredentialsServiceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
    this.#projects = new CloudProjects(options.cloudProjectsStore);
    this.#alerts = new CredentialAlerts({ store: options.alertsStore, events: options.events, notify: options.notify, ...(options.clock ? { clock: options.clock } : {}) });
    this.#inventory = new CredentialInventoryStore({
      adapters: options.adapters,
      connections: options.connections,
      gateway: options.gateway,
      cloudProjects: this.#projects,
      settings: options.settings,
      events: options.events,
      afterRead: (credentials) => {
        try {
          this.#alerts.check(credentials);
        } catch (error) {
          options.reportUnexpected('raising credential expiry alerts', error);
        }
      },
      reportUnexpected: options.reportUnexpected,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    // Registers its kind of job: before the journals are replayed.
    this.#revocation = new CredentialRevocation({
      adapters: options.adapters,
      credential: (key) => this.#inventory.credential(key),
      connections: options.connections,
      gateway: options.gateway,
      jobs: options.jobs,
      reread: (connectionIds) => Promise.all(connectionIds.map((id) => this.#inventory.reread(id))).then(() => undefined),
      revoked: (keys) => this.#revoked(keys),
      reportUnexpected: options.reportUnexpected,
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }

  /** Reads every tenant now (its alerts follow) and again each day while Consentry runs. */
  start(): Promise<void> {
    this.#daily = setInterval(() => {
      this.#inventory.read().catch((error: unknown) => this.#options.reportUnexpected('the daily read of credentials', error));
    }, dailyMs);
    this.#daily.unref();
    return this.#inventory.inventory().then(() => undefined);
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#daily);
    this.#inventory.close();
  }

  // ---------- for the rotation runner ----------

  credential(key: string): Credential | null {
    return this.#inventory.credential(key);
  }

  reread(connectionId: string): Promise<void> {
    return this.#inventory.reread(connectionId);
  }

  /** The rotation runner: which credential has an unfinished rotation, and every rotation of one. */
  useRotations(rotations: { activeRotationFor(key: string): string | null; rotationsFor(key: string): Rotation[] }): void {
    this.#inventory.useRotations((key) => rotations.activeRotationFor(key));
    this.#rotationsFor = (key) => rotations.rotationsFor(key);
  }

  /** Told the keys a revocation job revoked, once it has stopped: the rotation runner stops their rotations. */
  onRevoked(listener: (keys: string[]) => Promise<void> | void): void {
    this.#revoked = listener;
  }

  // ---------- the page ----------

  inventory(): Promise<CredentialInventory> {
    return this.#inventory.inventory();
  }

  async read(connectionIds?: readonly string[]): Promise<CredentialInventory> {
    if (this.#closed) throw new AppError('invalid_request', 'Consentry is closing; the credentials were not read.');
    await this.#inventory.read(connectionIds);
    return this.#inventory.snapshot();
  }

  /**
   * The activity entries about one credential, newest first: those that carry its reference
   * (revocations) and those of its rotations (each entry carries its rotation's id).
   */
  async history(key: string): Promise<{ entries: ActivityEntry[]; rotations: Rotation[] }> {
    const rotations = this.#rotationsFor(key);
    const searches = [credentialReference(key), ...rotations.map((rotation) => `[rotation ${rotation.id} `)];
    const pages = await Promise.all(searches.map((text) => this.#options.activity.list({ text }, 0, historyEntries)));
    const bySeq = new Map<number, ActivityEntry>();
    for (const page of pages) for (const entry of page.entries) bySeq.set(entry.seq, entry);
    const entries = [...bySeq.values()].sort((a, b) => b.seq - a.seq).slice(0, historyEntries);
    return { entries, rotations };
  }

  async exportCsv(): Promise<{ fileName: string; content: string; rows: number }> {
    const { credentials } = await this.#inventory.inventory();
    return credentialsCsv(credentials, this.#clock());
  }

  /** Every Google connection with the projects named for it (none yet: an empty list). */
  async cloudProjects(): Promise<{ connectionId: string; projects: string[] }[]> {
    const { connections } = await this.#options.connections.list();
    return connections.filter((view) => view.provider === 'google').map((view) => ({ connectionId: view.id, projects: this.#projects.of(view.id) }));
  }

  async setCloudProjects({ connectionId, projects }: ParsedRequestOf<'credentials.setCloudProjects'>): Promise<{ connectionId: string; projects: string[] }[]> {
    const view = this.#options.connections.view(connectionId);
    if (view.provider !== 'google') throw new AppError('invalid_request', 'Cloud projects are named for Google connections only.', { nextStep: 'Choose a Google Workspace connection.' });
    const before = this.#projects.of(connectionId);
    this.#projects.set(connectionId, projects);
    const after = this.#projects.of(connectionId);
    await this.#options.activity.record({
      action: 'credentials.cloud_projects',
      target: `connection:${view.label} (${view.providerLabel})`,
      result: 'succeeded',
      detail: `Google Cloud projects whose keys are listed: ${before.join(', ') || 'none'} → ${after.join(', ') || 'none'}.`,
    });
    // Read in the background: the page shows "reading" and is told when it ends.
    this.#inventory.reread(connectionId).catch((error: unknown) => this.#options.reportUnexpected('reading the keys of newly named projects', error));
    return this.cloudProjects();
  }

  /** Names the projects of a connection when none are named yet (the sample workspace's own project). */
  nameDefaultCloudProjects(connectionId: string, projects: readonly string[]): void {
    if (this.#projects.of(connectionId).length > 0) return;
    this.#projects.set(connectionId, projects);
    this.#inventory.reread(connectionId).catch((error: unknown) => this.#options.reportUnexpected('reading the keys of the sample projects', error));
  }

  /** The expiry alerts raised since Consentry started that the admin has not dismissed. */
  pendingAlerts(): { alerts: CredentialAlert[] } {
    return { alerts: this.#alerts.pending() };
  }

  dismissAlerts(credentialKeys: readonly string[]): { alerts: CredentialAlert[] } {
    return { alerts: this.#alerts.dismiss(credentialKeys) };
  }

  planRevoke(request: ParsedRequestOf<'credentials.planRevoke'>): RevokePlan {
    return this.#revocation.plan(request);
  }

  revoke(request: ParsedRequestOf<'credentials.revoke'>): Promise<JobSummary> {
    return this.#revocation.revoke(request);
  }

  revokeReport(jobId: string): RevokeReport {
    return this.#revocation.report(jobId);
  }
}
