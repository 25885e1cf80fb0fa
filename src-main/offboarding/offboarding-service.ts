/**
 * The Offboarding page's service: the list of departed people being prepared (kept across restarts)
 * and its check against each connection's directory, the plan of ordered provider steps, the
 * read-only dry run, the run as one job on the kernel (each step carried out once, surviving a
 * stop), the runs' progress and detail, their evidence and the admin's word on manual steps. It
 * names no provider: the adapters come from the registry.
 */
import { randomUUID } from 'node:crypto';
import type { ParsedRequestOf } from '../../src-shared/contract/channels';
import type { ConnectionView } from '../../src-shared/contract/connections';
import type { ConnectionCheck, DryRun, ImportRequest, ListRow, OffboardingList, OffboardingPlan, RowFields, RunDetail, RunOptions, RunSummary } from '../../src-shared/contract/offboarding';
import type { ProviderId } from '../../src-shared/domain/ids';
import type { ActivityService } from '../activity/activity-service';
import type { ConnectionService } from '../connections/connection-service';
import { holdsCapability } from '../connections/connection-views';
import type { TenantGateway } from '../connections/tenant-gateway';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import type { JobKernel } from '../jobs/job-kernel';
import type { JobItem, JobItemStatus } from '../jobs/job-model';
import { confirmationMatches } from '../jobs/plan-store';
import type { KeyValueStore } from '../storage/key-value-store';
import { DirectoryIndex } from './directory-index';
import { normalAddress } from './email-address';
import { importList, type DraftRow } from './list-import';
import { ManualStepConfirmations } from './manual-step-confirmations';
import { dryRunPlan } from './offboarding-dry-run';
import { evidenceCsv, evidenceJson, type EvidenceFile } from './offboarding-evidence';
import { OffboardingListStore, type StoredList, type StoredPlan } from './offboarding-list-store';
import { planOffboarding, refuseGuardedPeople, type GuardedConnection, type PlanConnectionInput } from './offboarding-planner';
import type { DirectoryReading, ProviderOffboarding } from './offboarding-port';
import { OffboardingRunLog } from './offboarding-run-log';
import { chainOf, isManualReached, runDetail, runSummary, stepKey, type StepItem } from './offboarding-runs';
import { OffboardingStepKind, offboardingStepJobKind, stepLabel, type StepPayload, type StepRetryPolicy } from './offboarding-step-kind';
import { countVerdicts, judgeRows, listed, type VerdictConnection } from './row-verdicts';

export interface OffboardingServiceOptions {
  adapters: Partial<Record<ProviderId, ProviderOffboarding>>;
  connections: Pick<ConnectionService, 'list' | 'view'>;
  gateway: Pick<TenantGateway, 'context'>;
  jobs: JobKernel;
  activity: Pick<ActivityService, 'record' | 'list'>;
  events: Pick<EventHub, 'publish' | 'subscribe'>;
  /** offboarding-list.json */
  listStore: KeyValueStore;
  /** offboarding-confirmations.json */
  confirmationsStore: KeyValueStore;
  reportUnexpected: (context: string, error: unknown) => void;
  clock?: () => Date;
  /** How a step that failed for a passing reason is tried again (tests make it quick). */
  stepRetry?: StepRetryPolicy;
  /** Dry-run progress is published at most this often. */
  progressIntervalMs?: number;
  /** People read at once in a dry run. */
  dryRunConcurrency?: number;
}

/** A connection's directory as last read, with how the read went. */
interface Reading {
  reading: DirectoryReading | null;
  check: ConnectionCheck;
}

const final = new Set(['finished', 'cancelled']);
/** Items of a run not yet ended: a run still holding them may yet act on the person. */
const unended = new Set<JobItemStatus>(['pending', 'running', 'in_doubt']);
/**
 * How long a plan may wait for its start, as the other plans awaiting confirmation (plan-store.ts)
 * but longer, as a dry run of many people comes between: the directories it was worked out from
 * (super admins, suspensions) may have changed since.
 */
const planLifetimeMs = 60 * 60_000;

/** Why a connection cannot be called now, or null. */
function blockedReason(view: ConnectionView): string | null {
  switch (view.status) {
    case 'revoked':
      return `${view.label} is disconnected: reconnect it on the Connections page, or leave it out of the run.`;
    case 'needs_reconnect':
    case 'error':
      return `${view.label} needs a reconnect (${view.statusDetail}): reconnect it on the Connections page, or leave it out of the run.`;
    default:
      return null;
  }
}

/** The offboarding capability's scopes the connection has not been granted, with why each is asked for. */
function missingScopes(view: ConnectionView): { scope: string; reason: string }[] {
  const capability = view.capabilities.find((candidate) => candidate.id === 'offboarding');
  if (!capability || capability.held) return [];
  return capability.extraScopes.filter((added) => !view.scopesGranted.includes(added.scope));
}

const asDraft = (row: ListRow): DraftRow => ({ id: row.id, line: row.line, fields: { email: row.email, transferTo: row.transferTo, providers: row.providers, note: row.note } });

export class OffboardingService {
  readonly #options: OffboardingServiceOptions;
  readonly #clock: () => Date;
  readonly #store: OffboardingListStore;
  readonly #confirmations: ManualStepConfirmations;
  readonly #steps: OffboardingStepKind;
  readonly #runLog: OffboardingRunLog;
  readonly #unsubscribe: () => void;
  /** Directory readings by connection, kept until the list is checked again or cleared. */
  readonly #readings = new Map<string, Reading>();
  #list: StoredList | null;
  #plan: StoredPlan | null;
  /** The dry run under way, for one plan. */
  #dryRun: { planId: string; controller: AbortController; done: Promise<void> } | null = null;
  #lastDryRunPublish = 0;
  /** The last plan's choice: whether a row lacks a transfer target depends on it. */
  #transferData: boolean;
  /** List changes run one at a time: a check and an edit never interleave. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: OffboardingServiceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
    this.#store = new OffboardingListStore(options.listStore);
    this.#confirmations = new ManualStepConfirmations(options.confirmationsStore);
    this.#list = this.#store.list();
    const plan = this.#store.plan();
    this.#plan = plan && this.#list && plan.plan.listId === this.#list.list.id ? plan : null;
    this.#transferData = this.#plan?.plan.options.transferData ?? true;
    // Registers its kind of job: before the journals are replayed.
    this.#steps = new OffboardingStepKind({ adapters: options.adapters, gateway: options.gateway, ...(options.stepRetry ? { retry: options.stepRetry } : {}) });
    options.jobs.register<StepPayload>(this.#steps.kind());
    this.#runLog = new OffboardingRunLog({ jobs: options.jobs, activity: options.activity, events: options.events, reportUnexpected: options.reportUnexpected });
    this.#unsubscribe = options.events.subscribe((event, payload) => {
      if (event !== 'jobs.progress') return;
      const job = payload as RunSummary['job'];
      if (job.kind !== offboardingStepJobKind) return;
      options.events.publish('offboarding.changed', { what: 'runs' });
      if (final.has(job.state) || job.state === 'paused') this.#forgetResolved(job.id);
    });
  }

  /**
   * After the kernel has replayed its journals: a run that ended just before a stop gets its summary
   * entry now, and a plan whose start was cut short learns from the kernel whether its run exists.
   */
  start(): Promise<void> {
    const stored = this.#plan;
    if (stored?.startingAt && !stored.runId) {
      const job = this.#runOf(stored.plan.id);
      if (job) {
        stored.runId = job.id;
        this.#store.savePlan(stored);
      }
    }
    return this.#runLog.recordMissed();
  }

  close(): void {
    this.#unsubscribe();
    this.#runLog.close();
    this.#dryRun?.controller.abort();
  }

  // ---------- the list ----------

  list(): { list: OffboardingList | null } {
    return { list: this.#list?.list ?? null };
  }

  /** Parses the file or pasted text into a new list (replacing the one being prepared), then checks it. */
  importList(request: ImportRequest): Promise<OffboardingList> {
    return this.#exclusive(async () => {
      const imported = importList(request, randomUUID);
      const now = this.#clock().toISOString();
      const list: OffboardingList = {
        id: randomUUID(),
        createdAt: now,
        source: request.source === 'file' ? { kind: 'file', fileName: request.fileName } : { kind: 'paste', fileName: null },
        delimiter: imported.delimiter,
        columns: imported.columns,
        rows: [],
        counts: { ready: 0, warning: 0, error: 0 },
        checks: [],
        checkedAt: null,
      };
      this.#readings.clear();
      return this.#rejudge({ list, unknownValues: imported.unknownValues }, imported.rows);
    });
  }

  /** Fixes a row in place, or adds one when `rowId` is null; verdicts are worked out again from the readings held. */
  editRow({ rowId, fields }: ParsedRequestOf<'offboarding.editRow'>): Promise<OffboardingList> {
    return this.#exclusive(async () => {
      const stored = this.#required();
      const drafts = stored.list.rows.map(asDraft);
      // The same form as an imported row: comparisons everywhere rely on it.
      const cleaned: RowFields = { ...fields, email: normalAddress(fields.email), transferTo: fields.transferTo === null ? null : normalAddress(fields.transferTo) || null };
      const unknownValues = { ...stored.unknownValues };
      if (rowId === null) {
        drafts.push({ id: randomUUID(), line: null, fields: cleaned });
      } else {
        const index = drafts.findIndex((draft) => draft.id === rowId);
        if (index === -1) throw new AppError('not_found', 'That row is not in the list any more.', { nextStep: 'Reload the page.' });
        drafts[index] = { ...drafts[index]!, fields: cleaned };
        // Fixed by the admin: the values of columns Consentry does not know were seen and are left behind.
        delete unknownValues[rowId];
      }
      return this.#rejudge({ list: stored.list, unknownValues }, drafts);
    });
  }

  dropRows({ rowIds }: ParsedRequestOf<'offboarding.dropRows'>): Promise<OffboardingList> {
    return this.#exclusive(async () => {
      const stored = this.#required();
      const dropped = new Set(rowIds);
      const unknownValues = Object.fromEntries(Object.entries(stored.unknownValues).filter(([id]) => !dropped.has(id)));
      return this.#rejudge({ list: stored.list, unknownValues }, stored.list.rows.filter((row) => !dropped.has(row.id)).map(asDraft));
    });
  }

  clearList(): Promise<{ list: null }> {
    return this.#exclusive(async () => {
      this.#readings.clear();
      this.#saveList(null);
      return { list: null };
    });
  }

  /** Reads each connection's directory again and works out every row's verdict. */
  checkList(): Promise<OffboardingList> {
    return this.#exclusive(async () => {
      const stored = this.#required();
      this.#readings.clear();
      return this.#rejudge(stored, stored.list.rows.map(asDraft));
    });
  }

  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(operation, operation);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #required(): StoredList {
    if (!this.#list) throw new AppError('list_not_ready', 'There is no list of departed people yet.', { nextStep: 'Import a CSV file or paste the list on the Offboarding page.' });
    return this.#list;
  }

  /** One connection's directory; a failure is that connection's check, never the list's. */
  async #read(view: ConnectionView): Promise<Reading> {
    const adapter = this.#options.adapters[view.provider]!;
    const check = (state: ConnectionCheck['state'], message: string): ConnectionCheck => ({
      connectionId: view.id,
      label: view.label,
      provider: view.provider,
      state,
      message,
      checkedAt: this.#clock().toISOString(),
    });
    if (adapter.directory === 'none') {
      return { reading: null, check: check('not_readable', `Consentry has no ${view.providerLabel} directory to read: its steps are manual, for every person in the list.`) };
    }
    const blocked = blockedReason(view);
    if (blocked) return { reading: null, check: check('failed', blocked) };
    try {
      const reading = await adapter.readDirectory(this.#options.gateway.context(view.id));
      const people = `${reading.people.length} ${reading.people.length === 1 ? 'person' : 'people'} read`;
      return {
        reading,
        check: check('checked', reading.superAdminsKnown ? `${people}.` : `${people}; who the super admins are could not be read, so a list that names the last one is not caught here.`),
      };
    } catch (error) {
      if (!(error instanceof AppError)) this.#options.reportUnexpected('reading a directory for the offboarding list', error);
      const failure = error instanceof AppError ? error : new AppError('internal', 'The directory could not be read (an unexpected error).');
      const message = `${failure.message}${failure.nextStep ? ` ${failure.nextStep}` : ''}`;
      return { reading: null, check: check(failure.code === 'permission_denied' ? 'not_readable' : 'failed', message) };
    }
  }

  /**
   * Works out the verdicts from the readings held, saves and tells the page. With none held (a new
   * list, a check, the first change after a restart) every directory is read first, in parallel.
   */
  async #rejudge(stored: StoredList, drafts: readonly DraftRow[]): Promise<OffboardingList> {
    const taking = await this.#takingPart();
    if (this.#readings.size === 0 && taking.length > 0 && drafts.length > 0) {
      const readings = await Promise.all(taking.map((view) => this.#read(view)));
      for (const [index, view] of taking.entries()) this.#readings.set(view.id, readings[index]!);
      stored = { ...stored, list: { ...stored.list, checkedAt: this.#clock().toISOString() } };
    }
    const connections: VerdictConnection[] = taking.map((view) => {
      const read = this.#readings.get(view.id);
      const readable = read?.check.state === 'checked';
      return {
        connectionId: view.id,
        label: view.label,
        provider: view.provider,
        providerLabel: view.providerLabel,
        directory: this.#options.adapters[view.provider]!.directory,
        reading: read?.reading ?? null,
        problem: readable || !read ? null : read.check.message,
        account: view.account,
      };
    });
    const rows = judgeRows(drafts, { connections, transferData: this.#transferData, unknownValues: stored.unknownValues });
    const checks = taking.flatMap((view) => this.#readings.get(view.id)?.check ?? []);
    const list: OffboardingList = { ...stored.list, rows, counts: countVerdicts(rows), checks };
    this.#saveList({ list, unknownValues: stored.unknownValues });
    return list;
  }

  /** A changed list makes its plan stale: the plan is dropped, and a dry run of it stopped. */
  #saveList(stored: StoredList | null): void {
    this.#list = stored;
    this.#store.saveList(stored);
    if (this.#plan) this.#setPlan(null);
    this.#options.events.publish('offboarding.changed', { what: 'list' });
  }

  /** Connections whose provider can offboard; a disconnected one only when named for the run. */
  async #takingPart(named: readonly string[] = []): Promise<ConnectionView[]> {
    const { connections } = await this.#options.connections.list();
    return connections.filter((view) => this.#options.adapters[view.provider] !== undefined && (view.status !== 'revoked' || named.includes(view.id)));
  }

  // ---------- the plan ----------

  /** The plan for the list's rows without errors, with these options. */
  plan({ options }: { options: RunOptions }): Promise<OffboardingPlan> {
    return this.#exclusive(async () => {
      const stored = this.#required();
      // Whether a row lacks a transfer target depends on the run's choice: judged with it.
      this.#transferData = options.transferData;
      const list = await this.#rejudge(stored, stored.list.rows.map(asDraft));
      const taking = await this.#takingPart(options.connectionIds);
      const unknown = options.connectionIds.filter((id) => !taking.some((view) => view.id === id));
      if (unknown.length > 0) {
        throw new AppError('not_found', 'A connection chosen for the run cannot offboard (removed, or its provider has no offboarding).', { nextStep: 'Choose the connections again.' });
      }
      const chosen = options.connectionIds.length > 0 ? taking.filter((view) => options.connectionIds.includes(view.id)) : taking;
      const connections = chosen.map((view): PlanConnectionInput => {
        const adapter = this.#options.adapters[view.provider]!;
        const read = this.#readings.get(view.id);
        return {
          connectionId: view.id,
          label: view.label,
          provider: view.provider,
          providerLabel: view.providerLabel,
          directory: adapter.directory,
          steps: adapter.steps({ suspend: options.suspend, transferData: options.transferData }, view.settings),
          reading: read?.reading ?? null,
          readProblem: !read ? 'it was connected after the list was checked' : read.check.state === 'checked' ? null : read.check.message,
          account: view.account,
          missingScopes: missingScopes(view),
          blocked: blockedReason(view),
          skipReason: (kind, target) => adapter.skipReason(kind, target),
        };
      });
      const planned = planOffboarding({ rows: list.rows, options, connections });
      this.#refuseOverlap(planned);
      const plan: OffboardingPlan = { ...planned, id: randomUUID(), listId: list.id, createdAt: this.#clock().toISOString(), dryRun: null };
      this.#setPlan({ plan, runId: null, startingAt: null });
      return plan;
    });
  }

  currentPlan(): { plan: OffboardingPlan | null } {
    return { plan: this.#plan?.plan ?? null };
  }

  #setPlan(stored: StoredPlan | null): void {
    if (this.#dryRun && this.#dryRun.planId !== stored?.plan.id) {
      this.#dryRun.controller.abort();
      this.#dryRun = null;
    }
    this.#plan = stored;
    this.#store.savePlan(stored);
    this.#options.events.publish('offboarding.changed', { what: 'plan' });
  }

  #current(planId: string): StoredPlan {
    if (!this.#plan || this.#plan.plan.id !== planId) {
      throw new AppError('plan_expired', 'That plan was replaced: the list or the options changed since.', { nextStep: 'Review the current plan. Nothing was changed.' });
    }
    return this.#plan;
  }

  // ---------- the dry run ----------

  /** Starts the read-only pass (or answers the one under way); progress comes as `offboarding.changed`. */
  dryRun({ planId }: { planId: string }): OffboardingPlan {
    const stored = this.#current(planId);
    if (this.#dryRun?.planId === planId) return stored.plan;
    const controller = new AbortController();
    const views = new Map<string, ConnectionView>();
    const blocked = (connectionId: string) => {
      try {
        const view = views.get(connectionId) ?? this.#options.connections.view(connectionId);
        views.set(connectionId, view);
        return blockedReason(view);
      } catch (error) {
        if (error instanceof AppError) return error.message;
        throw error;
      }
    };
    const update = (dryRun: DryRun, publishNow: boolean) => {
      // A plan replaced meanwhile keeps its own state.
      if (this.#plan !== stored) return;
      stored.plan = { ...stored.plan, dryRun };
      const now = this.#clock().getTime();
      if (!publishNow && now - this.#lastDryRunPublish < (this.#options.progressIntervalMs ?? 250)) return;
      this.#lastDryRunPublish = now;
      if (publishNow) this.#store.savePlan(stored);
      this.#options.events.publish('offboarding.changed', { what: 'dryRun' });
    };
    const startedAt = this.#clock().toISOString();
    update({ state: 'running', startedAt, finishedAt: null, done: 0, total: stored.plan.people.length, people: [], totals: [], reason: null }, true);
    const done = dryRunPlan({
      plan: stored.plan,
      adapters: this.#options.adapters,
      gateway: this.#options.gateway,
      blocked,
      ...(this.#options.dryRunConcurrency ? { concurrency: this.#options.dryRunConcurrency } : {}),
      clock: this.#clock,
      signal: controller.signal,
      progress: (dryRun) => update(dryRun, false),
    })
      .then((dryRun) => update(dryRun, true))
      .catch((error: unknown) => {
        this.#options.reportUnexpected('the offboarding dry run', error);
        const before = stored.plan.dryRun;
        update({ ...before!, state: 'failed', finishedAt: this.#clock().toISOString(), reason: 'The dry run stopped on an unexpected error; run it again.' }, true);
      })
      .finally(() => {
        if (this.#dryRun?.controller === controller) this.#dryRun = null;
      });
    this.#dryRun = { planId, controller, done };
    return stored.plan;
  }

  /** Stops the dry run under way; the people read so far stay shown. */
  async cancelDryRun({ planId }: { planId: string }): Promise<OffboardingPlan> {
    const stored = this.#current(planId);
    const running = this.#dryRun?.planId === planId ? this.#dryRun : null;
    if (running) {
      running.controller.abort();
      await running.done;
    }
    return stored.plan;
  }

  /** Resolves when the dry run under way (if any) has ended. */
  async dryRunSettled(): Promise<void> {
    await this.#dryRun?.done;
  }

  // ---------- the run ----------

  /**
   * Confirms the plan: its steps become one job on the kernel. One start at a time, and one run per
   * plan: whether the plan was started is asked of the kernel (a job carrying its id), so neither a
   * second click nor a stop between the job's creation and the plan's save can start it twice.
   */
  startRun({ planId, confirmation }: ParsedRequestOf<'offboarding.start'>): Promise<RunSummary> {
    return this.#exclusive(async () => {
      const stored = this.#current(planId);
      const { plan } = stored;
      if (stored.runId || this.#runOf(planId)) {
        throw new AppError('plan_expired', 'This plan was started already; its run is listed under Runs.', { nextStep: 'Open the run, or plan again for a new one.' });
      }
      if (this.#clock().getTime() - Date.parse(plan.createdAt) > planLifetimeMs) {
        throw new AppError('plan_expired', 'This plan is more than 60 minutes old: the directories it was worked out from may have changed since.', {
          nextStep: 'Plan again and review the new plan. Nothing was changed.',
        });
      }
      if (!confirmationMatches(confirmation, plan.confirmationPhrase)) {
        throw new AppError('confirmation_mismatch', `Type “${plan.confirmationPhrase}” to start the run.`, { nextStep: 'Nothing was changed.' });
      }
      const used = plan.connections.filter((connection) => plan.people.some((person) => person.steps.some((step) => step.connectionId === connection.connectionId && step.mode === 'api')));
      const views = this.#refuseUnusable(used.map((connection) => connection.connectionId));
      // The guards once more, on the directories as last read (read now after a restart).
      refuseGuardedPeople(await Promise.all(views.map((view) => this.#guarded(view))), plan.people);
      this.#refuseOverlap(plan);

      const confirmedAt = this.#clock().toISOString();
      const items = this.#stepItems(plan, confirmedAt);
      stored.startingAt = confirmedAt;
      this.#store.savePlan(stored);
      const people = plan.people.length;
      const job = await this.#options.jobs.create<StepPayload>({
        kind: offboardingStepJobKind,
        title: `Offboard ${people} ${people === 1 ? 'person' : 'people'}`,
        subject: plan.connections.map((connection) => connection.label).join(', '),
        items,
      });
      stored.runId = job.id;
      // Only the plan it is: one made meanwhile (none can be, the start holding the queue) is never overwritten.
      if (this.#plan === stored) this.#store.savePlan(stored);
      this.#options.events.publish('offboarding.changed', { what: 'runs' });
      return runSummary(job, this.#items(job.id), this.#clock(), this.#options.jobs.runningSince(job.id));
    });
  }

  /** The run's items: one per person, connection and step, chained per person and connection. */
  #stepItems(plan: OffboardingPlan, confirmedAt: string): Omit<JobItem<StepPayload>, 'n'>[] {
    const definitions = new Map(plan.connections.map((connection) => [connection.connectionId, connection]));
    const items: Omit<JobItem<StepPayload>, 'n'>[] = [];
    for (const person of plan.people) {
      for (const step of person.steps) {
        const connection = definitions.get(step.connectionId)!;
        const definition = connection.steps.find((candidate) => candidate.kind === step.kind);
        const payload: StepPayload = {
          planId: plan.id,
          connectionId: step.connectionId,
          connectionLabel: connection.label,
          provider: connection.provider,
          email: person.email,
          transferTo: person.transferTo,
          kind: step.kind,
          mode: step.mode,
          title: definition?.title ?? step.kind,
          options: plan.options,
          confirmedAt,
          where: definition?.where ?? null,
          note: step.note,
        };
        items.push({ key: stepKey(person.email, step.connectionId, step.kind), label: stepLabel(payload), phase: 0, chain: chainOf(person.email, step.connectionId), payload });
      }
    }
    return items;
  }

  /** The run a plan became, as the kernel holds it. */
  #runOf(planId: string): RunSummary['job'] | undefined {
    return this.#options.jobs.list().find((job) => job.kind === offboardingStepJobKind && this.#items(job.id)[0]?.item.payload.planId === planId);
  }

  /** A connection as the start's guards see it: its directory as last read, or read now; one that cannot be read takes no steps. */
  async #guarded(view: ConnectionView): Promise<GuardedConnection> {
    let read = this.#readings.get(view.id);
    if (!read) {
      read = await this.#read(view);
      this.#readings.set(view.id, read);
    }
    if (!read.reading) {
      throw new AppError('list_not_ready', `${view.label} takes no steps: its directory could not be read: ${read.check.message.replace(/\.$/, '')}; check the list again.`, {
        nextStep: 'Check the list again, then plan again. Nothing was changed.',
      });
    }
    return { connectionId: view.id, label: view.label, people: new DirectoryIndex(read.reading), account: view.account };
  }

  /**
   * Refuses a plan or a start naming a person at a connection where a run not yet ended (running,
   * paused, interrupted) still holds steps for them: the two runs' steps would interleave (one's
   * suspend before the other's backup codes, a transfer asked twice).
   */
  #refuseOverlap(plan: Pick<OffboardingPlan, 'people'>): void {
    // One person under two addresses is one person: by directory id where the directory was read.
    const indexes = new Map<string, DirectoryIndex | null>();
    const personAt = (email: string, connectionId: string) => {
      if (!indexes.has(connectionId)) {
        const reading = this.#readings.get(connectionId)?.reading;
        indexes.set(connectionId, reading ? new DirectoryIndex(reading) : null);
      }
      const found = indexes.get(connectionId)?.find(email);
      return found ? `${connectionId}|id:${found.id}` : chainOf(email, connectionId);
    };
    const planned = new Set(plan.people.flatMap((person) => person.steps.flatMap((step) => (step.mode === 'api' ? [personAt(person.email, step.connectionId)] : []))));
    for (const job of this.#options.jobs.list()) {
      if (job.kind !== offboardingStepJobKind || final.has(job.state)) continue;
      const held = new Set<string>();
      for (const { item, status } of this.#items(job.id)) {
        const { email, connectionId, connectionLabel, mode } = item.payload;
        if (unended.has(status) && mode === 'api' && planned.has(personAt(email, connectionId))) held.add(`${email} at ${connectionLabel}`);
      }
      if (held.size === 0) continue;
      throw new AppError(
        'list_not_ready',
        `${listed([...held])} still ${held.size === 1 ? 'has' : 'have'} steps waiting in the run “${job.title}” (${job.state}, started ${job.createdAt.slice(0, 16).replace('T', ' ')} UTC): resume that run or cancel it under Runs first, then plan again.`,
        { nextStep: 'Nothing was changed.' },
      );
    }
  }

  /** Every connection with a step to carry out must be callable now and allow offboarding; else nothing starts. */
  #refuseUnusable(connectionIds: readonly string[]): ConnectionView[] {
    const views = connectionIds.map((id) => {
      try {
        return this.#options.connections.view(id);
      } catch (error) {
        if (error instanceof AppError && error.code === 'not_found') throw new AppError('not_found', 'A connection of this plan was removed since.', { nextStep: 'Plan again. Nothing was changed.' });
        throw error;
      }
    });
    const blocked = views.flatMap((view) => blockedReason(view) ?? []);
    if (blocked.length > 0) throw new AppError('needs_reconnect', blocked.join(' '), { nextStep: 'Nothing was changed.' });
    const lacking = views.filter((view) => !holdsCapability(view, 'offboarding'));
    if (lacking.length > 0) {
      const named = lacking.map((view) => {
        const scopes = missingScopes(view).map((added) => added.scope);
        return `${view.label}${scopes.length ? ` (${scopes.join(', ')})` : ''}`;
      });
      throw new AppError('remediation_required', `Offboarding needs “Offboard departed people” allowed on ${named.join(' and ')}.`, {
        nextStep: 'Allow it from the plan or the connection’s drawer on the Connections page, then start again. Nothing was changed.',
      });
    }
    return views;
  }

  runs(): { runs: RunSummary[] } {
    const now = this.#clock();
    return { runs: this.#options.jobs.list().filter((job) => job.kind === offboardingStepJobKind).map((job) => runSummary(job, this.#items(job.id), now, this.#options.jobs.runningSince(job.id))) };
  }

  run(runId: string): RunDetail {
    const job = this.#run(runId);
    return runDetail(job, this.#items(runId), this.#confirmations.of(runId), this.#clock(), this.#options.jobs.runningSince(runId));
  }

  /** Records the admin's word that a manual step is done; Consentry cannot check it. One at a time: a double click records it once. */
  confirmManualStep(request: ParsedRequestOf<'offboarding.confirmManualStep'>): Promise<RunDetail> {
    return this.#exclusive(() => this.#confirmManualStep(request));
  }

  async #confirmManualStep({ runId, email, connectionId, kind }: ParsedRequestOf<'offboarding.confirmManualStep'>): Promise<RunDetail> {
    this.#run(runId);
    const key = stepKey(email, connectionId, kind);
    // Keys journalled by an earlier version may hold the address as typed.
    const entry = this.#items(runId).find(({ item }) => item.key.toLowerCase() === key.toLowerCase());
    if (!entry) throw new AppError('not_found', 'That step is not part of this run.', { nextStep: 'Reload the page.' });
    if (!isManualReached(entry)) {
      throw new AppError('invalid_request', 'Only a manual step the run has reached can be confirmed; Consentry carries out the others itself.', { nextStep: 'Nothing was changed.' });
    }
    if (!this.#confirmations.of(runId).has(entry.item.key)) {
      const at = this.#clock().toISOString();
      const { payload } = entry.item;
      await this.#options.activity.record({
        action: 'offboarding.manual_confirmed',
        target: entry.item.label,
        result: 'succeeded',
        detail: `The admin confirmed this manual step as done${payload.where ? ` at ${payload.where.label}` : ''}: their word, not checked by Consentry (it has no API for it). Run ${runId}.`,
      });
      this.#confirmations.confirm(runId, entry.item.key, at);
      this.#options.events.publish('offboarding.changed', { what: 'runs' });
    }
    return this.run(runId);
  }

  exportEvidence({ runId, format }: ParsedRequestOf<'offboarding.exportEvidence'>): EvidenceFile {
    const detail = this.run(runId);
    return format === 'csv' ? evidenceCsv(detail, this.#clock()) : evidenceJson(detail, this.#clock());
  }

  /** Resolves once a run's summary entry is in the activity log (for a run that has ended). */
  summaryWritten(runId: string): Promise<void> {
    return this.#runLog.written(runId);
  }

  #run(runId: string): RunSummary['job'] {
    const job = this.#options.jobs.summary(runId);
    if (job.kind !== offboardingStepJobKind) throw new AppError('not_found', 'That job is not an offboarding run.', { nextStep: 'Open it from the Jobs page.' });
    return job;
  }

  #items(runId: string): StepItem[] {
    return this.#options.jobs.items(runId) as StepItem[];
  }

  #forgetResolved(runId: string): void {
    const planId = this.#items(runId)[0]?.item.payload.planId;
    if (planId) this.#steps.forget(planId);
  }
}
