/**
 * A credential rotation as a pure state machine: the journal holds its events (the plan first, then
 * an intent before every provider call and the outcome after), and folding them gives the rotation
 * as it stands — in the run that wrote them or in one started after a crash. This file also says
 * which actions each state allows, and shows a rotation as the wizard's steps and prompt. It makes
 * no calls: the runner does, and writes the events.
 */
import type { CredentialKind, Rotation, RotationAction, RotationState } from '../../src-shared/contract/credentials';
import type { ProviderId } from '../../src-shared/domain/ids';
import { utcTimeInWords } from '../../src-shared/domain/time-in-words';
import { AppError } from '../errors/app-error';
import { credentialKey, credentialKindNouns, credentialLabel } from './credential-key';
import type { CreateIntent, ManualSteps, ReadCredential } from './credentials-port';

/** How the successor comes about: Consentry creates it, the admin creates it in a console (API tokens), or the admin enters it (Consentry's own client secret). */
export type RotationMethod = 'api' | 'manual' | 'client_secret';

/** What a rotation is planned with; the first record of its journal, never changed. */
export interface RotationPlan {
  id: string;
  credentialKey: string;
  connectionId: string;
  tenantLabel: string;
  provider: ProviderId;
  kind: CredentialKind;
  ownerName: string;
  /** The credential being replaced, as the provider's calls need it (identifiers, never a secret). */
  old: ReadCredential;
  planned: { displayName: string; expiresAt: string | null };
  method: RotationMethod;
  disablesOldFirst: boolean;
  needsCertificate: boolean;
  secretFormat: 'text' | 'file' | 'none';
  /** `manual`: the admin deletes the old credential in the console and Consentry reads back that it is gone; `api`: Consentry removes it. */
  removes: 'api' | 'manual';
  /** The admin's steps in the console, with the names filled in; null when Consentry makes every call. */
  manualSteps: ManualSteps | null;
  /**
   * A manual create: the ids of the owner's credentials of this kind read as the rotation was
   * planned, so the admin's new one is told from those that were there before. Null otherwise.
   */
  existingIds: string[] | null;
  startedAt: string;
}

/** The provider calls a rotation makes, each journaled as an intent first. */
export type RotationCall = 'create' | 'discard' | 'disable_old' | 'retire' | 'prove';

export interface RotationFailure {
  at: RotationState;
  code: string;
  message: string;
  nextStep: string | null;
  retryable: boolean;
}

/** One line of a rotation's journal. None holds a secret value. */
export type RotationEvent =
  | { t: 'planned'; at: string; plan: RotationPlan }
  /**
   * Flushed to disk before the call it names. A certificate rotation keeps the public certificate, to
   * create again after a stop; a create keeps the owner's credential ids read just before it, so a
   * create in doubt is told from credentials someone else made.
   */
  | { t: 'intent'; at: string; call: RotationCall; cancelling?: boolean; certificatePem?: string; existingIds?: string[] }
  /** The successor exists. `secret`: it came with a one-time secret (held in memory only). */
  | { t: 'created'; at: string; created: ReadCredential; secret: boolean }
  /** A create in doubt after a stop: the provider has no such credential. */
  | { t: 'not_created'; at: string }
  | { t: 'secret_lost'; at: string }
  | { t: 'revealed'; at: string }
  | { t: 'discarded'; at: string; result: 'removed' | 'already_gone' }
  | { t: 'handover_confirmed'; at: string; overlapUntil: string }
  /** The admin made the new credential (`created`, found at the provider) in the console, and deleted the old one when `removes` is manual; the removal or its read-back follows. */
  | { t: 'manual_created'; at: string; created?: ReadCredential }
  | { t: 'old_disabled'; at: string; result: 'disabled' | 'already_disabled' | 'already_gone' }
  /** The old credential was revoked outside the rotation ("Revoke now"): its retirement is only a read-back. */
  | { t: 'old_revoked'; at: string }
  | { t: 'retired'; at: string; result: 'removed' | 'already_gone'; early: boolean }
  /** Read back: the new one is there, the old one gone. */
  | { t: 'verified'; at: string }
  | { t: 'proved'; at: string }
  /** `successorGone`: the new credential is no longer at the provider, so the old one is kept. */
  | { t: 'failed'; at: string; failure: RotationFailure; successorGone?: boolean }
  | { t: 'retry'; at: string }
  /** Ended by the admin; `kept` says what stays, in words, when anything does. */
  | { t: 'cancelled'; at: string; kept: string | null }
  /** The activity entry of the event on line `line` (1-based) is in the log. */
  | { t: 'logged'; line: number };

export type RotationStepId = 'create' | 'manual_create' | 'handover' | 'disable_old' | 'overlap' | 'retire' | 'verify' | 'enter' | 'prove';

/** A rotation as its journal tells it. */
export interface RotationRecord {
  plan: RotationPlan;
  state: RotationState;
  created: ReadCredential | null;
  /** The successor came with a one-time secret. */
  secret: boolean;
  /** The admin was shown that secret. */
  revealed: boolean;
  /** The discard under way ends the rotation (a cancel) rather than making room for another create. */
  cancelling: boolean;
  /** The public certificate of the last create, to create again on a retry. */
  certificatePem: string | null;
  /** What the create in doubt was sent with: how it is found again after a stop. Null when none is. */
  createIntent: CreateIntent | null;
  oldGone: boolean;
  /** The successor was found gone before the old one was removed: the old one is kept. */
  successorGone: boolean;
  overlapUntil: string | null;
  failure: RotationFailure | null;
  kept: string | null;
  /** When each step of the wizard was done, or that it was skipped (an overlap of 0 days). */
  stepsDone: Partial<Record<RotationStepId, string>>;
  skipped: RotationStepId[];
  updatedAt: string;
  finishedAt: string | null;
}

const callStates: Record<RotationCall, RotationState> = {
  create: 'creating',
  discard: 'discarding',
  disable_old: 'disabling_old',
  retire: 'retiring',
  prove: 'proving',
};

/** States in which Consentry is making a call: the admin waits. */
export const workingStates: ReadonlySet<RotationState> = new Set(Object.values(callStates));
export const finalStates: ReadonlySet<RotationState> = new Set<RotationState>(['done', 'cancelled']);

export function planRecord(plan: RotationPlan): RotationRecord {
  return {
    plan,
    state: plan.method === 'manual' ? 'awaiting_manual_create' : 'ready',
    created: null,
    secret: false,
    revealed: false,
    cancelling: false,
    certificatePem: null,
    createIntent: null,
    oldGone: false,
    successorGone: false,
    overlapUntil: null,
    failure: null,
    kept: null,
    stepsDone: {},
    skipped: [],
    updatedAt: plan.startedAt,
    finishedAt: null,
  };
}

function done(record: RotationRecord, step: RotationStepId, at: string): Partial<Record<RotationStepId, string>> {
  return { ...record.stepsDone, [step]: at };
}

/** The rotation after one more event of its journal. */
export function applyEvent(record: RotationRecord, event: RotationEvent): RotationRecord {
  if (event.t === 'logged' || event.t === 'planned') return record;
  const next: RotationRecord = { ...record, updatedAt: event.at };
  switch (event.t) {
    case 'intent':
      next.state = callStates[event.call];
      next.failure = null;
      if (event.call === 'discard') next.cancelling = event.cancelling ?? false;
      if (event.call === 'create') {
        next.certificatePem = event.certificatePem ?? null;
        next.createIntent = { displayName: record.plan.planned.displayName, sentAt: event.at, existingIds: event.existingIds ?? [] };
      }
      if (event.call === 'retire' && !record.stepsDone.overlap && !record.skipped.includes('overlap')) next.stepsDone = done(record, 'overlap', event.at);
      if (event.call === 'prove') next.stepsDone = done(record, 'enter', event.at);
      return next;
    case 'created':
      return { ...next, state: 'handover', created: event.created, secret: event.secret, revealed: false, createIntent: null, stepsDone: done(record, 'create', event.at) };
    case 'not_created':
      return { ...next, state: 'ready', createIntent: null };
    case 'secret_lost':
      return { ...next, state: 'secret_lost' };
    case 'revealed':
      return { ...next, revealed: true };
    case 'discarded': {
      const { create: _create, ...stepsDone } = record.stepsDone;
      const cleared = { ...next, created: null, secret: false, revealed: false, createIntent: null, stepsDone };
      return record.cancelling ? { ...cleared, state: 'cancelled', finishedAt: event.at, kept: null } : { ...cleared, state: 'ready' };
    }
    case 'handover_confirmed': {
      const immediate = Date.parse(event.overlapUntil) <= Date.parse(event.at);
      return {
        ...next,
        state: record.plan.disablesOldFirst ? 'disabling_old' : 'overlap',
        overlapUntil: event.overlapUntil,
        stepsDone: done(record, 'handover', event.at),
        skipped: immediate ? [...record.skipped, 'overlap'] : record.skipped,
      };
    }
    case 'manual_created':
      return { ...next, state: 'retiring', created: event.created ?? null, successorGone: false, stepsDone: done(record, 'manual_create', event.at) };
    case 'old_disabled':
      return { ...next, state: 'overlap', oldGone: record.oldGone || event.result === 'already_gone', stepsDone: done(record, 'disable_old', event.at) };
    case 'old_revoked':
      return { ...next, oldGone: true };
    case 'retired':
      return { ...next, oldGone: true, stepsDone: done(record, 'retire', event.at) };
    case 'verified':
      return { ...next, state: 'done', finishedAt: event.at, stepsDone: done(record, 'verify', event.at) };
    case 'proved':
      return { ...next, state: 'done', finishedAt: event.at, stepsDone: done(record, 'prove', event.at) };
    case 'failed':
      return { ...next, state: 'failed', failure: event.failure, successorGone: event.successorGone ?? false };
    case 'retry':
      // The new client secret was in memory only: a retry asks the admin for it again.
      return { ...next, state: record.failure?.at === 'proving' ? 'ready' : (record.failure?.at ?? record.state), failure: null, successorGone: false };
    case 'cancelled':
      return { ...next, state: 'cancelled', finishedAt: event.at, kept: event.kept };
  }
}

/** Folds a journal's records; null when it does not start with a plan. */
export function replayEvents(events: readonly RotationEvent[]): RotationRecord | null {
  const [first] = events;
  if (!first || first.t !== 'planned') return null;
  return events.slice(1).reduce(applyEvent, planRecord(first.plan));
}

// ---------- what the admin may do ----------

/** A one-time secret is still to be shown: the hand-over cannot be confirmed before the admin has it. */
function secretPending(record: RotationRecord): boolean {
  return record.secret && !record.revealed;
}

/** Cancel is allowed before Consentry starts removing the old credential; it never does when the admin deletes it. */
function cancellable(record: RotationRecord): boolean {
  if (finalStates.has(record.state) || workingStates.has(record.state)) return false;
  return !(record.state === 'failed' && record.failure?.at === 'retiring' && record.plan.removes === 'api');
}

export function allowedActions(record: RotationRecord): RotationAction['action'][] {
  const cancel = cancellable(record) ? (['cancel'] as const) : [];
  switch (record.state) {
    case 'ready':
      return [record.plan.method === 'client_secret' ? 'submit_client_secret' : 'create', ...cancel];
    case 'awaiting_manual_create':
      return ['confirm_manual_create', ...cancel];
    case 'handover':
      if (secretPending(record)) return [...cancel];
      // A secret shown but lost before it was saved (the window reloaded): nobody can use that successor.
      return ['confirm_handover', ...(record.revealed ? (['discard_and_recreate'] as const) : []), ...cancel];
    case 'secret_lost':
      return ['discard_and_recreate', ...cancel];
    case 'overlap':
      return ['retire_now', ...cancel];
    case 'failed':
      return [...(record.failure?.retryable === false ? [] : (['retry'] as const)), ...cancel];
    default:
      return [];
  }
}

const stateWords: Record<RotationState, string> = {
  ready: 'is planned and nothing has been sent yet',
  creating: 'is creating the new credential',
  awaiting_manual_create: 'waits for the new token to be created in the admin console',
  handover: 'waits for the hand-over to be confirmed',
  secret_lost: 'holds a new credential whose secret nobody has',
  discarding: 'is removing a new credential nobody holds',
  disabling_old: 'is disabling the old key',
  overlap: 'is in the overlap, with both credentials working',
  retiring: 'is removing the old credential, or reading back that it is gone',
  proving: 'is proving the new client secret',
  done: 'is done',
  cancelled: 'was cancelled',
  failed: 'stopped at a step that failed',
};

const actionWords: Record<RotationAction['action'], string> = {
  create: 'create the new credential',
  confirm_handover: 'confirm the hand-over',
  confirm_manual_create: 'confirm the new token was created',
  retire_now: 'remove the old credential now',
  discard_and_recreate: 'discard and create again',
  retry: 'retry',
  cancel: 'cancel',
  submit_client_secret: 'enter a new client secret',
};

/** Throws `rotation_step_refused`, naming what is allowed, unless the action is allowed now. */
export function refuseUnlessAllowed(record: RotationRecord, action: RotationAction['action']): void {
  const allowed = allowedActions(record);
  if (allowed.includes(action)) return;
  const why = action === 'confirm_handover' && record.state === 'handover' && secretPending(record) ? ' The new secret has not been shown yet: show it and update what uses the old one first.' : '';
  const now = allowed.length > 0 ? `Allowed now: ${allowed.map((name) => actionWords[name]).join(', ')}.` : 'Nothing can be done until Consentry has finished its step.';
  throw new AppError('rotation_step_refused', `Cannot ${actionWords[action]}: the rotation ${stateWords[record.state]}.${why} ${now}`, {
    nextStep: allowed.length > 0 ? `Choose one of: ${allowed.map((name) => actionWords[name]).join(', ')}.` : 'Wait for the step under way to end; the rotation updates itself.',
  });
}

// ---------- names ----------

export function kindNoun(kind: CredentialKind): string {
  return credentialKindNouns[kind].one;
}

/** The rotation's mark in a name it gave; stripped from the old name so a name does not grow with each rotation. */
const rotatedMark = /\s*\(rotated \d{4}-\d{2}-\d{2} by Consentry r:[0-9a-f]{8}\)$/;

/** `<old name or kind> (rotated <yyyy-mm-dd> by Consentry r:<first 8 of the rotation id>)`: unique per rotation, so a create in doubt is found again. */
export function successorName(oldName: string | null, kind: CredentialKind, rotationId: string, now: Date): string {
  const base = (oldName ?? '').replace(rotatedMark, '').trim() || kindNoun(kind);
  return `${base} (rotated ${now.toISOString().slice(0, 10)} by Consentry r:${rotationId.replaceAll('-', '').slice(0, 8)})`;
}

/** What the activity log names: the owner and the credential (never its value). */
export function activityTarget(plan: Pick<RotationPlan, 'ownerName' | 'old'>): string {
  return `${plan.ownerName}: ${credentialLabel(plan.old)}`;
}

/** The inventory key of the rotation's successor, once it exists. */
export function successorKey(record: Pick<RotationRecord, 'plan' | 'created'>): string | null {
  const { plan, created } = record;
  return created ? credentialKey(plan.connectionId, plan.kind, created.ownerId, created.credentialId) : null;
}

// ---------- the wizard's view ----------

function stepList(plan: RotationPlan): { id: RotationStepId; label: string }[] {
  const noun = kindNoun(plan.kind);
  if (plan.method === 'client_secret') {
    return [
      { id: 'enter', label: 'Enter the new client secret' },
      { id: 'prove', label: 'Prove it with a token refresh' },
    ];
  }
  if (plan.method === 'manual' && plan.removes === 'manual') {
    return [
      { id: 'manual_create', label: `Create the new ${noun} and delete the old one in the console` },
      { id: 'verify', label: `Check that the old ${noun} is gone` },
    ];
  }
  if (plan.method === 'manual') {
    return [
      { id: 'manual_create', label: `Create the new ${noun} in the console` },
      { id: 'retire', label: `Revoke the old ${noun}` },
      { id: 'verify', label: 'Read back' },
    ];
  }
  const handover = { text: 'Copy the secret and update what uses it', file: 'Save the key file and update what uses it', none: 'Update what uses it' }[plan.secretFormat];
  return [
    { id: 'create', label: `Create the new ${noun}` },
    { id: 'handover', label: handover },
    ...(plan.disablesOldFirst ? [{ id: 'disable_old' as const, label: `Disable the old ${noun}` }] : []),
    { id: 'overlap', label: 'Overlap' },
    { id: 'retire', label: `Remove the old ${noun}` },
    { id: 'verify', label: 'Read back' },
  ];
}

function steps(record: RotationRecord): Rotation['steps'] {
  let currentSeen = false;
  return stepList(record.plan).map(({ id, label }) => {
    const at = record.stepsDone[id] ?? null;
    if (at) return { id, label, status: 'done' as const, at };
    if (record.skipped.includes(id) || record.state === 'cancelled') return { id, label, status: 'skipped' as const, at: null };
    if (currentSeen || record.state === 'done') return { id, label, status: 'waiting' as const, at: null };
    currentSeen = true;
    return { id, label, status: record.state === 'failed' ? ('failed' as const) : ('current' as const), at: null };
  });
}

function prompt(record: RotationRecord, secretWaiting: boolean): string | null {
  const { plan } = record;
  const noun = kindNoun(plan.kind);
  switch (record.state) {
    case 'ready':
      if (plan.method === 'client_secret') return 'Create a new client secret in the provider’s console and enter it here: Consentry proves it with a token refresh before it forgets the old one.';
      if (plan.needsCertificate) return `Paste the new public certificate (PEM) and create it: nothing has changed yet and the old ${noun} keeps working.`;
      return `Create the new ${noun}: nothing has changed yet and the old one keeps working.`;
    case 'awaiting_manual_create': {
      const where = plan.manualSteps?.where ?? 'the provider’s console';
      return plan.removes === 'manual'
        ? `Create a new ${noun} in ${where}, update what uses the old one, delete the old one there, then confirm: Consentry then checks that the old ${noun} is gone.`
        : `Create a new ${noun} in ${where}, update what uses the old one, then confirm: Consentry then revokes the old ${noun}.`;
    }
    case 'handover':
      if (secretWaiting) return plan.secretFormat === 'file' ? 'Save the new key file now: it is shown once and Consentry keeps no copy.' : `Copy the new ${noun} now: it is shown once and Consentry keeps no copy.`;
      if (record.revealed) {
        const saved = plan.secretFormat === 'file' ? 'key file was not saved' : 'secret was not saved';
        return `Update what uses the old ${noun} with the new one, then confirm the hand-over and choose how long both keep working. If the new ${saved} (the window closed or reloaded), nobody can use it: discard it and create another.`;
      }
      return `Update what uses the old ${noun} with the new one, then confirm the hand-over and choose how long both keep working.`;
    case 'secret_lost':
      return `Consentry stopped before the new ${noun} was shown, so nobody holds it: discard it and create another, or cancel.`;
    case 'overlap':
      return `Both work until ${utcTimeInWords(record.overlapUntil!)}; then Consentry removes the old ${noun}. Remove it now if nothing uses it any more.`;
    case 'failed':
      return record.failure?.nextStep ?? 'Retry the step, or cancel: the credentials in place still work.';
    case 'cancelled':
      return record.kept;
    default:
      return null;
  }
}

function rotationCredential(credential: ReadCredential): Rotation['old'] {
  return { credentialId: credential.credentialId, displayName: credential.displayName, hint: credential.hint, createdAt: credential.createdAt, expiresAt: credential.expiresAt };
}

/** The rotation as the bridge shows it; `secretWaiting`: a one-time secret waits in memory. */
export function rotationView(record: RotationRecord, secretWaiting: boolean): Rotation {
  const { plan } = record;
  return {
    id: plan.id,
    credentialKey: plan.credentialKey,
    connectionId: plan.connectionId,
    tenantLabel: plan.tenantLabel,
    provider: plan.provider,
    kind: plan.kind,
    ownerName: plan.ownerName,
    old: rotationCredential(plan.old),
    planned: plan.planned,
    created: record.created ? rotationCredential(record.created) : null,
    state: record.state,
    steps: steps(record),
    secretWaiting,
    secretFormat: plan.secretFormat,
    overlapUntil: record.overlapUntil,
    failure: record.failure,
    prompt: prompt(record, secretWaiting),
    guide: plan.manualSteps,
    startedAt: plan.startedAt,
    updatedAt: record.updatedAt,
    finishedAt: record.finishedAt,
  };
}
