/**
 * Carries out confirmed jobs so that they survive being killed at any point. For each item it
 * journals the intent before the call and the outcome after, then writes the item's activity entry
 * and journals that too, and lets the kind apply successes to its own data (in batches). At start
 * it replays every journal: a job that was running is marked interrupted and offered for resuming,
 * an item whose call was sent but whose answer was not recorded is "in doubt" (never counted as
 * done), and an outcome whose activity entry or application may be missing gets it — the same
 * repair a resume runs first.
 */
import { activityMatching } from '../activity/activity-search';
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { JobSummary } from '../../src-shared/contract/jobs';
import type { ActivityService } from '../activity/activity-service';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import { archiveJournal, journalIds, journalPath, JobJournal, readJournal, removeUnstartedJournal, setJournalAside, type JournalFiles, type JournalRecord } from './job-journal';
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
  createdAt: string;
  updatedAt: string;
  state: JobState;
  reason: string | null;
  items: JobItem[];
  status: ItemStatuses;
  outcomes: (JobItemOutcome | undefined)[];
  /** When each outcome was recorded. */
  outcomeAt: Map<number, string>;
  /** Items whose activity entry is on disk. */
  logged: Set<number>;
  /** Succeeded items the kind has applied to its data. */
  applied: Set<number>;
  journal: JobJournal | null;
  /** Set by pause or cancel: no new item starts. */
  stopping: 'pause' | 'cancel' | null;
  running: Promise<void> | null;
  /** Aborted when Consentry closes: calls in flight end at once and stay in doubt. */
  controller: AbortController | null;
  /** Resume and cancel run one at a time per job, so two clicks cannot start two runs. */
  control: Promise<unknown>;
  /** (time, items ended) samples for the ETA. */
  samples: { at: number; ended: number }[];
  /** When the current run began (the start or the last resume). */
  runningSince: number;
}

const terminal = new Set<JobState>(['finished', 'cancelled']);
const etaWindowMs = 30_000;
/**
 * No pace is told before a run has gone this long: its first seconds are mostly items that need no
 * call (manual steps, steps that do not apply), so "less than a minute" from them is a guess.
 */
export const firstEstimateAfterMs = 5_000;
/** Successes are applied to the kind's data in batches: at most this many, or this often. */
const applyBatchItems = 500;
const applyBatchMs = 1_000;
/** A finished job stays listed this long; then its journal moves to `finished/` and start skips it. */
const finishedJobsListedMs = 7 * 86_400_000;

function newJob(fields: Pick<Job, 'id' | 'kind' | 'title' | 'subject' | 'createdAt' | 'items' | 'status' | 'outcomes' | 'journal'>): Job {
  return {
    ...fields,
    updatedAt: fields.createdAt,
    state: 'running',
    reason: null,
    outcomeAt: new Map(),
    logged: new Set(),
    applied: new Set(),
    stopping: null,
    running: null,
    controller: null,
    control: Promise.resolve(),
    samples: [],
    runningSince: 0,
  };
}

/** The job must wait for the admin (a reconnect, a check that could not be made); not a failure of the item. */
class JobPaused extends AppError {
  constructor(reason: string, code: 'needs_reconnect' | 'provider_error' = 'needs_reconnect') {
    super(code, reason);
  }
}

/** Items grouped by chain, each chain in item order, chains in the order their first item comes. */
function chainsOf(items: readonly JobItem[]): JobItem[][] {
  const chains = new Map<string, JobItem[]>();
  for (const item of items) {
    const key = item.chain === undefined ? `#${item.n}` : `c:${item.chain}`;
    const chain = chains.get(key);
    if (chain) chain.push(item);
    else chains.set(key, [item]);
  }
  return [...chains.values()];
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

/**
 * Why a job stopped with items under way, in the admin's words: they are not counted as done, and
 * what a resume does with them (checks each again, or cannot, for a kind that can neither repeat
 * nor reconcile a call).
 */
function interruptedReason(kind: JobKind, underWay: number): string {
  if (underWay === 0) return 'Consentry stopped while this job was running.';
  const noun = kind.itemNoun ?? 'item';
  const one = underWay === 1;
  const then = kind.idempotent || kind.reconcile ? `Consentry checks ${one ? 'it' : 'each'} again before going on` : `Consentry cannot check whether ${one ? 'it' : 'they'} took effect`;
  return `Consentry stopped while this job was running, with ${underWay} ${noun}${one ? '' : 's'} under way: ${one ? 'it is' : 'they are'} not counted as done, and ${then}.`;
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
      let loaded: { job: Job; wholeLength: number };
      try {
        loaded = await this.#load(id);
      } catch (error) {
        await this.#setAside(id, error);
        continue;
      }
      // The journal is whole: a failure from here on (a full disk) leaves the job listed and resumable.
      await this.#recover(loaded.job, loaded.wholeLength).catch((error: unknown) => {
        const failure = error instanceof AppError ? error : null;
        this.#setState(loaded.job, 'interrupted', `Consentry could not finish recording this job when it started${failure ? `: ${failure.message}` : '.'} Resume it to try again.`);
      });
    }
  }

  async #setAside(id: string, error: unknown): Promise<void> {
    const problem = error instanceof AppError ? error.message : 'It could not be read.';
    const keptAs = await setJournalAside(this.#options.directory, id, this.#clock()).catch(() => `${id} (left in place)`);
    this.#damaged.push({ jobId: id, keptAs, problem });
    await this.#options.activity
      .record({ action: 'job.damaged', target: `job ${id}`, result: 'failed', errorCode: 'storage_unavailable', detail: `${problem} The journal was kept as ${keptAs}.` })
      .catch(() => undefined);
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
    const job = newJob({ id, kind: kind.kind, title: spec.title, subject: spec.subject, createdAt: now, items, status, outcomes: items.map(() => undefined), journal });
    try {
      await journal.write(
        { t: 'created', at: now, job: { id, kind: job.kind, title: job.title, subject: job.subject, total: items.length } },
        ...items.map((item): JournalRecord => ({ t: 'item', n: item.n, key: item.key, label: item.label, phase: item.phase, ...(item.chain ? { chain: item.chain } : {}), payload: item.payload })),
        { t: 'ready', at: now },
      );
    } catch (error) {
      // Never confirmed whole, so nothing of it will run: the file is no evidence of anything.
      await journal.close();
      await removeUnstartedJournal(this.#options.directory, id).catch(() => undefined);
      throw error;
    }
    this.#jobs.set(id, job);
    try {
      await this.#options.activity.record({ action: 'job.started', target: job.title, result: 'succeeded', detail: `Confirmed: ${items.length} item${items.length === 1 ? '' : 's'} on ${job.subject}. Job ${id}.` });
    } catch (error) {
      // Confirmed and journalled, but the log refuses entries: wait for the admin rather than act unlogged.
      const failure = error instanceof AppError ? error : null;
      await this.#writeState(job, 'paused', `The activity log could not record the start of this job${failure ? ` (${failure.message})` : ''}; nothing was sent. Resume it once the log can be written.`);
      return this.#summary(job);
    }
    this.#startRunning(job);
    return this.#summary(job);
  }

  list(): JobSummary[] {
    return [...this.#jobs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((job) => this.#summary(job));
  }

  summary(id: string): JobSummary {
    return this.#summary(this.#job(id));
  }

  /** The items with where they stand, their outcome and when it was recorded, for a kind's report. */
  items(id: string): { item: JobItem; status: JobItemStatus; outcome: JobItemOutcome | undefined; at: string | null }[] {
    const job = this.#job(id);
    return job.items.map((item, n) => ({ item, status: job.status.get(n), outcome: job.outcomes[n], at: job.outcomeAt.get(n) ?? null }));
  }

  /** When the job's current run began (its start or its last resume); null while it is not running. */
  runningSince(id: string): Date | null {
    const job = this.#job(id);
    return job.running ? new Date(job.runningSince) : null;
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

  resume(id: string): Promise<JobSummary> {
    const job = this.#job(id);
    return this.#controlled(job, async () => {
      if (job.running || (job.state !== 'paused' && job.state !== 'interrupted')) {
        throw new AppError('job_not_resumable', `This job is ${job.state}; only a paused or interrupted job can be resumed.`);
      }
      if (this.#closed) throw new AppError('invalid_request', 'Consentry is closing; the job was not resumed.');
      job.journal ??= await this.#reopen(job);
      await this.#writeState(job, 'running', null);
      await this.#options.activity.record({ action: 'job.resumed', target: job.title, result: 'succeeded', detail: `${this.#remaining(job)} items left. Job ${job.id}.` });
      this.#startRunning(job);
      return this.#summary(job);
    });
  }

  /** Stops the job: what was done stays done, what was not started is reported as such. */
  cancel(id: string): Promise<JobSummary> {
    const job = this.#job(id);
    return this.#controlled(job, async () => {
      if (terminal.has(job.state)) throw new AppError('job_not_resumable', `This job is already ${job.state}.`);
      if (job.running) {
        job.stopping = 'cancel';
        this.#setState(job, 'cancelling', null);
        return this.#summary(job);
      }
      job.journal ??= await this.#reopen(job);
      await this.#finish(job, 'cancelled');
      return this.#summary(job);
    });
  }

  /**
   * Starts no new item and ends the calls in flight at once (they stay in doubt: their answer is
   * not recorded), so quitting never waits on a slow provider.
   */
  async close(): Promise<void> {
    this.#closed = true;
    const jobs = [...this.#jobs.values()];
    for (const job of jobs) {
      if (!job.running) continue;
      job.stopping ??= 'pause';
      job.controller?.abort();
    }
    await Promise.all(jobs.map((job) => job.running));
    await Promise.all(jobs.map((job) => job.journal?.close()));
  }

  #controlled<T>(job: Job, operation: () => Promise<T>): Promise<T> {
    const next = job.control.then(operation, operation);
    job.control = next.catch(() => undefined);
    return next;
  }

  // ---------- running ----------

  #startRunning(job: Job): void {
    job.stopping = null;
    job.controller = new AbortController();
    job.runningSince = this.#clock().getTime();
    job.samples = [{ at: job.runningSince, ended: this.#ended(job) }];
    const run = this.#run(job, job.controller.signal).finally(() => {
      if (job.running === run) job.running = null;
    });
    job.running = run;
  }

  async #run(job: Job, signal: AbortSignal): Promise<void> {
    const kind = this.#kind(job.kind);
    // Written from the workers: an object, so the check after them sees it.
    const stop: { failure: AppError | null } = { failure: null };
    const asFailure = (error: unknown) => (error instanceof AppError ? error : new AppError('storage_unavailable', 'Consentry could not record the job’s progress.'));
    try {
      // What an earlier run recorded but did not finish (an activity entry, an application) comes first.
      await this.#repair(job, kind);
    } catch (error) {
      stop.failure = asFailure(error);
    }
    const applying = { pending: [] as JobItem[], lastAt: this.#clock().getTime(), flushing: Promise.resolve() };
    const flush = (all: boolean) => {
      const due = applying.pending.length >= applyBatchItems || this.#clock().getTime() - applying.lastAt >= applyBatchMs;
      if (applying.pending.length === 0 || (!all && !due)) return applying.flushing;
      const batch = applying.pending.splice(0);
      applying.lastAt = this.#clock().getTime();
      applying.flushing = applying.flushing.then(() => this.#apply(job, kind, batch));
      return applying.flushing;
    };
    const phases = [...new Set(job.items.map((item) => item.phase))].sort((a, b) => a - b);
    // Every chain's items (all phases), looked up once per run rather than searched per chain.
    const chainItems = new Map<string, JobItem[]>();
    for (const item of kind.notReached ? job.items : []) {
      if (item.chain === undefined) continue;
      const items = chainItems.get(item.chain);
      if (items) items.push(item);
      else chainItems.set(item.chain, [item]);
    }
    for (const phase of phases) {
      if (stop.failure) break;
      const queue = chainsOf(job.items.filter((item) => item.phase === phase && (job.status.get(item.n) === 'pending' || job.status.get(item.n) === 'in_doubt')));
      let next = 0;
      const worker = async () => {
        while (next < queue.length && !job.stopping && !stop.failure) {
          const chain = queue[next]!;
          next += 1;
          // A failure recorded just before a stop, with the rest of its chain not yet marked: marked now, never run.
          const first = chain[0]!;
          const failedBefore = first.chain === undefined ? undefined : chainItems.get(first.chain)?.find((item) => item.n < first.n && job.status.get(item.n) === 'failed');
          if (failedBefore) {
            await this.#markNotReached(job, kind, failedBefore, chain).catch((error: unknown) => {
              stop.failure ??= asFailure(error);
            });
            continue;
          }
          for (const [index, item] of chain.entries()) {
            if (job.stopping || stop.failure) break;
            try {
              if (await this.#carryOut(job, kind, item, signal)) applying.pending.push(item);
              await flush(false);
            } catch (error) {
              // The journal or the activity log could not be written, or the job must wait for the admin: stop before the next call.
              stop.failure ??= asFailure(error);
              break;
            }
            const status = job.status.get(item.n);
            if (status === 'in_doubt' || status === 'pending') break; // Closing, or a reconcile that could not tell: the rest waits.
            if (status === 'failed' && kind.notReached) {
              await this.#markNotReached(job, kind, item, chain.slice(index + 1)).catch((error: unknown) => {
                stop.failure ??= asFailure(error);
              });
              break;
            }
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(kind.concurrency, queue.length)) }, worker));
      // A later phase (signing users out) follows only what the earlier one applied.
      await flush(true).catch((error: unknown) => {
        stop.failure ??= asFailure(error);
      });
      if (job.stopping) break;
    }
    // Nothing may be left counted as neither ended, in doubt nor waiting.
    for (const item of job.items) if (job.status.get(item.n) === 'running') job.status.set(item.n, 'in_doubt');
    const failure = stop.failure;
    if (failure) {
      await this.#writeState(job, 'paused', failure.message).catch(() => this.#setState(job, 'paused', failure.message));
      await this.#options.activity
        .record({ action: 'job.paused', target: job.title, result: 'failed', errorCode: failure.code, detail: `${failure.message} Job ${job.id}.` })
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

  /** Carries one item out; true when it succeeded and waits to be applied. */
  async #carryOut(job: Job, kind: JobKind, item: JobItem, signal: AbortSignal): Promise<boolean> {
    const journal = job.journal!;
    let outcome: JobItemOutcome | null = null;
    const afterStop = job.status.get(item.n) === 'in_doubt';
    if (afterStop && !kind.idempotent) {
      // The call may have taken effect: find out before sending it again, or leave it in doubt.
      if (!kind.reconcile) return false;
      try {
        outcome = await kind.reconcile(item);
      } catch (error) {
        throw new JobPaused(`Consentry could not find out whether “${item.label}” took effect before Consentry stopped${error instanceof AppError ? ` (${error.message})` : ''}; it stays unknown. Resume to try again.`, 'provider_error');
      }
    }
    if (!outcome) {
      await journal.write({ t: 'intent', n: item.n, at: this.#clock().toISOString() });
      job.status.set(item.n, 'running');
      try {
        // Closing while the intent was written: not sent, yet journalled as meant; in doubt below.
        outcome = signal.aborted ? null : await kind.execute(item, signal, { afterStop });
      } catch (error) {
        outcome = outcomeOfError(error);
      }
      if (signal.aborted || !outcome) {
        // Consentry is closing: whatever the answer, it is not recorded, so the item is in doubt.
        job.status.set(item.n, 'in_doubt');
        return false;
      }
    }
    const pause = kind.pausesJob?.(outcome) ?? null;
    const at = this.#clock().toISOString();
    try {
      await journal.write(pause ? { t: 'released', n: item.n, at, reason: pause } : { t: 'outcome', n: item.n, at, outcome });
    } catch (error) {
      // Sent, but its answer cannot be recorded: it stays in doubt, never claimed.
      job.status.set(item.n, 'in_doubt');
      throw error;
    }
    if (pause) {
      job.status.set(item.n, 'pending');
      throw new JobPaused(pause);
    }
    this.#recordOutcome(job, item.n, outcome, at);
    // A failure here leaves the outcome standing; the repair before the next run logs it.
    await this.#logItem(job, kind, item, outcome);
    this.#publish(job, false);
    return outcome.result === 'succeeded';
  }

  /** The rest of a chain after a failed item: recorded as skipped, never attempted. */
  async #markNotReached(job: Job, kind: JobKind, failed: JobItem, rest: readonly JobItem[]): Promise<void> {
    for (const item of rest) {
      if (job.status.get(item.n) !== 'pending') continue;
      const outcome = kind.notReached!(failed, item);
      const at = this.#clock().toISOString();
      await job.journal!.write({ t: 'outcome', n: item.n, at, outcome });
      this.#recordOutcome(job, item.n, outcome, at);
      await this.#logItem(job, kind, item, outcome);
    }
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
    job.logged.add(item.n);
  }

  async #apply(job: Job, kind: JobKind, items: readonly JobItem[]): Promise<void> {
    if (items.length === 0) return;
    await kind.applied?.(items.map((item) => ({ item, at: job.outcomeAt.get(item.n)! })));
    await job.journal!.write(...items.map((item): JournalRecord => ({ t: 'applied', n: item.n })));
    for (const item of items) job.applied.add(item.n);
  }

  /**
   * Finishes what was recorded but not completed: an outcome without its activity entry (looked
   * up in the log first, so none is written twice) and a success not yet applied.
   */
  async #repair(job: Job, kind: JobKind): Promise<void> {
    const unlogged = job.items.filter((item) => job.outcomes[item.n] && !job.logged.has(item.n));
    if (unlogged.length > 0) {
      const since = unlogged.map((item) => job.outcomeAt.get(item.n)!).sort()[0]!;
      const found = await this.#loggedRefs(job, since);
      for (const item of unlogged) {
        if (found.has(refOf(job, item.n))) {
          await job.journal!.write({ t: 'logged', n: item.n });
          job.logged.add(item.n);
        } else await this.#logItem(job, kind, item, job.outcomes[item.n]!);
      }
    }
    await this.#apply(job, kind, job.items.filter((item) => job.status.get(item.n) === 'succeeded' && !job.applied.has(item.n)));
  }

  /** The item references of this job's activity entries since `since`, read in one pass from the end. */
  async #loggedRefs(job: Job, since: string): Promise<Set<string>> {
    const refs = new Set<string>();
    for await (const entry of activityMatching(this.#options.activity, { text: `[job ${job.id} item `, since })) {
      const ref = /\[job \S+ item \d+\]/.exec(entry.detail ?? '')?.[0];
      if (ref) refs.add(ref);
    }
    return refs;
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

  /** Reads a journal back into a job; throws only when the journal itself cannot be trusted. */
  async #load(id: string): Promise<{ job: Job; wholeLength: number }> {
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
    const job = newJob({ id: created.job.id, kind: created.job.kind, title: created.job.title, subject: created.job.subject, createdAt: created.at, items: [], status: new ItemStatuses(), outcomes: [], journal: null });
    for (const record of read.records) {
      switch (record.t) {
        case 'item':
          job.items[record.n] = { n: record.n, key: record.key, label: record.label, phase: record.phase, ...(record.chain ? { chain: record.chain } : {}), payload: record.payload };
          job.status.set(record.n, 'pending');
          break;
        case 'intent':
          job.status.set(record.n, 'in_doubt');
          job.updatedAt = record.at;
          break;
        case 'outcome':
          this.#recordOutcome(job, record.n, record.outcome, record.at);
          job.updatedAt = record.at;
          break;
        case 'released':
          job.status.set(record.n, 'pending');
          break;
        case 'logged':
          job.logged.add(record.n);
          break;
        case 'applied':
          job.applied.add(record.n);
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
    // Counted by item number, so a removed item line cannot pass as a whole job.
    const listed = job.items.filter((item) => item !== undefined).length;
    if (listed !== created.job.total || job.items.length !== created.job.total) throw new AppError('storage_unavailable', 'The job journal lists fewer items than the job had.');
    this.#jobs.set(job.id, job);
    return { job, wholeLength: read.wholeLength };
  }

  /** After a start: repairs what the stop left unfinished, marks a running job interrupted, files an old finished one away. */
  async #recover(job: Job, wholeLength: number): Promise<void> {
    const kind = this.#kind(job.kind);
    const path = journalPath(this.#options.directory, job.id);
    // Running when Consentry stopped; one marked interrupted at an earlier start stays as it is.
    const interrupted = job.state === 'running' || job.state === 'pausing' || job.state === 'cancelling';
    const unfinished = job.items.some((item) => (job.outcomes[item.n] && !job.logged.has(item.n)) || (job.status.get(item.n) === 'succeeded' && !job.applied.has(item.n)));
    if (unfinished || interrupted) {
      job.journal = await JobJournal.open(path, wholeLength, this.#options.files);
      await this.#repair(job, kind);
    }
    if (interrupted) {
      await this.#writeState(job, 'interrupted', interruptedReason(kind, job.status.count('in_doubt')));
      const summary = this.#summary(job);
      await this.#options.activity.record({
        action: 'job.interrupted',
        target: job.title,
        result: 'failed',
        detail: `${summary.succeeded + summary.failed + summary.skipped} of ${summary.total} items had ended; ${summary.inDoubt} in doubt, ${summary.notStarted} not started. Resume it or cancel it. Job ${job.id}.`,
      });
    }
    if (job.journal && terminal.has(job.state)) {
      await job.journal.close();
      job.journal = null;
    }
    if (terminal.has(job.state) && !unfinished && this.#clock().getTime() - Date.parse(job.updatedAt) > finishedJobsListedMs) {
      await archiveJournal(this.#options.directory, job.id);
      this.#jobs.delete(job.id);
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

  #recordOutcome(job: Job, n: number, outcome: JobItemOutcome, at: string): void {
    job.outcomes[n] = outcome;
    job.outcomeAt.set(n, at);
    job.status.set(n, outcome.result);
    job.updatedAt = at;
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
      const perSecond = now - job.runningSince >= firstEstimateAfterMs && now > first.at ? (ended - first.ended) / ((now - first.at) / 1_000) : 0;
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
