import { defaultSettings, SettingsSchema, type Settings, type SettingsPatch } from '../../src-shared/contract/settings';
import type { ActivityService } from '../activity/activity-service';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import type { KeyValueStore } from '../storage/key-value-store';

const storeKey = 'settings';

const settingLabels: Record<keyof Settings, string> = {
  theme: 'theme',
  backgroundScanIntervalMinutes: 'background scan interval (minutes)',
  keyAgePolicyDays: 'key-age policy (days)',
  expiryWarningDays: 'expiry warning window (days)',
  credentialMaxAgeDays: 'maximum age per credential kind (days)',
  forbidUnrestrictedApiKeys: 'unrestricted API keys are a finding',
  unusedKeyDays: 'unused-key window (days)',
};

/** A setting's value for the activity log: numbers and words as they are, the per-kind ages as `kind=days` pairs. */
function describeSetting(value: Settings[keyof Settings]): string {
  if (typeof value !== 'object') return String(value);
  const pairs = Object.entries(value).map(([kind, days]) => `${kind}=${days}`);
  return pairs.length > 0 ? pairs.join(', ') : 'none';
}

/** The admin's preferences, kept in the app's store and checked against the contract's rules. */
export class SettingsService {
  readonly #store: KeyValueStore;
  readonly #activity: ActivityService;
  readonly #events: EventHub;

  constructor(store: KeyValueStore, activity: ActivityService, events: EventHub) {
    this.#store = store;
    this.#activity = activity;
    this.#events = events;
  }

  /** The stored settings; a value that fails the rules (say, a hand-edited file) falls back to its default. */
  get(): Settings {
    const stored = this.#store.get(storeKey);
    const settings: Settings = { ...defaultSettings };
    if (typeof stored !== 'object' || stored === null) return settings;
    for (const key of Object.keys(defaultSettings) as (keyof Settings)[]) {
      const field = SettingsSchema.shape[key].safeParse((stored as Record<string, unknown>)[key]);
      if (field.success) Object.assign(settings, { [key]: field.data });
    }
    return settings;
  }

  /**
   * Records the change in the activity log first and only then puts it in force: a change the log
   * could not record (a full disk) is refused and leaves the settings as they were.
   */
  async update(patch: SettingsPatch): Promise<Settings> {
    const before = this.get();
    const after = SettingsSchema.parse({ ...before, ...patch });
    const changes = (Object.keys(patch) as (keyof Settings)[])
      .filter((key) => describeSetting(before[key]) !== describeSetting(after[key]))
      .map((key) => `${settingLabels[key]}: ${describeSetting(before[key])} → ${describeSetting(after[key])}`);
    const recorded = await this.#activity.record({
      action: 'settings.update',
      target: 'settings',
      result: 'succeeded',
      detail: changes.join('; ') || 'no change',
    });
    try {
      this.#store.set(storeKey, after);
    } catch (error) {
      // The entry above already says the change was made: this one says it did not take.
      await this.#activity
        .record({
          action: 'settings.update',
          target: 'settings',
          result: 'failed',
          errorCode: 'storage_unavailable',
          detail: `Not saved, the settings stay as they were: the change recorded in entry #${recorded.seq} could not be written to the settings file.`,
        })
        .catch(() => undefined);
      throw new AppError('storage_unavailable', 'Consentry could not save your settings to disk.', {
        nextStep: 'Check that the disk has free space and that your user can write to the Consentry data folder, then save again.',
        cause: error,
      });
    }
    this.#events.publish('settings.changed', after);
    return after;
  }
}
