/**
 * The one treaty between the renderer and the main process.
 *
 * Every channel names its request and response schema; main validates each request against it
 * and parses each response through it before anything crosses (zod strips keys a schema does not
 * name, so a field added by mistake to a service result never reaches the renderer). Events are
 * main → renderer only and are parsed the same way.
 */
import { z } from 'zod';

// ---------- errors ----------

export const errorCodes = [
  'invalid_request',
  'unknown_channel',
  'forbidden_sender',
  'storage_unavailable',
  'not_found',
  'external_url_refused',
  'internal',
] as const;
export const ErrorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const FieldProblemSchema = z.object({
  /** Dotted path of the offending field, e.g. `keyAgePolicyDays`. */
  field: z.string(),
  message: z.string(),
});
export type FieldProblem = z.infer<typeof FieldProblemSchema>;

export const BridgeFailureSchema = z.object({
  code: ErrorCodeSchema,
  /** A sentence the admin can read: what went wrong. Never a stack trace or a secret. */
  message: z.string(),
  /** What the admin can do next, when there is something to do. */
  nextStep: z.string().optional(),
  fields: z.array(FieldProblemSchema).optional(),
});
export type BridgeFailure = z.infer<typeof BridgeFailureSchema>;

export const EnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: BridgeFailureSchema }),
]);
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: BridgeFailure };

// ---------- settings ----------

export const ThemePreferenceSchema = z.enum(['light', 'dark', 'system']);
export type ThemePreference = z.infer<typeof ThemePreferenceSchema>;

export const settingsLimits = {
  backgroundScanIntervalMinutes: { off: 0, min: 15, max: 10_080 },
  keyAgePolicyDays: { min: 1, max: 3_650 },
  expiryWarningDays: { min: 1, max: 365 },
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
});
export type Settings = z.infer<typeof SettingsSchema>;

export const defaultSettings: Settings = {
  theme: 'system',
  backgroundScanIntervalMinutes: 0,
  keyAgePolicyDays: 90,
  expiryWarningDays: 30,
};

export const SettingsPatchSchema = SettingsSchema.partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'Name at least one setting to change.' });
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

// ---------- activity log ----------

export const ActivityResultSchema = z.enum(['succeeded', 'failed']);
export type ActivityResult = z.infer<typeof ActivityResultSchema>;

export const ActivityEntrySchema = z.object({
  seq: z.number().int().nonnegative(),
  /** ISO 8601, UTC. */
  at: z.string(),
  /** What was done, e.g. `settings.update`. */
  action: z.string(),
  /** What it was done to, e.g. `settings` or `tenant:contoso.onmicrosoft.com`. */
  target: z.string(),
  result: ActivityResultSchema,
  errorCode: z.string().nullable(),
  /** A short human description; never a secret. */
  detail: z.string().nullable(),
  hash: z.string(),
});
export type ActivityEntry = z.infer<typeof ActivityEntrySchema>;

const isoInstant = z.iso.datetime({ offset: true, error: 'Use an ISO 8601 date and time.' });

export const ActivityFilterSchema = z
  .object({
    action: z.string().max(200).optional(),
    result: ActivityResultSchema.optional(),
    /** Case-insensitive match on action, target, detail and error code. */
    text: z.string().max(200).optional(),
    since: isoInstant.optional(),
    until: isoInstant.optional(),
  })
  .strict()
  .refine((filter) => !filter.since || !filter.until || filter.since <= filter.until, {
    error: 'The start of the period must not be after its end.',
    path: ['since'],
  });
export type ActivityFilter = z.infer<typeof ActivityFilterSchema>;

export const ActivityQuerySchema = z
  .object({
    filter: ActivityFilterSchema.default({}),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().min(1).max(1_000).default(100),
  })
  .strict();
export type ActivityQuery = z.input<typeof ActivityQuerySchema>;

export const IntegrityProblemSchema = z.object({
  kind: z.enum(['unreadable_line', 'hash_mismatch', 'broken_chain', 'sequence_gap', 'truncated']),
  /** The sequence number or line where the problem shows. */
  at: z.string(),
  message: z.string(),
});
export type IntegrityProblem = z.infer<typeof IntegrityProblemSchema>;

export const ActivityIntegritySchema = z.object({
  intact: z.boolean(),
  checkedEntries: z.number().int().nonnegative(),
  problems: z.array(IntegrityProblemSchema),
});
export type ActivityIntegrity = z.infer<typeof ActivityIntegritySchema>;

export const ActivityPageSchema = z.object({
  entries: z.array(ActivityEntrySchema),
  /** Entries matching the filter, across all pages. */
  total: z.number().int().nonnegative(),
  /** Every action recorded so far, for the filter menu. */
  actions: z.array(z.string()),
  integrity: ActivityIntegritySchema,
});
export type ActivityPage = z.infer<typeof ActivityPageSchema>;

export const CsvExportSchema = z.object({
  fileName: z.string(),
  /** RFC 4180, UTF-8 with BOM. */
  content: z.string(),
  rows: z.number().int().nonnegative(),
});
export type CsvExport = z.infer<typeof CsvExportSchema>;

// ---------- app ----------

export const AppDescriptionSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.enum(['darwin', 'win32', 'linux', 'other']),
  /** `electron` in the desktop app; `browser-bridge` when served to a browser for tests and demos. */
  host: z.enum(['electron', 'browser-bridge']),
  dataDirectory: z.string(),
});
export type AppDescription = z.infer<typeof AppDescriptionSchema>;

// ---------- channels and events ----------

const NoRequestSchema = z.object({}).strict();

interface ChannelSpec {
  request: z.ZodType;
  response: z.ZodType;
}

export const channels = {
  'app.describe': { request: NoRequestSchema, response: AppDescriptionSchema },
  'settings.get': { request: NoRequestSchema, response: SettingsSchema },
  'settings.update': { request: SettingsPatchSchema, response: SettingsSchema },
  'activity.list': { request: ActivityQuerySchema, response: ActivityPageSchema },
  'activity.exportCsv': { request: ActivityFilterSchema, response: CsvExportSchema },
} as const satisfies Record<string, ChannelSpec>;

export type ChannelName = keyof typeof channels;
/** What the renderer passes (defaults may be left out). */
export type RequestOf<C extends ChannelName> = z.input<(typeof channels)[C]['request']>;
/** What a main-side handler receives, after validation and defaults. */
export type ParsedRequestOf<C extends ChannelName> = z.output<(typeof channels)[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<(typeof channels)[C]['response']>;

export const events = {
  'activity.appended': ActivityEntrySchema,
  'settings.changed': SettingsSchema,
} as const satisfies Record<string, z.ZodType>;

export type EventName = keyof typeof events;
export type EventPayloadOf<E extends EventName> = z.output<(typeof events)[E]>;

export const channelNames = Object.keys(channels) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && Object.hasOwn(channels, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}

// ---------- the API object every transport exposes to the renderer ----------

/**
 * What `window.consentry` is, whichever transport carries it: Electron IPC through the preload,
 * or a WebSocket in the browser bridge used for tests and demos.
 */
export interface ConsentryTransport {
  /** Resolves to an envelope; never rejects for a failure main reported. */
  invoke(channel: ChannelName, request: unknown): Promise<Envelope>;
  /** Calls `listener` for every main → renderer event; returns the unsubscribe function. */
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
}

/** The IPC channel names the preload and the shell agree on. */
export const ipcChannels = {
  invoke: 'consentry:invoke',
  event: 'consentry:event',
} as const;
