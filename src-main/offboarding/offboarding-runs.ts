/**
 * Offboarding runs as the page shows them, worked out from the job kernel's items: the summary
 * (people, options, rate, progress per connection) and the detail (each person with each step,
 * its outcome and evidence). Manual steps show as `manual` until the admin confirms one, then as
 * done on the admin's word (`confirmed_by_admin`) — never as done by Consentry.
 */
import type { JobSummary } from '../../src-shared/contract/jobs';
import { RunOptionsSchema, type RunDetail, type RunPerson, type RunStep, type RunSummary } from '../../src-shared/contract/offboarding';
import { firstEstimateAfterMs } from '../jobs/job-kernel';
import type { JobItem, JobItemOutcome, JobItemStatus } from '../jobs/job-model';
import { normalAddress } from './email-address';
import type { StepPayload } from './offboarding-step-kind';

/** One item as the kernel reports it: where it stands, its outcome and when that was recorded. */
export interface StepItem {
  item: JobItem<StepPayload>;
  status: JobItemStatus;
  outcome: JobItemOutcome | undefined;
  at: string | null;
}

const rateWindowMs = 30_000;
const moving = new Set<JobSummary['state']>(['running', 'pausing', 'cancelling']);
/** Worst first. */
const personStates: RunPerson['state'][] = ['failed', 'in_doubt', 'running', 'pending', 'done'];

function statusOfPerson(steps: readonly RunStep[]): RunPerson['state'] {
  const present = new Set<RunPerson['state']>(
    steps.map((step) => {
      switch (step.status) {
        case 'failed':
        case 'in_doubt':
        case 'running':
        case 'pending':
          return step.status;
        default:
          return 'done';
      }
    }),
  );
  return personStates.find((state) => present.has(state)) ?? 'done';
}

/**
 * Steps ended per minute while the run moves, over the time it has actually run of the last half
 * minute (a run resumed 10 s ago is measured over 10 s); null in its first seconds, when a rate
 * would be a guess.
 */
function stepsPerMinute(job: JobSummary, items: readonly StepItem[], now: Date, runningSince: Date | null): number | null {
  if (!moving.has(job.state) || !runningSince) return null;
  const ran = now.getTime() - runningSince.getTime();
  if (ran < firstEstimateAfterMs) return null;
  const windowMs = Math.min(rateWindowMs, ran);
  const since = now.getTime() - windowMs;
  const recent = items.filter((entry) => entry.at !== null && Date.parse(entry.at) >= since).length;
  return recent * (60_000 / windowMs);
}

/** `runningSince`: when the job's current run began (its start or last resume), null when it is not running. */
export function runSummary(job: JobSummary, items: readonly StepItem[], now: Date, runningSince: Date | null): RunSummary {
  const connections = new Map<string, RunSummary['connections'][number]>();
  for (const { item, status } of items) {
    const { connectionId, connectionLabel, provider } = item.payload;
    let progress = connections.get(connectionId);
    if (!progress) connections.set(connectionId, (progress = { connectionId, label: connectionLabel, provider, total: 0, ended: 0, failed: 0 }));
    progress.total += 1;
    if (status === 'succeeded' || status === 'failed' || status === 'skipped') progress.ended += 1;
    if (status === 'failed') progress.failed += 1;
  }
  return {
    job,
    people: new Set(items.map(({ item }) => item.payload.email)).size,
    options: items[0]?.item.payload.options ?? RunOptionsSchema.parse({}),
    stepsPerMinute: stepsPerMinute(job, items, now, runningSince),
    connections: [...connections.values()],
  };
}

/** An item's key: what a manual step's confirmation names. The address in one form, whatever its case. */
export function stepKey(email: string, connectionId: string, kind: string): string {
  return `${normalAddress(email)}|${connectionId}|${kind}`;
}

/** The chain of a person's steps at one connection: they run in order. */
export function chainOf(email: string, connectionId: string): string {
  return `${normalAddress(email)}|${connectionId}`;
}

/** A manual step the run reached: the admin does it at the place named. */
export function isManualReached(entry: StepItem): boolean {
  return entry.status === 'skipped' && entry.outcome?.code === 'manual';
}

function messageWithoutOutcome(status: JobItemStatus): string | null {
  switch (status) {
    case 'in_doubt':
      return 'Sent just before Consentry stopped; its answer was not recorded. Resume the run: the step checks what is left and finishes it.';
    case 'running':
      return 'Being carried out now.';
    default:
      return null;
  }
}

function runStep(entry: StepItem, confirmedAt: string | undefined): RunStep {
  const { payload } = entry.item;
  const base = { connectionId: payload.connectionId, kind: payload.kind, title: payload.title };
  const manual = isManualReached(entry);
  if (manual && confirmedAt) {
    return {
      ...base,
      status: 'succeeded',
      code: 'confirmed_by_admin',
      message: 'Confirmed as done by the admin; Consentry has no API for it and did not check it.',
      at: confirmedAt,
      before: null,
      after: null,
      requestIds: [],
      verified: false,
    };
  }
  const { outcome } = entry;
  return {
    ...base,
    status: manual ? 'manual' : entry.status,
    code: outcome?.code ?? null,
    message: outcome?.message ?? messageWithoutOutcome(entry.status),
    at: entry.at,
    before: outcome?.evidence?.before ?? null,
    after: outcome?.evidence?.after ?? null,
    requestIds: outcome?.evidence?.requestIds ?? [],
    verified: outcome?.verified ?? false,
  };
}

/** `confirmed`: by item key, when the admin confirmed each manual step. */
export function runDetail(job: JobSummary, items: readonly StepItem[], confirmed: ReadonlyMap<string, string>, now: Date, runningSince: Date | null): RunDetail {
  const persons = new Map<string, RunStep[]>();
  const manual: RunDetail['manual'] = [];
  for (const entry of items) {
    const { payload } = entry.item;
    const confirmedAt = confirmed.get(entry.item.key);
    const step = runStep(entry, confirmedAt);
    persons.set(payload.email, [...(persons.get(payload.email) ?? []), step]);
    if (step.status === 'manual') {
      manual.push({
        email: payload.email,
        connectionId: payload.connectionId,
        kind: payload.kind,
        title: payload.title,
        where: payload.where?.label ?? `${payload.connectionLabel}’s admin console`,
        url: payload.where?.url ?? null,
      });
    }
  }
  return {
    ...runSummary(job, items, now, runningSince),
    persons: [...persons].map(([email, steps]) => ({ email, state: statusOfPerson(steps), steps })),
    manual,
  };
}
