import { describe, expect, test, vi } from 'vitest';
import { ActivityLog } from '../../../../src-main/activity/activity-log';
import { ActivityService } from '../../../../src-main/activity/activity-service';
import { createRouter, type ChannelHandlers } from '../../../../src-main/api/router';
import { trustOrigins } from '../../../../src-main/api/sender-policy';
import { AppError } from '../../../../src-main/errors/app-error';
import { EventHub } from '../../../../src-main/events/event-hub';
import { defaultSettings } from '../../../../src-shared/contract/settings';
import { temporaryDirectory } from '../../../support/temporary-directory';

const appFrame = { url: 'app://consentry/index.html', isMainFrame: true };

async function routerWith(overrides: Partial<ChannelHandlers> = {}) {
  const activityLog = await ActivityLog.open(await temporaryDirectory());
  const activity = new ActivityService(activityLog, new EventHub());
  const reportUnexpected = vi.fn();
  const handlers = {
    'app.describe': () => ({ name: 'Consentry', version: '1.0.0', platform: 'linux', host: 'electron', dataDirectory: '/data' }),
    'settings.get': () => defaultSettings,
    'settings.update': (patch) => ({ ...defaultSettings, ...patch }),
    'activity.list': () => ({ entries: [], total: 0, actions: [], integrity: { intact: true, checkedEntries: 0, problems: [] } }),
    'activity.exportCsv': () => ({ fileName: 'a.csv', content: '', rows: 0 }),
    ...overrides,
  } as ChannelHandlers;
  const dispatch = createRouter({ handlers, isTrustedSender: trustOrigins(['app://consentry']), activity, reportUnexpected });
  return { dispatch, activityLog, reportUnexpected };
}

describe('bridge router', () => {
  test('answers a valid request from the app window with the handler value', async () => {
    const { dispatch } = await routerWith();
    expect(await dispatch('settings.get', {}, appFrame)).toEqual({ ok: true, value: defaultSettings });
  });

  test('refuses a request from an iframe and records the refusal', async () => {
    const handler = vi.fn(() => defaultSettings);
    const { dispatch, activityLog } = await routerWith({ 'settings.get': handler });
    const envelope = await dispatch('settings.get', {}, { url: 'app://consentry/index.html', isMainFrame: false });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(handler).not.toHaveBeenCalled();
    expect(await activityLog.query({ action: 'bridge.refused' })).toEqual([expect.objectContaining({ target: 'settings.get', errorCode: 'forbidden_sender' })]);
  });

  test('refuses a request from a document of another origin', async () => {
    const { dispatch } = await routerWith();
    const envelope = await dispatch('settings.get', {}, { url: 'https://evil.example/', isMainFrame: true });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
  });

  test('refuses a channel the contract does not name', async () => {
    const { dispatch } = await routerWith();
    expect(await dispatch('vault.dump', {}, appFrame)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await dispatch('constructor', {}, appFrame)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
  });

  test('refuses an invalid request with each field problem and never calls the handler', async () => {
    const handler = vi.fn();
    const { dispatch } = await routerWith({ 'settings.update': handler });
    const envelope = await dispatch('settings.update', { keyAgePolicyDays: 0, theme: 'neon' }, appFrame);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const fields = envelope.ok ? [] : (envelope.error.fields ?? []).map((problem) => problem.field);
    expect(fields.sort()).toEqual(['keyAgePolicyDays', 'theme']);
    expect(handler).not.toHaveBeenCalled();
  });

  test('refuses keys the contract does not name instead of ignoring them', async () => {
    const { dispatch } = await routerWith();
    const envelope = await dispatch('settings.update', { theme: 'dark', isAdmin: true }, appFrame);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  test('drops fields the response schema does not name, so a stray secret never crosses', async () => {
    const { dispatch } = await routerWith({
      'app.describe': () =>
        ({ name: 'Consentry', version: '1', platform: 'linux', host: 'electron', dataDirectory: '/d', refreshToken: 'rt-secret' }) as never,
    });
    const envelope = await dispatch('app.describe', {}, appFrame);
    expect(JSON.stringify(envelope)).not.toContain('rt-secret');
  });

  test('passes an AppError through with its code, message and next step', async () => {
    const { dispatch } = await routerWith({
      'settings.update': () => {
        throw new AppError('storage_unavailable', 'Could not save.', { nextStep: 'Free some disk space.' });
      },
    });
    expect(await dispatch('settings.update', { theme: 'dark' }, appFrame)).toEqual({
      ok: false,
      error: { code: 'storage_unavailable', message: 'Could not save.', nextStep: 'Free some disk space.' },
    });
  });

  test('reports an unexpected error as internal without its message or stack', async () => {
    const { dispatch, reportUnexpected } = await routerWith({
      'settings.get': () => {
        throw new Error('ECONNRESET while sending Authorization: Bearer ya29.secret');
      },
    });
    const envelope = await dispatch('settings.get', {}, appFrame);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(envelope)).not.toMatch(/ya29|ECONNRESET|at /);
    expect(reportUnexpected).toHaveBeenCalledOnce();
  });
});
