import { describe, expect, test, vi } from 'vitest';
import { EventHub } from '../../../../src-main/events/event-hub';
import { ActivityFilterSchema } from '../../../../src-shared/contract/activity';
import { SettingsPatchSchema, SettingsSchema, defaultSettings } from '../../../../src-shared/contract/settings';

function firstMessage(result: { success: boolean; error?: { issues: { message: string }[] } }) {
  return result.success ? undefined : result.error?.issues[0]?.message;
}

describe('contract rules', () => {
  test('accept the defaults', () => {
    expect(SettingsSchema.parse(defaultSettings)).toEqual(defaultSettings);
  });

  test('explain each settings rule in words an admin can act on', () => {
    expect(firstMessage(SettingsSchema.shape.keyAgePolicyDays.safeParse(0))).toBe('Key-age policy must be at least 1 day.');
    expect(firstMessage(SettingsSchema.shape.keyAgePolicyDays.safeParse(12.5))).toBe('Key-age policy must be a whole number.');
    expect(firstMessage(SettingsSchema.shape.expiryWarningDays.safeParse(400))).toBe('Expiry warning window can be at most 365 days.');
    expect(firstMessage(SettingsSchema.shape.backgroundScanIntervalMinutes.safeParse(5))).toContain('0 (off) or between 15 and 10080');
    expect(SettingsSchema.shape.backgroundScanIntervalMinutes.safeParse(0).success).toBe(true);
    expect(firstMessage(SettingsSchema.shape.keyAgePolicyDays.safeParse('90'))).toBe('Key-age policy must be a number.');
  });

  test('require a settings change to name at least one known setting', () => {
    expect(firstMessage(SettingsPatchSchema.safeParse({}))).toBe('Name at least one setting to change.');
    expect(SettingsPatchSchema.safeParse({ colour: 'red' }).success).toBe(false);
  });

  test('refuse an activity period that ends before it starts', () => {
    const result = ActivityFilterSchema.safeParse({ since: '2026-11-02T00:00:00Z', until: '2026-11-01T00:00:00Z' });
    expect(firstMessage(result)).toBe('The start of the period must not be after its end.');
  });

  test('publish events with only the fields the contract names', () => {
    const hub = new EventHub();
    const listener = vi.fn();
    hub.subscribe(listener);
    hub.publish('settings.changed', { ...defaultSettings, accessToken: 'secret' } as typeof defaultSettings);
    expect(listener).toHaveBeenCalledWith('settings.changed', defaultSettings);
  });
});
