/** A credential as an adapter reads it, at a fixed "now", for the policy and service tests. */
import type { ReadCredential } from '../../../../src-main/credentials/credentials-port';

export const now = new Date('2026-12-04T12:00:00Z');
export const day = 86_400_000;
export const daysFromNow = (days: number) => new Date(now.getTime() + days * day).toISOString();

/** An Entra app secret of Payroll Sync, ten days old, without expiry, use or restrictions. */
export function readCredential(overrides: Partial<ReadCredential> = {}): ReadCredential {
  return {
    kind: 'app_secret',
    ownerKind: 'application',
    ownerId: 'app-payroll',
    ownerName: 'Payroll Sync',
    credentialId: 'key-1',
    displayName: `Secret ${overrides.credentialId ?? 'key-1'}`,
    hint: 'Xy1',
    createdAt: daysFromNow(-10),
    expiresAt: null,
    lastUsedAt: null,
    lastUseKnown: false,
    lastUsedNote: null,
    restrictions: null,
    disabled: false,
    managedBy: 'admin',
    rotation: { mode: 'api', note: null },
    revocable: true,
    ...overrides,
  };
}
