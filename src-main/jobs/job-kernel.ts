/**
 * Carries out confirmed jobs so that they survive being killed at any point. For each item it
 * journals the intent before the call and the outcome after, then writes the item's activity entry
 * and journals that too. At start it replays every journal: finished jobs are listed, a job that
 * was running is marked interrupted and offered for resuming, an item whose call was sent but whose
 * answer was not recorded is "in doubt" (never counted as done), and an outcome whose activity entry
 * may be missing gets it.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { JobSummary } from '../../src-shared/contract/jobs';
import type { ActivityService } from '../activity/activity-service';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import { journalIds, journalPath, JobJournal, readJournal, setJournalAside, type JournalFiles, type JournalRecord } from './job-journal';
import type { JobItem, JobItemOutcome, JobItemStatus, JobKind, JobState } from './job-model';

export interface JobKernelOptions {
  directory: string;
  activity: ActivityService;
  events: EventHub;
  clock?: () => Date;
  /** Tests inject file failures (a full disk). */
  files?: JournalFiles;
  /** Publishes progress at most this often; state changes are published at once. */
  progressIntervalMs?: number;
}

export interface NewJob<Payload> {
  kind: string;
  title: string;
  /** What the whole job is done to, for the activity log (e.g. "3 connections"). */
  subject: string;
  meta?: unknown;
  items: readonly Omit<JobItem<Payload>, 'n'>[];
}

/** A job that could not be read back at start, set aside under another name. */
export interface DamagedJournal {
  jobId: string;
  keptAs: string;
  problem: string;
}

/** Where each item of a job stands, with counts kept as they change: a summary costs no walk. */
class ItemStatuses {
  readonly #of: JobItemStatus[] = [];
  readonly #counts = new Map<JobItemStatus, number>();

  get(n: number): JobItemStatus {
    return this.#of[n]!;
  }

  set(n: number, status: JobItemStatus): void {
    const before = this.#of[n];
    if (before) this.#counts.set(before, this.count(before) - 1);
    this.#of[n] = status;
    this.#counts.set(status, this.count(status) + 1);
  }

  count(status: JobItemStatus): number {
    return this.#counts.get(status) ?? 0;
  }

  /** Items with an outcome: done, failed or skipped. */
  ended(): number {
    return this.count('succeeded') + this.count('failed') + this.count('skipped');
  }
}

interface Job {
  id: string;
  kind: string;
  title: string;
  subject: string;
  meta: unknown;
  createdAt: string;
  updatedAt: string;
  state: JobState;
  reason: string | null;
  items: JobItem[];
  status: ItemStatuses;
  outcomes: (JobItemOutcome | undefined)[];
  journal: JobJournal | null;
  /** Set by pause or cancel: no new item starts. */
  stopping: 'pause' | 'cancel' | null;
  running: Promise<void> | null;
  /** (time, items ended) samples for the ETA. */
  samples: { at: number; ended: number }[];
}

const terminal = new Set<JobState>(['finished', 'cancelled']);
const etaWindowMs = 30_000;

/** A kind's request to pause the job (the connection needs a reconnect); not a failure of the item. */
class JobPaused extends AppError {
  constructor(reason: string) {
    super('needs_reconnect', reason);
  }
}

function refOf(job: { id: string }, n: number): string {
  return `[job ${job.id} item ${n}]`;
}

function outcomeOfError(error: unknown): JobItemOutcome {
  const failure = error instanceof AppError ? error : null;
  return {
    result: 'failed',
    code: 'failed',
    verified: false,
    message: failure?.message ?? 'An unexpected error stopped this item; nothing is known to have changed.',
    errorCode: failure?.code ?? 'internal',
  };
}

export class JobKernel {
  readonly #options: JobKernelOptions;
  readonly #clock: () => Date;
  readonly #kinds = new Map<string, JobKind>();
  readonly #jobs = new Map<string, Job>();
  readonly #lastPublished = new Map<string, number>();
  #damaged: DamagedJournal[] = [];
  #closed = false;

  constructor(options: JobKernelOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
  }

  register<Payload>(kind: JobKind<Payload>): void {
    this.#kinds.set(kind.kind, kind as JobKind);
  }

  /** Replays every journal. Call after every kind is registered. */
  async start(): Promise<void> {
    await mkdir(this.#options.directory, { recursive: true, mode: 0o700 });
    for (const id of await journalIds(this.#options.directory)) {
      try {
        await this.#replay(id);
      } catch (error) {
        const problem = error instanceof AppError ? error.message : 'It could not be read.';
        const keptAs = await setJournalAside(this.#options.directory, id, this.#clock()).catch(() => `${id} (left in place)`);
        this.#damaged.push({ jobId: id, keptAs, problem });
        await this.#options.activity
          .record({ action: 'job.damaged', target: `job ${id}`, result: 'failed', errorCode: 'storage_unavailable', detail: `${problem} The journal was kept as ${keptAs}.` })
          .catch(() => undefined);
      }
    }
  }

  damagedJournals(): readonly DamagedJournal[] {
    return this.#damaged;
  }

  async create<Payload>(spec: NewJob<Payload>): Promise<JobSummary> {
    if (this.#closed) throw new AppError('invalid_request', 'Consentry is closing; the job was not started.');
    const kind = this.#kind(spec.kind);
    const now = this.#clock().toISOString();
    const id = randomUUID();
    const items: JobItem[] = spec.items.map((item, n) => ({ ...item, n }));
    const status = new ItemStatuses();
    for (const item of items) status.set(item.n, 'pending');
    const journal = await JobJournal.open(journalPath(this.#options.directory, id), 0, this.#options.files);
    const job: Job = {
      id,
      kind: kind.kind,
      title: spec.title,
      subject: spec.subject,
      meta: spec.meta ?? null,
      createdAt: now,
      updatedAt: now,
      state: 'running',
      reason: null,
      items,
      status,
      outcomes: items.map(() => undefined),
      journal,
      stopping: null,
      running: null,
      samples: [],
    };
    try {
      await journal.write(
        { t: 'created', at: now, job: { id, kind: job.kind, title: job.title, subject: job.subject, total: items.length, meta: job.meta } },
        ...items.map((item): JournalRecord => ({ t: 'item', n: item.n, key: item.key, label: item.label, phase: item.phase, payload: item.payload })),
        { t: 'ready', at: now },
      );
    } catch (error) {
      await journal.close();
      throw error;
    }
    this.#jobs.set(id, job);
    await this.#options.activity.record({ action: 'job.started', target: job.title, result: 'succeeded', detail: `Confirmed: ${items.length} item${items.length === 1 ? '' : 's'} on ${job.subject}. Job ${id}.` });
    this.#startRunning(job);
    return this.summary(id);
  }

  list(): JobSummary[] {
    return [...this.#jobs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((job) => this.#summary(job));
  }

  summary(id: string): JobSummary {
    return this.#summary(this.#job(id));
  }

  /** The items with where they stand and their outcome, for a kind's report. */
  items(id: string): { item: JobItem; status: JobItemStatus; outcome: JobItemOutcome | undefined }[] {
    const job = this.#job(id);
    return job.items.map((item, n) => ({ item, status: job.status.get(n), outcome: job.outcomes[n] }));
  }

  meta(id: string): unknown {
    return this.#job(id).meta;
  }

  /** Resolves when the job has stopped running (finished, paused, cancelled or failed to go on). */
  async settled(id: string): Promise<JobSummary> {
    const job = this.#job(id);
    while (job.running) await job.running;
    return this.#summary(job);
  }

  pause(id: string): JobSummary {
    const job = this.#job(id);
    if (job.state !== 'running') throw new AppError('job_not_resumable', `This job is ${job.state}; only a running job can be paused.`);
    job.stopping = 'pause';
    this.#setState(job, 'pausing', null);
    return this.#summary(job);
  }

  async resume(id: string): Promise<JobSummary> {
    const job = this.#job(id);
    if (job.state !== 'paused' && job.state !== 'interrupted') throw new AppError('job_not_resumable', `This job is ${job.state}; only a paused or interrupted job can be resumed.`);
    if (this.#closed) throw new AppError('invalid_request', 'Consentry is closing; the job was not resumed.');
    job.journal ??= await this.#reopen(job);
    await this.#writeState(job, 'running', null);
    await this.#options.activity.record({ action: 'job.resumed', target: job.title, result: 'succeeded', detail: `${this.#remaining(job)} items left. Job ${job.id}.` });
    this.#startRunning(job);
    return this.#summary(job);
  }

  /** Stops the job: what was done stays done, what was not started is reported as such. */
  async cancel(id: string): Promise<JobSummary> {
    const job = this.#job(id);
    if (terminal.has(job.state)) throw new AppError('job_not_resumable', `This job is already ${job.state}.`);
    if (job.running) {
      job.stopping = 'cancel';
      this.#setState(job, 'cancelling', null);
      return this.#summary(job);
    }
    job.journal ??= await this.#reopen(job);
    await this.#finish(job, 'cancelled');
    return this.#summary(job);
  }

  /** Lets the items in flight end (their outcomes are journalled) and starts no new one. */
  async close(): Promise<void> {
    this.#closed = true;
    const jobs = [...this.#jobs.values()];
    for (const job of jobs) if (job.running) job.stopping ??= 'pause';
    await Promise.all(jobs.map((job) => job.running));
    await Promise.all(jobs.map((job) => job.journal?.close()));
  }

  // ---------- running ----------

  #startRunning(job: Job): void {
    job.stopping = null;
    job.samples = [{ at: this.#clock().getTime(), ended: this.#ended(job) }];
    job.running = this.#run(job).finally(() => {
      job.running = null;
    });
  }

  async #run(job: Job): Promise<void> {
    const kind = this.#kind(job.kind);
    const phases = [...new Set(job.items.map((item) => item.phase))].sort((a, b) => a - b);
    // Written from the workers: an object, so the check after them sees it.
    const stop: { failure: AppError | null } = { failure: null };
    const controller = new AbortController();
    for (const phase of phases) {
      const queue = job.items.filter((item) => item.phase === phase && (job.status.get(item.n) === 'pending' || job.status.get(item.n) === 'in_doubt'));
      let next = 0;
      const worker = async () => {
        while (next < queue.length && !job.stopping && !stop.failure) {
          const item = queue[next]!;
          next += 1;
          try {
            await this.#carryOut(job, kind, item, controller.signal);
          } catch (error) {
            // The journal or the activity log could not be written, or the kind asked to pause: stop before the next call.
            stop.failure ??= error instanceof AppError ? error : new AppError('storage_unavailable', 'Consentry could not record the job’s progress.');
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(kind.concurrency, queue.length)) }, worker));
      if (job.stopping || stop.failure) break;
    }
    const failure = stop.failure;
    if (failure) {
      await this.#writeState(job, 'paused', failure.message).catch(() => this.#setState(job, 'paused', failure.message));
      await this.#options.activity
        .record({ action: 'job.paused', target: job.title, result: 'failed', errorCode: failure.code, detail: `${failure.message}${failure instanceof JobPaused ? ' Nothing was changed by the item that met this.' : ''} Job ${job.id}.` })
        .catch(() => undefined);
      return;
    }
    if (job.stopping === 'pause') {
      if (this.#closed) return; // Closing: the next start finds it interrupted and offers to resume.
      await this.#writeState(job, 'paused', 'Paused by the admin.');
      await this.#options.activity.record({ action: 'job.paused', target: job.title, result: 'succeeded', detail: `${this.#remaining(job)} items left. Job ${job.id}.` });
      return;
    }
    await this.#finish(job, job.stopping === 'cancel' ? 'cancelled' : 'finished');
  }

  async #carryOut(job: Job, kind: JobKind, item: JobItem, signal: AbortSignal): Promise<void> {
    const journal = job.journal!;
    const wasInDoubt = job.status.get(item.n) === 'in_doubt';
    let outcome: JobItemOutcome | null = null;
    if (wasInDoubt && !kind.idempotent) {
      // The call may have taken effect: find out before sending it again.
      outcome = kind.reconcile ? await kind.reconcile(item).catch(() => null) : null;
      if (!outcome && !kind.reconcile) return;
    }
    if (!outcome) {
      await journal.write({ t: 'intent', n: item.n, at: this.#clock().toISOString() });
      job.status.set(item.n, 'running');
      try {
        outcome = await kind.execute(item, signal);
      } catch (error) {
        outcome = outcomeOfError(error);
      }
    }
    const pause = kind.pausesJob?.(outcome) ?? null;
    if (pause) {
      await journal.write({ t: 'released', n: item.n, at: this.#clock().toISOString(), reason: pause });
      job.status.set(item.n, 'pending');
      throw new JobPaused(pause);
    }
    const outcomeAt = this.#clock().toISOString();
    try {
      await journal.write({ t: 'outcome', n: item.n, at: outcomeAt, outcome });
    } catch (error) {
      // Sent, but its answer cannot be recorded: it stays in doubt, never claimed.
      job.status.set(item.n, 'in_doubt');
      throw error;
    }
    this.#recordOutcome(job, item.n, outcome);
    await this.#logItem(job, kind, item, outcome);
    if (outcome.result === 'succeeded') await kind.applied?.([{ item, at: outcomeAt }]);
    this.#publish(job, false);
  }

  async #logItem(job: Job, kind: JobKind, item: JobItem, outcome: JobItemOutcome): Promise<void> {
    await this.#options.activity.record({
      action: kind.itemAction,
      target: item.label,
      result: outcome.result === 'failed' ? 'failed' : 'succeeded',
      errorCode: outcome.errorCode,
      detail: `${outcome.message}${outcome.verified ? ' Verified by reading back.' : ''} ${refOf(job, item.n)}`,
    });
    await job.journal!.write({ t: 'logged', n: item.n });
  }

  async #finish(job: Job, state: 'finished' | 'cancelled'): Promise<void> {
    await this.#writeState(job, state, state === 'cancelled' ? 'Cancelled by the admin.' : null);
    const summary = this.#summary(job);
    const counts = `${summary.succeeded} done, ${summary.failed} failed, ${summary.skipped} skipped${summary.inDoubt ? `, ${summary.inDoubt} in doubt` : ''}${summary.notStarted ? `, ${summary.notStarted} not started` : ''}`;
    await this.#options.activity.record({
      action: state === 'finished' ? 'job.finished' : 'job.cancelled',
      target: job.title,
      result: summary.failed > 0 || summary.inDoubt > 0 ? 'failed' : 'succeeded',
      detail: `${counts}. Job ${job.id}.`,
    });
    await job.journal?.close();
    job.journal = null;
  }

  // ---------- replay ----------

  async #replay(id: string): Promise<void> {
    const path = journalPath(this.#options.directory, id);
    const read = await readJournal(path);
    if (read.damagedAt !== null) throw new AppError('storage_unavailable', `Line ${read.damagedAt} of the job journal is not a record (the file was changed or damaged).`);
    const [created] = read.records;
    if (!created || created.t !== 'created') throw new AppError('storage_unavailable', 'The job journal does not start with the job it belongs to.');
    if (!read.records.some((record) => record.t === 'ready')) {
      // Confirmation was never written whole: nothing of it ran. Kept aside, not replayed.
      throw new AppError('storage_unavailable', 'The job was being recorded when Consentry stopped, so it never started.');
    }
    const kind = this.#kinds.get(created.job.kind);
    if (!kind) throw new AppError('storage_unavailable', `This version of Consentry does not know jobs of kind ${created.job.kind}.`);
    const job: Job = {
      id: created.job.id,
      kind: created.job.kind,
      title: created.job.title,
      subject: created.job.subject,
      meta: created.job.meta,
      createdAt: created.at,
      updatedAt: created.at,
      state: 'running',
      reason: null,
      items: [],
      status: new ItemStatuses(),
      outcomes: [],
      journal: null,
      stopping: null,
      running: null,
      samples: [],
    };
    const logged = new Set<number>();
    const outcomeAt = new Map<number, string>();
    for (const record of read.records) {
      switch (record.t) {
        case 'item':
          job.items[record.n] = { n: record.n, key: record.key, label: record.label, phase: record.phase, payload: record.payload };
          job.status.set(record.n, 'pending');
          break;
        case 'intent':
          job.status.set(record.n, 'in_doubt');
          job.updatedAt = record.at;
          break;
        case 'outcome':
          job.outcomes[record.n] = record.outcome;
          job.status.set(record.n, record.outcome.result);
          outcomeAt.set(record.n, record.at);
          job.updatedAt = record.at;
          break;
        case 'released':
          job.status.set(record.n, 'pending');
          break;
        case 'logged':
          logged.add(record.n);
          break;
        case 'state':
          job.state = record.state;
          job.reason = record.reason ?? null;
          job.updatedAt = record.at;
          break;
        default:
          break;
      }
    }
    if (job.items.length !== created.job.total) throw new AppError('storage_unavailable', 'The job journal lists fewer items than the job had.');
    this.#jobs.set(job.id, job);
    const unlogged = job.items.filter((item) => job.outcomes[item.n] && !logged.has(item.n));
    // Running when Consentry stopped; one marked interrupted at an earlier start stays as it is.
    const interrupted = job.state === 'running' || job.state === 'pausing' || job.state === 'cancelling';
    if (unlogged.length > 0 || interrupted) job.journal = await JobJournal.open(path, read.wholeLength, this.#options.files);
    for (const item of unlogged) {
      // The outcome is on disk; its activity entry may or may not have been written before the stop.
      const ref = refOf(job, item.n);
      const found = (await this.#options.activity.list({ text: ref, since: outcomeAt.get(item.n)! }, 0, 1)).entries.length > 0;
      if (found) await job.journal!.write({ t: 'logged', n: item.n });
      else await this.#logItem(job, kind, item, job.outcomes[item.n]!);
    }
    const succeeded = job.items.filter((item) => job.status.get(item.n) === 'succeeded').map((item) => ({ item, at: outcomeAt.get(item.n)! }));
    if (succeeded.length > 0) await kind.applied?.(succeeded);
    if (interrupted) {
      const inDoubt = job.status.count('in_doubt');
      const reason = `Consentry stopped while this job was running${inDoubt ? `; ${inDoubt} item${inDoubt === 1 ? '’s call was' : 's’ calls were'} sent without a recorded answer` : ''}.`;
      await this.#writeState(job, 'interrupted', reason);
      const summary = this.#summary(job);
      await this.#options.activity.record({
        action: 'job.interrupted',
        target: job.title,
        result: 'failed',
        detail: `${summary.succeeded + summary.failed + summary.skipped} of ${summary.total} items had ended; ${summary.inDoubt} in doubt, ${summary.notStarted} not started. Resume it or cancel it. Job ${job.id}.`,
      });
    }
    if (job.journal && !interrupted) {
      await job.journal.close();
      job.journal = null;
    }
  }

  async #reopen(job: Job): Promise<JobJournal> {
    const path = journalPath(this.#options.directory, job.id);
    const read = await readJournal(path);
    return JobJournal.open(path, read.wholeLength, this.#options.files);
  }

  // ---------- state ----------

  async #writeState(job: Job, state: JobState, reason: string | null): Promise<void> {
    const at = this.#clock().toISOString();
    await job.journal!.write({ t: 'state', state, at, ...(reason ? { reason } : {}) });
    this.#setState(job, state, reason);
  }

  #setState(job: Job, state: JobState, reason: string | null): void {
    job.state = state;
    job.reason = reason;
    job.updatedAt = this.#clock().toISOString();
    this.#publish(job, true);
  }

  #recordOutcome(job: Job, n: number, outcome: JobItemOutcome): void {
    job.outcomes[n] = outcome;
    job.status.set(n, outcome.result);
    job.updatedAt = this.#clock().toISOString();
  }

  #publish(job: Job, now: boolean): void {
    const at = this.#clock().getTime();
    const last = this.#lastPublished.get(job.id) ?? 0;
    if (!now && at - last < (this.#options.progressIntervalMs ?? 250) && this.#remaining(job) > 0) return;
    this.#lastPublished.set(job.id, at);
    this.#options.events.publish('jobs.progress', this.#summary(job));
  }

  #ended(job: Job): number {
    return job.status.ended();
  }

  #remaining(job: Job): number {
    return job.items.length - this.#ended(job);
  }

  #summary(job: Job): JobSummary {
    const count = (status: JobItemStatus) => job.status.count(status);
    const ended = this.#ended(job);
    const now = this.#clock().getTime();
    let etaSeconds: number | null = null;
    if (job.running && !job.stopping) {
      job.samples.push({ at: now, ended });
      while (job.samples.length > 2 && job.samples[0]!.at < now - etaWindowMs) job.samples.shift();
      const first = job.samples[0]!;
      const perSecond = now > first.at ? (ended - first.ended) / ((now - first.at) / 1_000) : 0;
      if (perSecond > 0) etaSeconds = Math.ceil((job.items.length - ended) / perSecond);
    }
    return {
      id: job.id,
      kind: job.kind,
      title: job.title,
      state: job.state,
      reason: job.reason,
      total: job.items.length,
      succeeded: count('succeeded'),
      failed: count('failed'),
      skipped: count('skipped'),
      // Items in flight are in none of these: their answer is not known yet.
      inDoubt: count('in_doubt'),
      notStarted: count('pending'),
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
      etaSeconds,
    };
  }

  #job(id: string): Job {
    const job = this.#jobs.get(id);
    if (!job) throw new AppError('not_found', 'That job is not known to Consentry.', { nextStep: 'Reload the page.' });
    return job;
  }

  #kind(name: string): JobKind {
    const kind = this.#kinds.get(name);
    if (!kind) throw new AppError('not_supported', `Consentry cannot carry out jobs of kind ${name}.`);
    return kind;
  }
}
