import { describe, expect, test } from 'vitest';
import { runSummary, type StepItem } from '../../../../src-main/offboarding/offboarding-runs';
import { stepLabel, type StepPayload } from '../../../../src-main/offboarding/offboarding-step-kind';
import type { JobSummary } from '../../../../src-shared/contract/jobs';

const started = Date.parse('2026-12-04T11:00:00.000Z');
const at = (ms: number) => new Date(started + ms);

const job: JobSummary = {
  id: 'run-1',
  kind: 'offboarding.step',
  title: 'Offboard 20 people',
  state: 'running',
  reason: null,
  total: 200,
  succeeded: 0,
  failed: 0,
  skipped: 0,
  inDoubt: 0,
  notStarted: 200,
  createdAt: at(0).toISOString(),
  updatedAt: at(0).toISOString(),
  etaSeconds: null,
};

/** One step ended at each of these times after the start. */
function endedAt(...offsetsMs: number[]): StepItem[] {
  return offsetsMs.map((offset, n) => {
    const payload: StepPayload = {
      planId: 'plan-1',
      connectionId: 'g1',
      connectionLabel: 'Acme Google',
      provider: 'google',
      email: `user${n}@example.com`,
      transferTo: null,
      kind: 'google.app_passwords',
      mode: 'api',
      title: 'Delete app passwords',
      options: { suspend: true, transferData: false, connectionIds: [] },
      confirmedAt: at(0).toISOString(),
      where: null,
      note: null,
    };
    return {
      item: { n, key: `${payload.email}|g1|${payload.kind}`, label: stepLabel(payload), phase: 0, chain: `${payload.email}|g1`, payload },
      status: 'succeeded',
      outcome: { result: 'succeeded', code: 'done', verified: true, message: 'Deleted.', errorCode: null },
      at: at(offset).toISOString(),
    };
  });
}

const twelveInTheFirstSecond = endedAt(...Array.from({ length: 12 }, (_, n) => n * 80));

describe('an offboarding run’s pace', () => {
  test('tells no rate in the run’s first seconds, however many steps ended at once', () => {
    expect(runSummary(job, twelveInTheFirstSecond, at(1_000), at(0)).stepsPerMinute).toBeNull();
    expect(runSummary(job, twelveInTheFirstSecond, at(4_900), at(0)).stepsPerMinute).toBeNull();
  });

  test('measures over the time the run has actually run when that is less than half a minute', () => {
    // 12 steps in 6 s is 120 a minute, not 24 (12 counted over a 30 s window).
    expect(runSummary(job, twelveInTheFirstSecond, at(6_000), at(0)).stepsPerMinute).toBe(120);
  });

  test('measures over the last half minute once the run has gone longer', () => {
    const steady = endedAt(...Array.from({ length: 60 }, (_, n) => n * 1_000));
    // One step a second for a minute: the 31 ended from 29 s to 59 s count, over 30 s.
    expect(runSummary(job, steady, at(59_000), at(0)).stepsPerMinute).toBe(62);
  });

  test('a resumed run is measured from its resume, not over the pause before it', () => {
    const beforePause = endedAt(...Array.from({ length: 10 }, (_, n) => n * 1_000));
    const resumedAt = at(12_000);
    expect(runSummary(job, beforePause, at(15_000), resumedAt).stepsPerMinute).toBeNull();
    const afterResume = [...beforePause, ...endedAt(13_000, 14_000, 15_000, 16_000, 17_000).map((entry, n) => ({ ...entry, item: { ...entry.item, n: 10 + n } }))];
    // 5 steps in the 10 s since the resume: 30 a minute (the 15 since the start would say 41).
    expect(runSummary(job, afterResume, at(22_000), resumedAt).stepsPerMinute).toBe(30);
  });

  test('tells no rate for a run that is not moving', () => {
    expect(runSummary({ ...job, state: 'paused' }, twelveInTheFirstSecond, at(60_000), null).stepsPerMinute).toBeNull();
    expect(runSummary(job, twelveInTheFirstSecond, at(60_000), null).stepsPerMinute).toBeNull();
  });
});
