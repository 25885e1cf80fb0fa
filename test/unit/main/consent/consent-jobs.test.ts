import { describe, expect, test } from 'vitest';
import { consentJobs, requestClosedBy, type DenyPayload } from '../../../../src-main/consent/consent-jobs';
import type { ConsentStageReading, ProviderConsent } from '../../../../src-main/consent/consent-port';
import type { JobItem } from '../../../../src-main/jobs/job-model';

const me = 'ada@contoso.example';
const stage = (reviewResult: string, upn: string | null, overrides: Partial<ConsentStageReading> = {}): ConsentStageReading => ({
  userRequestId: 'ucr-1',
  userRequestStatus: 'Completed',
  stageId: `stage-${upn}`,
  status: 'Completed',
  reviewResult,
  reviewedBy: upn ? { id: `id-${upn}`, displayName: upn === me ? 'Ada Admin' : 'Eve Admin', userPrincipalName: upn } : null,
  reviewedAt: '2026-11-22T09:00:00Z',
  ...overrides,
});

describe('who closed a consent request no longer pending', () => {
  test('this job’s decision by the signed-in account, in either of Graph’s spellings and any case, is ours', () => {
    expect(requestClosedBy([stage('Deny', me), stage('Denied', 'ADA@contoso.example')], 'Deny', me)).toEqual({ by: 'ours', stages: 2, others: [] });
  });

  test('another reviewer, or the same account deciding otherwise, is named with what they decided', () => {
    expect(requestClosedBy([stage('Approve', 'eve@contoso.example')], 'Deny', me)).toEqual({ by: 'others', others: ['Eve Admin (Approve)'] });
    expect(requestClosedBy([stage('Approve', me)], 'Deny', me)).toEqual({ by: 'others', others: ['Ada Admin (Approve)'] });
  });

  test('cannot tell when nobody reviewed it (expired), when a stage is still open, or when the connection names no account', () => {
    expect(requestClosedBy([stage('NotReviewed', null, { status: 'Expired', userRequestStatus: 'Expired' })], 'Deny', me)).toBeNull();
    expect(requestClosedBy([stage('Deny', me), stage('NotReviewed', null, { status: 'InProgress', userRequestStatus: 'InProgress' })], 'Deny', me)).toBeNull();
    expect(requestClosedBy([stage('Deny', me)], 'Deny', null)).toEqual({ by: 'others', others: ['Ada Admin (Deny)'] });
  });
});

describe('a denial sent again after a stop', () => {
  const payload: DenyPayload = { connectionId: 'c-1', requestId: 'acr-1', appName: 'Survey Hub', scopes: ['Mail.Send'], reason: 'Needs a review first.' };
  const item: JobItem<DenyPayload> = { n: 0, key: 'acr-1', label: 'Deny Survey Hub', phase: 0, payload };
  /** A tenant where the request is closed, its stages as given (or unreadable), reached as the signed-in admin. */
  const denyWith = (stages: ConsentStageReading[] | Error) => {
    const adapter = {
      pendingRequests: async () => [],
      decideRequest: async () => {
        throw new Error('a closed request is not decided again');
      },
      requestDecisions: async () => {
        if (stages instanceof Error) throw stages;
        return stages;
      },
    } as unknown as ProviderConsent;
    const gateway = { context: () => ({ connection: { provider: 'microsoft', providerLabel: 'Microsoft 365', account: me } }) } as never;
    return consentJobs({ consents: { microsoft: adapter }, gateway }).deny.execute(item, new AbortController().signal);
  };

  test('finds its own earlier call recorded: done and verified, with the reason', async () => {
    expect(await denyWith([stage('Deny', me)])).toEqual({
      result: 'succeeded',
      code: 'already_done',
      verified: true,
      message: `The denial sent before Consentry stopped was recorded: Microsoft Entra shows it by ${me} on 1 stage. Reason: Needs a review first.`,
      errorCode: null,
    });
  });

  test('says who decided when someone else did, and does not claim the decision', async () => {
    expect(await denyWith([stage('Approve', 'eve@contoso.example')])).toMatchObject({ result: 'skipped', code: 'already_decided', verified: false, message: 'Someone else already decided this request: Eve Admin (Approve). Reason: Needs a review first.' });
  });

  test('keeps the plain message when the stages show no reviewer or cannot be read', async () => {
    const expired = await denyWith([stage('NotReviewed', null, { status: 'Expired', userRequestStatus: 'Expired' })]);
    expect(expired).toMatchObject({ result: 'skipped', code: 'not_pending', errorCode: 'not_found', message: expect.stringContaining('someone else, or its expiry closed it') });
    expect(await denyWith(new Error('unreadable'))).toMatchObject({ result: 'skipped', code: 'not_pending', errorCode: 'not_found' });
  });
});
