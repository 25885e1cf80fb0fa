import { describe, expect, test, vi } from 'vitest';
import { ActivityLog } from '../../../../src-main/activity/activity-log';
import { ActivityService } from '../../../../src-main/activity/activity-service';
import { credentialsApi } from '../../../../src-main/api/credentials-api';
import { createRouter, type ChannelHandlers } from '../../../../src-main/api/router';
import { trustOrigins } from '../../../../src-main/api/sender-policy';
import type { CredentialsService } from '../../../../src-main/credentials/credentials-service';
import { EventHub } from '../../../../src-main/events/event-hub';
import { temporaryDirectory } from '../../../support/temporary-directory';

const appFrame = { url: 'app://consentry/index.html', isMainFrame: true };

async function routerWith(service: Partial<CredentialsService>) {
  const activity = new ActivityService(await ActivityLog.open(await temporaryDirectory()), new EventHub());
  const handlers = credentialsApi(service as CredentialsService) as unknown as ChannelHandlers;
  return createRouter({ handlers, isTrustedSender: trustOrigins(['app://consentry']), activity, reportUnexpected: vi.fn() });
}

describe('the credentials channels', () => {
  test('name the Cloud projects of a connection through the service', async () => {
    const setCloudProjects = vi.fn(async (request: { connectionId: string; projects: string[] }) => [request]);
    const dispatch = await routerWith({ setCloudProjects });
    const answer = await dispatch('credentials.setCloudProjects', { connectionId: 'c1', projects: [' acme-prod ', '123456789012'] }, appFrame);
    expect(answer).toEqual({ ok: true, value: [{ connectionId: 'c1', projects: ['acme-prod', '123456789012'] }] });
  });

  test('refuse a project id Google would not accept, before the service is asked', async () => {
    const setCloudProjects = vi.fn();
    const dispatch = await routerWith({ setCloudProjects });
    const answer = await dispatch('credentials.setCloudProjects', { connectionId: 'c1', projects: ['Acme Prod'] }, appFrame);
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_request', fields: [{ field: 'projects.0', message: expect.stringContaining('6–30 lower-case letters') }] } });
    expect(setCloudProjects).not.toHaveBeenCalled();
  });

  test('refuse an empty revocation and pass a typed confirmation on as typed', async () => {
    const revoke = vi.fn(async () => ({ id: 'j1' }));
    const dispatch = await routerWith({ revoke: revoke as never, planRevoke: vi.fn() });
    expect(await dispatch('credentials.planRevoke', { keys: [] }, appFrame)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    await dispatch('credentials.revoke', { planId: 'p1', typed: 'revoke 2 credentials' }, appFrame);
    expect(revoke).toHaveBeenCalledWith({ planId: 'p1', typed: 'revoke 2 credentials' });
  });
});
