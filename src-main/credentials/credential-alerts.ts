/**
 * Tells the admin — on the desktop and in the console — when a credential enters the warning
 * window or expires: once per credential and status, remembered in the profile
 * (credential-alerts.json), so a restart or the next daily check does not raise it again.
 */
import { z } from 'zod';
import type { Credential, CredentialAlert } from '../../src-shared/contract/credentials';
import type { DesktopNotifier } from '../connections/connection-service';
import type { EventHub } from '../events/event-hub';
import type { KeyValueStore } from '../storage/key-value-store';
import { credentialLabel } from './credential-key';

const raisedKey = 'raised';
const RaisedSchema = z.object({ key: z.string(), status: z.enum(['expiring', 'expired']), at: z.string() });
type Raised = z.infer<typeof RaisedSchema>;

/** An alert older than this is forgotten: its credential has long been rotated or removed. */
const rememberedMs = 400 * 86_400_000;
/** Desktop notifications per check; more are summed up in one, the console lists them all. */
const desktopNoticesPerCheck = 5;

export interface CredentialAlertsOptions {
  store: KeyValueStore;
  events: Pick<EventHub, 'publish'>;
  notify: DesktopNotifier;
  clock?: () => Date;
}

export function alertFor(credential: Credential, status: CredentialAlert['status']): CredentialAlert {
  const name = credentialLabel(credential);
  const reason = credential.findings.find((finding) => finding.status === status)?.reason ?? '';
  const where = `${name} of ${credential.ownerName} (${credential.tenantLabel})`;
  return status === 'expired'
    ? { credentialKey: credential.key, status, title: `${name} has expired`, message: `${where}: ${reason} Rotate it, or remove it if nothing uses it.` }
    : { credentialKey: credential.key, status, title: `${name} expires soon`, message: `${where}: ${reason} Rotate it before then.` };
}

export class CredentialAlerts {
  readonly #options: CredentialAlertsOptions;
  readonly #clock: () => Date;

  constructor(options: CredentialAlertsOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** Raises the alerts not raised before for these credentials; returns them. */
  check(credentials: Iterable<Credential>): CredentialAlert[] {
    const now = this.#clock();
    const kept = this.#raised().filter((entry) => now.getTime() - Date.parse(entry.at) < rememberedMs);
    const seen = new Set(kept.map((entry) => `${entry.status}|${entry.key}`));
    const alerts: CredentialAlert[] = [];
    for (const credential of credentials) {
      if (credential.status !== 'expiring' && credential.status !== 'expired') continue;
      // A disabled credential works for nothing already: its expiry asks for no rotation.
      if (credential.disabled) continue;
      if (seen.has(`${credential.status}|${credential.key}`)) continue;
      alerts.push(alertFor(credential, credential.status));
      kept.push({ key: credential.key, status: credential.status, at: now.toISOString() });
    }
    if (alerts.length === 0) return alerts;
    // Remembered before telling: when the save fails nothing is told, and the next check tries again.
    this.#options.store.set(raisedKey, kept);
    this.#options.events.publish('credentials.alert', { alerts });
    for (const alert of alerts.slice(0, desktopNoticesPerCheck)) this.#options.notify({ title: `Consentry: ${alert.title}`, body: alert.message });
    const more = alerts.length - desktopNoticesPerCheck;
    if (more > 0) {
      this.#options.notify({ title: 'Consentry: more credentials need rotating', body: `${more.toLocaleString('en-US')} more credentials are expiring or expired. See them on the Credentials page.` });
    }
    return alerts;
  }

  #raised(): Raised[] {
    const stored = this.#options.store.get(raisedKey);
    return (Array.isArray(stored) ? stored : []).flatMap((entry) => RaisedSchema.safeParse(entry).data ?? []);
  }
}
