/**
 * Reads a Salesforce org's connected-app OAuth tokens (SOQL on OauthToken, query-locator paging)
 * into the audit model, with usernames from SOQL on User. OauthToken carries no consumer key, so
 * an app is known by its AppName (the connected app's label) and its key is `salesforce:{AppName}`;
 * it carries no scopes either, so grants list none. One grant is one user's tokens for one app
 * (a mobile app on two devices holds two). Units of work are the query's pages (up to 2,000 rows
 * each): the rows are read org-wide, not user by user. Only a user with Customize Application sees
 * every user's rows; anyone else sees only their own, and Salesforce does not say which it was.
 */
import { setMaxListeners } from 'node:events';
import type { AuditedApp, AuditedGrant, IncompleteItem, ProviderScan } from '../../audit/grant-model';
import { phaseProgress } from '../../audit/phase-progress';
import type { ScanContext } from '../../audit/provider-audit';
import { AppError } from '../../errors/app-error';
import { describeSalesforceFailure, salesforceErrorCode, salesforceFailureMessage } from './salesforce-failure';
import { salesforceDateTime, soqlMore, soqlQuery, type SoqlPage } from './salesforce-rest-client';

export interface OauthTokenRow {
  attributes?: { type: string; url: string };
  AppName: string | null;
  AppMenuItemId: string | null;
  UserId: string | null;
  CreatedDate: string | null;
  LastUsedDate: string | null;
  UseCount: number | null;
  /** A capability: POSTed to /services/oauth2/revoke it deletes the token. Kept in the revocation handle only. */
  DeleteToken?: string | null;
}

/** What the revoker needs; it never leaves main. */
export interface SalesforceRevocationHandle {
  appName: string | null;
  userId: string;
  deleteTokens: string[];
}

const tokenQuery = 'SELECT AppName, AppMenuItemId, UserId, CreatedDate, LastUsedDate, UseCount, DeleteToken FROM OauthToken';
const userQuery = 'SELECT Id, Username FROM User';

/** The caller cancelled: not a failure to report, whatever the error says. */
const stopped = (error: unknown, context: ScanContext) => (error as { name?: string } | null)?.name === 'AbortError' || context.signal?.aborted === true;

/** Salesforce ids compare by their 15-character, case-sensitive form (18-character ids add a checksum). */
const id15 = (id: string) => id.slice(0, 15);

export async function scanSalesforceGrants(scanContext: ScanContext): Promise<ProviderScan> {
  // Every call in flight listens to the caller's signal; that is expected, not a leak.
  const signal = scanContext.signal ? AbortSignal.any([scanContext.signal]) : undefined;
  if (signal) setMaxListeners(0, signal);
  const context: ScanContext = { ...scanContext, signal };
  const incomplete: IncompleteItem[] = [];
  let first: SoqlPage<OauthTokenRow>;
  try {
    first = await soqlQuery<OauthTokenRow>(context, tokenQuery);
  } catch (error) {
    if (stopped(error, context) || error instanceof AppError) throw error;
    throw new AppError(salesforceErrorCode(error), salesforceFailureMessage(error), { cause: error });
  }
  const rows = [...first.records];
  const batchSize = Math.max(1, first.records.length);
  let total = first.done ? 1 : Math.ceil(first.totalSize / batchSize);
  let completed = 1;
  const progress = phaseProgress({ tokens: 80, users: 20 }, context.onProgress);
  progress('tokens', completed, total);
  let next = first.done ? undefined : first.nextRecordsUrl;
  while (next) {
    try {
      const page = await soqlMore<OauthTokenRow>(context, next);
      rows.push(...page.records);
      completed += 1;
      total = Math.max(total, completed + (page.done ? 0 : 1));
      next = page.done ? undefined : page.nextRecordsUrl;
      progress('tokens', completed, total);
    } catch (error) {
      if (stopped(error, context)) throw error;
      // A query locator is read in order: every page from the failed one on is lost.
      const reason = describeSalesforceFailure(error);
      for (let page = completed; page < total; page += 1) {
        incomplete.push({ what: `OauthToken rows ${page * batchSize + 1}–${Math.min((page + 1) * batchSize, first.totalSize)} of ${first.totalSize}`, reason });
      }
      break;
    }
  }

  progress('users', completed, total, 0);
  const usernames = await readUsernames(context, incomplete);
  const { apps, grants } = toModel(rows, usernames);
  return { apps, grants, incomplete, completed, total };
}

/** Username by 15-character user id; what could not be read is listed and the grants keep the id. */
async function readUsernames(context: ScanContext, incomplete: IncompleteItem[]): Promise<Map<string, string>> {
  const usernames = new Map<string, string>();
  try {
    let page = await soqlQuery<{ Id: string; Username: string }>(context, userQuery);
    for (;;) {
      for (const user of page.records) usernames.set(id15(user.Id), user.Username);
      if (page.done || !page.nextRecordsUrl) break;
      page = await soqlMore<{ Id: string; Username: string }>(context, page.nextRecordsUrl);
    }
  } catch (error) {
    if (stopped(error, context)) throw error;
    incomplete.push({ what: 'usernames (SOQL on User); grants show user ids instead', detailOnly: true, reason: describeSalesforceFailure(error) });
  }
  return usernames;
}

function toModel(rows: OauthTokenRow[], usernames: Map<string, string>): { apps: AuditedApp[]; grants: AuditedGrant[] } {
  const apps = new Map<string, AuditedApp>();
  const byAppAndUser = new Map<string, OauthTokenRow[]>();
  for (const row of rows) {
    const groupKey = `${row.AppName ?? ''}\u0000${id15(row.UserId ?? '')}`;
    byAppAndUser.set(groupKey, [...(byAppAndUser.get(groupKey) ?? []), row]);
  }
  const grants: AuditedGrant[] = [];
  for (const group of byAppAndUser.values()) {
    const { AppName: appName, UserId: userId } = group[0]!;
    const name = appName ?? 'Unnamed connected app';
    const appKey = `salesforce:${name}`;
    if (!apps.has(appKey)) apps.set(appKey, { key: appKey, provider: 'salesforce', clientId: name, name, publisher: null, verifiedPublisher: null, internal: false, anonymous: false });
    const lastUsed = group.map((row) => salesforceDateTime(row.LastUsedDate)).reduce<string | null>((latest, at) => (at !== null && (latest === null || at > latest) ? at : latest), null);
    const handle: SalesforceRevocationHandle = { appName, userId: userId ?? '', deleteTokens: group.flatMap((row) => (row.DeleteToken ? [row.DeleteToken] : [])) };
    grants.push({
      key: `${appKey}|${userId ?? ''}`,
      appKey,
      provider: 'salesforce',
      user: usernames.get(id15(userId ?? '')) ?? userId,
      scopes: [],
      consent: 'user',
      access: 'delegated',
      lastUsed,
      // The rows as Salesforce sent them, minus the DeleteToken, which could revoke.
      evidence: group.map(({ DeleteToken: _deleteToken, ...row }) => row),
      revocationHandle: JSON.stringify(handle),
    });
  }
  return { apps: [...apps.values()], grants };
}
