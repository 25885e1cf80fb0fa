import { beforeEach, describe, expect, test } from 'vitest';
import { failureFromTokenCall, type FailureContext } from '../../../../src-main/oauth/oauth-failure';
import { createElectronHttpFetch } from '../../../../src-main/shell/electron-http-fetch';
import { FakeSession } from '../../../support/fake-electron';

const context: FailureContext = { providerLabel: 'Okta', redirectUri: 'http://127.0.0.1/callback' };

describe('outbound HTTP over Electron’s network stack', () => {
  let session: FakeSession;
  beforeEach(() => {
    session = new FakeSession();
    session.fetch.mockImplementation(async () => Response.json({ access_token: 'at' }));
  });

  test('sends the request through the session’s fetch, without cookies and past in-app protocol handlers', async () => {
    const fetch = createElectronHttpFetch(session);
    const response = await fetch('https://id.example.com/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic Yzpz' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'rt' }),
    });
    expect(await response.json()).toEqual({ access_token: 'at' });
    const [sent, init] = session.fetch.mock.calls[0]!;
    expect(sent).toBeInstanceOf(Request);
    const request = sent as Request;
    expect(request).toMatchObject({ url: 'https://id.example.com/token', method: 'POST', credentials: 'omit' });
    expect(request.headers.get('authorization')).toBe('Basic Yzpz');
    expect(await request.text()).toBe('grant_type=refresh_token&refresh_token=rt');
    expect(init).toEqual({ bypassCustomProtocolHandlers: true });
  });

  test('leaves out the headers Chromium sets itself, which would fail the request', async () => {
    await createElectronHttpFetch(session)(new URL('https://graph.example/v1.0/users'), { headers: { 'content-length': '0', host: 'other.example', accept: 'application/json' } });
    const request = session.fetch.mock.calls[0]![0] as Request;
    expect([...request.headers.keys()]).toEqual(['accept']);
  });

  test('refuses file: and custom schemes, which the session would otherwise serve', async () => {
    const fetch = createElectronHttpFetch(session);
    for (const url of ['file:///etc/passwd', 'app://consentry/index.html']) {
      await expect(fetch(url)).rejects.toThrow(TypeError);
    }
    expect(session.fetch).not.toHaveBeenCalled();
  });

  test('a net:: failure reads as fetch’s network failure, with the Node code where one means the same', async () => {
    const fetch = createElectronHttpFetch(session);
    session.fetch.mockRejectedValueOnce(new Error('net::ERR_CONNECTION_REFUSED'));
    const refused = await fetch('https://id.example.com/token').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TypeError);
    expect(refused).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
    expect(failureFromTokenCall(refused, context)).toMatchObject({ code: 'network', transient: true });

    // A TLS-inspecting proxy whose CA the OS does not trust either: the admin is told so.
    session.fetch.mockRejectedValueOnce(new Error('net::ERR_CERT_AUTHORITY_INVALID'));
    const untrusted = failureFromTokenCall(await fetch('https://id.example.com/token').catch((error: unknown) => error), context);
    expect(untrusted).toMatchObject({ code: 'network', transient: false, nextStep: expect.stringContaining('TLS-inspecting proxy') });

    session.fetch.mockRejectedValueOnce(new Error('net::ERR_PROXY_CONNECTION_FAILED'));
    expect(failureFromTokenCall(await fetch('https://id.example.com/token').catch((error: unknown) => error), context)).toMatchObject({ code: 'network' });
  });

  test('a cancelled request rejects as the cancel, not as a network failure', async () => {
    const controller = new AbortController();
    session.fetch.mockImplementation(async () => {
      controller.abort();
      throw new DOMException('The operation was aborted.', 'AbortError');
    });
    await expect(createElectronHttpFetch(session)('https://id.example.com/token', { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
