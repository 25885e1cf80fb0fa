import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createRendererAssetServer } from '../../../../src-main/renderer-assets/renderer-asset-server';
import { contentSecurityPolicy } from '../../../../src-main/security/content-security-policy';
import { temporaryDirectory } from '../../../support/temporary-directory';

async function rendererBuild() {
  const directory = await temporaryDirectory();
  const root = join(directory, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  // A file beside the renderer folder: reachable only if a path escapes it.
  await writeFile(join(directory, 'secret.txt'), 'outside');
  await writeFile(
    join(root, 'index.html'),
    '<meta property="csp-nonce" nonce="__CSP_NONCE__"><script type="module" src="./assets/app.js" nonce="__CSP_NONCE__"></script>',
  );
  await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
  return createRendererAssetServer({ root });
}

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe('content security policy', () => {
  test('allows only the app’s own scripts: no inline script, no eval, no remote origin', () => {
    const policy = directives(contentSecurityPolicy('abc'));
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'", "'nonce-abc'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(contentSecurityPolicy('abc')).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });
});

describe('renderer asset server', () => {
  test('serves index.html with a fresh nonce that matches its CSP header', async () => {
    const serve = await rendererBuild();
    const first = await serve('app://consentry/index.html');
    const second = await serve('app://consentry/');
    const nonceOf = (csp: string | null) => /'nonce-([^']+)'/.exec(csp ?? '')?.[1];
    const firstNonce = nonceOf(first.headers.get('content-security-policy'));
    expect(firstNonce).toMatch(/^[A-Za-z0-9+/=]{24}$/);
    expect(await first.text()).toContain(`nonce="${firstNonce}"`);
    expect(nonceOf(second.headers.get('content-security-policy'))).not.toBe(firstNonce);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('serves assets with their content type', async () => {
    const serve = await rendererBuild();
    const response = await serve('app://consentry/assets/app.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  test.each(['app://consentry/../secret.txt', 'app://consentry/%2e%2e/secret.txt', 'app://consentry/assets/..%2F..%2Fsecret.txt', 'app://consentry/missing.js'])(
    'refuses %s',
    async (url) => {
      const serve = await rendererBuild();
      expect((await serve(url)).status).toBe(404);
    },
  );

  test('refuses methods other than GET and HEAD', async () => {
    const serve = await rendererBuild();
    expect((await serve('app://consentry/index.html', 'POST')).status).toBe(405);
  });
});
