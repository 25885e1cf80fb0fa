import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { registerAppScheme, serveRendererOverAppProtocol } from '../../../../src-main/shell/app-protocol';
import { fakeElectron, resetFakeElectron } from '../../../support/fake-electron';
import { temporaryDirectory } from '../../../support/temporary-directory';

vi.mock('electron', async () => (await import('../../../support/fake-electron')).fakeElectronModule());

describe('app:// protocol', () => {
  beforeEach(() => resetFakeElectron());

  test('registers app:// as a standard, secure scheme (an origin of its own, not file://)', () => {
    registerAppScheme();
    expect(fakeElectron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  test('serves the built renderer with its Content-Security-Policy, and only for the app host', async () => {
    const root = join(await temporaryDirectory(), 'renderer');
    await mkdir(root);
    await writeFile(join(root, 'index.html'), '<html><head></head></html>');
    serveRendererOverAppProtocol(fakeElectron.session.defaultSession as never, root);
    const handler = fakeElectron.session.defaultSession.protocolHandlers.get('app')!;

    const page = await handler(new Request('app://consentry/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");

    expect((await handler(new Request('app://elsewhere/index.html'))).status).toBe(404);
  });
});
