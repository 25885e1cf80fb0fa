/**
 * Builds the typed API the renderer uses from any transport that speaks the contract.
 */
import { isEventName } from '../src-shared/contract/channel-names';
import type { ChannelName, ConsentryTransport, EventName, EventPayloadOf, RequestOf, ResponseOf } from '../src-shared/contract/channels';
import { EnvelopeSchema, type BridgeFailure, type FieldProblem } from '../src-shared/contract/envelope';
import type { ErrorCode } from '../src-shared/domain/error-codes';

/** A failure main reported, as the renderer sees it. */
export class BridgeError extends Error {
  readonly code: ErrorCode;
  readonly nextStep: string | undefined;
  readonly fields: FieldProblem[];

  constructor(failure: BridgeFailure) {
    super(failure.message);
    this.name = 'BridgeError';
    this.code = failure.code;
    this.nextStep = failure.nextStep;
    this.fields = failure.fields ?? [];
  }
}

export interface ConsentryClient {
  call<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void;
}

export function createConsentryClient(transport: ConsentryTransport): ConsentryClient {
  return {
    async call(channel, request) {
      const raw = await transport.invoke(channel, request);
      const envelope = EnvelopeSchema.safeParse(raw);
      if (!envelope.success) {
        throw new BridgeError({
          code: 'internal',
          message: 'The console answered in a form this window does not understand.',
          nextStep: 'Restart Consentry. If it happens again, report it with the activity log.',
        });
      }
      if (!envelope.data.ok) throw new BridgeError(envelope.data.error);
      // Main parsed the value through the channel's response schema before sending it.
      return envelope.data.value as ResponseOf<typeof channel>;
    },
    on(event, listener) {
      return transport.subscribe((name, payload) => {
        if (name === event && isEventName(name)) listener(payload as EventPayloadOf<typeof event>);
      });
    },
  };
}
