/**
 * The one activity entry each offboarding run gets as a whole (`offboarding.run`), besides the
 * kernel's entry per step: the people, and per connection the steps done, failed, skipped and left
 * to the admin. Written when the run finishes or is cancelled — in the run that started it or one
 * that resumed it — and, for a run that ended just before Consentry stopped, at the next start:
 * the log is searched for the run's entry first, so none is written twice.
 */
import { activityMatching } from '../activity/activity-search';
import type { JobSummary } from '../../src-shared/contract/jobs';
import type { ActivityService } from '../activity/activity-service';
import type { EventHub } from '../events/event-hub';
import type { JobKernel } from '../jobs/job-kernel';
import { offboardingStepJobKind, type StepPayload } from './offboarding-step-kind';
import { isManualReached, type StepItem } from './offboarding-runs';

export const runEntryAction = 'offboarding.run';

export interface OffboardingRunLogOptions {
  jobs: Pick<JobKernel, 'items' | 'list'>;
  activity: Pick<ActivityService, 'record' | 'list'>;
  events: Pick<EventHub, 'subscribe'>;
  reportUnexpected: (context: string, error: unknown) => void;
}

const final = new Set<JobSummary['state']>(['finished', 'cancelled']);
/** The entry names its run last: `… Job <id>.` */
const jobOfEntry = /Job (\S+)\.$/;

/** "Acme Google: 20 done, 1 failed, 3 skipped, 2 manual" per connection, in the run's order. */
function perConnection(items: readonly StepItem[]): string {
  const counts = new Map<string, { label: string; done: number; failed: number; skipped: number; manual: number; open: number }>();
  for (const entry of items) {
    const payload: StepPayload = entry.item.payload;
    let count = counts.get(payload.connectionId);
    if (!count) counts.set(payload.connectionId, (count = { label: payload.connectionLabel, done: 0, failed: 0, skipped: 0, manual: 0, open: 0 }));
    if (isManualReached(entry)) count.manual += 1;
    else if (entry.status === 'succeeded') count.done += 1;
    else if (entry.status === 'failed') count.failed += 1;
    else if (entry.status === 'skipped') count.skipped += 1;
    else count.open += 1;
  }
  return [...counts.values()]
    .map((count) => `${count.label}: ${count.done} done, ${count.failed} failed, ${count.skipped} skipped, ${count.manual} manual${count.open ? `, ${count.open} not carried out` : ''}`)
    .join('; ');
}

export class OffboardingRunLog {
  readonly #options: OffboardingRunLogOptions;
  /** Runs whose entry this start wrote or is writing (the kernel may publish a final state more than once). */
  readonly #writes = new Map<string, Promise<void>>();
  readonly #unsubscribe: () => void;

  constructor(options: OffboardingRunLogOptions) {
    this.#options = options;
    this.#unsubscribe = options.events.subscribe((event, payload) => {
      if (event !== 'jobs.progress') return;
      const job = payload as JobSummary;
      if (job.kind === offboardingStepJobKind && final.has(job.state)) void this.#recordOnce(job.id);
    });
  }

  close(): void {
    this.#unsubscribe();
  }

  /** The entry of a run that has ended, once written. Never fails: a failed write is reported and retried at the next start. */
  written(jobId: string): Promise<void> {
    return this.#writes.get(jobId) ?? Promise.resolve();
  }

  /**
   * After the kernel has replayed its journals: the runs listed as ended whose entry is not in the
   * log. One pass over the log's run entries since the oldest of them.
   */
  async recordMissed(): Promise<void> {
    const ended = this.#options.jobs.list().filter((job) => job.kind === offboardingStepJobKind && final.has(job.state) && !this.#writes.has(job.id));
    if (ended.length === 0) return;
    const since = ended.map((job) => job.updatedAt).sort()[0]!;
    const logged = new Set<string>();
    for await (const entry of activityMatching(this.#options.activity, { action: runEntryAction, since })) {
      const jobId = jobOfEntry.exec(entry.detail ?? '')?.[1];
      if (jobId) logged.add(jobId);
    }
    for (const job of ended) if (!logged.has(job.id)) await this.#recordOnce(job.id);
  }

  #recordOnce(jobId: string): Promise<void> {
    let write = this.#writes.get(jobId);
    if (!write) {
      // Left marked when it fails: the next start finds the entry missing and writes it.
      write = this.#record(jobId).catch((error: unknown) => this.#options.reportUnexpected('recording the summary of an offboarding run', error));
      this.#writes.set(jobId, write);
    }
    return write;
  }

  async #record(jobId: string): Promise<void> {
    const job = this.#options.jobs.list().find((listed) => listed.id === jobId);
    if (!job || !final.has(job.state)) return;
    const items = this.#options.jobs.items(jobId) as StepItem[];
    const people = new Set(items.map(({ item }) => item.payload.email)).size;
    const troubled = job.failed > 0 || job.inDoubt > 0;
    await this.#options.activity.record({
      action: runEntryAction,
      target: job.title,
      result: troubled ? 'failed' : 'succeeded',
      errorCode: troubled ? (items.find((entry) => entry.status === 'failed')?.outcome?.errorCode ?? 'provider_error') : null,
      detail: `${job.state === 'cancelled' ? 'Cancelled by the admin. ' : ''}${people} ${people === 1 ? 'person' : 'people'}. ${perConnection(items)}. Job ${jobId}.`,
    });
  }
}
