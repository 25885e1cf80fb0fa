/**
 * The one activity entry each consent decision gets as a whole, besides its job's per-call entries:
 * `consent.granted` (what was kept, dropped, not done), `consent.policy_changed` and `consent.blocked`
 * (before → after), `consent.denied` (the scopes asked for and the reason). Each is built from the
 * job's payload and its items' outcomes when the job reaches a final state — in the run that
 * confirmed it or in one that resumed it after a stop — so a decision whose run was killed mid-job
 * still gets it. A job that ended just before Consentry stopped, its entry not yet written, gets it
 * at the next start: the log is searched for the job's entry first, so none is written twice.
 */
import { activityMatching } from '../activity/activity-search';
import type { JobSummary } from '../../src-shared/contract/jobs';
import type { ProviderId } from '../../src-shared/domain/ids';
import type { ActivityRecord } from '../activity/activity-log';
import type { ActivityService } from '../activity/activity-service';
import type { ConnectionService } from '../connections/connection-service';
import type { TenantGateway } from '../connections/tenant-gateway';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import type { JobKernel } from '../jobs/job-kernel';
import { consentJobKinds, type BlockPayload, type DenyPayload, type GrantDecision, type GrantPayload, type PolicyPayload } from './consent-jobs';
import type { ProviderConsent } from './consent-port';
import { reachConsent } from './consent-reach';

export interface ConsentDecisionLogOptions {
  jobs: Pick<JobKernel, 'items' | 'list'>;
  activity: Pick<ActivityService, 'record' | 'list'>;
  connections: Pick<ConnectionService, 'view'>;
  /** A granted app is read back for the name the tenant knows it by. */
  consents: Partial<Record<ProviderId, ProviderConsent>>;
  gateway: Pick<TenantGateway, 'context'>;
  events: Pick<EventHub, 'publish' | 'subscribe'>;
  rescan: (connectionIds: readonly string[]) => Promise<unknown>;
  reportUnexpected: (context: string, error: unknown) => void;
}

type ItemReport = ReturnType<JobKernel['items']>[number];

/** A decision's entry before its connection is named and its job appended. */
interface Decision {
  connectionId: string;
  /** What was decided on: the app or the setting. */
  subject: string;
  result: ActivityRecord['result'];
  errorCode: ActivityRecord['errorCode'];
  detail: string;
}

const actionOf: Record<string, string> = {
  [consentJobKinds.grant]: 'consent.granted',
  [consentJobKinds.policy]: 'consent.policy_changed',
  [consentJobKinds.block]: 'consent.blocked',
  [consentJobKinds.deny]: 'consent.denied',
};
const final = new Set<JobSummary['state']>(['finished', 'cancelled']);
/** The entry names its job last: `… Job <id>.` */
const jobOfEntry = /Job (\S+)\.$/;

/**
 * Whether every item is done and confirmed: succeeded and verified by the job's read-back, or ended
 * in a way the kind accepts. Those that are not are named: not done, or done but not confirmed.
 */
function verdict(items: readonly ItemReport[], accepted: (item: ItemReport) => boolean = () => false) {
  const open = items.filter((item) => !(item.status === 'succeeded' && item.outcome?.verified) && !accepted(item));
  const unconfirmed = open.filter((item) => item.status === 'succeeded');
  const notDone = open.filter((item) => item.status !== 'succeeded');
  const words = [
    notDone.length ? ` Not done: ${notDone.map((item) => item.item.label).join('; ')}.` : '',
    unconfirmed.length ? ` Not confirmed by reading back: ${unconfirmed.map((item) => item.item.label).join('; ')}.` : '',
  ].join('');
  const first = open[0];
  return {
    result: first ? ('failed' as const) : ('succeeded' as const),
    // An item that never ran was cancelled before its call.
    errorCode: first ? (first.outcome?.errorCode ?? (first.outcome ? 'provider_error' : 'cancelled')) : null,
    words,
  };
}

/** A one-call decision (policy, block): before → after, and how it ended. */
function settingDecision(connectionId: string, subject: string, change: string, items: readonly ItemReport[]): Decision {
  const { result, errorCode } = verdict(items);
  const outcome = items[0]?.outcome;
  const how = result === 'succeeded' ? 'Verified by reading back.' : (outcome?.message ?? 'Not carried out: the job was cancelled before its call.');
  return { connectionId, subject, result, errorCode, detail: `${change}. ${how}` };
}

export class ConsentDecisionLog {
  readonly #options: ConsentDecisionLogOptions;
  /** Jobs whose entry this run wrote or is writing (the kernel may publish a final state more than once), with that write. */
  readonly #writes = new Map<string, Promise<void>>();

  constructor(options: ConsentDecisionLogOptions) {
    this.#options = options;
    options.events.subscribe((event, payload) => {
      if (event !== 'jobs.progress') return;
      const job = payload as JobSummary;
      if (Object.hasOwn(actionOf, job.kind) && final.has(job.state)) void this.#recordOnce(job.id);
    });
  }

  /**
   * The entry of a job that has ended, once it is written (now, if it was not yet): the page's
   * answer comes after it. Never fails: a write that failed was reported and is retried at the next start.
   */
  written(jobId: string): Promise<void> {
    const job = this.#options.jobs.list().find((listed) => listed.id === jobId);
    // A paused job gets its entry when it ends.
    return job && final.has(job.state) ? this.#recordOnce(jobId) : Promise.resolve();
  }

  /**
   * After the kernel has replayed its journals: the consent jobs listed as ended whose entry is not
   * in the log (Consentry stopped between the job's end and its entry). One pass over the log's
   * decision entries since the oldest of them.
   */
  recordMissed(): Promise<void> {
    const ended = this.#options.jobs.list().filter((job) => Object.hasOwn(actionOf, job.kind) && final.has(job.state) && !this.#writes.has(job.id));
    if (ended.length === 0) return Promise.resolve();
    const run = this.#recordUnlogged(ended);
    const done = run.catch(() => undefined);
    for (const job of ended) this.#writes.set(job.id, done);
    return run;
  }

  async #recordUnlogged(ended: readonly JobSummary[]): Promise<void> {
    const since = ended.map((job) => job.updatedAt).sort()[0]!;
    const logged = new Set<string>();
    for (const action of new Set(ended.map((job) => actionOf[job.kind]!))) {
      for await (const entry of activityMatching(this.#options.activity, { action, since })) {
        const jobId = jobOfEntry.exec(entry.detail ?? '')?.[1];
        if (jobId) logged.add(jobId);
      }
    }
    for (const job of ended) if (!logged.has(job.id)) await this.#record(job.id);
  }

  #recordOnce(jobId: string): Promise<void> {
    let write = this.#writes.get(jobId);
    if (!write) {
      // Left marked when it fails: the next start finds the entry missing and writes it.
      write = this.#record(jobId).catch((error: unknown) => this.#options.reportUnexpected('recording a consent decision', error));
      this.#writes.set(jobId, write);
    }
    return write;
  }

  async #record(jobId: string): Promise<void> {
    const job = this.#options.jobs.list().find((listed) => listed.id === jobId);
    const action = job ? actionOf[job.kind] : undefined;
    const items = this.#options.jobs.items(jobId);
    if (!job || !action || items.length === 0 || !final.has(job.state)) return;
    const decision = await this.#decision(job.kind, items);
    const view = this.#connection(decision.connectionId);
    await this.#options.activity.record({
      action,
      target: `${decision.subject} (${view?.label ?? 'a removed connection'})`,
      result: decision.result,
      errorCode: decision.errorCode,
      detail: `${decision.detail} Job ${jobId}.`.replace(/\s+/g, ' '),
    });
    if (!view) return;
    this.#options.events.publish('consent.changed', { connectionId: view.id });
    // A grant adds a tenant-wide consent: the Grants page reads the tenant again, in its own time.
    if (job.kind === consentJobKinds.grant) this.#options.rescan([view.id]).catch((error: unknown) => this.#options.reportUnexpected('reading the grants again after a consent grant', error));
  }

  async #decision(kind: string, items: readonly ItemReport[]): Promise<Decision> {
    switch (kind) {
      case consentJobKinds.grant: {
        const { decision } = items[0]!.item.payload as GrantPayload;
        // The approval found already closed after a stop: the grant stands.
        const { result, errorCode, words } = verdict(items, (item) => item.status === 'skipped' && (item.item.payload as GrantPayload).step === 'approve_request');
        const name = await this.#grantedName(decision);
        const dropped = [...decision.droppedDelegated, ...decision.droppedApplication];
        const kept = [...decision.keptDelegated, ...decision.keptApplication].join(' ');
        return { connectionId: decision.connectionId, subject: name, result, errorCode, detail: `${name}: ${kept}${dropped.length ? ` (dropped ${dropped.join(' ')})` : ''}.${words}` };
      }
      case consentJobKinds.policy: {
        const payload = items[0]!.item.payload as PolicyPayload;
        return settingDecision(payload.connectionId, payload.setting, `${payload.before} → ${payload.after}`, items);
      }
      case consentJobKinds.block: {
        const payload = items[0]!.item.payload as BlockPayload;
        return settingDecision(payload.connectionId, payload.appName, `${payload.before} → ${payload.after}`, items);
      }
      default: {
        const payload = items[0]!.item.payload as DenyPayload;
        // A provider with no call for a denial keeps it in Consentry's log alone: that is the whole decision.
        const { result, errorCode } = verdict(items, (item) => item.status === 'succeeded' && item.outcome?.code === 'local_only');
        // The item's outcome carries the reason (consent-jobs); an item that never ran names it here.
        const outcome = items[0]!.outcome?.message ?? `Reason: ${payload.reason}. Not sent: the job was cancelled before its call.`;
        return { connectionId: payload.connectionId, subject: payload.appName, result, errorCode, detail: `Asked for: ${payload.scopes.join(' ') || 'nothing named'}. ${outcome}` };
      }
    }
  }

  /**
   * The app as the tenant knows it after the grant (an app granted by client id had no service
   * principal, so no name, when it was planned); the planned name when it cannot be read back.
   */
  async #grantedName(decision: GrantDecision): Promise<string> {
    try {
      const { context, adapter } = reachConsent(this.#options, decision.connectionId, ['appState']);
      return (await adapter.appState!(context, decision.appId)).displayName || decision.appName;
    } catch {
      return decision.appName;
    }
  }

  /** The connection the decision was made on; null once it was removed. */
  #connection(connectionId: string) {
    try {
      return this.#options.connections.view(connectionId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') return null;
      throw error;
    }
  }
}
