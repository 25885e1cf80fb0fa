/**
 * The connections service as the app builds it, with Node adapters: conf stores in a temporary
 * profile, the vault over real AES-256-GCM, the real OAuth clients, and an opener that hands the
 * authorization URL to a scripted "browser".
 */
import { randomBytes } from 'node:crypto';
import { ActivityLog } from '../../../src-main/activity/activity-log';
import { ActivityService } from '../../../src-main/activity/activity-service';
import { ConnectionStore } from '../../../src-main/connections/connection-record';
import { ConnectionService } from '../../../src-main/connections/connection-service';
import { EventHub } from '../../../src-main/events/event-hub';
import { genericOAuthClient, googleOAuthClient, microsoftOAuthClient } from '../../support/node-oauth-clients';
import { openConfKeyValueStore } from '../../../src-main/storage/conf-key-value-store';
import { SecretVault } from '../../../src-main/vault/secret-vault';
import type { EventName } from '../../../src-shared/contract/channels';
import { createAesGcmCipher } from '../../support/aes-gcm-cipher';
import { driveAuthorization, type DriveOptions, type DriveResult } from '../../support/authorization-driver';
import { providerDefinitions } from '../../support/provider-definitions';

export interface HarnessOptions {
  profile: string;
  vaultKey?: Buffer;
  /** What the "person in the browser" does with each authorization URL. */
  browser?: DriveOptions | 'ignore';
  authorizationTimeoutMs?: number;
  random?: () => number;
}

export async function startConnectionHarness(options: HarnessOptions) {
  const vaultKey = options.vaultKey ?? randomBytes(32);
  const events = new EventHub();
  const published: { event: EventName; payload: unknown }[] = [];
  events.subscribe((event, payload) => published.push({ event, payload }));
  const activityLog = await ActivityLog.open(`${options.profile}/activity`);
  const activity = new ActivityService(activityLog, events);
  const vault = new SecretVault(openConfKeyValueStore(options.profile, 'vault'), createAesGcmCipher(vaultKey));
  const opened: string[] = [];
  const browserResults: Promise<DriveResult>[] = [];
  const notifications: { title: string; body: string }[] = [];
  let browser = options.browser ?? {};
  const service = new ConnectionService({
    definitions: providerDefinitions,
    store: new ConnectionStore(openConfKeyValueStore(options.profile, 'connections'), providerDefinitions),
    vault,
    clients: { google: googleOAuthClient, microsoft: microsoftOAuthClient, generic: genericOAuthClient },
    openBrowser: async (url) => {
      opened.push(url);
      if (browser !== 'ignore') {
        const result = driveAuthorization(url, browser);
        result.catch(() => undefined);
        browserResults.push(result);
      }
    },
    notify: (notice) => notifications.push(notice),
    activity,
    events,
    ...(options.random ? { random: options.random } : {}),
    ...(options.authorizationTimeoutMs ? { authorizationTimeoutMs: options.authorizationTimeoutMs } : {}),
  });
  await service.start();
  return {
    service,
    vault,
    vaultKey,
    activityLog,
    published,
    opened,
    browserResults,
    notifications,
    setBrowser(next: DriveOptions | 'ignore') {
      browser = next;
    },
    async close() {
      service.close();
      await activityLog.close();
    },
  };
}

export type ConnectionHarness = Awaited<ReturnType<typeof startConnectionHarness>>;
