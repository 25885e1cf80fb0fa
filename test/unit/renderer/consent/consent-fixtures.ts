/**
 * Contract-shaped answers for the Consent page tests, each parsed through the contract's own schema
 * so a change to the contract breaks these before it misleads a test.
 */
import {
  ConsentGrantPlanSchema,
  ConsentGrantResultSchema,
  ConsentRequestSchema,
  ConsentReviewSchema,
  PolicyChangePlanSchema,
  PolicyCheckSchema,
  TenantConsentPolicySchema,
  type ConsentGrantPlan,
  type ConsentGrantResult,
  type ConsentRequest,
  type ConsentReview,
  type PolicyChangePlan,
  type PolicyCheck,
  type TenantConsentPolicy,
} from '../../../../src-shared/contract/consent';
import type { Envelope } from '../../../../src-shared/contract/envelope';
import { JobSummarySchema, type JobSummary } from '../../../../src-shared/contract/jobs';
import { connectionView, consoleAnswering, ok } from '../connection-fixtures';

export const boardNotesAppId = '5a1e0c2b-7d3f-4e8a-9b6c-1f2e3d4c5b6a';

export const contoso = connectionView({
  id: 'conn-contoso',
  label: 'Contoso',
  provider: 'microsoft',
  providerLabel: 'Microsoft Entra ID / Microsoft 365',
  family: 'microsoft',
  account: 'admin@contoso.onmicrosoft.com',
  tenant: 'contoso.onmicrosoft.com',
  capabilities: [],
  scopesRequested: ['openid', 'Directory.Read.All'],
  scopesGranted: ['openid', 'Directory.Read.All'],
  clientId: '0f0e0d0c-0000-0000-0000-000000000001',
  hasClientSecret: false,
});

export function policyCheck(overrides: Partial<PolicyCheck> = {}): PolicyCheck {
  return PolicyCheckSchema.parse({
    id: 'microsoft.user_consent',
    controlId: 'MS.AAD.5.2v1',
    cis: 'CIS M365 5.1.5.1',
    criticality: 'shall',
    setting: 'Who may consent to apps',
    value: 'Any user, to any app (legacy setting)',
    expected: 'Nobody: an admin decides',
    why: 'Users who consent on their own let apps read company data without review.',
    result: 'fail',
    reason: 'Users may consent to any app that asks, whoever publishes it.',
    fix: { kind: 'change', change: 'user_consent', label: 'Stop users consenting to apps' },
    ...overrides,
  });
}

export function tenantPolicy(overrides: Partial<TenantConsentPolicy> = {}): TenantConsentPolicy {
  return TenantConsentPolicySchema.parse({
    connectionId: 'conn-contoso',
    label: 'Contoso',
    provider: 'microsoft',
    state: 'read',
    readAt: new Date(Date.now() - 60_000).toISOString(),
    failure: null,
    missingScopes: [],
    canChange: true,
    checks: [
      policyCheck(),
      policyCheck({
        id: 'microsoft.app_registration',
        controlId: 'MS.AAD.5.1v1',
        cis: null,
        setting: 'Who may register apps',
        value: 'Admins only',
        expected: 'Admins only',
        result: 'pass',
        reason: 'Only admins may register applications.',
        fix: null,
      }),
    ],
    microsoft: { userConsent: 'legacy', permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'], groupOwnerConsent: false, allowedToCreateApps: false, workflow: null },
    google: null,
    okta: null,
    ...overrides,
  });
}

export function policyChangePlan(overrides: Partial<PolicyChangePlan> = {}): PolicyChangePlan {
  return PolicyChangePlanSchema.parse({
    planId: 'policy-plan-1',
    connectionId: 'conn-contoso',
    connectionLabel: 'Contoso',
    setting: 'Who may consent to apps',
    before: 'Any user, to any app (legacy setting)',
    after: 'Nobody: an admin decides',
    call: 'PATCH /policies/authorizationPolicy',
    effect: 'Users can no longer consent to apps; they ask an admin instead.',
    missingScopes: [],
    ...overrides,
  });
}

const delegatedScope = (scope: string, level: 'low' | 'medium' | 'high', reason: string) => ({ scope, level, reason, unrated: false });

export function boardNotesRequest(overrides: Partial<ConsentRequest> = {}): ConsentRequest {
  return ConsentRequestSchema.parse({
    connectionId: 'conn-contoso',
    connectionLabel: 'Contoso',
    id: 'request-board-notes',
    appId: boardNotesAppId,
    appName: 'Board Notes',
    publisher: 'Board Notes Ltd',
    verifiedPublisher: false,
    inTenant: false,
    scopes: [
      delegatedScope('User.Read', 'low', 'Signs the user in and reads their profile.'),
      delegatedScope('Calendars.Read', 'medium', 'Reads the user’s calendars.'),
      delegatedScope('Mail.Read', 'high', 'Reads all of the user’s mail.'),
      delegatedScope('Files.Read.All', 'high', 'Reads every file the user can open.'),
    ],
    risk: 'high',
    requests: [
      { id: 'user-request-1', requestedBy: 'megan@contoso.com', reason: 'Board minutes for the Friday meeting.', createdAt: '2026-12-01T09:00:00.000Z', status: 'InProgress' },
      { id: 'user-request-2', requestedBy: 'lee@contoso.com', reason: null, createdAt: '2026-12-02T14:30:00.000Z', status: 'InProgress' },
    ],
    firstRequestedAt: '2026-12-01T09:00:00.000Z',
    lastRequestedAt: '2026-12-02T14:30:00.000Z',
    ...overrides,
  });
}

export function boardNotesReview(overrides: Partial<ConsentReview> = {}): ConsentReview {
  return ConsentReviewSchema.parse({
    reviewId: 'review-1',
    connectionId: 'conn-contoso',
    connectionLabel: 'Contoso',
    appId: boardNotesAppId,
    appName: 'Board Notes',
    publisher: 'Board Notes Ltd',
    verifiedPublisher: false,
    servicePrincipalId: null,
    accountEnabled: null,
    appRoleAssignmentRequired: null,
    requestId: 'request-board-notes',
    delegated: boardNotesRequest().scopes.map((scope) => ({ ...scope, known: true, granted: false, source: 'request' })),
    application: [],
    warnings: [],
    ...overrides,
  });
}

export function grantPlan(overrides: Partial<ConsentGrantPlan> = {}): ConsentGrantPlan {
  return ConsentGrantPlanSchema.parse({
    planId: 'grant-plan-1',
    connectionId: 'conn-contoso',
    connectionLabel: 'Contoso',
    appId: boardNotesAppId,
    appName: 'Board Notes',
    method: 'graph',
    steps: ['Create the service principal of Board Notes', 'Grant User.Read and Calendars.Read to Board Notes for every user'],
    keptDelegated: ['User.Read', 'Calendars.Read'],
    keptApplication: [],
    droppedDelegated: ['Mail.Read', 'Files.Read.All'],
    droppedApplication: [],
    warnings: [],
    missingScopes: [],
    confirmationText: null,
    ...overrides,
  });
}

type Handler = (request: unknown) => Envelope | Promise<Envelope>;

/** A console with the Contoso tenant connected, answering the consent channels; tests override any. */
export function consentConsole(handlers: Record<string, Handler> = {}) {
  return consoleAnswering(
    {
      'consent.policies': () => ok({ tenants: [tenantPolicy()], unsupported: [] }),
      'consent.requests': () => ok({ requests: [boardNotesRequest()], unavailable: [] }),
      'jobs.list': () => ok({ jobs: [] }),
      ...handlers,
    },
    { connections: [contoso] },
  );
}

export function grantJob(overrides: Partial<JobSummary> = {}): JobSummary {
  return JobSummarySchema.parse({
    id: 'consent-job-1',
    kind: 'consent.grant',
    title: 'Grant admin consent to Board Notes',
    state: 'finished',
    reason: null,
    total: 2,
    succeeded: 2,
    failed: 0,
    skipped: 0,
    inDoubt: 0,
    notStarted: 0,
    createdAt: '2026-12-04T10:00:00.000Z',
    updatedAt: '2026-12-04T10:00:05.000Z',
    etaSeconds: null,
    ...overrides,
  });
}

export function grantResult(overrides: Partial<ConsentGrantResult> = {}): ConsentGrantResult {
  return ConsentGrantResultSchema.parse({
    jobId: 'consent-job-1',
    job: grantJob(),
    steps: [
      { label: 'Create the service principal of Board Notes', outcome: 'succeeded', message: 'Created.' },
      { label: 'Grant User.Read and Calendars.Read to Board Notes for every user', outcome: 'succeeded', message: 'Granted.' },
    ],
    granted: {
      connectionId: 'conn-contoso',
      appId: boardNotesAppId,
      appName: 'Board Notes',
      readAt: new Date().toISOString(),
      delegated: ['User.Read', 'Calendars.Read'],
      application: [],
      askedDelegated: ['User.Read', 'Calendars.Read'],
      askedApplication: [],
      missing: [],
      extra: [],
      matches: true,
    },
    ...overrides,
  });
}
