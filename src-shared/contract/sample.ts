/**
 * The sample workspace.
 */
import { z } from 'zod';
import { attemptId, ConnectionViewSchema } from './connections';
import { type ChannelSpec, NoRequestSchema } from './envelope';

export const SampleProviderSchema = z.enum(['google', 'microsoft']);
export type SampleProvider = z.infer<typeof SampleProviderSchema>;

export const SampleWorkspaceStatusSchema = z.object({
  /** The simulated tenant is running inside Consentry. */
  running: z.boolean(),
  users: z.number().int().nonnegative().nullable(),
  /** Sample connections in the list. */
  connections: z.number().int().nonnegative(),
});
export type SampleWorkspaceStatus = z.infer<typeof SampleWorkspaceStatusSchema>;

export const sampleChannels = {
  'sample.status': { request: NoRequestSchema, response: SampleWorkspaceStatusSchema },
  'sample.connect': { request: z.object({ attemptId, provider: SampleProviderSchema }).strict(), response: ConnectionViewSchema },
  'sample.remove': { request: NoRequestSchema, response: z.object({ removed: z.number().int().nonnegative() }) },
} as const satisfies Record<string, ChannelSpec>;
