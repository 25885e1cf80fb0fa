import { describe, expect, test, vi } from 'vitest';
import { ActivityLog, type ActivityLogOptions } from '../../../../src-main/activity/activity-log';
import { ActivityService } from '../../../../src-main/activity/activity-service';
import { AppError } from '../../../../src-main/errors/app-error';
import { EventHub } from '../../../../src-main/events/event-hub';
import { SettingsService } from '../../../../src-main/settings/settings-service';
import { openConfKeyValueStore } from '../../../../src-main/storage/conf-key-value-store';
import type { KeyValueStore } from '../../../../src-main/storage/key-value-store';
import { defaultSettings } from '../../../../src-shared/contract/settings';
import { temporaryDirectory } from '../../../support/temporary-directory';
import { fillingDisk } from '../activity/activity-log-fixtures';

async function settingsOver(store?: KeyValueStore, logOptions: ActivityLogOptions = {}) {
  const directory = await temporaryDirectory();
  const events = new EventHub();
  const log = await ActivityLog.open(directory, logOptions);
  const settings = new SettingsService(store ?? openConfKeyValueStore(directory, 'settings'), new ActivityService(log, events), events);
  return { settings, log, events, directory };
}

describe('settings', () => {
  test('start at the documented defaults: 90-day key age, 30-day expiry warning, unrestricted API keys and 90-day unused keys as findings, system theme', async () => {
    const { settings } = await settingsOver();
    expect(settings.get()).toEqual({ theme: 'system', backgroundScanIntervalMinutes: 0, keyAgePolicyDays: 90, expiryWarningDays: 30, credentialMaxAgeDays: {}, forbidUnrestrictedApiKeys: true, unusedKeyDays: 90 });
  });

  test('persist a change in the store file, so a new service over the same folder reads it', async () => {
    const { settings, directory } = await settingsOver();
    await settings.update({ keyAgePolicyDays: 120, theme: 'dark' });
    const reread = new SettingsService(openConfKeyValueStore(directory, 'settings'), {} as ActivityService, new EventHub());
    expect(reread.get()).toMatchObject({ keyAgePolicyDays: 120, theme: 'dark' });
  });

  test('record each change with its old and new value, and announce it', async () => {
    const { settings, log, events } = await settingsOver();
    const announced = vi.fn();
    events.subscribe(announced);
    await settings.update({ expiryWarningDays: 14 });
    expect((await log.query({}))[0]).toMatchObject({ action: 'settings.update', result: 'succeeded', detail: 'expiry warning window (days): 30 → 14' });
    expect(announced).toHaveBeenCalledWith('settings.changed', expect.objectContaining({ expiryWarningDays: 14 }));
  });

  test('fall back to the default for a stored value that breaks the rules, keeping the valid ones', async () => {
    const values = new Map<string, unknown>([['settings', { theme: 'dark', keyAgePolicyDays: -5, expiryWarningDays: 'soon' }]]);
    const { settings } = await settingsOver({ get: (key) => values.get(key), set: (key, value) => values.set(key, value), delete: (key) => values.delete(key) });
    expect(settings.get()).toEqual({ ...defaultSettings, theme: 'dark' });
  });

  test('report a store that cannot be written as storage_unavailable and record the failure', async () => {
    const { settings, log } = await settingsOver({
      get: () => undefined,
      set: () => {
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      },
      delete: () => undefined,
    });
    const failure = await settings.update({ keyAgePolicyDays: 30 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: 'storage_unavailable' });
    expect((failure as AppError).nextStep).toContain('free space');
    expect((await log.query({}))[0]).toMatchObject({ result: 'failed', errorCode: 'storage_unavailable', detail: expect.stringContaining('Not saved') });
  });

  test('refuse a change the activity log cannot record, leaving the settings as they were', async () => {
    const disk = fillingDisk();
    const { settings, log, events } = await settingsOver(undefined, { files: disk.files });
    await settings.update({ keyAgePolicyDays: 60 });
    const announced = vi.fn();
    events.subscribe(announced);
    disk.room.bytes = 0;
    await expect(settings.update({ keyAgePolicyDays: 30, theme: 'dark' })).rejects.toMatchObject({ code: 'disk_full' });
    // Nothing in force that the log does not show.
    expect(settings.get()).toMatchObject({ keyAgePolicyDays: 60, theme: 'system' });
    expect(announced).not.toHaveBeenCalled();
    expect((await log.query({})).map((entry) => entry.detail)).toEqual(['key-age policy (days): 90 → 60']);
  });
});
