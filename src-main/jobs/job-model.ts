/**
 * The shapes of the job kernel: a job is a confirmed list of items, each a state-changing call at a
 * provider, carried out with an intent recorded before the call and an outcome after.
 */
import type { JobState } from '../../src-shared/contract/jobs';
import type { ErrorCode } from '../../src-shared/domain/error-codes';

export type { JobState };

export interface JobItemOutcome {
  result: 'succeeded' | 'failed' | 'skipped';
  /** The kind's own word for it, e.g. `revoked` or `already_gone`. */
  code: string;
  /** A read-back after the call confirmed the change. */
  verified: boolean;
  /** One sentence for the per-item report; never a provider's raw text or a secret. */
  message: string;
  errorCode: ErrorCode | null;
  /** What the provider showed before and after the call, and its request ids: the run's evidence. */
  evidence?: JobItemEvidence;
}

export interface JobItemEvidence {
  /** What was read before acting, in words (e.g. "2 app passwords"); null when nothing could be read. */
  before: string | null;
  /** What the read-back showed; null when the provider offers no read-back for it. */
  after: string | null;
  /** The provider's request ids, where it returns one. */
  requestIds: string[];
}

export interface JobItem<Payload = unknown> {
  n: number;
  key: string;
  /** What the item is done to, for the activity log and the report. */
  label: string;
  /** Items of a lower phase are all carried out before any item of the next. */
  phase: number;
  /**
   * Items sharing a chain (one person at one provider) are carried out one after another in item
   * order, while chains run side by side; items without one are chains of their own.
   */
  chain?: string;
  payload: Payload;
}

/** Where an item stands. `in_doubt`: its call was sent, and Consentry stopped before the answer was recorded. */
export type JobItemStatus = 'pending' | 'running' | 'in_doubt' | 'succeeded' | 'failed' | 'skipped';

/** How an item comes to be carried out this time. */
export interface JobAttempt {
  /**
   * The item was in doubt: its intent was journalled before a stop (a crash, a quit, a lost
   * answer) with no outcome after it, so this is its second carrying-out, and what it finds may be
   * the work of the first.
   */
  afterStop: boolean;
}

/** What a capability tells the kernel about one kind of job. */
export interface JobKind<Payload = unknown> {
  kind: string;
  /** The activity log's action for each item, e.g. `grants.revoke`. */
  itemAction: string;
  /** Items carried out at once; the tenant's scheduler still paces the calls. */
  concurrency: number;
  /**
   * True when carrying an item out again is safe (a delete): an item in doubt after a crash is then
   * simply carried out again. Otherwise `reconcile` must find out what happened first.
   */
  idempotent: boolean;
  /** What the item is done to, in the admin's words (`step`, `revocation`): "3 steps under way". Left out: `item`. */
  itemNoun?: string;
  /** The kernel always says how the item comes to be carried out; a kind that words every outcome alike ignores it. */
  execute(item: JobItem<Payload>, signal: AbortSignal, attempt?: JobAttempt): Promise<JobItemOutcome>;
  /**
   * An outcome that says the call could not have taken effect and no later item will fare better
   * (the connection needs a reconnect): the job pauses with this reason and the item waits for the
   * resume instead of being reported failed. Null to record the outcome as it is.
   */
  pausesJob?(outcome: JobItemOutcome): string | null;
  /** For kinds that are not idempotent: whether a call in doubt took effect; null when it did not. */
  reconcile?(item: JobItem<Payload>): Promise<JobItemOutcome | null>;
  /**
   * When an item of a chain fails, the rest of its chain is not attempted (signing a person out must
   * not follow a failed removal out of order): each is recorded as skipped with this outcome.
   * Absent: the chain carries on.
   */
  notReached?(failed: JobItem<Payload>, item: JobItem<Payload>): JobItemOutcome;
  /**
   * Told of items that succeeded (with when their outcome was recorded) once the outcome is
   * journalled, and again for every succeeded item when the journal is replayed at start: it must
   * be idempotent, and may ignore what newer data has made moot.
   */
  applied?(items: readonly { item: JobItem<Payload>; at: string }[]): Promise<void>;
}
