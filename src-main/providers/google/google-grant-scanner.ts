/**
 * Reads a Google Workspace tenant's third-party access into the audit model: every user's OAuth
 * tokens (Directory API), with last use from the Reports API's token activity. Every call goes
 * through the tenant's request scheduler; a user whose tokens could not be read is listed as
 * incomplete with the reason, never dropped.
 */
import { google, type admin_directory_v1, type admin_reports_v1 } from 'googleapis';
import type { AuditedApp, AuditedGrant, IncompleteItem, ProviderScan, ScanProgress } from '../../audit/grant-model';
import type { RequestScheduler } from '../../net/request-scheduler';
import { describeGoogleFailure } from './google-failure';

export interface GoogleScanOptions {
  /** googleapis rootUrl: Google's own by default, the simulator's in tests and the sample. */
  rootUrl?: string;
  accessToken(): Promise<string>;
  scheduler: RequestScheduler;
  /** Cloud project numbers of the organisation's own OAuth clients (internal apps). */
  internalProjectNumbers?: ReadonlySet<string>;
  onProgress?(progress: ScanProgress): void;
  signal?: AbortSignal;
}

const pageSize = 500;

export async function scanGoogleGrants(options: GoogleScanOptions): Promise<ProviderScan> {
  const directory = google.admin({ version: 'directory_v1', ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}) });
  const reports = google.admin({ version: 'reports_v1', ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}) });
  // The scheduler owns retries; the library's own would double them and hide rate limits.
  const call = async <T>(request: (headers: Record<string, string>) => Promise<{ data: T }>): Promise<T> =>
    options.scheduler.schedule(async () => (await request({ authorization: `Bearer ${await options.accessToken()}` })).data, { signal: options.signal });
  const callOptions = (headers: Record<string, string>) => ({ headers, retry: false });

  const users: admin_directory_v1.Schema$User[] = [];
  let pageToken: string | undefined;
  do {
    const page: admin_directory_v1.Schema$Users = await call((headers) =>
      directory.users.list({ customer: 'my_customer', maxResults: pageSize, ...(pageToken ? { pageToken } : {}) }, callOptions(headers)),
    );
    users.push(...(page.users ?? []));
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);

  const total = users.length;
  let done = 0;
  options.onProgress?.({ done, total });
  const incomplete: IncompleteItem[] = [];
  const grants: AuditedGrant[] = [];
  const apps = new Map<string, AuditedApp>();
  await Promise.all(
    users.map(async (user) => {
      const email = user.primaryEmail ?? user.id ?? '(unknown user)';
      try {
        const list: admin_directory_v1.Schema$Tokens = await call((headers) => directory.tokens.list({ userKey: user.id ?? email }, callOptions(headers)));
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
          grants.push({ appKey: key, provider: 'google', user: email, scopes: token.scopes ?? [], consent: 'user', access: 'delegated', lastUsed: null, evidence: token });
        }
      } catch (error) {
        if ((error as { name?: string }).name === 'AbortError') throw error;
        incomplete.push({ what: email, reason: describeGoogleFailure(error) });
      } finally {
        done += 1;
        options.onProgress?.({ done, total });
      }
    }),
  );

  await attachLastUse(grants, incomplete, (pageTokenValue) =>
    call((headers) =>
      reports.activities.list({ userKey: 'all', applicationName: 'token', eventName: 'activity', maxResults: 1_000, ...(pageTokenValue ? { pageToken: pageTokenValue } : {}) }, callOptions(headers)),
    ),
  );

  return { apps: [...apps.values()], grants, incomplete, completed: total - incomplete.length, total };
}

/** Newest `activity` event per (user, client) from the Reports API, where Google keeps it (~180 days). */
async function attachLastUse(grants: AuditedGrant[], incomplete: IncompleteItem[], page: (token: string | undefined) => Promise<admin_reports_v1.Schema$Activities>): Promise<void> {
  const lastUse = new Map<string, string>();
  let token: string | undefined;
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
    } while (token);
  } catch (error) {
    if ((error as { name?: string }).name === 'AbortError') throw error;
    incomplete.push({ what: 'last use (Reports API token activity)', reason: describeGoogleFailure(error) });
  }
  for (const grant of grants) {
    const clientId = (grant.evidence as { clientId?: string }).clientId ?? '';
    grant.lastUsed = lastUse.get(`${grant.user ?? ''}|${clientId}`) ?? null;
  }
}
