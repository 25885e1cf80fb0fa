/**
 * Contract-shaped answers for the Offboarding page tests, each parsed through the contract's own
 * schema so a change to the contract breaks these before it misleads a test.
 */
import type { Envelope } from '../../../../src-shared/contract/envelope';
import { JobSummarySchema, type JobSummary } from '../../../../src-shared/contract/jobs';
import {
  ListRowSchema,
  OffboardingListSchema,
  OffboardingPlanSchema,
  RunDetailSchema,
  type DryRun,
  type ListRow,
  type OffboardingList,
  type OffboardingPlan,
  type RunDetail,
  type RunStep,
} from '../../../../src-shared/contract/offboarding';
import { connectionView, consoleAnswering, ok } from '../connection-fixtures';
import { contoso } from '../consent/consent-fixtures';

export const at = '2026-12-04T09:00:00.000Z';

export const acme = connectionView();

export const departed = { ana: 'ana.lopez@acme.example', sam: 'sam.berg@acme.example', lee: 'lee.chen@acme.example' };

export function listRow(overrides: Partial<ListRow> = {}): ListRow {
  return ListRowSchema.parse({ id: 'row-2', line: 2, email: departed.ana, transferTo: departed.lee, providers: null, note: null, verdict: 'ready', reasons: [], ...overrides });
}

export const readyRow = listRow();
export const warningRow = listRow({
  id: 'row-3',
  line: 3,
  email: departed.sam,
  transferTo: null,
  verdict: 'warning',
  reasons: [{ level: 'warning', code: 'not_found', message: 'Not found at Contoso: nothing to do there.', connectionId: 'conn-contoso' }],
});
export const errorRow = listRow({
  id: 'row-4',
  line: 4,
  email: 'jo.kim@acme',
  transferTo: null,
  note: 'Left Friday',
  verdict: 'error',
  reasons: [{ level: 'error', code: 'not_an_email', message: '“jo.kim@acme” is not an email address: it has no domain after the @.', connectionId: null }],
});

const countsOf = (rows: ListRow[]) => ({
  ready: rows.filter((row) => row.verdict === 'ready').length,
  warning: rows.filter((row) => row.verdict === 'warning').length,
  error: rows.filter((row) => row.verdict === 'error').length,
});

export function offboardingList(rows: ListRow[] = [readyRow, warningRow, errorRow], overrides: Partial<OffboardingList> = {}): OffboardingList {
  return OffboardingListSchema.parse({
    id: 'list-1',
    createdAt: at,
    source: { kind: 'paste', fileName: null },
    delimiter: ',',
    columns: ['email', 'transfer_to', 'providers', 'note'],
    rows,
    counts: countsOf(rows),
    checks: [
      { connectionId: 'conn-acme', label: 'Acme Workspace', provider: 'google', state: 'checked', message: '300 people read.', checkedAt: at },
      { connectionId: 'conn-contoso', label: 'Contoso', provider: 'microsoft', state: 'checked', message: '280 people read.', checkedAt: at },
    ],
    checkedAt: at,
    ...overrides,
  });
}

const googleSteps = [
  { kind: 'google.app_passwords', title: 'Remove app passwords', mode: 'api', why: 'They sign in without 2-step verification.', where: null },
  { kind: 'google.oauth_tokens', title: 'Remove OAuth tokens', mode: 'api', why: 'Apps lose access to the account.', where: null },
  { kind: 'google.suspend', title: 'Suspend the account', mode: 'api', why: 'Last, once access is removed.', where: null },
];
const microsoftSteps = [
  { kind: 'microsoft.revoke_sessions', title: 'Revoke sign-in sessions', mode: 'api', why: 'Ends every session and refresh token.', where: null },
  { kind: 'microsoft.teams_devices', title: 'Wipe Teams Rooms devices', mode: 'manual', why: 'No Graph call does it.', where: { label: 'Teams admin center › Devices', url: 'https://admin.teams.microsoft.com/devices' } },
];

export function plan(overrides: Partial<OffboardingPlan> = {}): OffboardingPlan {
  return OffboardingPlanSchema.parse({
    id: 'plan-1',
    listId: 'list-1',
    createdAt: at,
    options: { suspend: true, transferData: true, connectionIds: [] },
    connections: [
      { connectionId: 'conn-acme', label: 'Acme Workspace', provider: 'google', providerLabel: 'Google Workspace', steps: googleSteps, people: 2, apiSteps: 6, missingScopes: [], blocked: null },
      { connectionId: 'conn-contoso', label: 'Contoso', provider: 'microsoft', providerLabel: 'Microsoft Entra ID', steps: microsoftSteps, people: 1, apiSteps: 1, missingScopes: [], blocked: null },
    ],
    people: [
      { rowId: readyRow.id, email: readyRow.email, transferTo: readyRow.transferTo, steps: [] },
      { rowId: warningRow.id, email: warningRow.email, transferTo: null, steps: [] },
    ],
    apiSteps: 7,
    manualSteps: 1,
    warnings: [{ email: warningRow.email, message: 'Not found at Contoso: nothing to do there.' }],
    excludedRows: 1,
    dryRun: null,
    confirmationPhrase: 'OFFBOARD 2',
    ...overrides,
  });
}

export function dryRun(overrides: Partial<DryRun> = {}): DryRun {
  return {
    state: 'finished',
    startedAt: at,
    finishedAt: at,
    done: 2,
    total: 2,
    people: [
      {
        rowId: readyRow.id,
        email: readyRow.email,
        steps: [
          { connectionId: 'conn-acme', kind: 'google.oauth_tokens', state: 'would_change', count: 37, description: '37 OAuth tokens' },
          { connectionId: 'conn-contoso', kind: 'microsoft.revoke_sessions', state: 'failed', count: null, description: 'Microsoft Graph refused: the connection lacks User.RevokeSessions.All.' },
        ],
      },
      { rowId: warningRow.id, email: warningRow.email, steps: [{ connectionId: 'conn-acme', kind: 'google.oauth_tokens', state: 'nothing_to_do', count: 0, description: 'No OAuth tokens' }] },
    ],
    totals: [
      { connectionId: 'conn-acme', kind: 'google.oauth_tokens', people: 18, items: 37, failed: 0 },
      { connectionId: 'conn-contoso', kind: 'microsoft.revoke_sessions', people: 0, items: 0, failed: 1 },
    ],
    reason: null,
    ...overrides,
  };
}

export function job(overrides: Partial<JobSummary> = {}): JobSummary {
  return JobSummarySchema.parse({
    id: 'run-1',
    kind: 'offboarding.run',
    title: 'Offboard 2 people',
    state: 'running',
    reason: null,
    total: 8,
    succeeded: 3,
    failed: 1,
    skipped: 1,
    inDoubt: 0,
    notStarted: 3,
    createdAt: at,
    updatedAt: at,
    etaSeconds: 180,
    ...overrides,
  });
}

export function runStep(overrides: Partial<RunStep> = {}): RunStep {
  return {
    connectionId: 'conn-acme',
    kind: 'google.oauth_tokens',
    title: 'Remove OAuth tokens',
    status: 'succeeded',
    code: 'removed',
    message: 'Removed 37 OAuth tokens; none remain.',
    at,
    before: '37 OAuth tokens',
    after: 'No OAuth tokens',
    requestIds: ['req-7f3a'],
    verified: true,
    ...overrides,
  };
}

export function runDetail(overrides: Partial<RunDetail> = {}): RunDetail {
  return RunDetailSchema.parse({
    job: job(),
    people: 2,
    options: { suspend: true, transferData: true, connectionIds: [] },
    stepsPerMinute: 12,
    connections: [
      { connectionId: 'conn-acme', label: 'Acme Workspace', provider: 'google', total: 6, ended: 4, failed: 1 },
      { connectionId: 'conn-contoso', label: 'Contoso', provider: 'microsoft', total: 2, ended: 1, failed: 0 },
    ],
    persons: [
      {
        email: departed.ana,
        state: 'failed',
        steps: [
          runStep(),
          runStep({ kind: 'google.suspend', title: 'Suspend the account', status: 'failed', code: 'failed', message: 'Google refused: the user is protected by an admin role.', before: null, after: null, requestIds: [], verified: false }),
        ],
      },
      {
        email: departed.sam,
        state: 'running',
        steps: [
          runStep({ connectionId: 'conn-contoso', kind: 'microsoft.teams_devices', title: 'Wipe Teams Rooms devices', status: 'manual', code: 'manual', message: 'Do it at Teams admin center › Devices.', before: null, after: null, requestIds: [], verified: false }),
          runStep({ status: 'running', code: null, message: null, at: null, before: null, after: null, requestIds: [], verified: false }),
        ],
      },
    ],
    manual: [{ email: departed.sam, connectionId: 'conn-contoso', kind: 'microsoft.teams_devices', title: 'Wipe Teams Rooms devices', where: 'Teams admin center › Devices', url: 'https://admin.teams.microsoft.com/devices' }],
    ...overrides,
  });
}

export const runSummaryOf = ({ job: summary, people, options, stepsPerMinute, connections }: RunDetail) => ({ job: summary, people, options, stepsPerMinute, connections });

type Handler = (request: unknown) => Envelope | Promise<Envelope>;

/** A console with Acme (Google) and Contoso (Microsoft) connected, no list, no plan and no run yet; tests override any channel. */
export function offboardingConsole(handlers: Record<string, Handler> = {}) {
  return consoleAnswering(
    {
      'offboarding.list': () => ok({ list: null }),
      'offboarding.currentPlan': () => ok({ plan: null }),
      'offboarding.runs': () => ok({ runs: [] }),
      'jobs.list': () => ok({ jobs: [] }),
      ...handlers,
    },
    { connections: [acme, contoso] },
  );
}
