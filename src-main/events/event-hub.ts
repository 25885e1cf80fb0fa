import { events, type EventName, type EventPayloadOf } from '../../src-shared/contract/channels';

export type EventListener = (event: EventName, payload: unknown) => void;

/**
 * Main → renderer events. Payloads are parsed through the contract's event schema when published,
 * so only the fields the contract names ever reach a transport.
 */
export class EventHub {
  readonly #listeners = new Set<EventListener>();

  publish<E extends EventName>(event: E, payload: EventPayloadOf<E>): void {
    const parsed: unknown = events[event].parse(payload);
    for (const listener of this.#listeners) listener(event, parsed);
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}
