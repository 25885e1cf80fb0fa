/**
 * The activity log as the console reads and exports it.
 */
import { z } from 'zod';
import type { ChannelSpec } from './envelope';

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
    /** Actions that start with this, e.g. `consent.` for every consent decision and change. */
    actionPrefix: z.string().max(100).optional(),
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
  kind: z.enum([
    'unreadable_line',
    'hash_mismatch',
    'broken_chain',
    'sequence_gap',
    'truncated',
    /** The head anchor is missing, unreadable or does not match the log. */
    'anchor_missing',
    'anchor_mismatch',
    /** Sealed with a key the vault does not hold. */
    'unknown_key',
    /** Not sealed, after sealed entries. */
    'not_sealed',
    /** The log file could not be read and was set aside; a new log was started. */
    'set_aside',
    /** More problems than are listed. */
    'more_problems',
  ]),
  /** The sequence number or line where the problem shows. */
  at: z.string(),
  message: z.string(),
});
export type IntegrityProblem = z.infer<typeof IntegrityProblemSchema>;

export const ActivityIntegritySchema = z.object({
  /** No problem found in what has been checked so far. */
  intact: z.boolean(),
  checkedEntries: z.number().int().nonnegative(),
  /** Entries in the log (while `checking` without a head anchor: the last sequence number). */
  totalEntries: z.number().int().nonnegative(),
  /** `checking`: a large log is opened at once and its whole chain verified in the background. */
  verification: z.enum(['complete', 'checking']),
  /** Which part of the chain is sealed with the vault's key (HMAC), in a sentence. */
  keying: z.object({ state: z.enum(['keyed', 'partly_keyed', 'not_keyed']), note: z.string() }),
  problems: z.array(IntegrityProblemSchema),
});
export type ActivityIntegrity = z.infer<typeof ActivityIntegritySchema>;

export const ActivityPageSchema = z.object({
  entries: z.array(ActivityEntrySchema),
  /** Entries matching the filter, across all pages. */
  total: z.number().int().nonnegative(),
  /** False while a large log is still being counted: `total` is then the count so far. */
  totalExact: z.boolean(),
  /** Every action recorded so far, for the filter menu. */
  actions: z.array(z.string()),
  integrity: ActivityIntegritySchema,
});
export type ActivityPage = z.infer<typeof ActivityPageSchema>;

export const CsvExportSchema = z.object({
  fileName: z.string(),
  /** RFC 4180, UTF-8 with BOM. Empty when the export was too large to send and was saved as `savedTo`. */
  content: z.string(),
  rows: z.number().int().nonnegative(),
  /** Where main saved an export too large to hand to the window. */
  savedTo: z.string().optional(),
});
export type CsvExport = z.infer<typeof CsvExportSchema>;

export const activityChannels = {
  'activity.list': { request: ActivityQuerySchema, response: ActivityPageSchema },
  'activity.exportCsv': { request: ActivityFilterSchema, response: CsvExportSchema },
} as const satisfies Record<string, ChannelSpec>;

export const activityEvents = {
  'activity.appended': ActivityEntrySchema,
} as const satisfies Record<string, z.ZodType>;
