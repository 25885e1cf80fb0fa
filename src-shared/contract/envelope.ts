/**
 * The bridge envelope: a value, or a failure with a code, a sentence and a next step.
 */
import { z } from 'zod';
import { errorCodes } from '../domain/error-codes';

export const ErrorCodeSchema = z.enum(errorCodes);

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


/** A request with nothing in it. */
export const NoRequestSchema = z.object({}).strict();

/** What every channel names: its request and its response schema. */
export interface ChannelSpec {
  request: z.ZodType;
  response: z.ZodType;
}
