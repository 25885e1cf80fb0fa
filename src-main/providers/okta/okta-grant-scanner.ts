/**
 * Reads an Okta org's user consent grants into the audit model: every user (GET /api/v1/users,
 * which leaves DEPROVISIONED users out), then each user's grants (GET /api/v1/users/{id}/grants
 * with the scope expanded). Okta keeps one grant per scope; one audited grant is one user's grants
 * for one client from one authorization server, keyed `okta:{clientId}|{userId}@{server}`. Grants
 * say nothing of use, so last use is unknown. Units of work are users, as for Google: a user whose
 * grants could not be read is listed as incomplete with the reason.
 */
import { setMaxListeners } from 'node:events';
import type { AuditedApp, AuditedGrant, IncompleteItem, ProviderScan } from '../../audit/grant-model';
import { phaseProgress } from '../../audit/phase-progress';
import type { ScanContext } from '../../audit/provider-audit';
import { AppError } from '../../errors/app-error';
import { oktaRequest, type OktaAnswer } from './okta-api-client';
import { describeOktaFailure, oktaErrorCode, oktaFailureMessage } from './okta-failure';

interface OktaUserRecord {
  id: string;
  status?: string;
  profile?: { login?: string; email?: string };
}

export interface OktaGrantRecord {
  id: string;
  status?: string;
  clientId: string;
  userId: string;
  scopeId?: string;
  issuer?: string;
  source?: string;
  _embedded?: { scope?: { name?: string } };
  _links?: { app?: { title?: string }; client?: { title?: string }; scope?: { title?: string } };
  [field: string]: unknown;
}

/** What the revoker needs; it never leaves main. */
export interface OktaRevocationHandle {
  userId: string;
  grantIds: string[];
}

/** Okta's largest page for both lists. */
const pageSize = 200;

const isAbort = (error: unknown) => (error as { name?: string } | null)?.name === 'AbortError';

/** The issuing authorization server's id (`default`, `aus…`), or `org` for the org server. */
function serverOf(issuer: string | undefined): string {
  return /\/oauth2\/([^/]+)\/?$/.exec(issuer ?? '')?.[1] ?? 'org';
}

export async function scanOktaGrants(context: ScanContext): Promise<ProviderScan> {
  // Stops the grant reads still queued when the caller cancels or the user list fails.
  const stop = new AbortController();
  const signal = context.signal ? AbortSignal.any([context.signal, stop.signal]) : stop.signal;
  // Every call in flight listens to it; that is expected, not a leak.
  setMaxListeners(0, signal);
  const callContext = { ...context, signal };

  const users: OktaUserRecord[] = [];
  const incomplete: IncompleteItem[] = [];
  let listed = false;
  let done = 0;
  // Listing users is a page per 200; reading their grants is a call (or more) each.
  const progress = phaseProgress({ users: 10, grants: 90 }, context.onProgress);
  const report = () => (listed ? progress('grants', done, users.length) : progress('users', done, users.length, 0));

  const readGrants = async (user: OktaUserRecord): Promise<{ user: OktaUserRecord; records: OktaGrantRecord[] }> => {
    const records: OktaGrantRecord[] = [];
    try {
      let link: string | null = `/api/v1/users/${encodeURIComponent(user.id)}/grants?limit=${pageSize}&expand=scope`;
      while (link) {
        const page: OktaAnswer<OktaGrantRecord[]> = await oktaRequest<OktaGrantRecord[]>(callContext, link);
        records.push(...(page.body ?? []));
        link = page.next;
      }
      return { user, records };
    } catch (error) {
      if (!signal.aborted) incomplete.push({ what: user.profile?.login ?? user.id, user: user.profile?.login ?? user.id, reason: describeOktaFailure(error) });
      return { user, records: [] };
    } finally {
      done += 1;
      report();
    }
  };

  const reads: Promise<{ user: OktaUserRecord; records: OktaGrantRecord[] }>[] = [];
  let next: string | null = `/api/v1/users?limit=${pageSize}`;
  try {
    while (next) {
      // Pages of users go ahead of the grant reads they unlock.
      const page: OktaAnswer<OktaUserRecord[]> = await oktaRequest<OktaUserRecord[]>(callContext, next, 'GET', { urgent: true });
      for (const user of page.body ?? []) {
        users.push(user);
        reads.push(readGrants(user));
      }
      next = page.next;
      listed = next === null;
      report();
    }
  } catch (error) {
    stop.abort();
    await Promise.allSettled(reads);
    if (isAbort(error) || context.signal?.aborted || error instanceof AppError) throw error;
    throw new AppError(oktaErrorCode(error), oktaFailureMessage(error), { cause: error });
  }
  const grantsByUser = await Promise.all(reads);
  if (context.signal?.aborted) throw new DOMException('The scan was cancelled.', 'AbortError');
  const total = users.length;

  const apps = new Map<string, AuditedApp>();
  const grants: AuditedGrant[] = [];
  for (const { user, records } of grantsByUser) {
    const byClient = new Map<string, OktaGrantRecord[]>();
    for (const record of records) {
      const groupKey = `${record.clientId}|${user.id}@${serverOf(record.issuer)}`;
      byClient.set(groupKey, [...(byClient.get(groupKey) ?? []), record]);
    }
    for (const [groupKey, group] of byClient) {
      const first = group[0]!;
      const appKey = `okta:${first.clientId}`;
      if (!apps.has(appKey)) {
        const name = first._links?.app?.title ?? first._links?.client?.title ?? first.clientId;
        apps.set(appKey, { key: appKey, provider: 'okta', clientId: first.clientId, name, publisher: null, verifiedPublisher: null, internal: false, anonymous: false });
      }
      const handle: OktaRevocationHandle = { userId: user.id, grantIds: group.map((record) => record.id) };
      grants.push({
        key: `okta:${groupKey}`,
        appKey,
        provider: 'okta',
        user: user.profile?.login ?? user.id,
        scopes: [...new Set(group.map((record) => record._embedded?.scope?.name ?? record._links?.scope?.title ?? record.scopeId ?? ''))].filter(Boolean),
        consent: 'user',
        access: 'delegated',
        lastUsed: null,
        evidence: group,
        revocationHandle: JSON.stringify(handle),
      });
    }
  }
  return { apps: [...apps.values()], grants, incomplete, completed: total - incomplete.length, total };
}
