/**
 * What each provider offers the offboarding capability: reading its directory (who exists, who is
 * suspended, who is a super admin), the ordered steps that remove a departed person's access there,
 * and, per step, a read-only measure (the dry run) and an apply that checks the current state first,
 * acts only when something is left to do, and reads back after. The offboarding service drives these
 * through the tenant's request scheduler (the call context); the adapters live in providers/<name>/
 * and know only their provider's wire format. Failures are AppErrors with a code from
 * error-codes.ts, naming the permission when one is missing.
 *
 * Every apply must be safe to call again after a stop at any point: the step journalled as sent
 * but with no recorded answer is carried out again, and must then find its work done
 * (`already_done`) rather than do it twice.
 */
import type { ConnectionSettings } from '../../src-shared/contract/connections';
import type { StepDefinition } from '../../src-shared/contract/offboarding';
import type { ProviderCallContext } from '../net/provider-call-context';

/** A person as the provider's directory holds them. */
export interface DirectoryPerson {
  /** The provider's id (Google's numeric id, Entra's object id, Okta's user id). */
  id: string;
  /** Lower-case primary address. */
  email: string;
  /**
   * Every address the person has at this provider, lower-case: the primary `email` included, with
   * aliases, the UPN and mail where they differ. Lists, the plan and the run match a person on any
   * of them. Missing (an adapter not yet filling it) reads as `[email]`.
   */
  addresses?: string[];
  displayName: string | null;
  /** Suspended (Google, Okta, Zendesk) or disabled (Microsoft): can no longer sign in. */
  suspended: boolean;
  /** Holds the provider's highest admin role (Google super admin, Entra Global Administrator, Okta super admin). */
  superAdmin: boolean;
}

export interface DirectoryReading {
  people: DirectoryPerson[];
  /** False when the provider could not say who the super admins are (a missing permission): the check says so. */
  superAdminsKnown: boolean;
}

export interface OffboardingChoices {
  suspend: boolean;
  transferData: boolean;
}

/** The person a step is carried out on, and the run's context. */
export interface StepTarget {
  person: DirectoryPerson;
  /** The transfer target in this tenant; null when none was given or the step does not need one. */
  transferTo: DirectoryPerson | null;
  /** When the admin confirmed the run: a sign-out recorded at or after it is this run's. */
  confirmedAt: string;
}

/** What a dry run read for one step of one person. */
export interface StepMeasure {
  /** Items the step would remove or change; 0 when nothing is left to do; null when it cannot be counted (a sign-out). */
  count: number | null;
  /** In words, e.g. "2 app passwords" or "signed in sessions cannot be counted; all will be ended". */
  description: string;
}

/** What an apply did. */
export interface StepResult {
  /**
   * `done`: changed now; `already_done`: the read before found nothing left (a repeat after a stop);
   * `not_applicable`: the step cannot apply to the account as it is now (e.g. Google's backup codes
   * of a person someone else suspended mid-run). It is recorded as skipped, not failed, so the rest
   * of the person's steps go on.
   */
  code: 'done' | 'already_done' | 'not_applicable';
  /** Items removed or changed by this call. */
  changed: number;
  /** What was read before acting, in words; null when the provider offers nothing to read (a sign-out). */
  before: string | null;
  /** What the read-back showed, in words; null when there is no read-back. */
  after: string | null;
  /** The read-back confirmed the change. */
  verified: boolean;
  /** The provider's request ids of the state-changing calls, where it returns one. */
  requestIds: string[];
  /** One sentence for the evidence, e.g. "Deleted 2 app passwords; none remain." */
  message: string;
}

export interface ProviderOffboarding {
  /**
   * `api`: the provider's directory is read and people are resolved in it. `none`: Consentry has no
   * admin API there (Slack, Zoom, HubSpot, Pipedrive, a custom provider): every person gets the
   * manual steps, and `readDirectory`, `findPerson`, `measure` and `apply` are never called.
   */
  directory: 'api' | 'none';
  /** Reads the whole directory once, for the list's check and the plan. */
  readDirectory(context: ProviderCallContext): Promise<DirectoryReading>;
  /** Reads one person again (the dry run and each run resolve people fresh); null when not found. */
  findPerson(context: ProviderCallContext, email: string): Promise<DirectoryPerson | null>;
  /**
   * The ordered steps for these choices, in the order that works at this provider (see
   * provider-apis.md "Offboarding order that works"), manual steps included with the place to do
   * them. `settings` are the connection's, for console URLs.
   */
  steps(choices: OffboardingChoices, settings: ConnectionSettings): StepDefinition[];
  /**
   * Whether the step needs the transfer target (Google's data transfer): the target is looked up for
   * that step only, so a failed lookup never fails a step that does not use it. Left out: no step
   * needs one.
   */
  needsTransferTarget?(kind: string): boolean;
  /**
   * Why a step does not apply to this person, or null when it does: e.g. Google refuses backup-code
   * changes on a suspended user, a transfer needs a target.
   */
  skipReason(kind: string, target: Omit<StepTarget, 'confirmedAt'>): string | null;
  /** Read-only: what the step would change now. */
  measure(context: ProviderCallContext, kind: string, target: Omit<StepTarget, 'confirmedAt'>): Promise<StepMeasure>;
  /** Checks the current state, acts only if something is left, reads back. Long waits (a data transfer) end when `signal` aborts. */
  apply(context: ProviderCallContext, kind: string, target: StepTarget, signal: AbortSignal): Promise<StepResult>;
}

/** The read before found nothing left: no state-changing call was made. */
export function nothingLeft(before: string, message: string): StepResult {
  return { code: 'already_done', changed: 0, before, after: before, verified: true, requestIds: [], message };
}
