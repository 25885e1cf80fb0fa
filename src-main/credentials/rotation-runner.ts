/**
 * Drives credential rotations: plans one per credential, takes the admin's steps, makes the
 * provider calls — each with its intent flushed to the rotation's journal before the call and its
 * outcome after — and holds a new secret in memory only, until it is shown once. At start every
 * journal is replayed and each rotation a stop interrupted is resumed at its step: a create in doubt
 * is looked up with what its intent recorded (the successor's unique name, when it was sent, the
 * owner's credentials before it), a removal is sent again (already gone counts as done), an overlap
 * whose time has come retires the old credential. The old credential is never removed before the
 * new one exists and the admin confirmed the hand-over, and never once the new one is gone.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Credential, OneTimeSecret, Rotation, RotationAction, RotationState } from '../../src-shared/contract/credentials';
import type { ProviderId } from '../../src-shared/domain/ids';
import type { Settings } from '../../src-shared/contract/settings';
import type { ActivityRecord } from '../activity/activity-log';
import type { ActivityService } from '../activity/activity-service';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import type { JournalFiles } from '../jobs/job-journal';
import type { ProviderCallContext } from '../net/provider-call-context';
import { asReadCredential, credentialLabel } from './credential-key';
import type { CreatedSuccessor, CredentialRotator, ProviderCredentials, ReadCredential } from './credentials-port';
import { RotationJournals, type RotationJournal } from './rotation-journal';
import {
  activityTarget,
  applyEvent,
  finalStates,
  kindNoun,
  planRecord,
  refuseUnlessAllowed,
  rotationView,
  successorKey,
  successorName,
  workingStates,
  type RotationEvent,
  type RotationFailure,
  type RotationPlan,
  type RotationRecord,
} from './rotation-machine';

/** What the runner reads of the inventory. */
export interface CredentialLookup {
  credential(key: string): Credential | null;
  /** Reads one connection's credentials again, after a rotation changed them. */
  reread(connectionId: string): Promise<void>;
}

/** Consentry's own client secret: proven with a token refresh before it replaces the old one, which is kept on failure. */
export interface ClientSecretReplacement {
  replaceClientSecret(connectionId: string, clientSecret: string): Promise<unknown>;
}

export interface RotationRunnerOptions {
  /** The profile's `rotations/` folder. */
  directory: string;
  inventory: CredentialLookup;
  credentials: Partial<Record<ProviderId, ProviderCredentials>>;
  gateway: { context(connectionId: string): ProviderCallContext };
  connections: ClientSecretReplacement;
  settings: { get(): Pick<Settings, 'credentialMaxAgeDays' | 'keyAgePolicyDays'> };
  activity: Pick<ActivityService, 'record' | 'list'>;
  events: Pick<EventHub, 'publish'>;
  reportUnexpected: (context: string, error: unknown) => void;
  clock?: () => Date;
  /** Tests inject file failures (a full disk). */
  files?: JournalFiles;
}

/** A rotation journal that could not be read back at start, set aside under another name. */
export interface DamagedRotation {
  rotationId: string;
  keptAs: string;
  problem: string;
}

interface Live {
  record: RotationRecord;
  journal: RotationJournal | null;
  /** Bytes of whole records found at start (a torn last line is cut off when the journal is reopened); null once reopened. */
  wholeLength: number | null;
  /** Records on disk: the next one is on line `lines + 1`. */
  lines: number;
  logged: Set<number>;
  /** The admin's steps, the overlap timer and a resume run one at a time. */
  control: Promise<unknown>;
  timer: NodeJS.Timeout | null;
}

const dayMs = 86_400_000;
/** Listed after they end for this long; then their journal moves to `finished/` (still in a credential's history). */
const finishedListedMs = 30 * dayMs;
/** setTimeout's longest delay; a longer overlap re-arms. */
const longestTimerMs = 2 ** 31 - 1;
/** Kinds whose successor gets an expiry Consentry sets: the policy's maximum age. */
const expiringKinds = new Set<Credential['kind']>(['app_secret', 'sp_secret']);

function nowIso(clock: () => Date): string {
  return clock().toISOString();
}

/** A one-time secret held in memory, with the credential it belongs to (a create in doubt may find that one again). */
interface HeldSecret {
  credentialId: string;
  secret: OneTimeSecret;
}

function problemOf(error: unknown, fallback: string): string {
  if (error instanceof AppError) return error.message;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code ? `${fallback.replace(/\.$/, '')} (${code}).` : fallback;
}

/** What the failure of a call at `at` means for the credentials in place. */
function failureWords(at: RotationState, noun: string, removes: RotationPlan['removes']): string {
  switch (at) {
    case 'creating':
      return `Creating the new ${noun} failed; the old one still works.`;
    case 'discarding':
      return `Removing the new ${noun} nobody holds failed; the old one still works.`;
    case 'disabling_old':
      return `Disabling the old ${noun} failed; both still work.`;
    case 'retiring':
      return removes === 'manual' ? `The old ${noun} is not deleted yet; the new one works and so does the old one.` : `Removing the old ${noun} failed; the new one works and the old one may too.`;
    case 'proving':
      return 'The new client secret was not accepted; Consentry keeps using the old one.';
    default:
      return `The step failed; the ${noun}s in place still work.`;
  }
}

/** The read-back still found the old credential: Consentry removes it again on a retry, or, where the admin deletes it, waits for that. */
function oldStillListed(plan: RotationPlan): AppError {
  const noun = kindNoun(plan.kind);
  if (plan.removes === 'api') return new AppError('provider_error', `Read back: the provider still lists the old ${noun}.`, { nextStep: 'Retry: Consentry removes it again and reads back.' });
  const name = `“${credentialLabel(plan.old)}”`;
  return new AppError('remediation_required', `Read back: the provider still lists the old ${noun} ${name}.`, {
    nextStep: `Delete the old ${noun} ${name} in ${plan.manualSteps?.where ?? 'the provider’s console'}, then Retry: Consentry checks again.`,
  });
}

/** The activity entry of a journal event, or null for events that change nothing worth recording. */
function activityOf(plan: RotationPlan, record: RotationRecord, event: RotationEvent): Omit<ActivityRecord, 'target'> | null {
  const noun = kindNoun(plan.kind);
  const name = record.created?.displayName ?? plan.planned.displayName;
  switch (event.t) {
    case 'created':
      return { action: 'credentials.rotate.create', result: 'succeeded', detail: `Created the new ${noun} “${name}”${event.secret ? '; its secret is held in memory to be shown once' : ''}.` };
    case 'secret_lost':
      return { action: 'credentials.rotate.secret_lost', result: 'failed', errorCode: 'secret_unavailable', detail: `Consentry stopped before the new ${noun} “${name}” was shown: nobody holds its secret.` };
    case 'revealed':
      return { action: 'credentials.rotate.secret_shown', result: 'succeeded', detail: `The new ${noun}’s secret was shown once; Consentry keeps no copy.` };
    case 'discarded':
      return { action: 'credentials.rotate.discard', result: 'succeeded', detail: `Removed the new ${noun} nobody held${event.result === 'already_gone' ? ' (it was already gone)' : ''}.` };
    case 'handover_confirmed':
      return { action: 'credentials.rotate.handover', result: 'succeeded', detail: `The admin confirmed what used the old ${noun} now uses “${name}”; the old one is removed ${Date.parse(event.overlapUntil) <= Date.parse(event.at) ? 'now' : `after ${event.overlapUntil}`}.` };
    case 'manual_created':
      return {
        action: 'credentials.rotate.handover',
        result: 'succeeded',
        detail: `The admin confirmed a new ${noun} was created in the console and is in use${plan.removes === 'manual' ? ', and the old one deleted there' : ''}.`,
      };
    case 'old_disabled':
      if (event.result === 'already_gone') return { action: 'credentials.rotate.disable_old', result: 'succeeded', detail: `The old ${noun} was already gone: nothing to disable.` };
      return { action: 'credentials.rotate.disable_old', result: 'succeeded', detail: `Disabled the old ${noun}${event.result === 'already_disabled' ? ' (it was already disabled)' : ''}.` };
    case 'old_revoked':
      return { action: 'credentials.rotate.retire', result: 'succeeded', detail: `The old ${noun} was revoked (Revoke now): the rotation only reads back that it is gone.` };
    case 'retired':
      return { action: 'credentials.rotate.retire', result: 'succeeded', detail: `Removed the old ${noun}${event.early ? ' before the overlap ended, as the admin asked' : ''}${event.result === 'already_gone' ? ' (it was already gone)' : ''}.` };
    case 'verified':
      return {
        action: 'credentials.rotate.done',
        result: 'succeeded',
        detail: record.created ? `Read back: the new ${noun} “${name}” is in place and the old one is gone.` : `Read back: the old ${noun} is gone.`,
      };
    case 'proved':
      return { action: 'credentials.rotate.done', result: 'succeeded', detail: 'A token refresh with the new client secret worked; the old one is forgotten.' };
    case 'failed':
      return { action: 'credentials.rotate.failed', result: 'failed', errorCode: event.failure.code, detail: event.failure.message };
    case 'cancelled':
      return { action: 'credentials.rotate.cancel', result: 'succeeded', detail: `Cancelled by the admin.${event.kept ? ` ${event.kept}` : ''}` };
    default:
      return null;
  }
}

/** What a cancel leaves at the provider, in words; null when nothing. */
function keptOnCancel(record: RotationRecord): string | null {
  const { plan, created, stepsDone } = record;
  const noun = kindNoun(plan.kind);
  const old = `“${credentialLabel(plan.old)}”`;
  const mayBeDisabled = stepsDone.disable_old || record.failure?.at === 'disabling_old';
  if (plan.method === 'manual' && stepsDone.manual_create && !record.successorGone) {
    // Where the admin deletes the old one: a cancel after the confirmation (see `cancellable`).
    const made = created ? ` “${credentialLabel(created)}”` : '';
    return `Both ${noun}s were kept: the one made in the console${made} and the old ${old}. Delete the old one in ${plan.manualSteps?.where ?? 'the provider’s console'} once nothing uses it.`;
  }
  if (!created) return null;
  const name = `“${credentialLabel(created)}”`;
  if (record.successorGone) return `The new ${noun} ${name} is gone at the provider; the old one ${old} was kept${mayBeDisabled ? ' (it may be disabled: enable it again at the provider if something still needs it)' : ''}.`;
  if (stepsDone.handover) return `Both ${noun}s were kept: the new one ${name} was handed over${mayBeDisabled ? ', and the old one may be disabled: enable it again at the provider if something still needs it' : ''}.`;
  return `The new ${noun} ${name} was kept, because its secret had been shown: remove it if nothing uses it.`;
}

/** The rotation replaces the credential of `key`, or made it. */
function concerns(record: RotationRecord, key: string): boolean {
  return record.plan.credentialKey === key || successorKey(record) === key;
}

/** The entry's reference to the journal line it records: how a repair after a stop finds it already written. */
function entryRef(rotationId: string, line: number): string {
  return `[rotation ${rotationId} #${line}]`;
}

export class RotationRunner {
  readonly #options: RotationRunnerOptions;
  readonly #journals: RotationJournals;
  readonly #clock: () => Date;
  readonly #live = new Map<string, Live>();
  /** One-time secrets waiting to be shown: never written anywhere. */
  readonly #secrets = new Map<string, HeldSecret>();
  readonly #starting = new Map<string, Promise<Rotation>>();
  readonly #rereads = new Set<Promise<void>>();
  #damaged: DamagedRotation[] = [];
  /** Rotations filed in `finished/`, for a credential's history; read in the background at start. */
  #archived: RotationRecord[] = [];
  #archiveRead: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: RotationRunnerOptions) {
    this.#options = options;
    this.#journals = new RotationJournals(options.directory, options.files);
    this.#clock = options.clock ?? (() => new Date());
  }

  // ---------- start and close ----------

  /**
   * Replays every journal: a damaged one is set aside (see `damagedJournals`), an activity entry a
   * stop kept from being written is written, and each unfinished rotation resumes at its step in
   * the background (`settled` waits for that).
   */
  async start(): Promise<void> {
    await mkdir(this.#options.directory, { recursive: true, mode: 0o700 });
    // One journal that cannot be replayed, repaired or filed away never stops the others.
    for (const id of await this.#journals.ids()) await this.#startOne(id);
    this.#archiveRead = this.#journals.archived().then(
      (records) => void (this.#archived = records),
      (error: unknown) => this.#options.reportUnexpected('reading finished rotations', error),
    );
  }

  async #startOne(id: string): Promise<void> {
    let loaded;
    try {
      loaded = await this.#journals.load(id);
    } catch (error) {
      const keptAs = await this.#journals.setAside(id, this.#clock()).catch(() => `${id}.journal.ndjson`);
      this.#damaged.push({ rotationId: id, keptAs, problem: problemOf(error, 'The rotation journal could not be read.') });
      return;
    }
    if (!loaded) {
      await this.#journals.removeUnstarted(id).catch((error: unknown) => this.#options.reportUnexpected(`removing the empty rotation journal ${id}`, error));
      return;
    }
    const live: Live = { record: loaded.record, journal: null, wholeLength: loaded.wholeLength, lines: loaded.lines, logged: loaded.logged, control: Promise.resolve(), timer: null };
    this.#live.set(id, live);
    try {
      await this.#repairActivity(live, loaded.events);
      if (await this.#archiveIfOld(live)) return;
    } catch (error) {
      // Kept under its own name: the next start tries again.
      this.#live.delete(id);
      await live.journal?.close().catch(() => undefined);
      this.#damaged.push({ rotationId: id, keptAs: `${id}.journal.ndjson`, problem: problemOf(error, 'The rotation’s activity entries or its filing away could not be written.') });
      return;
    }
    this.#enqueue(live, () => this.#resume(live, false)).catch((error: unknown) => this.#options.reportUnexpected(`resuming rotation ${id}`, error));
  }

  damagedJournals(): readonly DamagedRotation[] {
    return this.#damaged;
  }

  /** Resolves once every step under way (a resume at start, a timer's retirement) has ended. */
  async settled(): Promise<void> {
    await Promise.all([...this.#live.values()].map((live) => live.control.catch(() => undefined)));
    await Promise.all([...this.#rereads, this.#archiveRead]);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const live of this.#live.values()) if (live.timer) clearTimeout(live.timer);
    await this.settled();
    for (const live of this.#live.values()) {
      await live.journal?.close();
      live.journal = null;
    }
  }

  // ---------- what the bridge asks ----------

  /** Every unfinished rotation and those finished in the last 30 days, newest first. */
  list(): Rotation[] {
    const since = this.#clock().getTime() - finishedListedMs;
    return [...this.#live.values()]
      .filter(({ record }) => !record.finishedAt || Date.parse(record.finishedAt) >= since)
      .sort((a, b) => b.record.plan.startedAt.localeCompare(a.record.plan.startedAt))
      .map((live) => this.#view(live));
  }

  get(rotationId: string): Rotation {
    return this.#view(this.#find(rotationId));
  }

  /** The rotation under way for a credential, as the old one or as its successor (for the inventory's `rotationId`), or null. */
  activeRotationFor(key: string): string | null {
    for (const live of this.#live.values()) if (concerns(live.record, key) && !finalStates.has(live.record.state)) return live.record.plan.id;
    return null;
  }

  /** Every rotation of a credential, as the old one or as the successor, archived ones included; newest first. */
  rotationsFor(key: string): Rotation[] {
    const live = [...this.#live.values()].filter(({ record }) => concerns(record, key)).map((entry) => this.#view(entry));
    const archived = this.#archived.filter((record) => concerns(record, key) && !this.#live.has(record.plan.id)).map((record) => rotationView(record, false));
    return [...live, ...archived].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** Plans a rotation (nothing is sent), or returns the one under way for that credential. */
  startRotation(key: string): Promise<Rotation> {
    const active = this.activeRotationFor(key);
    if (active) return Promise.resolve(this.get(active));
    // Two clicks at once plan one rotation.
    const starting = this.#starting.get(key) ?? this.#plan(key).finally(() => this.#starting.delete(key));
    this.#starting.set(key, starting);
    return starting;
  }

  advance(rotationId: string, step: RotationAction): Promise<Rotation> {
    const live = this.#find(rotationId);
    return this.#enqueue(live, async () => {
      refuseUnlessAllowed(live.record, step.action);
      await this.#take(live, step);
      return this.#view(live);
    });
  }

  /** The new secret, once: it is forgotten as it is handed over; a second ask is refused. */
  revealSecret(rotationId: string): Promise<OneTimeSecret> {
    const live = this.#find(rotationId);
    return this.#enqueue(live, async () => {
      const secret = this.#secrets.get(rotationId)?.secret;
      if (!secret) {
        const { record } = live;
        const why = record.revealed
          ? 'The new secret was already shown once, and Consentry keeps no copy.'
          : record.state === 'secret_lost'
            ? 'Consentry stopped before the new secret was shown, so nobody holds it.'
            : 'No new secret waits to be shown for this rotation.';
        throw new AppError('secret_unavailable', why, {
          nextStep: record.state === 'secret_lost' ? 'Discard the new credential and create another.' : 'If the secret was not saved, cancel the rotation or discard the new credential and create another.',
        });
      }
      await this.#append(live, { t: 'revealed', at: nowIso(this.#clock) });
      this.#secrets.delete(rotationId);
      this.#publish(live);
      return secret;
    });
  }

  /**
   * Credentials revoked outside the rotations ("Revoke now"). A rotation whose old credential went
   * only reads back that it is gone instead of removing it (and ends at once from its overlap); one
   * whose successor went ends without ever retiring the old credential.
   */
  async credentialsRevoked(keys: readonly string[]): Promise<void> {
    const revoked = new Set(keys);
    const affected = [...this.#live.values()].filter(({ record }) => !finalStates.has(record.state) && keys.some((key) => concerns(record, key)));
    await Promise.all(
      affected.map((live) =>
        this.#enqueue(live, () => this.#afterRevocation(live, revoked)).catch((error: unknown) => this.#options.reportUnexpected(`rotation ${live.record.plan.id} after a revocation`, error)),
      ),
    );
  }

  async #afterRevocation(live: Live, revoked: ReadonlySet<string>): Promise<void> {
    const { record } = live;
    if (finalStates.has(record.state) || record.oldGone) return;
    const successor = successorKey(record);
    if (successor !== null && revoked.has(successor)) {
      const noun = kindNoun(record.plan.kind);
      const disabled = record.stepsDone.disable_old ? ' It may be disabled: enable it again at the provider if something still needs it.' : '';
      this.#secrets.delete(record.plan.id);
      const kept = `The new ${noun} “${credentialLabel(record.created!)}” was revoked, so the rotation ended without removing the old ${noun} “${credentialLabel(record.plan.old)}”.${disabled} Start a new rotation to replace it.`;
      await this.#append(live, { t: 'cancelled', at: nowIso(this.#clock), kept });
      return;
    }
    if (!revoked.has(record.plan.credentialKey)) return;
    await this.#append(live, { t: 'old_revoked', at: nowIso(this.#clock) });
    if (live.record.state === 'overlap') await this.#retire(live, false);
  }

  // ---------- planning ----------

  async #plan(key: string): Promise<Rotation> {
    if (this.#closed) throw new AppError('invalid_request', 'Consentry is closing.');
    const credential = this.#options.inventory.credential(key);
    if (!credential) throw new AppError('not_found', 'That credential is not in the inventory (any more).', { nextStep: 'Read the tenant’s credentials again, then start the rotation from the list.' });
    if (credential.managedBy === 'provider') throw new AppError('not_supported', 'The provider creates and rotates this credential itself.', { nextStep: 'Nothing to do: it is rotated for you.' });
    const id = randomUUID();
    const now = this.#clock();
    const settings = this.#options.settings.get();
    const maxAgeDays = settings.credentialMaxAgeDays[credential.kind] ?? settings.keyAgePolicyDays;
    const displayName = successorName(credential.displayName, credential.kind, id, now);
    const plan: RotationPlan = {
      id,
      credentialKey: key,
      connectionId: credential.connectionId,
      tenantLabel: credential.tenantLabel,
      provider: credential.provider,
      kind: credential.kind,
      ownerName: credential.ownerName,
      old: asReadCredential(credential),
      planned: { displayName, expiresAt: expiringKinds.has(credential.kind) ? new Date(now.getTime() + maxAgeDays * dayMs).toISOString() : null },
      ...this.#methodOf(credential, displayName),
      existingIds: null,
      startedAt: now.toISOString(),
    };
    // The admin creates the successor in the console: what the owner holds now tells the new one apart.
    if (plan.method === 'manual') plan.existingIds = await this.#options.credentials[credential.provider]!.ownerCredentialIds(this.#options.gateway.context(credential.connectionId), plan.old);
    const journal = await this.#journals.open(id, 0);
    try {
      await journal.write({ t: 'planned', at: plan.startedAt, plan });
    } catch (error) {
      await journal.close();
      await this.#journals.removeUnstarted(id);
      throw error;
    }
    const live: Live = { record: planRecord(plan), journal, wholeLength: null, lines: 1, logged: new Set(), control: Promise.resolve(), timer: null };
    this.#live.set(id, live);
    this.#publish(live);
    this.#rotationIdChanged(live);
    return this.#view(live);
  }

  #methodOf(credential: Credential, plannedName: string): Pick<RotationPlan, 'method' | 'disablesOldFirst' | 'needsCertificate' | 'secretFormat' | 'removes' | 'manualSteps'> {
    if (credential.kind === 'connection_client_secret') return { method: 'client_secret', disablesOldFirst: false, needsCertificate: false, secretFormat: 'none', removes: 'api', manualSteps: null };
    const settings = this.#options.gateway.context(credential.connectionId).settings;
    const rotator = this.#options.credentials[credential.provider]?.rotator(credential.kind, settings) ?? null;
    if (!rotator || (rotator.creates === 'api' && !rotator.create)) {
      throw new AppError('not_supported', credential.rotation.note ?? `Consentry cannot rotate this ${kindNoun(credential.kind)} through the provider’s API.`, { nextStep: 'Rotate it in the provider’s admin console.' });
    }
    const manual = rotator.creates === 'manual';
    return {
      method: manual ? 'manual' : 'api',
      disablesOldFirst: rotator.disablesOldFirst,
      needsCertificate: rotator.needsCertificate,
      secretFormat: manual || rotator.needsCertificate ? 'none' : credential.kind === 'service_account_key' ? 'file' : 'text',
      removes: rotator.removes,
      manualSteps: rotator.manualSteps && {
        ...rotator.manualSteps,
        steps: rotator.manualSteps.steps.map((step) => step.replaceAll('{new}', plannedName).replaceAll('{old}', credentialLabel(credential))),
      },
    };
  }

  // ---------- the admin's steps ----------

  async #take(live: Live, step: RotationAction): Promise<void> {
    const { record } = live;
    switch (step.action) {
      case 'create':
        if (record.plan.needsCertificate && !step.certificatePem) throw new AppError('invalid_request', 'Paste the new public certificate (PEM) first.', { fields: [{ field: 'step.certificatePem', message: 'Paste the public certificate (BEGIN CERTIFICATE).' }] });
        return this.#create(live, step.certificatePem ?? null);
      case 'confirm_handover':
        return this.#confirmHandover(live, step.overlapDays);
      case 'confirm_manual_create':
        return this.#confirmManualCreate(live);
      case 'retire_now':
        return this.#retire(live, true);
      case 'discard_and_recreate':
        await this.#discard(live, false);
        if (live.record.state === 'ready') await this.#create(live, live.record.certificatePem);
        return;
      case 'retry':
        await this.#append(live, { t: 'retry', at: nowIso(this.#clock) });
        return this.#resume(live, true);
      case 'cancel':
        return this.#cancel(live);
      case 'submit_client_secret':
        return this.#prove(live, step.clientSecret);
    }
  }

  /** Where a rotation was stopped (by a crash, or by the admin's retry after a failure), it goes on. */
  async #resume(live: Live, byAdmin: boolean): Promise<void> {
    const { record } = live;
    switch (record.state) {
      case 'creating':
        return this.#resumeCreate(live, byAdmin);
      case 'handover':
        return this.#keepSecretReachable(live);
      case 'discarding': {
        const cancelling = record.cancelling;
        await this.#discard(live, cancelling);
        if (byAdmin && !cancelling && live.record.state === 'ready') await this.#create(live, live.record.certificatePem);
        return;
      }
      case 'disabling_old':
        await this.#disableOld(live);
        return this.#settleOverlap(live);
      case 'overlap':
        return this.#settleOverlap(live);
      case 'retiring':
        return this.#retire(live, false);
      case 'proving':
        // The new client secret was only in memory: nobody can prove it again but the admin.
        return this.#fail(live, 'proving', new AppError('secret_unavailable', 'Consentry stopped while it proved the new client secret, and keeps no copy of it.', { nextStep: 'Retry and enter the new client secret again: proving it twice is harmless.' }));
      default:
        return;
    }
  }

  async #create(live: Live, certificatePem: string | null): Promise<void> {
    const { plan } = live.record;
    // What the owner holds just before the create: journalled with the intent, it tells a create in doubt from credentials made by others.
    const existing = await this.#attempt(live, 'creating', () => {
      const { adapter, context } = this.#reach(live.record);
      return adapter.ownerCredentialIds(context, plan.old);
    });
    if (!existing) return;
    await this.#append(live, { t: 'intent', at: nowIso(this.#clock), call: 'create', existingIds: existing.value, ...(certificatePem ? { certificatePem } : {}) });
    const made = await this.#attempt(live, 'creating', () => {
      const { rotator, context } = this.#reach(live.record);
      if (!rotator?.create) throw new AppError('not_supported', `The provider offers no way to create a ${kindNoun(plan.kind)}.`);
      return rotator.create(context, plan.old, { displayName: plan.planned.displayName, expiresAt: plan.planned.expiresAt, ...(certificatePem ? { certificatePem } : {}) });
    });
    if (!made) return;
    await this.#created(live, made.value);
  }

  async #created(live: Live, made: CreatedSuccessor): Promise<void> {
    if (made.secret) this.#secrets.set(live.record.plan.id, { credentialId: made.created.credentialId, secret: made.secret });
    await this.#append(live, { t: 'created', at: nowIso(this.#clock), created: made.created, secret: made.secret !== null });
    this.#changed(live);
  }

  /**
   * A create in doubt: the provider is asked for the successor with what the intent recorded. A
   * lookup that cannot tell (two candidates) fails the rotation: a guessed key is never kept or removed.
   */
  async #resumeCreate(live: Live, createIfMissing: boolean): Promise<void> {
    const { plan, createIntent } = live.record;
    if (!createIntent) {
      // Stopped before the create was sent (reading what the owner holds failed).
      await this.#append(live, { t: 'not_created', at: nowIso(this.#clock) });
      if (createIfMissing) await this.#create(live, live.record.certificatePem);
      return;
    }
    const canFind = Boolean(this.#rotator(live.record)?.findCreated);
    const found = await this.#attempt(live, 'creating', async () => {
      const { rotator, context } = this.#reach(live.record);
      if (!rotator?.findCreated) {
        throw new AppError('not_supported', `Consentry stopped while it created the new ${kindNoun(plan.kind)}, and cannot look it up at the provider.`, {
          nextStep: `Check whether “${plan.planned.displayName}” exists at the provider and remove it if so; then cancel this rotation and start another.`,
        });
      }
      const created = await rotator.findCreated(context, plan.old, createIntent);
      if (!created) return null;
      if (plan.secretFormat === 'none') return { created, secret: null, hasSecret: false };
      // A journal write that failed after the create left its secret in memory.
      const held = this.#secrets.get(plan.id);
      if (held?.credentialId === created.credentialId) return { created, secret: held.secret, hasSecret: true };
      return { created, secret: rotator.rereadSecret ? await rotator.rereadSecret(context, created) : null, hasSecret: true };
    }, canFind);
    if (!found) return;
    const result = found.value;
    const at = nowIso(this.#clock);
    if (!result) {
      await this.#append(live, { t: 'not_created', at });
      if (createIfMissing) await this.#create(live, live.record.certificatePem);
      return;
    }
    if (result.secret || !result.hasSecret) return this.#created(live, { created: result.created, secret: result.secret });
    // Made, but its secret was in the memory of a run that is gone.
    await this.#append(live, { t: 'created', at, created: result.created, secret: true }, { t: 'secret_lost', at });
    this.#changed(live);
  }

  /** At hand-over after a stop the secret is no longer in memory: read again where the provider allows, else nobody holds it. */
  async #keepSecretReachable(live: Live): Promise<void> {
    const { record } = live;
    if (!record.secret || record.revealed || this.#secrets.has(record.plan.id)) return;
    const rotator = this.#rotator(record);
    if (!rotator?.rereadSecret) {
      await this.#append(live, { t: 'secret_lost', at: nowIso(this.#clock) });
      return;
    }
    const secret = await this.#attempt(live, 'handover', () => rotator.rereadSecret!(this.#reach(record).context, record.created!));
    if (!secret) return;
    this.#secrets.set(record.plan.id, { credentialId: record.created!.credentialId, secret: secret.value });
    this.#publish(live);
  }

  async #discard(live: Live, cancelling: boolean): Promise<void> {
    const created = live.record.created;
    await this.#append(live, { t: 'intent', at: nowIso(this.#clock), call: 'discard', cancelling });
    const removed = created ? await this.#attempt(live, 'discarding', () => this.#removeAt(live.record, created)) : { value: 'already_gone' as const };
    if (!removed) return;
    this.#secrets.delete(live.record.plan.id);
    await this.#append(live, { t: 'discarded', at: nowIso(this.#clock), result: removed.value });
    this.#changed(live);
  }

  async #confirmHandover(live: Live, overlapDays: number): Promise<void> {
    const now = this.#clock();
    await this.#append(live, { t: 'handover_confirmed', at: now.toISOString(), overlapUntil: new Date(now.getTime() + overlapDays * dayMs).toISOString() });
    if (live.record.state === 'disabling_old') await this.#disableOld(live);
    await this.#settleOverlap(live);
  }

  async #disableOld(live: Live): Promise<void> {
    const { plan } = live.record;
    await this.#append(live, { t: 'intent', at: nowIso(this.#clock), call: 'disable_old' });
    const disabled = await this.#attempt(live, 'disabling_old', () => {
      const { adapter, context } = this.#reach(live.record);
      if (!adapter.disable) throw new AppError('not_supported', 'The provider offers no way to disable this credential.');
      return adapter.disable(context, plan.old);
    });
    if (!disabled) return;
    await this.#append(live, { t: 'old_disabled', at: nowIso(this.#clock), result: disabled.value });
    this.#changed(live);
  }

  /** In the overlap: the old credential is retired once its time has come, else a timer waits for it. */
  async #settleOverlap(live: Live): Promise<void> {
    const { record } = live;
    if (record.state !== 'overlap' || !record.overlapUntil) return;
    if (live.timer) clearTimeout(live.timer);
    live.timer = null;
    const wait = Date.parse(record.overlapUntil) - this.#clock().getTime();
    // An old credential already gone (revoked meanwhile) leaves nothing to wait for.
    if (wait <= 0 || record.oldGone) return this.#retire(live, false);
    if (this.#closed) return;
    live.timer = setTimeout(() => {
      live.timer = null;
      this.#enqueue(live, () => this.#settleOverlap(live)).catch((error: unknown) => this.#options.reportUnexpected(`ending the overlap of rotation ${record.plan.id}`, error));
    }, Math.min(wait, longestTimerMs));
    live.timer.unref();
  }

  async #retire(live: Live, early: boolean): Promise<void> {
    if (live.timer) clearTimeout(live.timer);
    live.timer = null;
    const { plan } = live.record;
    // Where the admin deletes the old credential, Consentry only reads back that it is gone.
    if (plan.removes === 'api' && !live.record.oldGone) {
      if (!(await this.#successorStillThere(live))) return;
      await this.#append(live, { t: 'intent', at: nowIso(this.#clock), call: 'retire' });
      const removed = await this.#attempt(live, 'retiring', () => this.#removeAt(live.record, plan.old));
      if (!removed) return;
      await this.#append(live, { t: 'retired', at: nowIso(this.#clock), result: removed.value, early });
      this.#changed(live);
    }
    const created = live.record.created;
    const readBack = await this.#attempt(live, 'retiring', async () => {
      const { adapter, context } = this.#reach(live.record);
      if (await adapter.readOne(context, plan.old)) throw oldStillListed(plan);
      if (created && !(await adapter.readOne(context, created))) {
        throw new AppError('not_found', `Read back: the provider no longer lists the new ${kindNoun(plan.kind)} “${credentialLabel(created)}”.`, { nextStep: 'Check what uses it at the provider, then start a new rotation if it is gone.' });
      }
    });
    if (!readBack) return;
    await this.#append(live, { t: 'verified', at: nowIso(this.#clock) });
    // The admin changed the tenant's credentials in the console: the inventory reads them again.
    if (plan.removes === 'manual') this.#changed(live);
  }

  /**
   * Read just before the old credential is removed: a successor revoked or deleted in the console
   * since the hand-over stops the rotation where it was, with the old one in place.
   */
  async #successorStillThere(live: Live): Promise<boolean> {
    const { plan, created } = live.record;
    if (!created) return true;
    // Back to where the admin can act: the overlap, or the console step of a manual create.
    const at = plan.method === 'manual' ? 'awaiting_manual_create' : 'overlap';
    const read = await this.#attempt(live, at, () => {
      const { adapter, context } = this.#reach(live.record);
      return adapter.readOne(context, created);
    });
    if (!read) return false;
    if (read.value) return true;
    const noun = kindNoun(plan.kind);
    const disabled = live.record.stepsDone.disable_old ? ` The old ${noun} is disabled: enable it again at the provider if something still needs it.` : '';
    const failure: RotationFailure = {
      at,
      code: 'not_found',
      message: `Before removing the old ${noun}, Consentry read the new one “${credentialLabel(created)}” back: the provider no longer has it (revoked, or deleted in its console). Nothing was removed.`,
      nextStep:
        plan.method === 'manual'
          ? `Create a new ${noun} in ${plan.manualSteps?.where ?? 'the provider’s console'} and Retry, or cancel: the old one “${credentialLabel(plan.old)}” still works.${disabled}`
          : `Cancel this rotation and start a new one: the old ${noun} “${credentialLabel(plan.old)}” is kept.${disabled}`,
      retryable: plan.method === 'manual',
    };
    await this.#append(live, { t: 'failed', at: nowIso(this.#clock), failure, successorGone: true });
    return false;
  }

  /**
   * The admin says the new token exists: it is looked for among the owner's credentials that were
   * not there when the rotation was planned, and recorded before the old one is revoked or read back.
   */
  async #confirmManualCreate(live: Live): Promise<void> {
    const { plan } = live.record;
    const { rotator, context } = this.#reach(live.record);
    if (!rotator?.findCreated) throw new AppError('not_supported', `The provider offers no way to find the new ${kindNoun(plan.kind)}.`, { nextStep: 'Cancel this rotation and finish the change in the provider’s console.' });
    // A plan journalled before the owner's credentials were kept with it: anything made since it was planned counts.
    const created = await rotator.findCreated(context, plan.old, { displayName: plan.planned.displayName, sentAt: plan.startedAt, existingIds: plan.existingIds ?? [] });
    if (!created) {
      throw new AppError('rotation_step_refused', `No new ${kindNoun(plan.kind)} of ${plan.ownerName} was found: create it first.`, {
        nextStep: `Create it in ${plan.manualSteps?.where ?? 'the provider’s console'} as the steps say, then confirm again.`,
      });
    }
    await this.#append(live, { t: 'manual_created', at: nowIso(this.#clock), created });
    await this.#retire(live, false);
  }

  async #prove(live: Live, clientSecret: string): Promise<void> {
    await this.#append(live, { t: 'intent', at: nowIso(this.#clock), call: 'prove' });
    const proved = await this.#attempt(live, 'proving', () => this.#options.connections.replaceClientSecret(live.record.plan.connectionId, clientSecret));
    if (!proved) return;
    await this.#append(live, { t: 'proved', at: nowIso(this.#clock) });
    this.#changed(live);
  }

  /**
   * Cancel, before the old credential's removal: a successor nobody confirmed or saw is removed;
   * one the admin saw or handed over is kept, and the entry says so.
   */
  async #cancel(live: Live): Promise<void> {
    const { record } = live;
    if (record.state === 'failed' && record.failure?.at === 'creating' && !record.created) {
      const check = `Check whether “${record.plan.planned.displayName}” was made at the provider and remove it if so.`;
      // The failed create may have made it after all.
      if (this.#rotator(record)?.findCreated) {
        await this.#append(live, { t: 'retry', at: nowIso(this.#clock) });
        await this.#resumeCreate(live, false);
        // The lookup could not tell (or failed): nothing is removed on a guess.
        if (live.record.state === 'failed') return this.#append(live, { t: 'cancelled', at: nowIso(this.#clock), kept: `${check} Consentry could not tell: ${live.record.failure?.message ?? ''}` });
        return this.#cancel(live);
      }
      return this.#append(live, { t: 'cancelled', at: nowIso(this.#clock), kept: check });
    }
    const created = record.created;
    const handedOver = Boolean(record.stepsDone.handover);
    // Only a successor Consentry made, nobody saw and nobody took into use is removed.
    if (created && record.plan.method === 'api' && !handedOver && !record.revealed) return this.#discard(live, true);
    this.#secrets.delete(record.plan.id);
    await this.#append(live, { t: 'cancelled', at: nowIso(this.#clock), kept: keptOnCancel(record) });
  }

  // ---------- calls, journal and activity ----------

  /** The kind's rotator; null when the provider or the connection is gone (the step's call then fails, saying which). */
  #rotator(record: RotationRecord): CredentialRotator | null {
    try {
      return this.#reach(record).rotator;
    } catch (error) {
      if (error instanceof AppError) return null;
      throw error;
    }
  }

  /** The provider's adapter and the connection's call context; throws (as a step's failure) when either is missing. */
  #reach(record: RotationRecord): { adapter: ProviderCredentials; rotator: CredentialRotator | null; context: ProviderCallContext } {
    const adapter = this.#options.credentials[record.plan.provider];
    if (!adapter) throw new AppError('not_supported', 'This provider offers no API for its credentials.');
    const context = this.#options.gateway.context(record.plan.connectionId);
    return { adapter, rotator: adapter.rotator(record.plan.kind, context.settings), context };
  }

  #removeAt(record: RotationRecord, credential: ReadCredential): Promise<'removed' | 'already_gone'> {
    const { adapter, context } = this.#reach(record);
    return adapter.remove(context, credential);
  }

  /**
   * Makes a call; its failure is written as the rotation's (stopped at `at`, the credentials in
   * place still working) and null returned. A journal that cannot be written is not a provider
   * failure: that throws to the admin.
   */
  async #attempt<T>(live: Live, at: RotationState, work: () => Promise<T>, retryable = true): Promise<{ value: T } | null> {
    try {
      return { value: await work() };
    } catch (error) {
      await this.#fail(live, at, error, retryable);
      return null;
    }
  }

  async #fail(live: Live, at: RotationState, error: unknown, retryable = true): Promise<void> {
    const known = error instanceof AppError ? error : null;
    if (!known) this.#options.reportUnexpected(`rotation ${live.record.plan.id} at ${at}`, error);
    const failure: RotationFailure = {
      at,
      code: known?.code ?? 'provider_error',
      message: `${failureWords(at, kindNoun(live.record.plan.kind), live.record.plan.removes)} ${known?.message ?? 'The provider call failed unexpectedly.'}`,
      nextStep: known?.nextStep ?? (retryable ? 'Retry, or cancel the rotation.' : 'Cancel the rotation.'),
      retryable,
    };
    await this.#append(live, { t: 'failed', at: nowIso(this.#clock), failure });
  }

  /** Writes events (flushed before this resolves), applies them, records their activity entries and publishes the rotation. */
  async #append(live: Live, ...events: RotationEvent[]): Promise<void> {
    const journal = await this.#journalOf(live);
    await journal.write(...events);
    const firstLine = live.lines + 1;
    live.lines += events.length;
    const toLog: { line: number; entry: Omit<ActivityRecord, 'target'> }[] = [];
    events.forEach((event, n) => {
      live.record = applyEvent(live.record, event);
      const entry = activityOf(live.record.plan, live.record, event);
      if (entry) toLog.push({ line: firstLine + n, entry });
    });
    for (const { line, entry } of toLog) await this.#log(live, line, entry);
    this.#publish(live);
    if (finalStates.has(live.record.state)) {
      if (live.timer) clearTimeout(live.timer);
      live.timer = null;
      await journal.close();
      live.journal = null;
      this.#rotationIdChanged(live);
    }
  }

  /** The rotation's journal, opened again when closed; the first reopening after start cuts off a torn last line. */
  async #journalOf(live: Live): Promise<RotationJournal> {
    if (live.journal) return live.journal;
    live.journal = await this.#journals.open(live.record.plan.id, live.wholeLength);
    live.wholeLength = null;
    return live.journal;
  }

  async #log(live: Live, line: number, entry: Omit<ActivityRecord, 'target'>): Promise<void> {
    const { plan } = live.record;
    try {
      await this.#options.activity.record({ ...entry, target: activityTarget(plan), detail: `${entry.detail ?? ''} ${entryRef(plan.id, line)}` });
      await this.#markLogged(live, line);
    } catch (error) {
      // Written at the next start, found missing by its reference.
      this.#options.reportUnexpected(`recording rotation ${plan.id} in the activity log`, error);
    }
  }

  async #markLogged(live: Live, line: number): Promise<void> {
    await (await this.#journalOf(live)).write({ t: 'logged', line });
    live.lines += 1;
    live.logged.add(line);
  }

  /** After a stop: each event whose activity entry is not marked written gets it, unless the log already has it. */
  async #repairActivity(live: Live, events: readonly RotationEvent[]): Promise<void> {
    const missing: { line: number; entry: Omit<ActivityRecord, 'target'> }[] = [];
    // The entries are built from the rotation as it stood after each event.
    let replayed: RotationRecord | null = null;
    events.forEach((event, n) => {
      if (event.t === 'planned') {
        replayed = planRecord(event.plan);
        return;
      }
      if (!replayed) return;
      replayed = applyEvent(replayed, event);
      const entry = activityOf(replayed.plan, replayed, event);
      if (entry && !live.logged.has(n + 1)) missing.push({ line: n + 1, entry });
    });
    for (const { line, entry } of missing) {
      const found = await this.#options.activity.list({ text: entryRef(live.record.plan.id, line) }, 0, 1);
      if (found.total > 0) await this.#markLogged(live, line);
      else await this.#log(live, line, entry);
    }
    if (missing.length > 0 && finalStates.has(live.record.state)) {
      await live.journal?.close();
      live.journal = null;
    }
  }

  async #archiveIfOld(live: Live): Promise<boolean> {
    const { finishedAt, plan } = live.record;
    if (!finishedAt || this.#clock().getTime() - Date.parse(finishedAt) <= finishedListedMs) return false;
    await this.#journals.archive(plan.id);
    this.#live.delete(plan.id);
    return true;
  }

  /** A call changed the tenant's credentials: the inventory reads the connection again (and says the credentials changed). */
  #changed(live: Live): void {
    const { connectionId } = live.record.plan;
    const reread = this.#options.inventory
      .reread(connectionId)
      .catch((error: unknown) => this.#options.reportUnexpected(`reading the credentials of ${connectionId} after a rotation step`, error))
      .finally(() => this.#rereads.delete(reread));
    this.#rereads.add(reread);
  }

  #publish(live: Live): void {
    this.#options.events.publish('credentials.rotationChanged', this.#view(live));
  }

  /** The credential's `rotationId` changed (a rotation planned or ended) though the tenant may not have. */
  #rotationIdChanged(live: Live): void {
    this.#options.events.publish('credentials.changed', { connectionId: live.record.plan.connectionId });
  }

  #view(live: Live): Rotation {
    return rotationView(live.record, this.#secrets.has(live.record.plan.id));
  }

  #find(rotationId: string): Live {
    const live = this.#live.get(rotationId);
    if (!live) throw new AppError('not_found', 'That rotation is not listed (any more).', { nextStep: 'Open the credential and start its rotation again.' });
    return live;
  }

  #enqueue<T>(live: Live, work: () => Promise<T>): Promise<T> {
    const guarded = () => work().catch((error: unknown) => this.#stalled(live, error));
    const run = live.control.then(guarded, guarded);
    live.control = run.catch(() => undefined);
    return run;
  }

  /**
   * A step ended by an error with the rotation still in a working state: its outcome could not be
   * written (a full disk), and no call is under way any more. Shown as failed there — in memory
   * only, the journal being unwritable — so `retry` resumes that step (a create in doubt is looked
   * up, a removal sent again) instead of the rotation waiting with nothing allowed until a restart.
   */
  #stalled(live: Live, error: unknown): never {
    const { record } = live;
    if (workingStates.has(record.state)) {
      const known = error instanceof AppError ? error : null;
      if (!known) this.#options.reportUnexpected(`rotation ${record.plan.id} at ${record.state}`, error);
      const failure: RotationFailure = {
        at: record.state,
        code: known?.code ?? 'storage_unavailable',
        message: `${failureWords(record.state, kindNoun(record.plan.kind), record.plan.removes)} ${known?.message ?? 'Consentry could not record the step’s outcome.'}`,
        nextStep: `${known?.nextStep ?? 'Check the Consentry data folder.'} Then Retry: Consentry finds out what the interrupted step did before it goes on.`,
        retryable: true,
      };
      live.record = { ...record, state: 'failed', failure };
      this.#publish(live);
    }
    throw error;
  }
}
