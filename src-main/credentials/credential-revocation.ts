/**
 * "Revoke now" for compromised credentials: a plan that says what each revocation does and what
 * stops working, refuses what cannot be revoked through an API (with why), and asks the admin to
 * type the credential's name (or `revoke N credentials`); then a job on the kernel, one item per
 * credential, each read back after. Service-account keys are disabled first, so a key is stopped
 * even when its delete is refused. Payloads hold the credential's metadata, never a secret.
 */
import type { ParsedRequestOf } from '../../src-shared/contract/channels';
import type { ConnectionView } from '../../src-shared/contract/connections';
import type { Credential, RevokePlan, RevokeReport } from '../../src-shared/contract/credentials';
import type { JobSummary } from '../../src-shared/contract/jobs';
import type { ProviderId } from '../../src-shared/domain/ids';
import { holdsCapability, missingCapabilityScopes } from '../connections/connection-views';
import type { TenantGateway } from '../connections/tenant-gateway';
import { AppError } from '../errors/app-error';
import type { JobKernel } from '../jobs/job-kernel';
import type { JobItem, JobItemOutcome, JobKind } from '../jobs/job-model';
import { PlanStore } from '../jobs/plan-store';
import { asReadCredential, credentialLabel, withoutReference, withReference } from './credential-key';
import type { ProviderCredentials, ReadCredential } from './credentials-port';

export const credentialRevokeJobKind = 'credentials.revoke';

const planLifetimeMs = 15 * 60_000;
/** Credentials revoked at once; the tenant's scheduler still paces the calls. */
const revokeConcurrency = 4;

export interface RevokePayload {
  connectionId: string;
  provider: ProviderId;
  /** Disable before deleting (service-account keys): the key stops working even if the delete is refused. */
  disableFirst: boolean;
  credential: ReadCredential;
}

interface PlannedItem {
  key: string;
  label: string;
  tenantLabel: string;
  payload: RevokePayload;
}

export interface CredentialRevocationOptions {
  adapters: Partial<Record<ProviderId, ProviderCredentials>>;
  /** The credential as the inventory last read it. */
  credential(key: string): Credential | null;
  connections: { view(id: string): ConnectionView };
  gateway: Pick<TenantGateway, 'context'>;
  jobs: JobKernel;
  /** Reads the touched connections again once the job has stopped. */
  reread(connectionIds: readonly string[]): Promise<void>;
  /** Told, once the job has stopped, the keys of the credentials it revoked (the rotation runner stops their rotations). */
  revoked(keys: string[]): Promise<void> | void;
  reportUnexpected: (context: string, error: unknown) => void;
  clock?: () => Date;
}

/** What stops working when the credential is gone, in the admin's words; a rotation under way is stopped too. */
function whatBreaks(credential: Credential): string {
  const breaks = whatStopsWorking(credential);
  if (!credential.rotationId) return breaks;
  return `${breaks} Its rotation under way (r:${credential.rotationId.replaceAll('-', '').slice(0, 8)}) is stopped.`;
}

function whatStopsWorking(credential: Credential): string {
  if (credential.disabled) return 'It is disabled already, so nothing that works now stops working.';
  if (credential.status === 'expired') return 'It has expired already, so nothing that works now stops working.';
  const owner = credential.ownerName;
  switch (credential.kind) {
    case 'app_secret':
    case 'sp_secret':
      return `Anything signing in as ${owner} with this secret fails at once; its other secrets and certificates keep working.`;
    case 'app_certificate':
    case 'sp_certificate':
      return `Anything signing in as ${owner} with this certificate, or checking ${owner}’s signatures (SAML sign-ins) with it, fails at once.`;
    case 'service_account_key':
      return `Anything authenticating as ${owner} with this key file fails at once; the account’s other keys keep working.`;
    case 'api_key':
      return `Every app, site or script calling Google APIs with the key “${credentialLabel(credential)}” is refused at once.`;
    case 'okta_api_token':
      return `Scripts and integrations calling Okta with this API token (created by ${owner}) are refused at once.`;
    case 'zendesk_api_token':
      return `Integrations calling Zendesk with this API token are refused at once.`;
    case 'connection_client_secret':
      return `${owner} can no longer renew its access in Consentry.`;
  }
}

function actionWords(credential: Credential, disableFirst: boolean): string {
  if (disableFirst) return 'Disables, then deletes the key';
  switch (credential.kind) {
    case 'app_secret':
    case 'sp_secret':
      return 'Deletes the secret';
    case 'app_certificate':
    case 'sp_certificate':
      return 'Removes the certificate';
    case 'okta_api_token':
    case 'zendesk_api_token':
      return 'Revokes the token';
    default:
      return 'Deletes the key';
  }
}

/** Why this credential cannot be revoked from Consentry; null when it can. */
function refusal(credential: Credential, adapter: ProviderCredentials | undefined, view: ConnectionView): string | null {
  if (credential.kind === 'connection_client_secret') {
    return `Consentry’s own client secret is deleted where the client was registered (${view.providerLabel}’s console); Consentry has no API for it. Disconnect ${view.label} to stop using it, or rotate it.`;
  }
  if (credential.managedBy === 'provider') return 'The provider creates, rotates and removes this key itself; it cannot be revoked.';
  if (!adapter || !credential.revocable) return credential.rotation.note ?? `${view.providerLabel} offers no API that revokes it; revoke it in its admin console.`;
  if (!holdsCapability(view, 'credentials')) {
    const missing = missingCapabilityScopes(view, 'credentials');
    return `Revoking needs “Rotate keys and secrets” allowed on ${view.label}${missing.length ? ` (${missing.join(', ')})` : ''}: allow it from this dialog or the connection's drawer on the Connections page, then plan again.`;
  }
  return null;
}

function doneOutcome(code: 'removed' | 'already_gone', message: string, verified: boolean, key: string): JobItemOutcome {
  return { result: 'succeeded', code, verified, message: withReference(message, key), errorCode: null };
}

export class CredentialRevocation {
  readonly #options: CredentialRevocationOptions;
  readonly #plans: PlanStore<PlannedItem[]>;

  constructor(options: CredentialRevocationOptions) {
    this.#options = options;
    this.#plans = new PlanStore({ lifetimeMs: planLifetimeMs, ...(options.clock ? { clock: options.clock } : {}) });
    options.jobs.register<RevokePayload>(this.#jobKind());
  }

  plan({ keys }: ParsedRequestOf<'credentials.planRevoke'>): RevokePlan {
    const items: PlannedItem[] = [];
    const shown: RevokePlan['items'] = [];
    const refused: RevokePlan['refused'] = [];
    for (const key of new Set(keys)) {
      const credential = this.#options.credential(key);
      if (!credential) {
        refused.push({ key, label: key.split('|').pop() ?? key, reason: 'It is not in the inventory any more (removed meanwhile?). Read the inventory again.' });
        continue;
      }
      const label = `${credentialLabel(credential)} — ${credential.ownerName} (${credential.tenantLabel})`;
      const view = this.#options.connections.view(credential.connectionId);
      const adapter = this.#options.adapters[credential.provider];
      const why = refusal(credential, adapter, view);
      if (why) {
        refused.push({ key, label, reason: why });
        continue;
      }
      const disableFirst = credential.kind === 'service_account_key' && adapter!.disable !== undefined && !credential.disabled;
      shown.push({ key, label, action: actionWords(credential, disableFirst), breaks: whatBreaks(credential) });
      items.push({ key, label, tenantLabel: credential.tenantLabel, payload: { connectionId: credential.connectionId, provider: credential.provider, disableFirst, credential: asReadCredential(credential) } });
    }
    if (items.length === 0) {
      throw new AppError('not_supported', `None of these can be revoked from Consentry: ${refused.map((item) => `${item.label}: ${item.reason}`).join(' ')}`, { nextStep: 'Revoke these at the provider’s console instead; nothing was changed.' });
    }
    // A name the admin can read back; an id or a hint is not one to type.
    const name = items.length === 1 ? items[0]!.payload.credential.displayName : null;
    const confirmationText = name ?? `revoke ${items.length} ${items.length === 1 ? 'credential' : 'credentials'}`;
    const plan = this.#plans.add('', confirmationText, items);
    return { planId: plan.id, items: shown, refused, confirmationText, expiresAt: new Date(plan.createdAt + planLifetimeMs).toISOString() };
  }

  /** Checks the typed confirmation, journals the job and starts it; per-item results in `report`. */
  async revoke({ planId, typed }: ParsedRequestOf<'credentials.revoke'>): Promise<JobSummary> {
    const plan = this.#plans.check(planId, typed, '');
    const items = plan.content;
    const connectionIds = [...new Set(items.map((item) => item.payload.connectionId))];
    const lacking = connectionIds.map((id) => this.#options.connections.view(id)).filter((view) => !holdsCapability(view, 'credentials'));
    if (lacking.length > 0) {
      throw new AppError('remediation_required', `Revoking needs the credentials permission on ${lacking.map((view) => view.label).join(', ')}.`, {
        nextStep: 'Allow “Rotate keys and secrets” for that connection, then confirm again. Nothing was revoked.',
      });
    }
    this.#plans.take(plan.id);
    const tenants = [...new Set(items.map((item) => item.tenantLabel))].join(', ');
    const job = await this.#options.jobs.create<RevokePayload>({
      kind: credentialRevokeJobKind,
      title: items.length === 1 ? `Revoke ${credentialLabel(items[0]!.payload.credential)}` : `Revoke ${items.length} credentials`,
      subject: tenants,
      items: items.map((item): Omit<JobItem<RevokePayload>, 'n'> => ({ key: item.key, label: item.label, phase: 0, payload: item.payload })),
    });
    // The inventory shows the credentials gone once the job has stopped, and their rotations stop.
    this.#options.jobs
      .settled(job.id)
      .then(async () => {
        await this.#tellRevoked(job.id);
        await this.#options.reread(connectionIds);
      })
      .catch((error: unknown) => this.#options.reportUnexpected('reading the credentials again after a revocation', error));
    return job;
  }

  async #tellRevoked(jobId: string): Promise<void> {
    const revoked = this.#options.jobs.items(jobId).flatMap(({ item, status }) => (status === 'succeeded' ? [item.key] : []));
    if (revoked.length === 0) return;
    try {
      await this.#options.revoked(revoked);
    } catch (error) {
      this.#options.reportUnexpected('stopping the rotations of revoked credentials', error);
    }
  }

  report(jobId: string): RevokeReport {
    const job = this.#options.jobs.summary(jobId);
    if (job.kind !== credentialRevokeJobKind) throw new AppError('not_found', 'That job is not a credential revocation.', { nextStep: 'Open it from the Jobs page.' });
    const items = this.#options.jobs.items(jobId).map(({ item, status, outcome }) => ({
      key: item.key,
      label: item.label,
      status,
      message: outcome
        ? withoutReference(outcome.message)
        : status === 'in_doubt'
          ? 'Sent just before Consentry stopped; its answer was not recorded. Resume the job to find out.'
          : status === 'running'
            ? 'Being revoked now.'
            : null,
      verified: outcome?.verified ?? false,
    }));
    return { job, items };
  }

  #jobKind(): JobKind<RevokePayload> {
    return {
      kind: credentialRevokeJobKind,
      itemAction: 'credentials.revoke',
      concurrency: revokeConcurrency,
      // Disabling or deleting again is harmless: the provider says it is already done or gone.
      idempotent: true,
      execute: async ({ key, payload }, signal) => {
        const context = this.#options.gateway.context(payload.connectionId, signal);
        const adapter = this.#options.adapters[payload.provider];
        if (!adapter) throw new AppError('not_supported', `${context.connection.providerLabel} credentials cannot be revoked from Consentry.`);
        const { credential } = payload;
        let disabled = '';
        if (payload.disableFirst && adapter.disable) {
          const answer = await adapter.disable(context, credential);
          // Gone already (deleted by this job before a stop): the delete says so and reads it back.
          if (answer === 'already_gone') return this.#remove(adapter, context, key, credential, '');
          disabled = answer === 'already_disabled' ? 'It was disabled already. ' : 'Disabled: it stopped working at once. ';
          try {
            return await this.#remove(adapter, context, key, credential, disabled);
          } catch (error) {
            if (signal.aborted || !(error instanceof AppError)) throw error;
            return {
              result: 'failed',
              code: 'disabled_only',
              verified: false,
              message: withReference(`${disabled}The delete was refused: ${error.message}${error.nextStep ? ` ${error.nextStep}` : ''}`, key),
              errorCode: error.code,
            };
          }
        }
        return this.#remove(adapter, context, key, credential, disabled);
      },
      // A connection that needs signing in again fails every item alike: pause rather than burn the list.
      pausesJob: (outcome) => (outcome.errorCode === 'needs_reconnect' ? `${outcome.message} Reconnect the connection on the Connections page, then resume; the credentials not yet revoked wait.` : null),
    };
  }

  async #remove(adapter: ProviderCredentials, context: ReturnType<TenantGateway['context']>, key: string, credential: ReadCredential, before: string): Promise<JobItemOutcome> {
    const answer = await adapter.remove(context, credential);
    const after = await adapter.readOne(context, credential);
    const what = answer === 'already_gone' ? 'It was gone already (revoked before, or by this job before a stop).' : 'Revoked.';
    if (after !== null) return doneOutcome(answer, `${before}${what} Read back, the provider still lists it; read the inventory again in a minute.`, false, key);
    return doneOutcome(answer, `${before}${what} Read back: gone.`, true, key);
  }
}
