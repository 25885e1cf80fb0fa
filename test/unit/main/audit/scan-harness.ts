/**
 * The grant audit service over a connection list the test controls (connect, reconnect under a
 * new id, disconnect, remove), real snapshot files, a real job kernel and the real request
 * schedulers. Providers are adapters the test writes.
 */
import { expect, vi } from 'vitest';
import { ActivityLog } from '../../../../src-main/activity/activity-log';
import { ActivityService } from '../../../../src-main/activity/activity-service';
import { GrantAuditService } from '../../../../src-main/audit/grant-audit-service';
import type { AuditedApp, AuditedGrant, ProviderScan } from '../../../../src-main/audit/grant-model';
import type { ProviderAudit } from '../../../../src-main/audit/provider-audit';
import { SnapshotStore, type SnapshotFiles } from '../../../../src-main/audit/snapshot-store';
import { TenantGateway } from '../../../../src-main/connections/tenant-gateway';
import { AppError } from '../../../../src-main/errors/app-error';
import { EventHub } from '../../../../src-main/events/event-hub';
import { JobKernel } from '../../../../src-main/jobs/job-kernel';
import { TenantSchedulers } from '../../../../src-main/net/tenant-schedulers';
import type { EventName } from '../../../../src-shared/contract/channels';
import type { ConnectionView } from '../../../../src-shared/contract/connections';
import type { GrantAuditStatus } from '../../../../src-shared/contract/grants';
import type { ProviderId } from '../../../../src-shared/domain/ids';
import { temporaryDirectory } from '../../../support/temporary-directory';
import { providerDefinitions } from '../../../support/provider-definitions';

export const mail = 'https://mail.google.com/';

export function app(clientId: string, name: string, extra: Partial<AuditedApp> = {}): AuditedApp {
  return { key: `google:${clientId}`, provider: 'google', clientId, name, publisher: null, verifiedPublisher: null, internal: false, anonymous: false, ...extra };
}

/** A Google token grant; its evidence holds a capability (DeleteToken) that must never be shown. */
export function grant(clientId: string, user: string, scopes: string[] = [mail], extra: Partial<AuditedGrant> = {}): AuditedGrant {
  return {
    key: `google:${clientId}|${user}`,
    appKey: `google:${clientId}`,
    provider: 'google',
    user,
    scopes,
    consent: 'user',
    access: 'delegated',
    lastUsed: null,
    evidence: { clientId, userKey: user, DeleteToken: 'capability-123' },
    revocationHandle: clientId,
    ...extra,
  };
}

/** A tenant whose users each granted the mail reader; `users` of them were read. */
export function mailTenant(users: readonly string[], read = users.length): ProviderScan {
  return {
    apps: [app('mail-1', 'Mail Magic')],
    grants: users.slice(0, read).map((user) => grant('mail-1', user)),
    incomplete: users.slice(read).map((user) => ({ what: user, user, reason: 'Cancelled before it was read.' })),
    completed: read,
    total: users.length,
  };
}

/** A provider adapter whose scan the test decides each time. */
export function scriptedAudit(scan: ProviderAudit['scan']): ProviderAudit {
  return {
    unit: 'users',
    scan,
    describeRevocation: () => 'Delete the tokens',
    revoke: async () => ({ outcome: 'revoked', verified: true, message: 'Revoked.', errorCode: null }),
  };
}

/** The connection list, as the connection service would keep it; every change is published. */
function connectionList(events: EventHub) {
  const views = new Map<string, ConnectionView>();
  const changed = (id: string) => events.publish('connections.changed', { connectionId: id });
  return {
    list: async () => ({ connections: [...views.values()], vault: { mode: 'encrypted' as const, problem: null, nextStep: null } }),
    view: (id: string): ConnectionView => {
      const view = views.get(id);
      if (!view) throw new AppError('not_found', 'That connection no longer exists.');
      return view;
    },
    accessToken: async () => 'access-token',
    /** Only what the audit reads of a view is filled in. */
    connect(label: string, tenant: string, provider: ProviderId = 'google'): ConnectionView {
      const view = { id: crypto.randomUUID(), label, provider, tenant, account: `admin@${tenant}`, status: 'active', settings: {}, sample: false } as unknown as ConnectionView;
      views.set(view.id, view);
      changed(view.id);
      return view;
    },
    disconnect(id: string): void {
      views.set(id, { ...views.get(id)!, status: 'revoked' });
      changed(id);
    },
    remove(id: string): void {
      views.delete(id);
      changed(id);
    },
  };
}

export async function scanHarness(audits: Partial<Record<ProviderId, ProviderAudit>>, options: { directory?: string; files?: SnapshotFiles; clock?: () => Date } = {}) {
  const folder = options.directory ?? (await temporaryDirectory());
  const events = new EventHub();
  const published: { event: EventName; payload: unknown }[] = [];
  events.subscribe((event, payload) => published.push({ event, payload }));
  const activity = new ActivityService(await ActivityLog.open(`${folder}/activity`), events);
  const connections = connectionList(events);
  const schedulers = new TenantSchedulers(Object.fromEntries(Object.keys(audits).map((provider) => [provider, { classify: () => ({ kind: 'final' as const }), defaultQuotaPerMinute: 6_000 }])));
  const jobs = new JobKernel({ directory: `${folder}/jobs`, activity, events });
  const reported: { context: string; error: unknown }[] = [];
  const store = await SnapshotStore.open(`${folder}/grant-snapshots`, options.files ? { files: options.files } : {});
  const open = async () => {
    const service = new GrantAuditService({
      connections,
      audits,
      gateway: new TenantGateway({ connections, definitions: providerDefinitions, schedulers, events, fetch: (input, init) => fetch(input, init) }),
      jobs,
      store,
      events,
      activity,
      reportUnexpected: (context, error) => reported.push({ context, error }),
      progressIntervalMs: 10,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    await service.start();
    return service;
  };
  const service = await open();
  const scanned = async (target: GrantAuditService = service): Promise<GrantAuditStatus> => {
    await vi.waitFor(async () => expect((await target.status()).scan?.state).toMatch(/finished|cancelled|failed/));
    return target.status();
  };
  /** Runs a scan to its end and returns the status after it. */
  const scan = async (target: GrantAuditService = service, connectionIds?: string[]) => {
    await target.startScan(connectionIds);
    return scanned(target);
  };
  const shownUsers = async (target: GrantAuditService = service) =>
    (await target.grants({ filter: {}, sort: { column: 'user', direction: 'asc' }, offset: 0, limit: 1_000 })).rows.map((row) => row.user);
  return { service, open, connections, events, published, reported, store, folder: `${folder}/grant-snapshots`, scan, scanned, shownUsers };
}
