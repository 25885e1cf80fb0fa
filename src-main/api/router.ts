import type { z } from 'zod';
import { isChannelName } from '../../src-shared/contract/channel-names';
import { channels, type ChannelName, type ParsedRequestOf, type ResponseOf } from '../../src-shared/contract/channels';
import type { BridgeFailure, Envelope, FieldProblem } from '../../src-shared/contract/envelope';
import type { ActivityService } from '../activity/activity-service';
import { AppError } from '../errors/app-error';
import type { SenderIdentity, SenderPolicy } from './sender-policy';

export type ChannelHandlers = {
  [C in ChannelName]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

export interface RouterOptions {
  handlers: ChannelHandlers;
  isTrustedSender: SenderPolicy;
  activity: ActivityService;
  /** Where unexpected errors go (a log file, the console); never to the renderer. */
  reportUnexpected: (channel: string, error: unknown) => void;
}

export type Dispatch = (channel: unknown, request: unknown, sender: SenderIdentity) => Promise<Envelope>;

function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : '(request)',
    message: issue.message,
  }));
}

const failures = {
  forbiddenSender: {
    code: 'forbidden_sender',
    message: 'This request did not come from the Consentry window and was refused.',
  },
  unknownChannel: {
    code: 'unknown_channel',
    message: 'This window asked for something the console does not offer.',
    nextStep: 'Restart Consentry so the window and the console are the same version.',
  },
  internal: {
    code: 'internal',
    message: 'Something went wrong inside Consentry; nothing was changed by this request.',
    nextStep: 'Try again. If it keeps happening, restart Consentry and check the Activity page.',
  },
} as const satisfies Record<string, BridgeFailure>;

/**
 * The main-side end of the bridge, independent of transport: checks the sender, validates the
 * request against the contract, calls the handler, and parses the response through the contract so
 * only the fields it names cross. Refused requests are recorded in the activity log.
 */
export function createRouter(options: RouterOptions): Dispatch {
  const refuse = async (channel: string, failure: BridgeFailure): Promise<Envelope> => {
    await options.activity
      .record({ action: 'bridge.refused', target: channel, result: 'failed', errorCode: failure.code, detail: failure.message })
      .catch((error: unknown) => options.reportUnexpected(channel, error));
    return { ok: false, error: failure };
  };

  return async (channel, request, sender) => {
    const channelLabel = typeof channel === 'string' ? channel.slice(0, 100) : '(not a channel name)';
    if (!options.isTrustedSender(sender)) return refuse(channelLabel, failures.forbiddenSender);
    if (!isChannelName(channel)) return refuse(channelLabel, failures.unknownChannel);

    const spec = channels[channel];
    const parsed = spec.request.safeParse(request ?? {});
    if (!parsed.success) {
      const fields = fieldProblems(parsed.error);
      return refuse(channel, {
        code: 'invalid_request',
        message: fields.length === 1 ? fields[0]!.message : 'Some of the values given are not valid.',
        nextStep: 'Correct the highlighted values and try again; nothing was changed.',
        fields,
      });
    }

    try {
      const handler = options.handlers[channel] as (request: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
      return { ok: true, value: spec.response.parse(value) };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, error: error.toFailure() };
      options.reportUnexpected(channel, error);
      return { ok: false, error: failures.internal };
    }
  };
}
