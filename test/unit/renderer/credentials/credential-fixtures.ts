/**
 * Contract-shaped answers for the Credentials tests, each parsed through the contract's own schema
 * so a change to the contract breaks these before it misleads a test.
 */
import {
  CredentialInventorySchema,
  CredentialSchema,
  RevokePlanSchema,
  RevokeReportSchema,
  RotationSchema,
  type Credential,
  type CredentialInventory,
  type RevokePlan,
  type RevokeReport,
  type Rotation,
} from '../../../../src-shared/contract/credentials';
import type { Envelope } from '../../../../src-shared/contract/envelope';
import { consoleAnswering, ok } from '../connection-fixtures';
import { contoso } from '../consent/consent-fixtures';

export const readAt = '2026-12-04T09:00:00.000Z';
const daysFromRead = (days: number) => new Date(Date.parse(readAt) + days * 86_400_000).toISOString();

export function credential(overrides: Partial<Credential> = {}): Credential {
  const base = {
    connectionId: 'conn-contoso',
    tenantLabel: 'Contoso',
    provider: 'microsoft',
    kind: 'app_secret',
    ownerKind: 'application',
    ownerId: 'app-object-payroll',
    ownerName: 'Payroll Sync',
    credentialId: 'b3f1c2d4-0000-4000-8000-00000000a001',
    displayName: 'Payroll Sync prod',
    hint: 'Xy7',
    createdAt: daysFromRead(-80),
    expiresAt: daysFromRead(10),
    lastUsedAt: null,
    lastUsedNote: null,
    restrictions: null,
    disabled: false,
    managedBy: 'admin',
    status: 'expiring',
    findings: [{ status: 'expiring', reason: 'Expires in 10 days; the warning window is 30 days.' }],
    rotation: { mode: 'api', note: null },
    revocable: true,
    readAt,
    rotationId: null,
    ...overrides,
  };
  return CredentialSchema.parse({ key: `${base.connectionId}|${base.kind}|${base.ownerId}|${base.credentialId}`, ...base });
}

export const payrollSecret = credential();
export const expiredSecret = credential({
  credentialId: 'c0ffee00-0000-4000-8000-00000000a002',
  displayName: 'Old HR connector',
  ownerId: 'app-object-hr',
  ownerName: 'HR Connector',
  createdAt: daysFromRead(-400),
  expiresAt: daysFromRead(-3),
  status: 'expired',
  findings: [
    { status: 'expired', reason: 'Expired 3 days ago.' },
    { status: 'too_old', reason: 'Created 400 days ago; the policy allows 90.' },
  ],
});
export const unrestrictedKey = credential({
  connectionId: 'conn-acme',
  tenantLabel: 'Acme Workspace',
  provider: 'google',
  kind: 'api_key',
  ownerKind: 'project',
  ownerId: 'maps-prod-4821',
  ownerName: 'maps-prod-4821',
  credentialId: 'projects/4821/locations/global/keys/key-unrestricted',
  displayName: 'Maps browser key',
  hint: null,
  createdAt: daysFromRead(-20),
  expiresAt: null,
  restrictions: [],
  status: 'unrestricted',
  findings: [{ status: 'unrestricted', reason: 'No application or API restrictions: anyone holding it may call every enabled API.' }],
});
export const healthyCertificate = credential({
  kind: 'app_certificate',
  credentialId: 'cert-0000-4000-8000-00000000a003',
  displayName: 'CN=payroll-signing',
  hint: null,
  createdAt: daysFromRead(-10),
  expiresAt: daysFromRead(355),
  status: 'ok',
  findings: [],
});

export function inventory(overrides: Partial<CredentialInventory> = {}): CredentialInventory {
  return CredentialInventorySchema.parse({
    credentials: [payrollSecret, expiredSecret, unrestrictedKey, healthyCertificate],
    sources: [
      { connectionId: 'conn-contoso', tenantLabel: 'Contoso', provider: 'microsoft', state: 'read', message: 'Read 3 credentials.', nextStep: null, missingScopes: [], count: 3, readAt },
      { connectionId: 'conn-acme', tenantLabel: 'Acme Workspace', provider: 'google', state: 'read', message: 'Read 1 key.', nextStep: null, missingScopes: [], count: 1, readAt },
    ],
    policy: { maxAgeDays: {}, defaultMaxAgeDays: 90, warningDays: 30, forbidUnrestrictedApiKeys: true, unusedKeyDays: 90 },
    readAt,
    reading: false,
    ...overrides,
  });
}

const rotationSteps = (current: string): Rotation['steps'] => {
  const ids = ['create', 'handover', 'overlap', 'retire', 'verify'];
  const at = ids.indexOf(current);
  return ids.map((id, index) => ({ id, label: id[0]!.toUpperCase() + id.slice(1), status: index < at ? 'done' : index === at ? 'current' : 'waiting', at: null }));
};

export function rotation(overrides: Partial<Rotation> = {}): Rotation {
  return RotationSchema.parse({
    id: 'rot-1a2b3c4d',
    credentialKey: payrollSecret.key,
    connectionId: 'conn-contoso',
    tenantLabel: 'Contoso',
    provider: 'microsoft',
    kind: 'app_secret',
    ownerName: 'Payroll Sync',
    old: { credentialId: payrollSecret.credentialId, displayName: payrollSecret.displayName, hint: payrollSecret.hint, createdAt: payrollSecret.createdAt, expiresAt: payrollSecret.expiresAt },
    planned: { displayName: 'Payroll Sync prod (rotated 2026-12-04 by Consentry r:rot-1a2b)', expiresAt: daysFromRead(90) },
    created: null,
    state: 'ready',
    steps: rotationSteps('create'),
    secretWaiting: false,
    secretFormat: 'text',
    overlapUntil: null,
    failure: null,
    prompt: 'Check the plan, then create the new secret.',
    startedAt: readAt,
    updatedAt: readAt,
    finishedAt: null,
    ...overrides,
  });
}

export const createdSecret = { credentialId: 'new0-0000-4000-8000-00000000b001', displayName: 'Payroll Sync prod (rotated 2026-12-04 by Consentry r:rot-1a2b)', hint: 'Qw3', createdAt: readAt, expiresAt: daysFromRead(90) };

export function atHandover(overrides: Partial<Rotation> = {}): Rotation {
  return rotation({ state: 'handover', steps: rotationSteps('handover'), created: createdSecret, secretWaiting: true, prompt: 'Put the new secret in the app, then confirm.', ...overrides });
}

export function revokePlan(overrides: Partial<RevokePlan> = {}): RevokePlan {
  return RevokePlanSchema.parse({
    planId: 'revoke-plan-1',
    items: [{ key: unrestrictedKey.key, label: 'Maps browser key', action: 'Deletes the key', breaks: 'Every page and app calling Maps with this key.' }],
    refused: [],
    confirmationText: 'Maps browser key',
    expiresAt: daysFromRead(1),
    ...overrides,
  });
}

export function revokeReport(overrides: Partial<RevokeReport> = {}): RevokeReport {
  return RevokeReportSchema.parse({
    job: {
      id: 'revoke-job-1',
      kind: 'credentials.revoke',
      title: 'Revoke 1 credential',
      state: 'finished',
      reason: null,
      total: 1,
      succeeded: 1,
      failed: 0,
      skipped: 0,
      inDoubt: 0,
      notStarted: 0,
      createdAt: readAt,
      updatedAt: readAt,
      etaSeconds: null,
    },
    items: [{ key: unrestrictedKey.key, label: 'Maps browser key', status: 'succeeded', message: null, verified: true }],
    ...overrides,
  });
}

type Handler = (request: unknown) => Envelope | Promise<Envelope>;

/** A console with Contoso connected, answering the credentials channels; tests override any. */
export function credentialsConsole(handlers: Record<string, Handler> = {}) {
  return consoleAnswering(
    {
      'credentials.inventory': () => ok(inventory()),
      'credentials.rotations': () => ok([]),
      'credentials.cloudProjects': () => ok([]),
      'credentials.history': () => ok({ entries: [], rotations: [] }),
      'jobs.list': () => ok({ jobs: [] }),
      ...handlers,
    },
    { connections: [contoso] },
  );
}
