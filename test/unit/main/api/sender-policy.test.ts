import { describe, expect, test } from 'vitest';
import { schemeAndHost, trustOrigins } from '../../../../src-main/api/sender-policy';

describe('sender policy', () => {
  const trusted = trustOrigins(['app://consentry', 'http://localhost:5173']);

  test('trusts the main frame of the app protocol and of the dev server', () => {
    expect(trusted({ url: 'app://consentry/index.html#/settings', isMainFrame: true })).toBe(true);
    expect(trusted({ url: 'http://localhost:5173/', isMainFrame: true })).toBe(true);
  });

  test('refuses iframes, other origins, other ports and missing URLs', () => {
    expect(trusted({ url: 'app://consentry/index.html', isMainFrame: false })).toBe(false);
    expect(trusted({ url: 'app://consentry.evil/index.html', isMainFrame: true })).toBe(false);
    expect(trusted({ url: 'http://localhost:5174/', isMainFrame: true })).toBe(false);
    expect(trusted({ url: 'file:///etc/passwd', isMainFrame: true })).toBe(false);
    expect(trusted({ url: undefined, isMainFrame: true })).toBe(false);
    expect(trusted({ url: 'not a url', isMainFrame: true })).toBe(false);
  });

  test('names custom-scheme origins, whose WHATWG origin is "null"', () => {
    expect(new URL('app://consentry/x').origin).toBe('null');
    expect(schemeAndHost('app://consentry/x')).toBe('app://consentry');
  });
});
