/**
 * The app itself: its description and the profile files found damaged.
 */
import { z } from 'zod';
import { type ChannelSpec, NoRequestSchema } from './envelope';

export const AppDescriptionSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.enum(['darwin', 'win32', 'linux', 'other']),
  /** `electron` in the desktop app; `browser-bridge` when served to a browser for tests and demos. */
  host: z.enum(['electron', 'browser-bridge']),
  dataDirectory: z.string(),
});
export type AppDescription = z.infer<typeof AppDescriptionSchema>;

/** A profile file that could not be used at start: kept aside, and that part started empty. */
export const ProfileProblemSchema = z.object({
  id: z.string(),
  /** The file's name in the data folder, e.g. `settings.json`. */
  file: z.string(),
  /** What is wrong with it, in a sentence. */
  problem: z.string(),
  /** The full path the damaged file was moved to; null when it could not be moved (it is left as it is). */
  keptAs: z.string().nullable(),
  /** What starting without it means, and what to do. */
  consequence: z.string(),
  /** ISO 8601, UTC. */
  foundAt: z.string(),
});
export type ProfileProblem = z.infer<typeof ProfileProblemSchema>;

export const appChannels = {
  'app.describe': { request: NoRequestSchema, response: AppDescriptionSchema },
  'app.openExternal': { request: z.object({ url: z.string().max(4_000) }).strict(), response: z.object({ opened: z.literal(true) }) },
  /** Profile files found damaged at start that the admin has not dismissed yet. */
  'app.profileProblems': { request: NoRequestSchema, response: z.object({ problems: z.array(ProfileProblemSchema) }) },
  'app.dismissProfileProblems': { request: z.object({ ids: z.array(z.string().max(200)).max(100) }).strict(), response: z.object({ dismissed: z.number().int().nonnegative() }) },
} as const satisfies Record<string, ChannelSpec>;
