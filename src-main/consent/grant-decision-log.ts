/**
 * The one activity entry a consent grant gets as a whole (`consent.granted`: what was kept, what
 * was dropped, what was not done), written when its job reaches a final state — in the run that
 * confirmed it or in one that resumed it after a stop — and then the pages told and the grants
 * read again. A job that ended just before Consentry stopped, its entry not yet written, gets it
 * at the next start: the log is searched for the job's entry first, so none is written twice.
 */
import type { JobSummary } from '../../src-shared/contract/jobs';
import type { ActivityService } from '../activity/activity-service';
import type { ConnectionService } from '../connections/connection-service';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import type { JobKernel } from '../jobs/job-kernel';
import { consentJobKinds, type GrantPayload } from './consent-jobs';

export interface GrantDecisionLogOptions {
  jobs: Pick<JobKernel, 'items' | 'list'>;
  activity: Pick<ActivityService, 'record' | 'list'>;
  connections: Pick<ConnectionService, 'view'>;
  events: Pick<EventHub, 'publish' | 'subscribe'>;
  rescan: (connectionIds: readonly string[]) => Promise<unknown>;
  reportUnexpected: (context: string, error: unknown) => void;
}

const grantedAction = 'consent.granted';
const final = new Set<JobSummary['state']>(['finished', 'cancelled']);
/** The entry names its job last: `… Job <id>.` */
const jobOfEntry = /Job (\S+)\.$/;

export class GrantDecisionLog {
  readonly #options: GrantDecisionLogOptions;
  /** Jobs whose entry this run wrote or is writing: the kernel may publish a final state more than once. */
  readonly #recorded = new Set<string>();

  constructor(options: GrantDecisionLogOptions) {
    this.#options = options;
    options.events.subscribe((event, payload) => {
      if (event !== 'jobs.progress') return;
      const job = payload as JobSummary;
      if (job.kind === consentJobKinds.grant && final.has(job.state)) this.#recordOnce(job.id);
    });
  }

  /**
   * After the kernel has replayed its journals: the grant jobs listed as ended whose entry is not
   * in the log (Consentry stopped between the job's end and its entry). One pass over the log's
   * `consent.granted` entries since the oldest of them.
   */
  async recordMissed(): Promise<void> {
    const ended = this.#options.jobs.list().filter((job) => job.kind === consentJobKinds.grant && final.has(job.state) && !this.#recorded.has(job.id));
    if (ended.length === 0) return;
    for (const job of ended) this.#recorded.add(job.id);
    const since = ended.map((job) => job.updatedAt).sort()[0]!;
    const logged = new Set<string>();
    const pageSize = 1_000;
    for (let offset = 0; ; offset += pageSize) {
      const page = await this.#options.activity.list({ action: grantedAction, since }, offset, pageSize);
      for (const entry of page.entries) {
        const jobId = jobOfEntry.exec(entry.detail ?? '')?.[1];
        if (jobId) logged.add(jobId);
      }
      if (page.entries.length < pageSize) break;
    }
    for (const job of ended) if (!logged.has(job.id)) await this.#record(job.id);
  }

  #recordOnce(jobId: string): void {
    if (this.#recorded.has(jobId)) return;
    this.#recorded.add(jobId);
    // Left marked when it fails: the next start finds the entry missing and writes it.
    this.#record(jobId).catch((error: unknown) => this.#options.reportUnexpected('recording a consent grant', error));
  }

  async #record(jobId: string): Promise<void> {
    const items = this.#options.jobs.items(jobId);
    const decision = (items[0]?.item.payload as GrantPayload | undefined)?.decision;
    if (!decision) return;
    const view = this.#connection(decision.connectionId);
    const failed = items.filter((entry) => entry.status !== 'succeeded' && entry.status !== 'skipped');
    const dropped = [...decision.droppedDelegated, ...decision.droppedApplication];
    await this.#options.activity.record({
      action: grantedAction,
      target: `${decision.appName} (${view?.label ?? 'a removed connection'})`,
      result: failed.length === 0 ? 'succeeded' : 'failed',
      errorCode: failed.length === 0 ? null : (failed[0]!.outcome?.errorCode ?? 'provider_error'),
      detail: `${decision.appName}: ${[...decision.keptDelegated, ...decision.keptApplication].join(' ')}${dropped.length ? ` (dropped ${dropped.join(' ')})` : ''}.${failed.length ? ` Not done: ${failed.map((entry) => entry.item.label).join('; ')}.` : ''} Job ${jobId}.`,
    });
    if (!view) return;
    this.#options.events.publish('consent.changed', { connectionId: view.id });
    await this.#options.rescan([view.id]);
  }

  /** The connection the grant was made on; null once it was removed. */
  #connection(connectionId: string) {
    try {
      return this.#options.connections.view(connectionId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') return null;
      throw error;
    }
  }
}
