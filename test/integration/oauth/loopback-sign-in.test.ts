import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ConnectionDraft } from '../../../src-shared/contract/connections';
import { portIsClosed } from '../../support/loopback-port';
import { startOidcTestServer, testClientId, type OidcTestServer } from '../../support/oidc-test-server';
import { temporaryDirectory } from '../../support/temporary-directory';
import { startConnectionHarness, type ConnectionHarness } from './connection-harness';

let server: OidcTestServer;
let harness: ConnectionHarness;
const strays: Socket[] = [];

const draft = (): ConnectionDraft => ({ provider: 'custom', label: 'Local IdP', clientId: testClientId, settings: { issuer: server.issuer, auditScopes: ['profile'] } });
const attempt = () => crypto.randomUUID();

/** Opens a TCP connection to the redirect's port before the browser delivers the response, optionally writing bytes on it. */
function strayConnection(callback: URL, bytes?: string): URL {
  const socket = connect({ host: '127.0.0.1', port: Number(callback.port) }, () => {
    if (bytes) socket.write(bytes.replace('PORT', callback.port));
  });
  socket.on('error', () => undefined);
  strays.push(socket);
  return callback;
}

beforeEach(async () => {
  server = await startOidcTestServer();
  harness = await startConnectionHarness({ profile: await temporaryDirectory() });
});

afterEach(async () => {
  for (const socket of strays.splice(0)) socket.destroy();
  await harness.close();
  await server.close();
});

describe('the loopback redirect in a whole sign-in', () => {
  test('completes and stores the tokens although the browser left a preconnected socket idle', async () => {
    harness.setBrowser({ tamper: (url) => strayConnection(url) });
    const view = await harness.service.connect(attempt(), draft());
    expect(view.status).toBe('active');
    expect((await harness.vault.get(view.id))?.refreshToken).toBeTruthy();
    expect((await harness.browserResults[0]!).status).toBe(200);
    const port = Number(new URL(new URL(harness.opened[0]!).searchParams.get('redirect_uri')!).port);
    expect(await portIsClosed(port)).toBe(true);

    harness.setBrowser({});
    await expect(harness.service.connect(attempt(), draft())).resolves.toMatchObject({ status: 'active' });
  });

  test('survives a malformed request line on the redirect port and still completes', async () => {
    harness.setBrowser({ tamper: (url) => strayConnection(url, 'GET //[ HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\n\r\n') });
    const view = await harness.service.connect(attempt(), draft());
    expect(view.status).toBe('active');
  });
});
