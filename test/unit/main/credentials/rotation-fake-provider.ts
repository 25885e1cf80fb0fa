/**
 * An in-memory provider for the rotation runner's unit tests: it keeps credentials per owner,
 * records every call with its effect, can refuse a call once, and can hang a call before it takes
 * effect (a stop while the call was on its way). Secrets it hands out start with `SECRET-`, so a
 * test can look for them on disk.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ActivityLog } from '../../../../src-main/activity/activity-log';
import { ActivityService } from '../../../../src-main/activity/activity-service';
import type { CreatedSuccessor, CreateIntent, CredentialRotator, ProviderCredentials, ReadCredential } from '../../../../src-main/credentials/credentials-port';
import { RotationRunner } from '../../../../src-main/credentials/rotation-runner';
import { AppError } from '../../../../src-main/errors/app-error';
import { EventHub } from '../../../../src-main/events/event-hub';
import type { JournalFiles } from '../../../../src-main/jobs/job-journal';
import type { ProviderCallContext } from '../../../../src-main/net/provider-call-context';
import type { ConnectionSettings } from '../../../../src-shared/contract/connections';
import type { Credential, CredentialKind, OneTimeSecret, Rotation, RotationAction } from '../../../../src-shared/contract/credentials';
import type { ProviderId } from '../../../../src-shared/domain/ids';

export const ownerId = 'app-payroll';

/** Kinds the admin creates in a console: Okta's (Consentry revokes the old one) and Zendesk's (the admin deletes it too). */
const byHand = new Set<CredentialKind>(['okta_api_token', 'zendesk_api_token']);
const providers: Partial<Record<CredentialKind, ProviderId>> = { okta_api_token: 'okta', zendesk_api_token: 'zendesk', service_account_key: 'google', api_key: 'google' };
/** The connection the runner's gateway gives: the console URLs of the manual steps come from it. */
export const connectionSettings: ConnectionSettings = { orgUrl: 'https://acme.okta.com', subdomain: 'acme' };

export function oldCredential(kind: CredentialKind): ReadCredential {
  return {
    kind,
    ownerKind: 'application',
    ownerId,
    ownerName: 'Payroll Sync',
    credentialId: 'old-1',
    displayName: 'Payroll secret',
    hint: 'abc',
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: '2026-12-24T00:00:00.000Z',
    lastUsedAt: null,
    lastUseKnown: false,
    lastUsedNote: null,
    restrictions: kind === 'api_key' ? ['servicecontrol.googleapis.com'] : null,
    disabled: false,
    managedBy: 'admin',
    rotation: { mode: byHand.has(kind) ? 'guided' : 'api', note: null },
    revocable: true,
  };
}

export const credentialKey = (kind: CredentialKind) => `conn-1|${kind}|${ownerId}|old-1`;

export function inventoryRow(kind: CredentialKind): Credential {
  return { ...oldCredential(kind), key: credentialKey(kind), connectionId: 'conn-1', tenantLabel: 'Acme', provider: providers[kind] ?? 'microsoft', status: 'expiring', findings: [], readAt: '2026-12-14T00:00:00.000Z', rotationId: null };
}

export const certificatePem = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----';

/** The provider calls that change something, counted for `hangAtCall`. */
type Changing = 'create' | 'remove' | 'disable';

export class FakeProvider implements ProviderCredentials {
  readonly kind: CredentialKind;
  readonly store = new Map<string, ReadCredential>();
  readonly disabled = new Set<string>();
  /** Every call that took effect, in order: `create new-1`, `remove old-1`, `disable old-1`, `already_gone old-1`. */
  readonly effects: string[] = [];
  /** Refused once each, in order, when they come. */
  readonly refusals = new Map<Changing, AppError>();
  /** The n-th changing call (1-based) hangs before it takes effect. */
  hangAtCall: number | null = null;
  /** Called before the old credential is removed, with the rotation's journal on disk then. */
  beforeRemoveOld: (() => void) | null = null;
  /** The provider's clock: when the credentials it makes were created. */
  clock: () => Date = () => new Date();
  /** Every `ownerCredentialIds` answer, in order. */
  readonly ownerReads: string[][] = [];
  readonly #secrets = new Map<string, string>();
  #calls = 0;
  #made = 0;

  /** Changing calls made so far (refused and hung ones included). */
  get calls(): number {
    return this.#calls;
  }

  #hung!: () => void;
  readonly hung = new Promise<void>((resolve) => (this.#hung = resolve));

  constructor(kind: CredentialKind) {
    this.kind = kind;
    this.store.set('old-1', oldCredential(kind));
  }

  /** Credentials of the owner that a rotation made (or the admin made, for API tokens). */
  successors(): ReadCredential[] {
    return [...this.store.values()].filter((credential) => credential.credentialId !== 'old-1');
  }

  /** The admin (or someone else) creates a credential of the owner in the provider's console. */
  createByHand(displayName = 'Made by hand'): string {
    const id = `new-${++this.#made}`;
    this.store.set(id, { ...oldCredential(this.kind), credentialId: id, displayName, createdAt: this.clock().toISOString() });
    return id;
  }

  /**
   * As the port asks: by display name where the kind has one the rotation chose; otherwise (service
   * account keys, tokens the admin named) the one credential absent from `existingIds` and made at or
   * after `sentAt`, more than one refused as ambiguous.
   */
  #findCreated(old: ReadCredential, intent: CreateIntent): ReadCredential | null {
    const owners = [...this.store.values()].filter((credential) => credential.ownerId === old.ownerId);
    if (this.kind !== 'service_account_key') {
      const named = owners.find((credential) => credential.displayName === intent.displayName);
      if (named || !byHand.has(this.kind)) return named ?? null;
    }
    const fresh = owners.filter((credential) => !intent.existingIds.includes(credential.credentialId) && (credential.createdAt ?? '') >= intent.sentAt);
    if (fresh.length > 1) throw new AppError('provider_error', `${fresh.length} credentials of Payroll Sync were made since ${intent.sentAt}: Consentry cannot tell which one is the rotation’s.`, { nextStep: 'Remove the one that is not in use at the provider, then Retry.' });
    return fresh[0] ?? null;
  }

  /** The admin deletes the old token in the provider's console. */
  deleteOldByHand(): void {
    this.store.delete('old-1');
    this.effects.push('deleted by hand old-1');
  }

  async #changing(call: Changing): Promise<void> {
    this.#calls += 1;
    const refusal = this.refusals.get(call);
    if (refusal) {
      this.refusals.delete(call);
      throw refusal;
    }
    if (this.hangAtCall === this.#calls) {
      this.#hung();
      await new Promise(() => undefined);
    }
  }

  #secretOf(created: ReadCredential): OneTimeSecret | null {
    const value = this.#secrets.get(created.credentialId);
    if (!value) return null;
    return this.kind === 'service_account_key' ? { format: 'file', label: 'Key file', fileName: `${created.credentialId}.json`, mimeType: 'application/json', content: value } : { format: 'text', label: 'Secret', value };
  }

  rotator(kind: CredentialKind, settings: ConnectionSettings = {}): CredentialRotator | null {
    if (kind === 'connection_client_secret') return null;
    if (kind === 'okta_api_token') {
      const steps = ['Choose Create token and name it “{new}”.', 'Copy it into what uses “{old}”.'];
      return {
        creates: 'manual',
        removes: 'api',
        disablesOldFirst: false,
        needsCertificate: false,
        manualSteps: { where: 'Admin Console › Security › API › Tokens', steps, url: settings.orgUrl ? `${settings.orgUrl}/admin/access/api/tokens` : null },
        findCreated: async (_context, old, intent) => this.#findCreated(old, intent),
      };
    }
    if (kind === 'zendesk_api_token') {
      const steps = ['Add an API token described “{new}”.', 'Delete the old token “{old}”.'];
      return {
        creates: 'manual',
        removes: 'manual',
        disablesOldFirst: false,
        needsCertificate: false,
        manualSteps: { where: 'Admin Center › APIs › API tokens', steps, url: settings.subdomain ? `https://${settings.subdomain}.zendesk.com/admin/apps-integrations/apis/api-tokens` : null },
        findCreated: async (_context, old, intent) => this.#findCreated(old, intent),
      };
    }
    const needsCertificate = kind === 'app_certificate';
    return {
      creates: 'api',
      removes: 'api',
      disablesOldFirst: kind === 'service_account_key',
      needsCertificate,
      manualSteps: null,
      create: async (_context, old, request): Promise<CreatedSuccessor> => {
        await this.#changing('create');
        const id = `new-${++this.#made}`;
        const created: ReadCredential = { ...old, credentialId: id, displayName: request.displayName, createdAt: this.clock().toISOString(), expiresAt: request.expiresAt, hint: id.slice(-2) };
        this.store.set(id, created);
        this.effects.push(`create ${id}`);
        if (!needsCertificate) this.#secrets.set(id, `SECRET-${id}-${Math.random().toString(36).slice(2)}`);
        return { created, secret: this.#secretOf(created) };
      },
      findCreated: async (_context, old, intent) => this.#findCreated(old, intent),
      ...(kind === 'api_key' ? { rereadSecret: async (_context: ProviderCallContext, created: ReadCredential) => this.#secretOf(created)! } : {}),
    };
  }

  async read(): Promise<{ credentials: ReadCredential[]; problems: [] }> {
    return { credentials: [...this.store.values()], problems: [] };
  }

  async readOne(_context: ProviderCallContext, credential: ReadCredential): Promise<ReadCredential | null> {
    return this.store.get(credential.credentialId) ?? null;
  }

  async ownerCredentialIds(_context: ProviderCallContext, old: ReadCredential): Promise<string[]> {
    const ids = [...this.store.values()].filter((credential) => credential.ownerId === old.ownerId).map((credential) => credential.credentialId);
    this.ownerReads.push(ids);
    return ids;
  }

  async disable(_context: ProviderCallContext, credential: ReadCredential): Promise<'disabled' | 'already_disabled' | 'already_gone'> {
    await this.#changing('disable');
    if (!this.store.has(credential.credentialId)) return 'already_gone';
    if (this.disabled.has(credential.credentialId)) return 'already_disabled';
    this.disabled.add(credential.credentialId);
    this.effects.push(`disable ${credential.credentialId}`);
    return 'disabled';
  }

  async remove(_context: ProviderCallContext, credential: ReadCredential): Promise<'removed' | 'already_gone'> {
    await this.#changing('remove');
    if (!this.store.has(credential.credentialId)) {
      this.effects.push(`already_gone ${credential.credentialId}`);
      return 'already_gone';
    }
    if (credential.credentialId === 'old-1') this.beforeRemoveOld?.();
    this.store.delete(credential.credentialId);
    this.effects.push(`remove ${credential.credentialId}`);
    return 'removed';
  }
}

/** Journal writes that hang before the n-th append lands on disk: the process stopped there. */
export function hangingFiles(hangAtAppend: number | null) {
  let appends = 0;
  let markHung!: () => void;
  const hung = new Promise<void>((resolve) => (markHung = resolve));
  const files: JournalFiles = {
    append: async (handle, text) => {
      appends += 1;
      if (appends === hangAtAppend) {
        markHung();
        await new Promise(() => undefined);
      }
      await handle.appendFile(text);
    },
  };
  return { files, hung, appends: () => appends };
}

export interface RunnerWorld {
  runner: RotationRunner;
  activity: ActivityService;
  events: EventHub;
  published: { event: string; payload: unknown }[];
  rereads: string[];
  replaced: string[];
  /** What the runner reported as unexpected: a test expects none. */
  unexpected: string[];
}

/** A runner on `directory` with the fake provider; `activity` is shared across restarts (what was written stays). */
export async function openRunner(
  directory: string,
  provider: FakeProvider,
  options: { files?: JournalFiles; activity?: ActivityService; clock?: () => Date; replaceClientSecret?: (secret: string) => Promise<void>; inventory?: Credential[] } = {},
): Promise<RunnerWorld> {
  const events = new EventHub();
  const published: RunnerWorld['published'] = [];
  events.subscribe((event, payload) => published.push({ event, payload }));
  const activity = options.activity ?? new ActivityService(await ActivityLog.open(join(directory, 'activity')), events);
  const rereads: string[] = [];
  const replaced: string[] = [];
  const unexpected: string[] = [];
  const rows = options.inventory ?? [inventoryRow(provider.kind)];
  const runner = new RotationRunner({
    directory: join(directory, 'rotations'),
    inventory: { credential: (key) => rows.find((row) => row.key === key) ?? null, reread: async (connectionId) => void rereads.push(connectionId) },
    credentials: { microsoft: provider, google: provider, okta: provider, zendesk: provider },
    gateway: { context: () => ({ settings: connectionSettings }) as ProviderCallContext },
    connections: {
      replaceClientSecret: async (_connectionId, secret) => {
        await options.replaceClientSecret?.(secret);
        replaced.push(secret);
      },
    },
    settings: { get: () => ({ credentialMaxAgeDays: { app_secret: 180 }, keyAgePolicyDays: 90 }) },
    activity,
    events,
    reportUnexpected: (context, error) => void unexpected.push(`${context}: ${String(error)}`),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.files ? { files: options.files } : {}),
  });
  await runner.start();
  return { runner, activity, events, published, rereads, replaced, unexpected };
}

/**
 * What a careful admin does next in the wizard; null once the rotation is done. Without a fake
 * provider (a real tenant) there is no console step to take by hand.
 */
export function nextAction(rotation: Rotation, provider?: FakeProvider): RotationAction | 'reveal' | null {
  switch (rotation.state) {
    case 'done':
      return null;
    case 'ready':
      return provider?.kind === 'app_certificate' ? { action: 'create', certificatePem } : { action: 'create' };
    case 'awaiting_manual_create':
      if (!provider) throw new Error('The rotation waits for a console step no test can take here.');
      if (provider.successors().length === 0) provider.createByHand();
      if (rotation.kind === 'zendesk_api_token' && provider.store.has('old-1')) provider.deleteOldByHand();
      return { action: 'confirm_manual_create' };
    case 'handover':
      return rotation.secretWaiting ? 'reveal' : { action: 'confirm_handover', overlapDays: 0 };
    case 'secret_lost':
      return { action: 'discard_and_recreate' };
    case 'overlap':
      return { action: 'retire_now' };
    case 'failed':
      return { action: 'retry' };
    default:
      throw new Error(`The rotation is stuck in ${rotation.state}.`);
  }
}

/** Takes the admin's steps until the rotation is done; the secrets shown are collected. */
export async function driveToDone(world: RunnerWorld, provider: FakeProvider, shown: string[] = []): Promise<Rotation> {
  const key = credentialKey(provider.kind);
  // After a stop the rotation may have ended already: the old credential is then gone from the tenant.
  let rotation = world.runner.rotationsFor(key)[0] ?? (await world.runner.startRotation(key));
  for (let steps = 0; steps < 30; steps += 1) {
    await world.runner.settled();
    rotation = world.runner.get(rotation.id);
    const next = nextAction(rotation, provider);
    if (next === null) return rotation;
    if (next === 'reveal') {
      const secret = await world.runner.revealSecret(rotation.id);
      shown.push(secret.format === 'text' ? secret.value : secret.content);
    } else {
      await world.runner.advance(rotation.id, next);
    }
  }
  throw new Error(`The rotation did not end: ${rotation.state}.`);
}

/** The records of a rotation's journal, activity marks left out: `planned`, `intent create`, `created`, … */
export async function journalTypes(directory: string, rotationId: string): Promise<string[]> {
  const text = await readFile(join(directory, 'rotations', `${rotationId}.journal.ndjson`), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { t: string; call?: string })
    .filter((record) => record.t !== 'logged')
    .map((record) => (record.t === 'intent' ? `intent ${record.call}` : record.t));
}
