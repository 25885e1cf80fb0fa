/**
 * Revoking grants the admin selected, on the job kernel: a plan (exactly what, for whom, where,
 * what to know) that expires and is tied to the scan it was made from, a typed confirmation for
 * more than one grant, then a durable job with one activity entry per grant and per sign-out.
 */
import type { ParsedRequestOf } from '../../src-shared/contract/channels';
import type { CsvExport } from '../../src-shared/contract/activity';
import type { ConnectionView } from '../../src-shared/contract/connections';
import type { RevocationPlan, RevocationReport, RevocationResultItem } from '../../src-shared/contract/grants';
import type { JobSummary } from '../../src-shared/contract/jobs';
import type { ProviderId } from '../../src-shared/domain/ids';
import type { ConnectionService } from '../connections/connection-service';
import type { TenantGateway } from '../connections/tenant-gateway';
import { AppError } from '../errors/app-error';
import { toCsvDocument } from '../export/csv-document';
import type { JobKernel } from '../jobs/job-kernel';
import type { JobItem, JobItemOutcome, JobKind } from '../jobs/job-model';
import { PlanStore } from '../jobs/plan-store';
import type { GrantIndex } from './grant-index';
import type { ProviderAudit, RevocationOutcome, RevocationTarget } from './provider-audit';
import type { StoredSnapshot } from './snapshot-store';
import { holdsCapability } from '../connections/connection-views';

export const revocationJobKind = 'grants.revoke';

/** From two grants on, a click is not enough: the admin types the confirmation. */
const typedConfirmationFrom = 2;
const planLifetimeMs = 15 * 60_000;
const planPreviewItems = 200;
/** Items a report lists; its counts and its CSV cover them all. */
const reportItems = 500;
/** What the report lists first: what was not revoked, then what was. */
const outcomeOrder: Record<RevocationResultItem['outcome'], number> = { failed: 0, in_doubt: 1, not_started: 2, skipped: 3, revoked: 4, already_gone: 5 };
/** Grants revoked at once; the tenant's scheduler still paces the calls. */
const revocationConcurrency = 8;

type RevocationPayload =
  /**
   * What the journal keeps of a grant: who and where, never its revocation handle or evidence
   * (a Salesforce DeleteToken is a credential). Those are read from the scan when it is revoked.
   */
  | { type: 'grant'; connectionId: string; provider: ProviderId; appName: string; user: string | null; inScan: boolean }
  | { type: 'sessions'; connectionId: string; provider: ProviderId; user: string };

interface PlannedRevocation {
  items: { key: string; appName: string; user: string | null; provider: ProviderId }[];
  connectionIds: string[];
}

export interface CurrentSnapshot {
  index: GrantIndex;
  stored: StoredSnapshot;
}

export interface GrantRevocationOptions {
  audits: Partial<Record<ProviderId, ProviderAudit>>;
  connections: Pick<ConnectionService, 'view'>;
  gateway: TenantGateway;
  jobs: JobKernel;
  /** The scan the Grants page shows, once it is loaded. */
  current(): Promise<CurrentSnapshot | null>;
  evidence(stored: StoredSnapshot, positions: readonly number[]): Promise<unknown[]>;
  /** Hides revoked grants from the scan durably; called again at start for any a stop left unapplied. */
  markRevoked(keys: readonly string[]): Promise<void>;
  clock?: () => Date;
}

/** Revoking grants needs the connection's revoke-grants permission. */
export function canRevokeGrants(view: ConnectionView): boolean {
  return holdsCapability(view, 'revoke_grants');
}

function targetAt(index: GrantIndex, position: number, evidence: unknown): RevocationTarget {
  const row = index.grantRow(position);
  const app = index.snapshotApp(position);
  const unscoped = (key: string) => key.slice(app.connectionId.length + 1);
  return {
    app: { key: unscoped(app.key), provider: app.provider, clientId: app.clientId, name: app.name, publisher: app.publisher, verifiedPublisher: app.verifiedPublisher, internal: app.internal, anonymous: app.anonymous },
    grant: {
      key: unscoped(row.key),
      appKey: unscoped(app.key),
      provider: app.provider,
      user: row.user,
      scopes: row.scopes,
      consent: row.consent,
      access: row.access,
      lastUsed: row.lastUsed,
      evidence,
      revocationHandle: index.data.grants.handle[position]!,
    },
  };
}

function asJobOutcome(outcome: RevocationOutcome): JobItemOutcome {
  return { result: outcome.outcome === 'failed' ? 'failed' : 'succeeded', code: outcome.outcome, verified: outcome.verified, message: outcome.message, errorCode: outcome.errorCode };
}

export class GrantRevocation {
  readonly #options: GrantRevocationOptions;
  readonly #plans: PlanStore<PlannedRevocation>;

  constructor(options: GrantRevocationOptions) {
    this.#options = options;
    this.#plans = new PlanStore({ lifetimeMs: planLifetimeMs, ...(options.clock ? { clock: options.clock } : {}) });
    options.jobs.register<RevocationPayload>(this.#jobKind());
  }

  async plan(selection: ParsedRequestOf<'grants.planRevocation'>): Promise<RevocationPlan> {
    const { index } = await this.#requireCurrent();
    if (selection.snapshotId !== index.data.id) {
      throw new AppError('plan_expired', 'A newer scan has replaced the one you selected from.', { nextStep: 'Select the grants again in the current scan.' });
    }
    const selected = new Set<number>();
    for (const appKey of selection.appKeys) for (const grant of index.app(appKey)?.grants ?? []) selected.add(grant);
    for (const grantKey of selection.grantKeys) {
      const grant = index.grantIndex(grantKey);
      if (grant !== undefined) selected.add(grant);
    }
    if (selected.size === 0) throw new AppError('not_found', 'None of the selected grants is in the current scan.', { nextStep: 'Reload the Grants page and select again.' });
    const ordered = [...selected].sort((a, b) => a - b);
    const rows = ordered.map((grant) => index.grantRow(grant));
    const byConnection = new Map<string, { grants: number; users: Set<string> }>();
    const apps = new Set<string>();
    const users = new Set<string>();
    let tenantWide = 0;
    for (const row of rows) {
      apps.add(row.appKey);
      const entry = byConnection.get(row.connectionId) ?? { grants: 0, users: new Set<string>() };
      entry.grants += 1;
      if (row.user) {
        entry.users.add(row.user);
        users.add(row.user);
      } else tenantWide += 1;
      byConnection.set(row.connectionId, entry);
    }
    const connections = [...byConnection.entries()].map(([connectionId, entry]) => {
      const view = this.#options.connections.view(connectionId);
      return {
        connectionId,
        label: view.label,
        provider: view.provider,
        grants: entry.grants,
        needsRemediate: !canRevokeGrants(view),
        offersSessionRevocation: this.#options.audits[view.provider]?.revokeSignInSessions !== undefined && entry.users.size > 0,
      };
    });
    const warnings: string[] = [];
    for (const provider of new Set(connections.map((connection) => connection.provider))) {
      const note = this.#options.audits[provider]?.revocationNote;
      if (note) warnings.push(note);
    }
    if (tenantWide > 0) warnings.push(`${tenantWide} of these ${tenantWide === 1 ? 'is a tenant-wide consent' : 'are tenant-wide consents'}: revoking removes the app's access for everyone in the organisation.`);
    const plan = this.#plans.add(index.data.id, ordered.length >= typedConfirmationFrom ? `revoke ${ordered.length} grants` : null, {
      items: rows.map((row) => ({ key: row.key, appName: row.appName, user: row.user, provider: row.provider })),
      connectionIds: connections.map((connection) => connection.connectionId),
    });
    return {
      planId: plan.id,
      items: ordered.slice(0, planPreviewItems).map((position, at) => {
        const row = rows[at]!;
        return {
          key: row.key,
          connectionId: row.connectionId,
          provider: row.provider,
          appName: row.appName,
          user: row.user,
          scopes: row.scopes,
          action: this.#options.audits[row.provider]?.describeRevocation(targetAt(index, position, null)) ?? 'Revoke at the provider.',
        };
      }),
      total: ordered.length,
      apps: apps.size,
      users: users.size,
      tenantWide,
      connections,
      warnings,
      confirmationText: plan.confirmationText,
    };
  }

  /** Checks the confirmation, journals the job and starts it; progress arrives as `jobs.progress`. */
  async confirm(request: ParsedRequestOf<'grants.revoke'>): Promise<JobSummary> {
    const current = await this.#options.current();
    const plan = this.#plans.check(request.planId, request.confirmation, current?.index.data.id ?? null);
    const { index } = current!;
    const views = plan.content.connectionIds.map((id) => this.#options.connections.view(id));
    const lacking = views.filter((view) => !canRevokeGrants(view));
    if (lacking.length > 0) {
      throw new AppError('remediation_required', `Revoking needs permission to revoke grants on ${lacking.map((view) => view.label).join(', ')}.`, {
        nextStep: 'Allow it for that connection (a sign-in that asks only for the scopes revoking needs), then confirm again. Nothing was revoked.',
      });
    }
    this.#plans.take(plan.id);
    const labels = new Map(views.map((view) => [view.id, view.label]));
    const grantItems = plan.content.items.map((item): Omit<JobItem<RevocationPayload>, 'n'> => {
      const position = index.grantIndex(item.key);
      const connectionId = position === undefined ? '' : index.grantRow(position).connectionId;
      const where = labels.get(connectionId) ?? 'no longer in the scan';
      return {
        key: item.key,
        label: `${item.appName} — ${item.user ?? 'everyone (tenant-wide consent)'} (${where})`,
        phase: 1,
        payload: { type: 'grant', connectionId, provider: item.provider, appName: item.appName, user: item.user, inScan: position !== undefined },
      };
    });
    const sessionItems: Omit<JobItem<RevocationPayload>, 'n'>[] = [];
    if (request.revokeSessions) {
      const seen = new Set<string>();
      for (const item of grantItems) {
        const payload = item.payload as Extract<RevocationPayload, { type: 'grant' }>;
        if (!payload.user || !payload.inScan || !this.#options.audits[payload.provider]?.revokeSignInSessions) continue;
        const key = `sessions:${payload.connectionId}:${payload.user}`;
        if (seen.has(key)) continue;
        seen.add(key);
        sessionItems.push({ key, label: `${payload.user} (${labels.get(payload.connectionId)})`, phase: 2, payload: { type: 'sessions', connectionId: payload.connectionId, provider: payload.provider, user: payload.user } });
      }
    }
    const total = grantItems.length;
    return this.#options.jobs.create<RevocationPayload>({
      kind: revocationJobKind,
      title: `Revoke ${total} grant${total === 1 ? '' : 's'}${sessionItems.length ? ` and sign ${sessionItems.length} user${sessionItems.length === 1 ? '' : 's'} out` : ''}`,
      subject: views.map((view) => view.label).join(', '),
      items: [...grantItems, ...sessionItems],
    });
  }

  /**
   * The per-grant result of a revocation job, whatever state it is in: counts over every grant,
   * and the first items (those not revoked first) — a job may hold 500,000, the window shows 500.
   */
  report(jobId: string): RevocationReport {
    const { items, sessionsRevoked } = this.#results(jobId);
    const count = (outcome: RevocationResultItem['outcome']) => items.filter((item) => item.outcome === outcome).length;
    const shown = [...items].sort((a, b) => outcomeOrder[a.outcome] - outcomeOrder[b.outcome]).slice(0, reportItems);
    return {
      jobId,
      items: shown,
      total: items.length,
      revoked: count('revoked') + count('already_gone'),
      failed: count('failed'),
      skipped: count('skipped'),
      inDoubt: count('in_doubt'),
      notStarted: count('not_started'),
      unverified: items.filter((item) => (item.outcome === 'revoked' || item.outcome === 'already_gone') && !item.verified).length,
      sessionsRevoked,
    };
  }

  /** Every grant of the job with its outcome, as RFC 4180 CSV (formula cells neutralised). */
  csv(jobId: string): CsvExport {
    const { items } = this.#results(jobId);
    const content = toCsvDocument(
      ['app', 'user', 'provider', 'outcome', 'verified', 'message', 'error_code'],
      items.map((item) => [item.appName, item.user ?? 'everyone (tenant-wide)', item.provider, item.outcome, item.verified ? 'yes' : 'no', item.message, item.errorCode]),
    );
    return { fileName: `consentry-revocation-${jobId}.csv`, content, rows: items.length };
  }

  #results(jobId: string): { items: RevocationResultItem[]; sessionsRevoked: number } {
    const items: RevocationResultItem[] = [];
    let sessionsRevoked = 0;
    for (const { item, status, outcome } of this.#options.jobs.items(jobId)) {
      const payload = item.payload as RevocationPayload;
      if (payload.type === 'sessions') {
        if (status === 'succeeded') sessionsRevoked += 1;
        continue;
      }
      const base = { key: item.key, appName: payload.appName, user: payload.user, provider: payload.provider };
      if (outcome) {
        items.push({ ...base, outcome: outcome.code as RevocationResultItem['outcome'], verified: outcome.verified, message: outcome.message, errorCode: outcome.errorCode });
      } else if (status === 'in_doubt') {
        items.push({ ...base, outcome: 'in_doubt', verified: false, message: 'The call was sent just before Consentry stopped and its answer was not recorded. Resume the job to find out; it is not counted as revoked.', errorCode: null });
      } else {
        items.push({ ...base, outcome: 'not_started', verified: false, message: status === 'running' ? 'Being revoked now.' : 'Not started: the job stopped before this grant. Nothing was done.', errorCode: null });
      }
    }
    return { items, sessionsRevoked };
  }

  #jobKind(): JobKind<RevocationPayload> {
    return {
      kind: revocationJobKind,
      itemAction: 'grants.revoke',
      concurrency: revocationConcurrency,
      // Deleting a grant twice is harmless: the second time it is already gone.
      idempotent: true,
      execute: async ({ key, payload }, signal) => {
        const audit = this.#options.audits[payload.provider];
        if (payload.type === 'sessions') {
          const context = this.#options.gateway.context(payload.connectionId, signal);
          if (!audit?.revokeSignInSessions) return { result: 'failed', code: 'failed', verified: false, message: 'This provider cannot sign users out from Consentry.', errorCode: 'not_supported' };
          return asJobOutcome(await audit.revokeSignInSessions(context, payload.user));
        }
        const target = payload.inScan ? await this.#targetInScan(key) : null;
        if (!target) {
          return { result: 'skipped', code: 'skipped', verified: false, message: 'No longer in the current scan (revoked meanwhile?); nothing was done.', errorCode: 'not_found' };
        }
        const context = this.#options.gateway.context(target.connectionId, signal);
        if (!audit) return { result: 'failed', code: 'failed', verified: false, message: `${context.connection.providerLabel} grants cannot be revoked from Consentry.`, errorCode: 'not_supported' };
        return asJobOutcome(await audit.revoke(context, target.target));
      },
      // A connection that needs signing in again fails every grant alike: pause rather than burn the list.
      pausesJob: (outcome) =>
        outcome.errorCode === 'needs_reconnect' ? `${outcome.message} Reconnect the connection on the Connections page, then resume; the grants not yet revoked wait.` : null,
      applied: async (items) => {
        // A scan taken after a revocation knows better: the grant is gone, or was granted again.
        const takenAt = (await this.#options.current())?.index.data.takenAt;
        const keys = items.filter(({ item, at }) => item.payload.type === 'grant' && (!takenAt || at >= takenAt)).map(({ item }) => item.key);
        if (keys.length > 0) await this.#options.markRevoked(keys);
      },
    };
  }

  /** The grant as the scan shown now has it, with its handle and evidence; null when it is gone from it. */
  async #targetInScan(key: string): Promise<{ connectionId: string; target: RevocationTarget } | null> {
    const current = await this.#options.current();
    const position = current?.index.grantIndex(key);
    if (!current || position === undefined) return null;
    const [evidence] = await this.#options.evidence(current.stored, [position]);
    return { connectionId: current.index.grantRow(position).connectionId, target: targetAt(current.index, position, evidence) };
  }

  async #requireCurrent(): Promise<CurrentSnapshot> {
    const current = await this.#options.current();
    if (!current) throw new AppError('not_found', 'There is no grant scan yet.', { nextStep: 'Run a scan on the Grants page.' });
    return current;
  }
}
