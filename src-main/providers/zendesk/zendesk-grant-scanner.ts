/**
 * Reads a Zendesk account's OAuth tokens (GET /api/v2/oauth/tokens?all=true, admins only, cursor
 * pagination) into the audit model. A token names its OAuth client by numeric id, resolved to a
 * name and company through GET /api/v2/oauth/clients; its user by id, resolved to an email through
 * /api/v2/users/show_many. One grant is one user's tokens for one client, keyed
 * `zendesk:{client id}|{user id}`. Units of work are the token list's pages (100 tokens each).
 * A token whose client is not among the account's own (a global, Marketplace client, if the list
 * includes those: not confirmed) shows as "OAuth client {id}".
 */
import { setMaxListeners } from 'node:events';
import type { AuditedApp, AuditedGrant, IncompleteItem, ProviderScan } from '../../audit/grant-model';
import { phaseProgress } from '../../audit/phase-progress';
import type { ScanContext } from '../../audit/provider-audit';
import { AppError } from '../../errors/app-error';
import { nextZendeskPage, zendeskRequest, type ZendeskCursorPage } from './zendesk-api-client';
import { describeZendeskFailure, zendeskErrorCode, zendeskFailureMessage } from './zendesk-failure';

export interface ZendeskTokenRecord {
  id: number;
  client_id: number;
  user_id: number;
  scopes?: string[];
  created_at?: string | null;
  used_at?: string | null;
  expires_at?: string | null;
  /** The first 10 characters of the access token: kept out of the evidence. */
  token?: string;
  refresh_token?: string | null;
  [field: string]: unknown;
}

interface ZendeskClientRecord {
  id: number;
  name?: string;
  identifier?: string;
  company?: string | null;
}

/** What the revoker needs; it never leaves main. */
export interface ZendeskRevocationHandle {
  tokenIds: number[];
}

const pageSize = 100;
/** show_many takes at most 100 ids a call. */
const usersPerCall = 100;

/** The caller cancelled: not a failure to report, whatever the error says. */
const stopped = (error: unknown, context: ScanContext) => (error as { name?: string } | null)?.name === 'AbortError' || context.signal?.aborted === true;

export async function scanZendeskGrants(scanContext: ScanContext): Promise<ProviderScan> {
  // Every call in flight listens to the caller's signal; that is expected, not a leak.
  const signal = scanContext.signal ? AbortSignal.any([scanContext.signal]) : undefined;
  if (signal) setMaxListeners(0, signal);
  const context: ScanContext = { ...scanContext, signal };
  const incomplete: IncompleteItem[] = [];
  const tokens: ZendeskTokenRecord[] = [];
  let completed = 0;
  let lost = 0;
  const progress = phaseProgress({ tokens: 70, apps: 10, users: 20 }, context.onProgress);
  let next: string | null = `/api/v2/oauth/tokens?all=true&page[size]=${pageSize}`;
  while (next) {
    try {
      const page: (ZendeskCursorPage & { tokens?: ZendeskTokenRecord[] }) | undefined = await zendeskRequest(context, next);
      tokens.push(...(page?.tokens ?? []));
      completed += 1;
      next = nextZendeskPage(page);
      progress('tokens', completed, completed + (next ? 1 : 0));
    } catch (error) {
      if (stopped(error, context) || error instanceof AppError) throw error;
      if (completed === 0) throw new AppError(zendeskErrorCode(error), zendeskFailureMessage(error), { cause: error });
      // A cursor is read in order: how many pages followed the failed one is unknown, so the rest counts as one unit.
      incomplete.push({ what: `OAuth tokens after the first ${completed * pageSize}`, reason: describeZendeskFailure(error) });
      lost = 1;
      next = null;
    }
  }
  const total = completed + lost;

  progress('apps', completed, total, 0);
  const clients = await readClients(context, incomplete);
  progress('users', completed, total, 0);
  const emails = await readEmails(context, [...new Set(tokens.map((token) => token.user_id))], incomplete);
  const { apps, grants } = toModel(tokens, clients, emails);
  return { apps, grants, incomplete, completed, total };
}

async function readClients(context: ScanContext, incomplete: IncompleteItem[]): Promise<Map<number, ZendeskClientRecord>> {
  const clients = new Map<number, ZendeskClientRecord>();
  let next: string | null = `/api/v2/oauth/clients?page[size]=${pageSize}`;
  try {
    while (next) {
      const page: (ZendeskCursorPage & { clients?: ZendeskClientRecord[] }) | undefined = await zendeskRequest(context, next);
      for (const client of page?.clients ?? []) clients.set(client.id, client);
      next = nextZendeskPage(page);
    }
  } catch (error) {
    if (stopped(error, context)) throw error;
    incomplete.push({ what: 'OAuth client names; apps show client ids instead', detailOnly: true, reason: describeZendeskFailure(error) });
  }
  return clients;
}

async function readEmails(context: ScanContext, userIds: number[], incomplete: IncompleteItem[]): Promise<Map<number, string>> {
  const emails = new Map<number, string>();
  const batches: number[][] = [];
  for (let start = 0; start < userIds.length; start += usersPerCall) batches.push(userIds.slice(start, start + usersPerCall));
  await Promise.all(
    batches.map(async (batch) => {
      try {
        const answer = await zendeskRequest<{ users?: { id: number; email?: string | null }[] }>(context, `/api/v2/users/show_many?ids=${batch.join(',')}`);
        for (const user of answer?.users ?? []) if (user.email) emails.set(user.id, user.email);
      } catch (error) {
        if (stopped(error, context)) throw error;
        incomplete.push({ what: `emails of ${batch.length} users; their grants show user ids instead`, detailOnly: true, reason: describeZendeskFailure(error) });
      }
    }),
  );
  return emails;
}

function toModel(tokens: ZendeskTokenRecord[], clients: Map<number, ZendeskClientRecord>, emails: Map<number, string>): { apps: AuditedApp[]; grants: AuditedGrant[] } {
  const apps = new Map<string, AuditedApp>();
  const byClientAndUser = new Map<string, ZendeskTokenRecord[]>();
  for (const token of tokens) {
    const groupKey = `${token.client_id}|${token.user_id}`;
    byClientAndUser.set(groupKey, [...(byClientAndUser.get(groupKey) ?? []), token]);
  }
  const grants: AuditedGrant[] = [];
  for (const [groupKey, group] of byClientAndUser) {
    const { client_id: clientId, user_id: userId } = group[0]!;
    const client = clients.get(clientId);
    const appKey = `zendesk:${clientId}`;
    if (!apps.has(appKey)) {
      apps.set(appKey, { key: appKey, provider: 'zendesk', clientId: client?.identifier ?? String(clientId), name: client?.name ?? `OAuth client ${clientId}`, publisher: client?.company ?? null, verifiedPublisher: null, internal: false, anonymous: false });
    }
    const usedAt = group.map((token) => token.used_at ?? null).filter((at): at is string => typeof at === 'string').map((at) => new Date(at).toISOString());
    const handle: ZendeskRevocationHandle = { tokenIds: group.map((token) => token.id) };
    grants.push({
      key: `zendesk:${groupKey}`,
      appKey,
      provider: 'zendesk',
      user: emails.get(userId) ?? `user ${userId}`,
      scopes: [...new Set(group.flatMap((token) => token.scopes ?? []))],
      consent: 'user',
      access: 'delegated',
      lastUsed: usedAt.length > 0 ? usedAt.reduce((latest, at) => (at > latest ? at : latest)) : null,
      // The records as Zendesk sent them, minus the token prefixes.
      evidence: group.map(({ token: _token, refresh_token: _refreshToken, ...record }) => record),
      revocationHandle: JSON.stringify(handle),
    });
  }
  return { apps: [...apps.values()], grants };
}
