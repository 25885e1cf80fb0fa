import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { evidenceCsv, evidenceJson } from '../../../../src-main/offboarding/offboarding-evidence';
import { runDetail, type StepItem } from '../../../../src-main/offboarding/offboarding-runs';
import { stepLabel, type StepPayload } from '../../../../src-main/offboarding/offboarding-step-kind';
import type { JobSummary } from '../../../../src-shared/contract/jobs';

const now = new Date('2026-12-04T12:00:00.000Z');
const runId = '3f2a9c1e-1111-4222-8333-444455556666';

const job: JobSummary = {
  id: runId,
  kind: 'offboarding.step',
  title: 'Offboard 2 people',
  state: 'finished',
  reason: null,
  total: 5,
  succeeded: 2,
  failed: 1,
  skipped: 2,
  inDoubt: 0,
  notStarted: 0,
  createdAt: '2026-12-04T11:00:00.000Z',
  updatedAt: '2026-12-04T11:01:00.000Z',
  etaSeconds: null,
};

function entry(email: string, kind: string, title: string, n: number, ended: Omit<StepItem, 'item'>, mode: StepPayload['mode'] = 'api'): StepItem {
  const payload: StepPayload = {
    planId: 'plan-1',
    connectionId: kind.startsWith('google') ? 'g1' : 'm1',
    connectionLabel: kind.startsWith('google') ? 'Acme Google' : 'Acme Microsoft',
    provider: kind.startsWith('google') ? 'google' : 'microsoft',
    email,
    transferTo: null,
    kind,
    mode,
    title,
    options: { suspend: true, transferData: true, connectionIds: [] },
    confirmedAt: '2026-12-04T11:00:00.000Z',
    where: mode === 'manual' ? { label: 'Admin console → Mail', url: null } : null,
    note: null,
  };
  return { item: { n, key: `${email}|${payload.connectionId}|${kind}`, label: stepLabel(payload), phase: 0, chain: `${email}|${payload.connectionId}`, payload }, ...ended };
}

const items: StepItem[] = [
  entry('ann@example.com', 'google.app_passwords', 'Delete app passwords', 0, {
    status: 'succeeded',
    at: '2026-12-04T11:00:10.000Z',
    outcome: { result: 'succeeded', code: 'done', verified: true, message: 'Deleted 2 app passwords; none remain.', errorCode: null, evidence: { before: '2 app passwords', after: 'none', requestIds: ['r-1', 'r-2'] } },
  }),
  entry('ann@example.com', 'google.mail', 'Turn off mail forwarding', 1, { status: 'skipped', at: '2026-12-04T11:00:11.000Z', outcome: { result: 'skipped', code: 'manual', verified: false, message: 'Manual step.', errorCode: null } }, 'manual'),
  entry('bob@example.com', 'microsoft.revoke_sessions', 'Revoke sessions', 2, {
    status: 'succeeded',
    at: '2026-12-04T11:00:12.000Z',
    outcome: { result: 'succeeded', code: 'already_done', verified: false, message: '=HYPERLINK("http://evil.example","click")', errorCode: null, evidence: { before: null, after: null, requestIds: [] } },
  }),
  entry('bob@example.com', 'microsoft.delegated_grants', 'Remove delegated grants', 3, {
    status: 'failed',
    at: '2026-12-04T11:00:13.000Z',
    outcome: { result: 'failed', code: 'failed', verified: false, message: 'Remove delegated grants failed at Acme Microsoft: refused.', errorCode: 'permission_denied' },
  }),
  entry('bob@example.com', 'microsoft.disable', 'Disable the account', 4, { status: 'skipped', at: '2026-12-04T11:00:13.000Z', outcome: { result: 'skipped', code: 'not_reached', verified: false, message: 'Not attempted.', errorCode: null } }),
];

const detail = runDetail(job, items, new Map(), now, null);

describe('offboarding evidence', () => {
  test('the CSV lists every step of every person once, with time, result, before, after and request ids', () => {
    const file = evidenceCsv(detail, now);
    expect(file.fileName).toBe('consentry-offboarding-2026-12-04-3f2a9c1e.csv');
    expect(file.rows).toBe(5);
    const [header, ...rows] = parse(file.content, { bom: true }) as string[][];
    expect(header).toEqual(['run_id', 'person', 'provider', 'connection', 'step', 'status', 'code', 'time', 'before', 'after', 'request_ids', 'message']);
    expect(rows.map((row) => `${row[1]}|${row[4]}`)).toEqual([
      'ann@example.com|Delete app passwords',
      'ann@example.com|Turn off mail forwarding',
      'bob@example.com|Revoke sessions',
      'bob@example.com|Remove delegated grants',
      'bob@example.com|Disable the account',
    ]);
    expect(rows[0]).toEqual([runId, 'ann@example.com', 'google', 'Acme Google', 'Delete app passwords', 'succeeded', 'done', '2026-12-04T11:00:10.000Z', '2 app passwords', 'none', 'r-1 r-2', 'Deleted 2 app passwords; none remain.']);
    expect(rows[1]!.slice(5, 7)).toEqual(['manual', 'manual']);
    expect(rows[3]!.slice(5, 7)).toEqual(['failed', 'failed']);
    // A message a spreadsheet would run as a formula is kept as text.
    expect(rows[2]![11]).toBe('\'=HYPERLINK("http://evil.example","click")');
  });

  test('the JSON holds the run, then each person with their steps', () => {
    const file = evidenceJson(detail, now);
    expect(file.fileName).toBe('consentry-offboarding-2026-12-04-3f2a9c1e.json');
    expect(file.rows).toBe(5);
    const document = JSON.parse(file.content) as { exportedAt: string; run: Record<string, unknown>; persons: { email: string; state: string; steps: { kind: string; requestIds: string[] }[] }[] };
    expect(document.exportedAt).toBe(now.toISOString());
    expect(document.run).toMatchObject({ id: runId, title: 'Offboard 2 people', state: 'finished', people: 2, steps: { total: 5, succeeded: 2, failed: 1, skipped: 2, inDoubt: 0, notStarted: 0 } });
    expect(document.persons.map((person) => [person.email, person.state, person.steps.length])).toEqual([
      ['ann@example.com', 'done', 2],
      ['bob@example.com', 'failed', 3],
    ]);
    expect(document.persons[0]!.steps[0]!.requestIds).toEqual(['r-1', 'r-2']);
  });

  test('a manual step the admin confirmed shows as done on their word', () => {
    const confirmed = runDetail(job, items, new Map([[items[1]!.item.key, '2026-12-04T11:30:00.000Z']]), now, null);
    const [, row] = (parse(evidenceCsv(confirmed, now).content, { bom: true }) as string[][]).slice(1);
    expect(row!.slice(5, 8)).toEqual(['succeeded', 'confirmed_by_admin', '2026-12-04T11:30:00.000Z']);
    expect(confirmed.manual).toEqual([]);
  });
});
