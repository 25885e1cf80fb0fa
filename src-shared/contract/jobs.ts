/**
 * Jobs that survive a crash: their summaries.
 */
import { z } from 'zod';
import { type ChannelSpec, NoRequestSchema } from './envelope';

export const jobStates = ['running', 'pausing', 'paused', 'cancelling', 'cancelled', 'finished', 'interrupted'] as const;
export const JobStateSchema = z.enum(jobStates);
export type JobState = z.infer<typeof JobStateSchema>;

/** A confirmed job (a bulk revocation, later rotations and offboarding) as the console shows it. */
export const JobSummarySchema = z.object({
  id: z.string(),
  kind: z.string(),
  /** e.g. "Revoke 1,204 grants". */
  title: z.string(),
  state: JobStateSchema,
  /** Why it is paused or stopped (disk full, Consentry was closed), when it is. */
  reason: z.string().nullable(),
  total: z.number().int().nonnegative(),
  succeeded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  /** Sent before Consentry stopped, with no answer recorded: never counted as done. */
  inDoubt: z.number().int().nonnegative(),
  notStarted: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
  etaSeconds: z.number().nonnegative().nullable(),
});
export type JobSummary = z.infer<typeof JobSummarySchema>;

export const JobListSchema = z.object({ jobs: z.array(JobSummarySchema) });
export type JobList = z.infer<typeof JobListSchema>;

export const jobId = z.string().min(1).max(100);

export const jobsChannels = {
  'jobs.list': { request: NoRequestSchema, response: JobListSchema },
  'jobs.pause': { request: z.object({ jobId }).strict(), response: JobSummarySchema },
  'jobs.resume': { request: z.object({ jobId }).strict(), response: JobSummarySchema },
  'jobs.cancel': { request: z.object({ jobId }).strict(), response: JobSummarySchema },
} as const satisfies Record<string, ChannelSpec>;

export const jobsEvents = {
  /** A job's progress or state changed. */
  'jobs.progress': JobSummarySchema,
} as const satisfies Record<string, z.ZodType>;
