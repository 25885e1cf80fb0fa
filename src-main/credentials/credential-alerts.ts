/**
 * Tells the admin — on the desktop and in the console — when a credential enters the warning
 * window or expires: once per credential and status, remembered in the profile
 * (credential-alerts.json), so a restart or the next daily check does not raise it again. The
 * alerts raised in this run stay pending until the admin dismisses them: a window that opens (or
 * subscribes) after one was raised asks for them, so none is lost to an event nobody heard.
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

interface PendingAlert {
  alert: CredentialAlert;
  connectionId: string;
}

export class CredentialAlerts {
  readonly #options: CredentialAlertsOptions;
  readonly #clock: () => Date;
  /** By credential key: the latest alert of each (expired replaces expiring). */
  readonly #pending = new Map<string, PendingAlert>();

  constructor(options: CredentialAlertsOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** Raises the alerts not raised before for these credentials (every credential read); returns them. */
  check(credentials: Iterable<Credential>): CredentialAlert[] {
    const now = this.#clock();
    const kept = this.#raised().filter((entry) => now.getTime() - Date.parse(entry.at) < rememberedMs);
    const seen = new Set(kept.map((entry) => `${entry.status}|${entry.key}`));
    const alerts: CredentialAlert[] = [];
    const raised: PendingAlert[] = [];
    const listed = new Set<string>();
    const readConnections = new Set<string>();
    for (const credential of credentials) {
      listed.add(credential.key);
      readConnections.add(credential.connectionId);
      const status = credential.status === 'expiring' || credential.status === 'expired' ? credential.status : null;
      // A disabled credential works for nothing already: its expiry asks for no rotation.
      if (status === null || credential.disabled) {
        this.#pending.delete(credential.key);
        continue;
      }
      const alert = alertFor(credential, status);
      // A pending alert says what is true now (expired, not "expires soon"), even when not raised again.
      if (this.#pending.has(credential.key)) this.#pending.set(credential.key, { alert, connectionId: credential.connectionId });
      if (seen.has(`${status}|${credential.key}`)) continue;
      alerts.push(alert);
      raised.push({ alert, connectionId: credential.connectionId });
      kept.push({ key: credential.key, status, at: now.toISOString() });
    }
    // Gone from a tenant that was read (rotated, revoked): nothing left to rotate. A tenant whose
    // read failed lists nothing, and keeps its alerts.
    for (const [key, pending] of this.#pending) if (!listed.has(key) && readConnections.has(pending.connectionId)) this.#pending.delete(key);
    if (alerts.length === 0) return alerts;
    // Remembered before telling: when the save fails nothing is told, and the next check tries again.
    this.#options.store.set(raisedKey, kept);
    for (const entry of raised) this.#pending.set(entry.alert.credentialKey, entry);
    this.#options.events.publish('credentials.alert', { alerts });
    for (const alert of alerts.slice(0, desktopNoticesPerCheck)) this.#options.notify({ title: `Consentry: ${alert.title}`, body: alert.message });
    const more = alerts.length - desktopNoticesPerCheck;
    if (more > 0) {
      this.#options.notify({ title: 'Consentry: more credentials need rotating', body: `${more.toLocaleString('en-US')} more credentials are expiring or expired. See them on the Credentials page.` });
    }
    return alerts;
  }

  /** The alerts raised in this run that the admin has not dismissed and that still apply. */
  pending(): CredentialAlert[] {
    return [...this.#pending.values()].map((entry) => entry.alert);
  }

  /** The admin dismissed these credentials' alerts (or went to rotate them); returns those left. */
  dismiss(credentialKeys: readonly string[]): CredentialAlert[] {
    for (const key of credentialKeys) this.#pending.delete(key);
    return this.pending();
  }

  #raised(): Raised[] {
    const stored = this.#options.store.get(raisedKey);
    return (Array.isArray(stored) ? stored : []).flatMap((entry) => RaisedSchema.safeParse(entry).data ?? []);
  }
}
