/**
 * Reads a Google Workspace tenant's third-party access into the audit model: every user's OAuth
 * tokens and app-specific passwords (Directory API), with last use from the Reports API's token
 * activity. Every call goes through the tenant's request scheduler; a user whose tokens or app
 * passwords could not be read is listed as incomplete with the reason, never dropped.
 *
 * One call per user and resource, no batching: Google counts every call inside a batch against the
 * same 2,400-a-minute quota, and that quota — not latency — is the ceiling (at 80–150 ms a call,
 * five calls at a time already reach 40 a second). A batch would only spend the quota in lumps of
 * up to 1,000, answer at the pace of its slowest part, and need per-part retries, for no more
 * users a minute. The calls are handed to the scheduler all at once so it can keep the quota full.
 */
import { setMaxListeners } from 'node:events';
import { google, type admin_directory_v1, type admin_reports_v1 } from 'googleapis';
import { googleAppPasswordsApp as appPasswordsApp, type AuditedApp, type AuditedGrant, type IncompleteItem, type ProviderScan } from '../../audit/grant-model';
import { phaseProgress } from '../../audit/phase-progress';
import type { ScanContext } from '../../audit/provider-audit';
import { googleApiOptions } from './google-api-options';
import { describeGoogleFailure } from './google-failure';

export interface GoogleScanOptions {
  /** Cloud project numbers of the organisation's own OAuth clients (internal apps). */
  internalProjectNumbers?: ReadonlySet<string>;
}

/** The phases the scan reports, in order; `users` has no total yet: done and total are the users listed so far. */
export const googleScanPhases = ['users', 'tokens', 'app passwords', 'last use'] as const;
export type GoogleScanPhase = (typeof googleScanPhases)[number];

const pageSize = 500;
/** A call that hangs this long is abandoned and retried like a network failure. */
const callTimeoutMs = 60_000;
const aspNote =
  'An app-specific password: a 16-character password the user made for an app that cannot use Google sign-in (mail, calendar or contacts clients). It signs in with the user’s full access to those services, skips 2-Step Verification, and has no OAuth scopes.';

interface CallOptions {
  headers: Record<string, string>;
  retry: false;
  timeout: number;
  signal: AbortSignal;
}

interface ScannedUser {
  email: string;
  /** The immutable Google id when known (survives an email change), else the email. */
  userKey: string;
  /** What could not be read for this user, one sentence each. */
  failures: string[];
  /** A read was cut off by a cancel. */
  cancelled?: true;
}

/** Shares of the work: two calls per user, one per page of users and of token activity. */
const phaseWeights: Record<GoogleScanPhase, number> = { users: 5, tokens: 45, 'app passwords': 40, 'last use': 10 };

/** Where the scan stands; the phase reported is the first one not finished. */
function progressReporter(onProgress: ScanContext['onProgress']) {
  const report = phaseProgress(phaseWeights, onProgress);
  const users = { done: 0, finished: false };
  const perUser = { tokens: 0, 'app passwords': 0 };
  const lastUse = { done: 0, more: true };
  let last = '';
  const current = (): { phase: GoogleScanPhase; done: number; total: number } => {
    if (!users.finished) return { phase: 'users', done: users.done, total: users.done };
    for (const phase of ['tokens', 'app passwords'] as const) if (perUser[phase] < users.done) return { phase, done: perUser[phase], total: users.done };
    return { phase: 'last use', done: lastUse.done, total: lastUse.done + (lastUse.more ? 1 : 0) };
  };
  const emit = (step: { phase: GoogleScanPhase; done: number; total: number }) => {
    const key = `${step.phase}|${step.done}|${step.total}`;
    if (key === last) return;
    last = key;
    // Until the list ends, how far the users phase is cannot be known.
    report(step.phase, step.done, step.total, step.phase === 'users' && !users.finished ? 0 : undefined);
  };
  const reportCurrent = () => emit(current());
  return {
    listed(count: number, finished: boolean) {
      Object.assign(users, { done: count, finished });
      // Each phase's last report is its total, before the next phase starts.
      if (finished) emit({ phase: 'users', done: count, total: count });
      reportCurrent();
    },
    step(phase: 'tokens' | 'app passwords') {
      const wasCurrent = current().phase === phase;
      perUser[phase] += 1;
      if (wasCurrent && current().phase !== phase) emit({ phase, done: users.done, total: users.done });
      reportCurrent();
    },
    lastUsePage(pages: number, more: boolean) {
      Object.assign(lastUse, { done: pages, more });
      reportCurrent();
    },
  };
}

/**
 * Scans the tenant. Cancelling through `context.signal` stops it cleanly: nothing more is sent, the
 * calls in flight are abandoned, and once none is left it returns what was read, with every user
 * not read in full listed as incomplete. If the user list itself cannot be read the scan rejects
 * with that failure, as it cannot tell which users it missed.
 */
export async function scanGoogleGrants(context: ScanContext, options: GoogleScanOptions = {}): Promise<ProviderScan> {
  const directory = google.admin({ version: 'directory_v1', ...googleApiOptions(context) });
  const reports = google.admin({ version: 'reports_v1', ...googleApiOptions(context) });
  // Stops what is left when the caller cancels or the user list fails.
  const stop = new AbortController();
  const signal = context.signal ? AbortSignal.any([context.signal, stop.signal]) : stop.signal;
  // Calls in flight may each listen to it (fetch does): expected, not a leak.
  setMaxListeners(0, signal);
  // The scheduler owns retries; the library's own would double them and hide rate limits.
  const call = <T>(send: (callOptions: CallOptions) => Promise<{ data: T }>, urgent = false): Promise<T> =>
    context.scheduler.schedule(async () => (await send({ headers: { authorization: `Bearer ${await context.accessToken()}` }, retry: false, timeout: callTimeoutMs, signal })).data, { signal, urgent });
  const progress = progressReporter(context.onProgress);

  const apps = new Map<string, AuditedApp>();
  const grants: AuditedGrant[] = [];
  /** Token grants with their client id, for last use. */
  const tokenGrants: { grant: AuditedGrant; clientId: string }[] = [];

  const readTokens = async (user: ScannedUser): Promise<void> => {
    try {
      const list: admin_directory_v1.Schema$Tokens = await call((callOptions) => directory.tokens.list({ userKey: user.userKey }, callOptions));
      for (const token of list.items ?? []) {
        const clientId = token.clientId ?? '';
        const key = `google:${clientId}`;
        if (!apps.has(key)) {
          apps.set(key, {
            key,
            provider: 'google',
            clientId,
            name: token.displayText ?? clientId,
            publisher: null,
            verifiedPublisher: null,
            internal: options.internalProjectNumbers?.has(clientId.split('-')[0] ?? '') ?? false,
            anonymous: token.anonymous === true,
          });
        }
        const grant: AuditedGrant = { key: `${key}|${user.email}`, appKey: key, provider: 'google', user: user.email, scopes: token.scopes ?? [], consent: 'user', access: 'delegated', lastUsed: null, evidence: token, revocationHandle: clientId };
        grants.push(grant);
        tokenGrants.push({ grant, clientId });
      }
    } catch (error) {
      if (signal.aborted) user.cancelled = true;
      else user.failures.push(`OAuth tokens: ${describeGoogleFailure(error)}`);
    } finally {
      progress.step('tokens');
    }
  };

  const readAppPasswords = async (user: ScannedUser): Promise<void> => {
    try {
      const list: admin_directory_v1.Schema$Asps = await call((callOptions) => directory.asps.list({ userKey: user.userKey }, callOptions));
      for (const asp of list.items ?? []) {
        // Every password is a grant of one pseudo-app, so hundreds of them make one row of the apps
        // table. Google only ever addresses a codeId together with its user: the key carries both.
        const codeId = String(asp.codeId ?? '');
        const key = `${appPasswordsApp.key}|${user.email}|${codeId}`;
        apps.set(appPasswordsApp.key, appPasswordsApp);
        const lastUsedMs = Number(asp.lastTimeUsed);
        grants.push({
          key,
          appKey: appPasswordsApp.key,
          provider: 'google',
          user: user.email,
          scopes: [],
          consent: 'user',
          access: 'delegated',
          lastUsed: Number.isFinite(lastUsedMs) && lastUsedMs > 0 ? new Date(lastUsedMs).toISOString() : null,
          evidence: { ...asp, note: aspNote },
          // Revoked with asps.delete(userKey, codeId).
          revocationHandle: `asp:${codeId}`,
        });
      }
    } catch (error) {
      if (signal.aborted) user.cancelled = true;
      else user.failures.push(`App passwords: ${describeGoogleFailure(error)}`);
    } finally {
      progress.step('app passwords');
    }
  };

  // Last use runs alongside the users: its pages go ahead of the per-user calls.
  const lastUse = readLastUse((pageToken) =>
    call(
      (callOptions) =>
        reports.activities.list({ userKey: 'all', applicationName: 'token', eventName: 'activity', maxResults: 1_000, ...(pageToken ? { pageToken } : {}) }, callOptions),
      true,
    ),
    (pages, more) => progress.lastUsePage(pages, more),
  );

  const users: ScannedUser[] = [];
  const reads: Promise<void>[] = [];
  progress.listed(0, false);
  try {
    let pageToken: string | undefined;
    do {
      const page: admin_directory_v1.Schema$Users = await call(
        (callOptions) => directory.users.list({ customer: 'my_customer', maxResults: pageSize, ...(pageToken ? { pageToken } : {}) }, callOptions),
        true,
      );
      for (const resource of page.users ?? []) {
        const email = resource.primaryEmail ?? resource.id ?? '(unknown user)';
        const user: ScannedUser = { email, userKey: resource.id ?? email, failures: [] };
        users.push(user);
        // Tokens are read while the rest of the list is still coming.
        reads.push(readTokens(user));
      }
      pageToken = page.nextPageToken ?? undefined;
      progress.listed(users.length, !pageToken);
    } while (pageToken);
  } catch (error) {
    if (!context.signal?.aborted) {
      stop.abort();
      await Promise.allSettled([...reads, lastUse]);
      throw error;
    }
  }
  const listingCut = context.signal?.aborted === true;
  // Queued after every token call, so the phases follow each other without a gap between them.
  reads.push(...users.map((user) => readAppPasswords(user)));
  await Promise.allSettled(reads);
  const lastUseByUserAndClient = await lastUse;

  // A cancel keeps what was read: every user not read in full is listed, and so is the rest of the list.
  const unread = users.filter((user) => user.failures.length > 0 || user.cancelled);
  const incomplete: IncompleteItem[] = unread.map((user) => ({ what: user.email, user: user.email, reason: user.failures.length > 0 ? user.failures.join(' ') : 'Cancelled before it was read.' }));
  if (listingCut) incomplete.push({ what: 'users not yet listed', reason: 'Cancelled before the user list was read to the end.' });
  if (lastUseByUserAndClient instanceof Map) {
    for (const { grant, clientId } of tokenGrants) grant.lastUsed = lastUseByUserAndClient.get(`${grant.user ?? ''}|${clientId}`) ?? null;
  } else {
    incomplete.push(context.signal?.aborted ? { ...lastUseByUserAndClient, reason: 'Cancelled before it was read.' } : lastUseByUserAndClient);
  }
  return { apps: [...apps.values()], grants, incomplete, completed: users.length - unread.length, total: users.length };
}

/** Newest `activity` event per (user, client) from the Reports API, where Google keeps it (~180 days); or why it could not be read. */
async function readLastUse(
  page: (token: string | undefined) => Promise<admin_reports_v1.Schema$Activities>,
  onPage: (pages: number, more: boolean) => void,
): Promise<Map<string, string> | IncompleteItem> {
  const lastUse = new Map<string, string>();
  let token: string | undefined;
  let pages = 0;
  try {
    do {
      const activities = await page(token);
      for (const item of activities.items ?? []) {
        const clientId = item.events?.[0]?.parameters?.find((parameter) => parameter.name === 'client_id')?.value;
        const at = item.id?.time;
        const key = `${item.actor?.email ?? ''}|${clientId ?? ''}`;
        if (clientId && at && (lastUse.get(key) ?? '') < at) lastUse.set(key, at);
      }
      token = activities.nextPageToken ?? undefined;
      pages += 1;
      onPage(pages, token !== undefined);
    } while (token);
    return lastUse;
  } catch (error) {
    onPage(pages, false);
    return { what: 'last use (Reports API token activity)', reason: describeGoogleFailure(error), detailOnly: true };
  }
}
