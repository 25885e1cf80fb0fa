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
import { DirectoryIndex, SignedInAccount } from './directory-index';
import { normalAddress } from './email-address';
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
  /**
   * Null when the directory could not be read (or there is none). A connection with a directory that
   * could not be read takes no steps: who its super admins are and whether a row is the signed-in
   * admin cannot be told there.
   */
  reading: DirectoryReading | null;
  /** Why the directory could not be read, when it could not. */
  readProblem?: string | null;
  /** The admin account Consentry is signed in with there. */
  account?: string | null;
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
  /** Null when not read. */
  people: DirectoryIndex | null;
  /** Why it takes no steps (disconnected, its directory not read); null when it takes part. */
  blocked: string | null;
}

/** What the guards look at in one connection of a plan or a run. */
export interface GuardedConnection {
  connectionId: string;
  label: string;
  people: DirectoryIndex | null;
  account?: string | null;
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
  // A directory that was not read blocks its connection (planOffboarding): never reached without one.
  const person = people?.find(row.email);
  if (!people || !person) {
    // Nothing of theirs exists there, so neither Consentry nor the admin has anything to do.
    return input.steps.map((step) => planned(step, 'skip', `Not found at ${input.label}: nothing to do there.`));
  }
  const transferTo = transferData ? (people.find(row.transferTo) ?? null) : null;
  return input.steps.map((step) => {
    if (step.mode === 'manual') return planned(step, 'manual', null);
    const reason = input.skipReason(step.kind, { person, transferTo });
    return reason === null ? planned(step, 'api', null) : planned(step, 'skip', reason);
  });
}

/**
 * A second look at the guards with the plan's (or, at the start, the run's) readings, the list's
 * check being older: a run never takes every active super admin of a tenant, nor the admin account
 * Consentry is signed in with.
 */
export function refuseGuardedPeople(connections: readonly GuardedConnection[], people: readonly PlanPerson[]): void {
  for (const { connectionId, label, people: directory, account } of connections) {
    const takenHere = people.filter((person) => person.steps.some((step) => step.connectionId === connectionId && step.mode !== 'skip'));
    const signedIn = account ? new SignedInAccount(account, directory) : null;
    const admin = signedIn ? takenHere.find((person) => signedIn.is(normalAddress(person.email), directory?.find(person.email))) : undefined;
    if (admin) {
      throw new AppError('list_not_ready', `${admin.email} is the admin account Consentry is signed in with at ${label}: drop that row, and offboard the account from another admin account.`);
    }
    if (!directory?.reading.superAdminsKnown) continue;
    const active = directory.reading.people.filter((person) => person.superAdmin && !person.suspended);
    if (active.length === 0) continue;
    const takenIds = new Set(takenHere.flatMap((person) => directory.find(person.email)?.id ?? []));
    if (active.every((person) => takenIds.has(person.id))) {
      throw new AppError(
        'list_not_ready',
        `The list holds every active super admin of ${label} (${active.map((person) => person.email).join(', ')}): drop one of them, or make another admin a super admin first.`,
      );
    }
  }
}

/** Why a connection takes no steps: the reason given, or its directory could not be read. */
function blockedOf(connection: PlanConnectionInput): string | null {
  if (connection.blocked !== null || connection.directory === 'none' || connection.reading !== null) return connection.blocked;
  const problem = (connection.readProblem ?? 'no reason was given').replace(/\.$/, '');
  return `${connection.label} takes no steps: its directory could not be read: ${problem}; check the list again.`;
}

/** The plan for the rows without an error; throws `list_not_ready` when nobody can be planned or the list is too long for one run. */
export function planOffboarding(input: { rows: readonly ListRow[]; options: RunOptions; connections: readonly PlanConnectionInput[] }): PlannedOffboarding {
  const { rows, options } = input;
  const chosen = new Set(options.connectionIds);
  const tenants: Tenant[] = input.connections
    .filter((connection) => chosen.size === 0 || chosen.has(connection.connectionId))
    .map((connection) => ({
      input: connection,
      people: connection.directory === 'api' && connection.reading ? new DirectoryIndex(connection.reading) : null,
      blocked: blockedOf(connection),
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
  // Per connection: the plan's people found there (or in scope there, where there is no directory).
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
      const found = tenant.people === null ? tenant.input.directory === 'none' : tenant.people.find(row.email) !== undefined;
      if (found) present.set(tenant.input.connectionId, (present.get(tenant.input.connectionId) ?? 0) + 1);
    }
    const steps = here.filter((tenant) => tenant.blocked === null).flatMap((tenant) => stepsAt(tenant, row, options.transferData));
    people.push({ rowId: row.id, email: row.email, transferTo: options.transferData ? row.transferTo : null, steps });
  }
  if (people.length === 0) throw new AppError('list_not_ready', "None of the ready rows is at a connection of this run: change the run's connections or the rows' providers.");
  refuseGuardedPeople(
    tenants.filter((tenant) => tenant.blocked === null).map(({ input, people: directory }) => ({ connectionId: input.connectionId, label: input.label, people: directory, account: input.account ?? null })),
    people,
  );

  const allSteps = people.flatMap((person) => person.steps);
  const apiStepsAt = new Map<string, number>();
  for (const step of allSteps) if (step.mode === 'api') apiStepsAt.set(step.connectionId, (apiStepsAt.get(step.connectionId) ?? 0) + 1);
  const connections: PlanConnection[] = tenants.map(({ input: connection, blocked }) => ({
    connectionId: connection.connectionId,
    label: connection.label,
    provider: connection.provider,
    providerLabel: connection.providerLabel,
    steps: connection.steps,
    people: present.get(connection.connectionId) ?? 0,
    apiSteps: apiStepsAt.get(connection.connectionId) ?? 0,
    missingScopes: connection.missingScopes,
    blocked,
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
