import { describe, expect, test, vi } from 'vitest';
import { BridgeError, createConsentryClient } from '../../../src-preload/client';
import type { ConsentryTransport, EventName } from '../../../src-shared/contract/channels';

function clientOver(answer: unknown) {
  let emit: (event: EventName, payload: unknown) => void = () => undefined;
  const transport: ConsentryTransport = {
    invoke: vi.fn(async () => answer) as ConsentryTransport['invoke'],
    subscribe: (listener) => {
      emit = listener;
      return () => undefined;
    },
  };
  return { client: createConsentryClient(transport), emit: (event: EventName, payload: unknown) => emit(event, payload) };
}

describe('renderer client', () => {
  test('returns the value of a successful envelope', async () => {
    const { client } = clientOver({ ok: true, value: { theme: 'dark' } });
    await expect(client.call('settings.get', {})).resolves.toEqual({ theme: 'dark' });
  });

  test('throws a BridgeError carrying code, next step and field problems', async () => {
    const { client } = clientOver({
      ok: false,
      error: { code: 'invalid_request', message: 'Bad.', nextStep: 'Fix it.', fields: [{ field: 'theme', message: 'Pick one.' }] },
    });
    const error = await client.call('settings.update', { theme: 'dark' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BridgeError);
    expect(error).toMatchObject({ code: 'invalid_request', message: 'Bad.', nextStep: 'Fix it.', fields: [{ field: 'theme', message: 'Pick one.' }] });
  });

  test('treats an answer that is not an envelope as an internal failure', async () => {
    const { client } = clientOver('<html>');
    await expect(client.call('settings.get', {})).rejects.toMatchObject({ code: 'internal' });
  });

  test('calls a listener only for its own event', () => {
    const { client, emit } = clientOver(null);
    const listener = vi.fn();
    client.on('settings.changed', listener);
    emit('activity.appended', { seq: 1 });
    emit('settings.changed', { theme: 'light' });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ theme: 'light' });
  });
});
