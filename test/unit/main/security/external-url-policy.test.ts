import { describe, expect, test } from 'vitest';
import { createExternalUrlPolicy, maxExternalUrlLength } from '../../../../src-main/security/external-url-policy';

describe('external URL policy', () => {
  const policy = createExternalUrlPolicy();

  test.each([
    'https://accounts.google.com/o/oauth2/v2/auth?client_id=x',
    'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    'https://login.microsoftonline.us/tenant/oauth2/v2.0/authorize',
    'https://acme.my.salesforce.com/services/oauth2/authorize',
    'https://acme.okta.com/oauth2/v1/authorize',
    'https://acme.zendesk.com/oauth/authorizations/new',
  ])('opens the provider page %s', (url) => {
    expect(policy(url)).toEqual({ allowed: true, url });
  });

  test.each([
    ['http://accounts.google.com/', 'Only https'],
    ['file:///C:/Windows/System32/calc.exe', 'Only https'],
    ['javascript:alert(1)', 'Only https'],
    ['ms-settings:privacy', 'Only https'],
    ['https://evil.example/', 'not a provider'],
    ['https://evilokta.com/', 'not a provider'],
    ['https://accounts.google.com.evil.example/', 'not a provider'],
    ['https://user:pass@accounts.google.com/', 'user name or password'],
    ['https://accounts.google.com:8443/', 'standard https port'],
    ['http://127.0.0.1:5555/callback', 'Only https'],
    ['not a url', 'not a valid URL'],
  ])('refuses %s', (url, reason) => {
    const verdict = policy(url);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason).toContain(reason);
  });

  test('refuses a URL longer than Windows passes to the browser', () => {
    const base = 'https://accounts.google.com/o/oauth2/v2/auth?scope=';
    expect(policy(base + 'a'.repeat(maxExternalUrlLength - base.length)).allowed).toBe(true);
    expect(policy(base + 'a'.repeat(maxExternalUrlLength - base.length + 1))).toMatchObject({ allowed: false });
  });

  test('refuses what is not a string', () => {
    expect(policy(undefined).allowed).toBe(false);
    expect(policy({ href: 'https://accounts.google.com' }).allowed).toBe(false);
  });

  test('opens loopback pages only when tests ask for it', () => {
    expect(createExternalUrlPolicy({ allowLoopback: true })('http://127.0.0.1:5555/auth')).toMatchObject({ allowed: true });
    expect(createExternalUrlPolicy({ allowLoopback: true })('file:///etc/passwd').allowed).toBe(false);
  });

  test('opens the exact extra hosts of custom providers, not their look-alikes', () => {
    const custom = createExternalUrlPolicy({ extraHosts: ['Idp.Example.org'] });
    expect(custom('https://idp.example.org/authorize').allowed).toBe(true);
    expect(custom('https://sub.idp.example.org/authorize').allowed).toBe(false);
  });

  test("opens a connection's own sign-in host over https, on its port, and nothing else with it", () => {
    const context = { trustedHosts: ['idp.corp.example:8443'] };
    expect(policy('https://idp.corp.example:8443/oauth2/authorize?client_id=x', context).allowed).toBe(true);
    expect(policy('http://idp.corp.example:8443/oauth2/authorize', context).allowed).toBe(false);
    expect(policy('https://idp.corp.example/oauth2/authorize', context).allowed).toBe(false);
    expect(policy('https://user:pw@idp.corp.example:8443/', context).allowed).toBe(false);
    expect(policy('https://idp.corp.example:8443/oauth2/authorize').allowed).toBe(false);
  });

  test('opens a plain-http sign-in page only on this computer and only for the host the connection names', () => {
    expect(policy('http://127.0.0.1:41234/auth?client_id=x', { trustedHosts: ['127.0.0.1:41234'] }).allowed).toBe(true);
    expect(policy('http://127.0.0.1:41234/auth', { trustedHosts: ['127.0.0.1:5000'] }).allowed).toBe(false);
    expect(policy('http://127.0.0.1:41234/auth').allowed).toBe(false);
  });
});
