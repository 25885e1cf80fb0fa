/**
 * The grant audit: scans, queries, revocation plans and reports.
 */
import { z } from 'zod';
import { CsvExportSchema } from './activity';
import { connectionId, ProviderIdSchema } from './connections';
import { BridgeFailureSchema, type ChannelSpec, ErrorCodeSchema, NoRequestSchema } from './envelope';
import { jobId, JobSummarySchema } from './jobs';
import { providerIds } from '../domain/ids';

export const riskLevelNames = ['critical', 'high', 'medium', 'low'] as const;
export const RiskLevelSchema = z.enum(riskLevelNames);
export type RiskLevelName = z.infer<typeof RiskLevelSchema>;

export const RatedScopeSchema = z.object({
  scope: z.string(),
  level: RiskLevelSchema,
  reason: z.string(),
  /** Rated from the scope's name because the catalog does not know it. */
  unrated: z.boolean(),
});
export type RatedScope = z.infer<typeof RatedScopeSchema>;

export const RiskFactorSchema = z.object({
  code: z.string(),
  text: z.string(),
  /** This factor raised the app's rating by one level. */
  raises: z.boolean(),
});
export type RiskFactorView = z.infer<typeof RiskFactorSchema>;

export const ConsentKindSchema = z.enum(['user', 'tenant']);
export const AccessKindSchema = z.enum(['delegated', 'application']);

/** One third-party app in the last scan, with everything the app-centric table shows. */
export const GrantAppRowSchema = z.object({
  key: z.string(),
  provider: ProviderIdSchema,
  connectionId: z.string(),
  connectionLabel: z.string(),
  clientId: z.string(),
  name: z.string(),
  publisher: z.string().nullable(),
  /** Null when the provider does not say. */
  verifiedPublisher: z.boolean().nullable(),
  internal: z.boolean(),
  anonymous: z.boolean(),
  risk: RiskLevelSchema,
  /** The worst scope's level, before the factors. */
  scopeRisk: RiskLevelSchema,
  factors: z.array(RiskFactorSchema),
  /** Users who granted it; a tenant-wide consent counts every user as one grant with no user. */
  users: z.number().int().nonnegative(),
  grants: z.number().int().nonnegative(),
  consent: z.array(ConsentKindSchema),
  access: z.array(AccessKindSchema),
  scopes: z.array(z.string()),
  lastUsed: z.string().nullable(),
  /** Not in the scan before this one. */
  isNew: z.boolean(),
});
export type GrantAppRow = z.infer<typeof GrantAppRowSchema>;

/** One grant: an app's access for one user, or for everyone (tenant-wide). */
export const GrantRowSchema = z.object({
  key: z.string(),
  appKey: z.string(),
  appName: z.string(),
  provider: ProviderIdSchema,
  connectionId: z.string(),
  /** Null for tenant-wide consent. */
  user: z.string().nullable(),
  scopes: z.array(z.string()),
  risk: RiskLevelSchema,
  consent: ConsentKindSchema,
  access: AccessKindSchema,
  lastUsed: z.string().nullable(),
  isNew: z.boolean(),
});
export type GrantRow = z.infer<typeof GrantRowSchema>;

export const GrantFilterSchema = z
  .object({
    providers: z.array(ProviderIdSchema).max(providerIds.length).optional(),
    risks: z.array(RiskLevelSchema).max(4).optional(),
    /** Exact scope, as listed in the scan's scope menu. */
    scope: z.string().max(500).optional(),
    consent: ConsentKindSchema.optional(),
    access: AccessKindSchema.optional(),
    /** Matches app name, client id, publisher and user. */
    text: z.string().trim().max(200, { error: 'Search text can be at most 200 characters.' }).optional(),
    /** Only what is new since the scan before. */
    onlyNew: z.boolean().optional(),
  })
  .strict();
export type GrantFilter = z.input<typeof GrantFilterSchema>;

export const grantAppSortColumns = ['risk', 'name', 'publisher', 'users', 'scopes', 'lastUsed', 'provider'] as const;
export const grantSortColumns = ['risk', 'user', 'app', 'scopes', 'lastUsed', 'provider'] as const;
const sortDirection = z.enum(['asc', 'desc']);
const pageWindow = {
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().min(1).max(1_000).default(200),
};

export const GrantAppQuerySchema = z
  .object({
    filter: GrantFilterSchema.default({}),
    sort: z.object({ column: z.enum(grantAppSortColumns), direction: sortDirection }).strict().default({ column: 'risk', direction: 'desc' }),
    ...pageWindow,
  })
  .strict();
export type GrantAppQuery = z.input<typeof GrantAppQuerySchema>;

export const GrantQuerySchema = z
  .object({
    filter: GrantFilterSchema.default({}),
    sort: z.object({ column: z.enum(grantSortColumns), direction: sortDirection }).strict().default({ column: 'risk', direction: 'desc' }),
    ...pageWindow,
  })
  .strict();
export type GrantQuery = z.input<typeof GrantQuerySchema>;

export const GrantAppPageSchema = z.object({ snapshotId: z.string().nullable(), total: z.number().int().nonnegative(), rows: z.array(GrantAppRowSchema) });
export type GrantAppPage = z.infer<typeof GrantAppPageSchema>;
export const GrantPageSchema = z.object({ snapshotId: z.string().nullable(), total: z.number().int().nonnegative(), rows: z.array(GrantRowSchema) });
export type GrantPage = z.infer<typeof GrantPageSchema>;

export const IncompleteItemSchema = z.object({ what: z.string(), reason: z.string(), user: z.string().optional(), detailOnly: z.literal(true).optional() });

/**
 * A newer read of a connection that read less than the one shown (cancelled, failed, partial, or
 * the connection was disconnected meanwhile): kept aside, never shown unless the admin chooses it.
 */
export const NewerReadSchema = z.object({
  readAt: z.string(),
  outcome: z.enum(['partial', 'failed', 'cancelled']),
  completed: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  note: z.string().nullable(),
  errorCode: ErrorCodeSchema.nullable(),
  /** Grants it read; 0 when nothing was read, and then there is nothing to choose. */
  grants: z.number().int().nonnegative(),
});
export type NewerRead = z.infer<typeof NewerReadSchema>;

/** How one connection's part of a scan went. */
export const ScannedConnectionSchema = z.object({
  connectionId: z.string(),
  label: z.string(),
  provider: ProviderIdSchema,
  /** `not_supported`: the provider offers no admin listing of third-party grants. */
  outcome: z.enum(['complete', 'partial', 'failed', 'cancelled', 'not_supported']),
  /** Units read in full, of all there were. */
  completed: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** What `completed` and `total` count, plural: "users", "service principals", "result pages". */
  unit: z.string(),
  incomplete: z.array(IncompleteItemSchema),
  /** Why it failed or is not supported, and what to do. */
  note: z.string().nullable(),
  errorCode: ErrorCodeSchema.nullable(),
  /** When this read was made: a connection's last complete read outlives a later scan that read less. */
  readAt: z.string(),
  newerRead: NewerReadSchema.nullable(),
});
export type ScannedConnection = z.infer<typeof ScannedConnectionSchema>;

const riskCounts = z.object({ critical: z.number().int(), high: z.number().int(), medium: z.number().int(), low: z.number().int() });

export const GrantChangesSchema = z.object({
  /** When the scan compared with was taken; null on the first scan. */
  previousTakenAt: z.string().nullable(),
  newApps: z.number().int().nonnegative(),
  /** New grants rated High or Critical. */
  newRiskyGrants: z.number().int().nonnegative(),
  goneGrants: z.number().int().nonnegative(),
});
export type GrantChanges = z.infer<typeof GrantChangesSchema>;

export const SnapshotSummarySchema = z.object({
  id: z.string(),
  takenAt: z.string(),
  /** Something could not be read: the numbers are a floor, not the whole. */
  partial: z.boolean(),
  connections: z.array(ScannedConnectionSchema),
  apps: z.number().int().nonnegative(),
  grants: z.number().int().nonnegative(),
  users: z.number().int().nonnegative(),
  appsByRisk: riskCounts,
  changes: GrantChangesSchema,
  /** Every scope in the scan, for the scope filter. */
  scopes: z.array(z.string()),
});
export type SnapshotSummary = z.infer<typeof SnapshotSummarySchema>;

export const SkippedScanSchema = z.object({
  /** The scan's file name, as it was in the snapshots folder. */
  file: z.string(),
  /** When it was taken, when that could be read. */
  takenAt: z.string().nullable(),
  /** What is wrong with it, in a sentence. */
  problem: z.string(),
  /** Where the file was moved to; null when it was left where it was. */
  keptAs: z.string().nullable(),
});
export type SkippedScan = z.infer<typeof SkippedScanSchema>;

/** New Critical grants found by a background scan. */
export const GrantAlertSchema = z.object({ snapshotId: z.string(), criticalGrants: z.number().int().positive(), message: z.string() });
export type GrantAlert = z.infer<typeof GrantAlertSchema>;

export const scanStates = ['running', 'cancelling', 'finished', 'cancelled', 'failed'] as const;
export const ScanProgressSchema = z.object({
  scanId: z.string(),
  state: z.enum(scanStates),
  startedAt: z.string(),
  /** Connections whose part has ended, of the connections in the scan. */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /**
   * How far the whole scan is, 0–100; never goes back. Each connection counts alike and each of
   * its phases by a weight fixed up front, so a phase starting at 0 does not pull it back.
   */
  percent: z.number().min(0).max(100),
  /** Provider calls per minute over the last seconds. */
  callsPerMinute: z.number().nonnegative(),
  /** Null until there is a rate to estimate from. */
  etaSeconds: z.number().nonnegative().nullable(),
  connections: z.array(
    z.object({
      connectionId: z.string(),
      label: z.string(),
      provider: ProviderIdSchema,
      /** What it is reading now; `done` and `total` count that phase's units (users, pages…). */
      phase: z.string(),
      done: z.number().int().nonnegative(),
      total: z.number().int().nonnegative(),
      /** How far this connection's part is, 0–100; never goes back. */
      percent: z.number().min(0).max(100),
    }),
  ),
  /** Set when the scan ended without a snapshot. */
  error: BridgeFailureSchema.nullable(),
});
export type ScanProgress = z.infer<typeof ScanProgressSchema>;

export const GrantAuditStatusSchema = z.object({
  snapshot: SnapshotSummarySchema.nullable(),
  scan: ScanProgressSchema.nullable(),
  /** Connections a scan would read, and whether each can be scanned. */
  scannable: z.array(z.object({ connectionId: z.string(), label: z.string(), provider: ProviderIdSchema, supported: z.boolean(), ready: z.boolean(), note: z.string().nullable() })),
  /** Saved scans that could not be used (damaged files, set aside); the page shows the newest good one. */
  skippedScans: z.array(SkippedScanSchema),
});
export type GrantAuditStatus = z.infer<typeof GrantAuditStatusSchema>;

export const GrantAppDetailSchema = z.object({
  app: GrantAppRowSchema,
  /** Every scope it holds, each explained. */
  scopes: z.array(RatedScopeSchema),
  /** The first grants (users) of the app. */
  grants: z.array(GrantRowSchema),
  /** The provider's own records behind the first grants, as JSON text; handles that could revoke are removed. */
  evidence: z.array(z.object({ grantKey: z.string(), record: z.string() })),
});
export type GrantAppDetail = z.infer<typeof GrantAppDetailSchema>;

export const GrantChangeListSchema = z.object({
  newApps: z.array(GrantAppRowSchema),
  newRiskyGrants: z.array(GrantRowSchema),
  goneGrants: z.array(z.object({ key: z.string(), appName: z.string(), provider: ProviderIdSchema, user: z.string().nullable(), scopes: z.array(z.string()), risk: RiskLevelSchema })),
  /** Each list holds at most this many; the summary has the totals. */
  limit: z.number().int().positive(),
});
export type GrantChangeList = z.infer<typeof GrantChangeListSchema>;

export const RevocationSelectionSchema = z
  .object({
    snapshotId: z.string().min(1).max(100),
    /** Every grant of these apps… */
    appKeys: z.array(z.string().max(600)).max(10_000).default([]),
    /** …and these single grants. */
    grantKeys: z.array(z.string().max(1_200)).max(500_000).default([]),
  })
  .strict()
  .refine((selection) => selection.appKeys.length + selection.grantKeys.length > 0, { error: 'Select at least one app or grant to revoke.' });

export const RevocationPlanItemSchema = z.object({
  key: z.string(),
  connectionId: z.string(),
  provider: ProviderIdSchema,
  appName: z.string(),
  user: z.string().nullable(),
  scopes: z.array(z.string()),
  /** What exactly will be done, e.g. "Delete the user's tokens for this client". */
  action: z.string(),
});

export const RevocationPlanSchema = z.object({
  planId: z.string(),
  /** The first items, for the confirmation; `total` has them all. */
  items: z.array(RevocationPlanItemSchema),
  total: z.number().int().nonnegative(),
  apps: z.number().int().nonnegative(),
  users: z.number().int().nonnegative(),
  /** Grants that are tenant-wide consents (everyone in the organisation). */
  tenantWide: z.number().int().nonnegative(),
  connections: z.array(
    z.object({
      connectionId: z.string(),
      label: z.string(),
      provider: ProviderIdSchema,
      grants: z.number().int().nonnegative(),
      /** Revoking needs the connection's revoke_grants capability, which it does not hold yet. */
      needsRemediate: z.boolean(),
      /** The provider can also sign the affected users out (Microsoft revokeSignInSessions). */
      offersSessionRevocation: z.boolean(),
    }),
  ),
  /** What the admin must know before confirming (issued tokens stay valid until they expire, …). */
  warnings: z.array(z.string()),
  /** Text the admin must type to confirm a bulk revocation; null when a click is enough. */
  confirmationText: z.string().nullable(),
});
export type RevocationPlan = z.infer<typeof RevocationPlanSchema>;

export const RevocationResultItemSchema = z.object({
  key: z.string(),
  appName: z.string(),
  user: z.string().nullable(),
  provider: ProviderIdSchema,
  /**
   * `already_gone`: the provider no longer had it; counts as done. `in_doubt`: the call was sent
   * before Consentry stopped and no answer was recorded. `not_started`: the job was cancelled first.
   */
  outcome: z.enum(['revoked', 'already_gone', 'failed', 'skipped', 'in_doubt', 'not_started']),
  /** A read-back confirmed it is gone. */
  verified: z.boolean(),
  message: z.string(),
  errorCode: ErrorCodeSchema.nullable(),
});
export type RevocationResultItem = z.infer<typeof RevocationResultItemSchema>;

export const RevocationReportSchema = z.object({
  jobId: z.string(),
  /** The first items, those not revoked first; the counts cover all, and the CSV lists all. */
  items: z.array(RevocationResultItemSchema),
  /** Grants in the job, whether listed in `items` or not. */
  total: z.number().int().nonnegative(),
  revoked: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  inDoubt: z.number().int().nonnegative(),
  notStarted: z.number().int().nonnegative(),
  /** Revoked (or already gone) without a read-back that confirmed it. */
  unverified: z.number().int().nonnegative(),
  sessionsRevoked: z.number().int().nonnegative(),
});
export type RevocationReport = z.infer<typeof RevocationReportSchema>;

export const grantsChannels = {
  'grants.status': { request: NoRequestSchema, response: GrantAuditStatusSchema },
  'grants.scan': { request: z.object({ connectionIds: z.array(connectionId).max(100).optional() }).strict(), response: ScanProgressSchema },
  'grants.cancelScan': { request: z.object({ scanId: z.string().max(100) }).strict(), response: z.object({ cancelled: z.boolean() }) },
  'grants.apps': { request: GrantAppQuerySchema, response: GrantAppPageSchema },
  'grants.list': { request: GrantQuerySchema, response: GrantPageSchema },
  'grants.app': { request: z.object({ key: z.string().max(600) }).strict(), response: GrantAppDetailSchema },
  'grants.changes': { request: NoRequestSchema, response: GrantChangeListSchema },
  /** Shows a connection's newer read that was kept aside (it read less than the one shown). */
  'grants.useNewerRead': { request: z.object({ connectionId }).strict(), response: SnapshotSummarySchema },
  'grants.exportCsv': { request: z.object({ view: z.enum(['apps', 'grants']), filter: GrantFilterSchema.default({}) }).strict(), response: CsvExportSchema },
  'grants.planRevocation': { request: RevocationSelectionSchema, response: RevocationPlanSchema },
  'grants.revoke': {
    request: z.object({ planId: z.string().max(100), revokeSessions: z.boolean().default(false), confirmation: z.string().max(200).default('') }).strict(),
    response: JobSummarySchema,
  },
  'grants.revocationReport': { request: z.object({ jobId }).strict(), response: RevocationReportSchema },
  /** Every grant of a revocation job with its outcome, as CSV. */
  'grants.revocationCsv': { request: z.object({ jobId }).strict(), response: CsvExportSchema },
} as const satisfies Record<string, ChannelSpec>;

export const grantsEvents = {
  'grants.scanProgress': ScanProgressSchema,
  /** A scan finished or a revocation changed the snapshot. */
  'grants.changed': z.object({ snapshotId: z.string() }),
  /** A background scan found new Critical grants. */
  'grants.alert': GrantAlertSchema,
} as const satisfies Record<string, z.ZodType>;
