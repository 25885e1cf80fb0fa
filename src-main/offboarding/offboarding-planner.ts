/**
 * The plan of an offboarding run: per person and connection, the provider's steps in the provider's
 * own order, each one carried out by Consentry (`api`), left to the admin where no admin API exists
 * (`manual`), or skipped with why (not found there, refused in the account's state). Pure: the
 * steps, readings and skip rules come from the provider adapters through the service.
 */
import type { ListRow, OffboardingPlan, PlanConnection, PlannedStep, PlanPerson, RunOptions, StepDefinition } from '../../src-shared/contract/offboarding';
import { maxPeoplePerRun } from '../../src-shared/contract/offboarding';
import type { ProviderId } from '../../src-shared/domain/ids';
import { AppError } from '../errors/app-error';
import type { DirectoryPerson, DirectoryReading } from './offboarding-port';
import { RowScopeMatcher } from './row-scope';

export interface PlanConnectionInput {
  connectionId: string;
  label: string;
  provider: ProviderId;
  providerLabel: string;
  directory: 'api' | 'none';
  /** The provider's steps for the run's options, in its order. */
  steps: StepDefinition[];
  /** Null when the directory could not be read (or there is none): people are looked up when a step runs. */
  reading: DirectoryReading | null;
  missingScopes: { scope: string; reason: string }[];
  blocked: string | null;
  skipReason(kind: string, target: { person: DirectoryPerson; transferTo: DirectoryPerson | null }): string | null;
}

export type PlannedOffboarding = Omit<OffboardingPlan, 'id' | 'listId' | 'createdAt' | 'dryRun'>;

// Warnings about the transfer target do not apply to a run that transfers nothing.
const transferWarnings: ReadonlySet<string> = new Set(['no_transfer_target', 'transfer_target_suspended']);

const count = (value: number) => value.toLocaleString('en-US');

interface Tenant {
  input: PlanConnectionInput;
  /** By lower-case address; null when not read. */
  people: Map<string, DirectoryPerson> | null;
}

/** A person's steps at one connection that takes part, in the provider's order. */
function stepsAt(tenant: Tenant, row: ListRow, transferData: boolean): PlannedStep[] {
  const { input, people } = tenant;
  const connectionId = input.connectionId;
  const planned = (step: StepDefinition, mode: PlannedStep['mode'], note: string | null): PlannedStep => ({ connectionId, kind: step.kind, mode, note });
  if (input.directory === 'none') {
    // No admin API: every step is the admin's, at the place the step names.
    return input.steps.map((step) => planned(step, 'manual', step.mode === 'api' ? `${input.providerLabel} has no admin API Consentry uses: do this by hand.` : null));
  }
  if (people === null) {
    return input.steps.map((step) =>
      step.mode === 'manual' ? planned(step, 'manual', null) : planned(step, 'api', `${input.label} could not be read: the person is looked up when the step runs.`),
    );
  }
  const person = people.get(row.email);
  if (!person) {
    // Nothing of theirs exists there, so neither Consentry nor the admin has anything to do.
    return input.steps.map((step) => planned(step, 'skip', `Not found at ${input.label}: nothing to do there.`));
  }
  const transferTo = transferData && row.transferTo !== null ? (people.get(row.transferTo) ?? null) : null;
  return input.steps.map((step) => {
    if (step.mode === 'manual') return planned(step, 'manual', null);
    const reason = input.skipReason(step.kind, { person, transferTo });
    return reason === null ? planned(step, 'api', null) : planned(step, 'skip', reason);
  });
}

/**
 * A second look at the last-super-admin rule with the plan's own readings (the list's check may be
 * older): a run never takes every active super admin of a tenant.
 */
function refuseLastSuperAdmins(tenants: readonly Tenant[], people: readonly PlanPerson[]): void {
  for (const { input } of tenants) {
    if (input.blocked !== null || !input.reading?.superAdminsKnown) continue;
    const active = input.reading.people.filter((person) => person.superAdmin && !person.suspended).map((person) => person.email.toLowerCase());
    if (active.length === 0) continue;
    const takenHere = new Set(people.filter((person) => person.steps.some((step) => step.connectionId === input.connectionId && step.mode !== 'skip')).map((person) => person.email));
    if (active.every((email) => takenHere.has(email))) {
      throw new AppError(
        'list_not_ready',
        `The list holds every active super admin of ${input.label} (${active.join(', ')}): drop one of them, or make another admin a super admin first.`,
      );
    }
  }
}

/** The plan for the rows without an error; throws `list_not_ready` when nobody can be planned or the list is too long for one run. */
export function planOffboarding(input: { rows: readonly ListRow[]; options: RunOptions; connections: readonly PlanConnectionInput[] }): PlannedOffboarding {
  const { rows, options } = input;
  const chosen = new Set(options.connectionIds);
  const tenants: Tenant[] = input.connections
    .filter((connection) => chosen.size === 0 || chosen.has(connection.connectionId))
    .map((connection) => ({
      input: connection,
      people: connection.directory === 'api' && connection.reading ? new Map(connection.reading.people.map((person) => [person.email.toLowerCase(), person])) : null,
    }));
  const matcher = new RowScopeMatcher(tenants.map((tenant) => tenant.input));
  const inRun = new Set(tenants.map((tenant) => tenant.input.connectionId));

  const candidates = rows.filter((row) => row.verdict !== 'error');
  const excludedRows = rows.length - candidates.length;
  if (candidates.length === 0) {
    throw new AppError('list_not_ready', rows.length === 0 ? 'The list is empty: import or paste the departed people first.' : 'No row is ready: fix or drop the rows with errors first.');
  }
  if (candidates.length > maxPeoplePerRun) {
    throw new AppError('list_not_ready', `The list has ${count(candidates.length)} people; one run takes at most ${count(maxPeoplePerRun)}: split the list and run each part.`);
  }

  const warnings: PlannedOffboarding['warnings'] = [];
  const people: PlanPerson[] = [];
  // Per connection: the plan's people found there (or in scope there, where nobody was looked up).
  const present = new Map<string, number>();
  for (const row of candidates) {
    const scope = matcher.scopeOf(row.providers);
    const here = tenants.filter((tenant) => scope.includes(tenant.input.connectionId));
    if (here.length === 0) {
      warnings.push({ email: row.email, message: `Not in this run: none of the connections named in providers (${(row.providers ?? []).join(', ')}) takes part.` });
      continue;
    }
    for (const reason of row.reasons) {
      if (reason.level !== 'warning') continue;
      if (reason.connectionId !== null && (!inRun.has(reason.connectionId) || !scope.includes(reason.connectionId))) continue;
      if (!options.transferData && transferWarnings.has(reason.code)) continue;
      warnings.push({ email: row.email, message: reason.message });
    }
    for (const tenant of here) {
      if (tenant.people === null || tenant.people.has(row.email)) present.set(tenant.input.connectionId, (present.get(tenant.input.connectionId) ?? 0) + 1);
    }
    const steps = here.filter((tenant) => tenant.input.blocked === null).flatMap((tenant) => stepsAt(tenant, row, options.transferData));
    people.push({ rowId: row.id, email: row.email, transferTo: options.transferData ? row.transferTo : null, steps });
  }
  if (people.length === 0) throw new AppError('list_not_ready', "None of the ready rows is at a connection of this run: change the run's connections or the rows' providers.");
  refuseLastSuperAdmins(tenants, people);

  const allSteps = people.flatMap((person) => person.steps);
  const apiStepsAt = new Map<string, number>();
  for (const step of allSteps) if (step.mode === 'api') apiStepsAt.set(step.connectionId, (apiStepsAt.get(step.connectionId) ?? 0) + 1);
  const connections: PlanConnection[] = tenants.map(({ input: connection }) => ({
    connectionId: connection.connectionId,
    label: connection.label,
    provider: connection.provider,
    providerLabel: connection.providerLabel,
    steps: connection.steps,
    people: present.get(connection.connectionId) ?? 0,
    apiSteps: apiStepsAt.get(connection.connectionId) ?? 0,
    missingScopes: connection.missingScopes,
    blocked: connection.blocked,
  }));
  return {
    options,
    connections,
    people,
    apiSteps: allSteps.filter((step) => step.mode === 'api').length,
    manualSteps: allSteps.filter((step) => step.mode === 'manual').length,
    warnings,
    excludedRows,
    confirmationPhrase: `OFFBOARD ${people.length}`,
  };
}
