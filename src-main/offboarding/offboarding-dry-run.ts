/**
 * The dry run: a read-only pass over a plan that resolves every person afresh and measures what
 * each step would change now (tokens, grants, sessions, data to transfer). People are read side by
 * side (a few at a time; the tenant's scheduler paces the calls), each person's steps at one
 * connection in order. A step that cannot be measured is that step's failure; the others go on.
 */
import type { DryRun, DryRunStep, OffboardingPlan, PlanConnection, PlannedStep } from '../../src-shared/contract/offboarding';
import type { ProviderId } from '../../src-shared/domain/ids';
import type { TenantGateway } from '../connections/tenant-gateway';
import { AppError } from '../errors/app-error';
import type { DirectoryPerson, ProviderOffboarding } from './offboarding-port';

export interface DryRunOptions {
  plan: OffboardingPlan;
  adapters: Partial<Record<ProviderId, ProviderOffboarding>>;
  gateway: Pick<TenantGateway, 'context'>;
  /** Why a connection cannot be called now (it needs a reconnect), or null. */
  blocked(connectionId: string): string | null;
  /** People read at once. */
  concurrency?: number;
  clock: () => Date;
  signal: AbortSignal;
  /** Told after each person is read. */
  progress(dryRun: DryRun): void;
}

type DryRunPerson = DryRun['people'][number];

const defaultConcurrency = 8;

function reasonOf(error: unknown): string {
  return error instanceof AppError ? error.message : 'It could not be read (an unexpected error).';
}

/** Per connection and step kind: the people it would change, the items in all, and the failures. */
export function dryRunTotals(people: readonly DryRunPerson[]): DryRun['totals'] {
  const totals = new Map<string, DryRun['totals'][number]>();
  for (const person of people) {
    for (const step of person.steps) {
      if (step.state === 'manual' || step.state === 'skip') continue;
      const key = `${step.connectionId}|${step.kind}`;
      let total = totals.get(key);
      if (!total) totals.set(key, (total = { connectionId: step.connectionId, kind: step.kind, people: 0, items: 0, failed: 0 }));
      if (step.state === 'would_change') {
        total.people += 1;
        total.items += step.count ?? 0;
      }
      if (step.state === 'failed') total.failed += 1;
    }
  }
  return [...totals.values()];
}

/** Reads what one person's steps at one connection would change, in order. */
async function measureAt(options: DryRunOptions, connection: PlanConnection, email: string, transferTo: string | null, steps: readonly PlannedStep[], targets: Map<string, Promise<DirectoryPerson | null>>): Promise<DryRunStep[]> {
  const adapter = options.adapters[connection.provider];
  let failure = options.blocked(connection.connectionId);
  let person: DirectoryPerson | null = null;
  let target: DirectoryPerson | null = null;
  // As in the run: the transfer target is read for the step that needs it, and its absence is that step's failure.
  const needsTarget = (kind: string) => transferTo !== null && (adapter?.needsTransferTarget?.(kind) ?? false);
  let targetFailure: string | null = null;
  const context = adapter && !failure ? options.gateway.context(connection.connectionId, options.signal) : null;
  if (steps.some((step) => step.mode === 'api') && adapter && context && !failure) {
    try {
      person = await adapter.findPerson(context, email);
    } catch (error) {
      failure = reasonOf(error);
    }
    if (person && steps.some((step) => step.mode === 'api' && needsTarget(step.kind))) {
      const key = `${connection.connectionId}|${transferTo}`;
      let found = targets.get(key);
      if (!found) targets.set(key, (found = adapter.findPerson(context, transferTo!)));
      try {
        target = await found;
        if (!target) targetFailure = `The transfer target ${transferTo} is not found at ${connection.label} now: the run would stop here for this person.`;
      } catch (error) {
        targetFailure = reasonOf(error);
      }
    }
  }
  const measured: DryRunStep[] = [];
  for (const step of steps) {
    const base = { connectionId: step.connectionId, kind: step.kind };
    if (step.mode === 'manual') {
      const where = connection.steps.find((definition) => definition.kind === step.kind)?.where;
      measured.push({ ...base, state: 'manual', count: null, description: `Manual: done by you at ${where?.label ?? `${connection.label}’s admin console`}.` });
    } else if (step.mode === 'skip') {
      measured.push({ ...base, state: 'skip', count: null, description: step.note ?? 'Does not apply to this person.' });
    } else if (failure || !adapter || !context) {
      measured.push({ ...base, state: 'failed', count: null, description: failure ?? `${connection.providerLabel} has no API Consentry can read for it.` });
    } else if (!person) {
      measured.push({ ...base, state: 'not_found', count: null, description: `Not found at ${connection.label}: nothing to do there.` });
    } else if (needsTarget(step.kind) && targetFailure) {
      measured.push({ ...base, state: 'failed', count: null, description: targetFailure });
    } else {
      try {
        const measure = await adapter.measure(context, step.kind, { person, transferTo: needsTarget(step.kind) ? target : null });
        measured.push({ ...base, state: measure.count === 0 ? 'nothing_to_do' : 'would_change', count: measure.count, description: measure.description });
      } catch (error) {
        if (options.signal.aborted) throw error;
        measured.push({ ...base, state: 'failed', count: null, description: reasonOf(error) });
      }
    }
  }
  return measured;
}

/** Runs the dry run to its end (or until `signal` aborts) and answers its final state. */
export async function dryRunPlan(options: DryRunOptions): Promise<DryRun> {
  const { plan, signal } = options;
  const startedAt = options.clock().toISOString();
  const connections = new Map(plan.connections.map((connection) => [connection.connectionId, connection]));
  // Read once per connection: many rows name the same manager.
  const targets = new Map<string, Promise<DirectoryPerson | null>>();
  const read: (DryRunPerson | undefined)[] = new Array(plan.people.length);
  let done = 0;
  const snapshot = (state: DryRun['state'], reason: string | null): DryRun => {
    const people = read.filter((person): person is DryRunPerson => person !== undefined);
    return { state, startedAt, finishedAt: state === 'running' ? null : options.clock().toISOString(), done, total: plan.people.length, people, totals: dryRunTotals(people), reason };
  };
  let next = 0;
  const worker = async () => {
    while (!signal.aborted && next < plan.people.length) {
      const index = next++;
      const person = plan.people[index]!;
      const byConnection = new Map<string, PlannedStep[]>();
      for (const step of person.steps) byConnection.set(step.connectionId, [...(byConnection.get(step.connectionId) ?? []), step]);
      const steps = await Promise.all(
        [...byConnection].map(([connectionId, steps]) => {
          const connection = connections.get(connectionId);
          return connection ? measureAt(options, connection, person.email, person.transferTo, steps, targets) : Promise.resolve([]);
        }),
      ).catch((error: unknown) => {
        if (signal.aborted) return null;
        throw error;
      });
      // A person read while the admin cancelled is left out: their reads may have been cut short.
      if (!steps || signal.aborted) return;
      read[index] = { rowId: person.rowId, email: person.email, steps: steps.flat() };
      done += 1;
      options.progress(snapshot('running', null));
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? defaultConcurrency, plan.people.length) }, worker));
  return signal.aborted ? snapshot('cancelled', 'Cancelled by the admin; the people read so far are shown.') : snapshot('finished', null);
}
