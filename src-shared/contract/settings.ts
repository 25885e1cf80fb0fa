/**
 * The admin's preferences and their rules.
 */
import { z } from 'zod';
import { type ChannelSpec, NoRequestSchema } from './envelope';
import { CredentialKindSchema } from './credential-kinds';

export const ThemePreferenceSchema = z.enum(['light', 'dark', 'system']);
export type ThemePreference = z.infer<typeof ThemePreferenceSchema>;

export const settingsLimits = {
  backgroundScanIntervalMinutes: { off: 0, min: 15, max: 10_080 },
  keyAgePolicyDays: { min: 1, max: 3_650 },
  expiryWarningDays: { min: 1, max: 365 },
  unusedKeyDays: { off: 0, min: 7, max: 3_650 },
} as const;

const wholeNumber = (label: string) =>
  z.number({ error: `${label} must be a number.` }).int({ error: `${label} must be a whole number.` });

export const SettingsSchema = z.object({
  theme: ThemePreferenceSchema,
  /** 0 turns background scans off. */
  backgroundScanIntervalMinutes: wholeNumber('Background scan interval').refine(
    (minutes) =>
      minutes === settingsLimits.backgroundScanIntervalMinutes.off ||
      (minutes >= settingsLimits.backgroundScanIntervalMinutes.min &&
        minutes <= settingsLimits.backgroundScanIntervalMinutes.max),
    {
      error: `Background scan interval must be 0 (off) or between ${settingsLimits.backgroundScanIntervalMinutes.min} and ${settingsLimits.backgroundScanIntervalMinutes.max} minutes (one week).`,
    },
  ),
  keyAgePolicyDays: wholeNumber('Key-age policy')
    .min(settingsLimits.keyAgePolicyDays.min, {
      error: `Key-age policy must be at least ${settingsLimits.keyAgePolicyDays.min} day.`,
    })
    .max(settingsLimits.keyAgePolicyDays.max, {
      error: `Key-age policy can be at most ${settingsLimits.keyAgePolicyDays.max} days (ten years).`,
    }),
  expiryWarningDays: wholeNumber('Expiry warning window')
    .min(settingsLimits.expiryWarningDays.min, {
      error: `Expiry warning window must be at least ${settingsLimits.expiryWarningDays.min} day.`,
    })
    .max(settingsLimits.expiryWarningDays.max, {
      error: `Expiry warning window can be at most ${settingsLimits.expiryWarningDays.max} days.`,
    }),
  /**
   * Maximum age per credential kind (`app_secret`, `service_account_key`, …), in days, where it
   * differs from the key-age policy.
   */
  credentialMaxAgeDays: z.partialRecord(
    CredentialKindSchema,
    wholeNumber('Maximum age')
      .min(settingsLimits.keyAgePolicyDays.min, { error: `Maximum age must be at least ${settingsLimits.keyAgePolicyDays.min} day.` })
      .max(settingsLimits.keyAgePolicyDays.max, { error: `Maximum age can be at most ${settingsLimits.keyAgePolicyDays.max} days (ten years).` }),
  ),
  /** An API key without application or API restrictions is a finding. */
  forbidUnrestrictedApiKeys: z.boolean({ error: 'Choose whether unrestricted API keys are a finding.' }),
  /** A service-account key not used for this many days is a finding; 0 turns the check off. */
  unusedKeyDays: wholeNumber('Unused-key window').refine(
    (days) => days === settingsLimits.unusedKeyDays.off || (days >= settingsLimits.unusedKeyDays.min && days <= settingsLimits.unusedKeyDays.max),
    { error: `Unused-key window must be 0 (off) or between ${settingsLimits.unusedKeyDays.min} and ${settingsLimits.unusedKeyDays.max} days.` },
  ),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const defaultSettings: Settings = {
  theme: 'system',
  backgroundScanIntervalMinutes: 0,
  keyAgePolicyDays: 90,
  expiryWarningDays: 30,
  credentialMaxAgeDays: {},
  forbidUnrestrictedApiKeys: true,
  unusedKeyDays: 90,
};

export const SettingsPatchSchema = SettingsSchema.partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'Name at least one setting to change.' });
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const settingsChannels = {
  'settings.get': { request: NoRequestSchema, response: SettingsSchema },
  'settings.update': { request: SettingsPatchSchema, response: SettingsSchema },
} as const satisfies Record<string, ChannelSpec>;

export const settingsEvents = {
  'settings.changed': SettingsSchema,
} as const satisfies Record<string, z.ZodType>;
