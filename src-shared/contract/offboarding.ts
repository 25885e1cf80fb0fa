/**
 * Bulk offboarding: a list of departed people (a CSV file or pasted lines) checked row by row, a
 * plan of ordered provider steps per person, a read-only dry run that counts what each step would
 * change, a run on the job kernel that carries each step out exactly once, and its evidence.
 */
import { z } from 'zod';
import { connectionId, ProviderIdSchema } from './connections';
import { type ChannelSpec, NoRequestSchema } from './envelope';
import { jobId, JobSummarySchema } from './jobs';

// --- the list ------------------------------------------------------------------------------------

export const rowVerdicts = ['ready', 'warning', 'error'] as const;
export const RowVerdictSchema = z.enum(rowVerdicts);
export type RowVerdict = z.infer<typeof RowVerdictSchema>;

/**
 * Why a row is not simply ready. Errors keep the row out of the plan until fixed or dropped;
 * warnings let it in.
 */
export const rowReasonCodes = [
  // errors
  'not_an_email',
  'duplicate',
  'formula',
  'unknown_column_value',
  'signed_in_admin',
  'last_super_admin',
  'transfer_target_invalid',
  'transfer_target_not_found',
  'transfer_to_self',
  'unknown_provider',
  // warnings
  'not_found',
  'already_suspended',
  'no_transfer_target',
  'transfer_target_suspended',
  'not_checked',
] as const;
export const RowReasonCodeSchema = z.enum(rowReasonCodes);
export type RowReasonCode = z.infer<typeof RowReasonCodeSchema>;

export const RowReasonSchema = z.object({
  level: z.enum(['warning', 'error']),
  code: RowReasonCodeSchema,
  /** One sentence the admin can act on, e.g. "Not found at Acme Microsoft 365: nothing to do there". */
  message: z.string(),
  /** The connection the reason is about, when it is about one. */
  connectionId: z.string().nullable(),
});
export type RowReason = z.infer<typeof RowReasonSchema>;

/** What the admin can change in a row (fix in place). */
export const RowFieldsSchema = z.object({
  email: z.string().max(320),
  /** The manager who receives the person's Drive and Calendar data; null for none. */
  transferTo: z.string().max(320).nullable(),
  /** Connection ids or provider ids ("google", "microsoft") the row is limited to; null for every connection in the run. */
  providers: z.array(z.string().max(100)).max(20).nullable(),
  note: z.string().max(2_000).nullable(),
});
export type RowFields = z.infer<typeof RowFieldsSchema>;

export const ListRowSchema = RowFieldsSchema.extend({
  /** Stable id of the row within the list. */
  id: z.string(),
  /** The line of the file it came from (1 = the header when there is one); null for a row added by hand. */
  line: z.number().int().positive().nullable(),
  verdict: RowVerdictSchema,
  reasons: z.array(RowReasonSchema),
});
export type ListRow = z.infer<typeof ListRowSchema>;

/** How the directory check of one connection went. */
export const ConnectionCheckSchema = z.object({
  connectionId: z.string(),
  label: z.string(),
  provider: ProviderIdSchema,
  state: z.enum(['checked', 'failed', 'not_readable']),
  /** People read, or why it could not be read (naming the missing permission). */
  message: z.string(),
  checkedAt: z.string().nullable(),
});
export type ConnectionCheck = z.infer<typeof ConnectionCheckSchema>;

export const OffboardingListSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  source: z.object({ kind: z.enum(['file', 'paste']), fileName: z.string().nullable() }),
  /** The delimiter found (`,`, `;` or a tab), and the columns as the file named them. */
  delimiter: z.string(),
  columns: z.array(z.string()),
  rows: z.array(ListRowSchema),
  counts: z.object({ ready: z.number().int(), warning: z.number().int(), error: z.number().int() }),
  /** The last directory check; empty until checked. */
  checks: z.array(ConnectionCheckSchema),
  checkedAt: z.string().nullable(),
});
export type OffboardingList = z.infer<typeof OffboardingListSchema>;

/** At most this many bytes are imported at once (about 100,000 rows). */
export const maxImportBytes = 8 * 1024 * 1024;

export const ImportRequestSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('paste'), text: z.string().max(maxImportBytes) }).strict(),
  /** The file's bytes as base64, so the encoding (a BOM, UTF-16, binary) is judged in main. */
  z.object({ source: z.literal('file'), fileName: z.string().max(500), base64: z.string().max(Math.ceil((maxImportBytes * 4) / 3) + 4) }).strict(),
]);
export type ImportRequest = z.infer<typeof ImportRequestSchema>;

// --- the plan ------------------------------------------------------------------------------------

export const RunOptionsSchema = z.object({
  /** Suspend (Google, Okta, Zendesk) or disable (Microsoft) the accounts once their access is removed. */
  suspend: z.boolean().default(true),
  /** Transfer Drive and Calendar data to the row's transfer-to person before suspending. */
  transferData: z.boolean().default(true),
  /** The connections that take part; empty for every connection able to offboard. */
  connectionIds: z.array(connectionId).max(50).default([]),
});
export type RunOptions = z.infer<typeof RunOptionsSchema>;

/** One step as a provider defines it. */
export const StepDefinitionSchema = z.object({
  /** e.g. `google.app_passwords`. */
  kind: z.string(),
  title: z.string(),
  /** `api`: Consentry does it; `manual`: the provider has no admin API for it, so the admin does it where `where` says. */
  mode: z.enum(['api', 'manual']),
  /** Why it comes where it does, or what it removes. */
  why: z.string(),
  where: z.object({ label: z.string(), url: z.string().nullable() }).nullable(),
});
export type StepDefinition = z.infer<typeof StepDefinitionSchema>;

export const PlanConnectionSchema = z.object({
  connectionId: z.string(),
  label: z.string(),
  provider: ProviderIdSchema,
  providerLabel: z.string(),
  steps: z.array(StepDefinitionSchema),
  /** People of the plan found in this tenant. */
  people: z.number().int(),
  /** Steps Consentry will carry out here (API steps × people, less those that do not apply). */
  apiSteps: z.number().int(),
  /** The offboarding capability is not allowed on the connection yet: these scopes are asked for first. */
  missingScopes: z.array(z.object({ scope: z.string(), reason: z.string() })),
  /** Why this connection cannot take part (disconnected, needs a reconnect); null when it can. */
  blocked: z.string().nullable(),
});
export type PlanConnection = z.infer<typeof PlanConnectionSchema>;

export const PlannedStepSchema = z.object({
  connectionId: z.string(),
  kind: z.string(),
  /** `skip`: not carried out for this person, with why (not found, already suspended, refused on a suspended user). */
  mode: z.enum(['api', 'manual', 'skip']),
  note: z.string().nullable(),
});
export type PlannedStep = z.infer<typeof PlannedStepSchema>;

export const PlanPersonSchema = z.object({
  rowId: z.string(),
  email: z.string(),
  transferTo: z.string().nullable(),
  steps: z.array(PlannedStepSchema),
});
export type PlanPerson = z.infer<typeof PlanPersonSchema>;

export const dryRunStepStates = ['would_change', 'nothing_to_do', 'not_found', 'failed', 'manual', 'skip'] as const;

export const DryRunStepSchema = z.object({
  connectionId: z.string(),
  kind: z.string(),
  state: z.enum(dryRunStepStates),
  /** Items the step would remove or change (tokens, grants, sessions); null when it cannot be counted. */
  count: z.number().int().nonnegative().nullable(),
  /** What was read, in words: "2 app passwords", "Drive: 14 GB to transfer" — or why it failed. */
  description: z.string(),
});
export type DryRunStep = z.infer<typeof DryRunStepSchema>;

export const DryRunSchema = z.object({
  state: z.enum(['running', 'finished', 'cancelled', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** People read so far. */
  done: z.number().int(),
  total: z.number().int(),
  people: z.array(z.object({ rowId: z.string(), email: z.string(), steps: z.array(DryRunStepSchema) })),
  /** Per step kind and connection: how many people it would change and the items in all. */
  totals: z.array(z.object({ connectionId: z.string(), kind: z.string(), people: z.number().int(), items: z.number().int(), failed: z.number().int() })),
  reason: z.string().nullable(),
});
export type DryRun = z.infer<typeof DryRunSchema>;

export const OffboardingPlanSchema = z.object({
  id: z.string(),
  listId: z.string(),
  createdAt: z.string(),
  options: RunOptionsSchema,
  connections: z.array(PlanConnectionSchema),
  people: z.array(PlanPersonSchema),
  /** Steps Consentry will carry out in all. */
  apiSteps: z.number().int(),
  manualSteps: z.number().int(),
  /** The rows' warnings that still apply, for the plan screen. */
  warnings: z.array(z.object({ email: z.string(), message: z.string() })),
  /** Rows left out because of an error. */
  excludedRows: z.number().int(),
  dryRun: DryRunSchema.nullable(),
  /** What the admin types to start it, e.g. "OFFBOARD 20". */
  confirmationPhrase: z.string(),
});
export type OffboardingPlan = z.infer<typeof OffboardingPlanSchema>;

/** At most this many people in one run: a larger list is split. */
export const maxPeoplePerRun = 5_000;

// --- runs and evidence ----------------------------------------------------------------------------

export const stepStatuses = ['pending', 'running', 'in_doubt', 'succeeded', 'failed', 'skipped', 'manual'] as const;
export const StepStatusSchema = z.enum(stepStatuses);
export type StepStatus = z.infer<typeof StepStatusSchema>;

export const RunStepSchema = z.object({
  connectionId: z.string(),
  kind: z.string(),
  title: z.string(),
  status: StepStatusSchema,
  /** The outcome's word (`removed`, `already_done`, `not_reached`); null until it ends. */
  code: z.string().nullable(),
  message: z.string().nullable(),
  at: z.string().nullable(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  requestIds: z.array(z.string()),
  verified: z.boolean(),
});
export type RunStep = z.infer<typeof RunStepSchema>;

export const RunPersonSchema = z.object({
  email: z.string(),
  /** Worst first: failed, in doubt, running, pending, done. */
  state: z.enum(['done', 'failed', 'in_doubt', 'running', 'pending']),
  steps: z.array(RunStepSchema),
});
export type RunPerson = z.infer<typeof RunPersonSchema>;

export const RunConnectionProgressSchema = z.object({
  connectionId: z.string(),
  label: z.string(),
  provider: ProviderIdSchema,
  total: z.number().int(),
  ended: z.number().int(),
  failed: z.number().int(),
});

export const RunSummarySchema = z.object({
  job: JobSummarySchema,
  people: z.number().int(),
  options: RunOptionsSchema,
  /** Steps ended per minute over the last half minute; null when not running. */
  stepsPerMinute: z.number().nonnegative().nullable(),
  connections: z.array(RunConnectionProgressSchema),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const RunDetailSchema = RunSummarySchema.extend({
  persons: z.array(RunPersonSchema),
  /** Steps no API exists for, to be done by the admin at the place named. */
  manual: z.array(z.object({ email: z.string(), connectionId: z.string(), kind: z.string(), title: z.string(), where: z.string(), url: z.string().nullable() })),
});
export type RunDetail = z.infer<typeof RunDetailSchema>;

export const EvidenceFormatSchema = z.enum(['csv', 'json']);

const planId = z.string().min(1).max(100);

export const offboardingChannels = {
  /** The list being prepared (kept across restarts), or null. */
  'offboarding.list': { request: NoRequestSchema, response: z.object({ list: OffboardingListSchema.nullable() }) },
  /** Parses a file or pasted text into a new list (replacing the one being prepared) and checks it. */
  'offboarding.importList': { request: ImportRequestSchema, response: OffboardingListSchema },
  /** Fixes a row in place (or adds one when `rowId` is null); its verdict is worked out again. */
  'offboarding.editRow': { request: z.object({ rowId: z.string().max(100).nullable(), fields: RowFieldsSchema }).strict(), response: OffboardingListSchema },
  'offboarding.dropRows': { request: z.object({ rowIds: z.array(z.string().max(100)).min(1).max(100_000) }).strict(), response: OffboardingListSchema },
  'offboarding.clearList': { request: NoRequestSchema, response: z.object({ list: OffboardingListSchema.nullable() }) },
  /** Reads each connection's directory again and works out every row's verdict. */
  'offboarding.checkList': { request: NoRequestSchema, response: OffboardingListSchema },
  /** The plan for the list's rows without errors. */
  'offboarding.plan': { request: z.object({ options: RunOptionsSchema }).strict(), response: OffboardingPlanSchema },
  'offboarding.currentPlan': { request: NoRequestSchema, response: z.object({ plan: OffboardingPlanSchema.nullable() }) },
  /** Starts the read-only pass; progress comes as `offboarding.changed`. */
  'offboarding.dryRun': { request: z.object({ planId }).strict(), response: OffboardingPlanSchema },
  'offboarding.cancelDryRun': { request: z.object({ planId }).strict(), response: OffboardingPlanSchema },
  /** Confirms the plan: its steps become a job on the kernel. */
  'offboarding.start': { request: z.object({ planId, confirmation: z.string().max(100) }).strict(), response: RunSummarySchema },
  'offboarding.runs': { request: NoRequestSchema, response: z.object({ runs: z.array(RunSummarySchema) }) },
  'offboarding.run': { request: z.object({ runId: jobId }).strict(), response: RunDetailSchema },
  /** Marks a manual step as done by the admin (recorded in the activity log as their word, not Consentry's). */
  'offboarding.confirmManualStep': {
    request: z.object({ runId: jobId, email: z.string().max(320), connectionId, kind: z.string().max(100) }).strict(),
    response: RunDetailSchema,
  },
  'offboarding.exportEvidence': {
    request: z.object({ runId: jobId, format: EvidenceFormatSchema }).strict(),
    response: z.object({ fileName: z.string(), content: z.string(), rows: z.number().int() }),
  },
} as const satisfies Record<string, ChannelSpec>;

export const offboardingEvents = {
  /** The list, the plan or its dry run changed (a check or dry run under way reports as it goes). */
  'offboarding.changed': z.object({ what: z.enum(['list', 'plan', 'dryRun', 'runs']) }),
} as const satisfies Record<string, z.ZodType>;
