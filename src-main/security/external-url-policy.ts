/**
 * Which URLs Consentry may hand to the system browser. Opening a URL runs whatever the OS
 * associates with it, so only https pages of the identity providers and admin consoles Consentry
 * works with pass (plus the loopback address, for tests that stand in for a provider).
 */

/** Windows cuts `ShellExecute` URLs at 2,081 characters, which would silently drop OAuth parameters. */
export const maxExternalUrlLength = 2_081;

const providerHosts = new Set([
  // Google
  'accounts.google.com',
  'admin.google.com',
  'console.cloud.google.com',
  'myaccount.google.com',
  'support.google.com',
  // Microsoft (global, US Government, China)
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'entra.microsoft.com',
  'portal.azure.com',
  'portal.azure.us',
  'portal.azure.cn',
  'myapps.microsoft.com',
  'learn.microsoft.com',
  // SaaS
  'zoom.us',
  'marketplace.zoom.us',
  'login.salesforce.com',
  'test.salesforce.com',
  'app.hubspot.com',
  'app-eu1.hubspot.com',
  'oauth.pipedrive.com',
  'slack.com',
  'api.slack.com',
]);

/** Tenant-specific hosts: Salesforce My Domains, Okta orgs, Zendesk subdomains, Slack workspaces. */
const providerHostSuffixes = [
  '.my.salesforce.com',
  '.lightning.force.com',
  '.okta.com',
  '.oktapreview.com',
  '.okta-emea.com',
  '.zendesk.com',
  '.slack.com',
  '.pipedrive.com',
];

const loopbackHosts = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** This computer's own addresses, as URL hostnames. */
export function isLoopbackHostname(hostname: string): boolean {
  return loopbackHosts.has(hostname.toLowerCase());
}

export type ExternalUrlVerdict = { allowed: true; url: string } | { allowed: false; reason: string };

export interface ExternalUrlPolicyOptions {
  /** Loopback http(s) URLs pass too: only for tests, where a local server plays the provider. */
  allowLoopback?: boolean;
  /** Further exact hosts, e.g. the issuer of a custom OIDC provider the admin added. */
  extraHosts?: readonly string[];
}

/**
 * `trustedHosts`: hosts the admin configured for this one purpose — the sign-in page of a custom
 * provider or a national cloud — accepted over https on any port.
 */
export type ExternalUrlPolicy = (url: unknown, context?: { trustedHosts?: readonly string[] }) => ExternalUrlVerdict;

export function createExternalUrlPolicy(options: ExternalUrlPolicyOptions = {}): ExternalUrlPolicy {
  const extraHosts = new Set((options.extraHosts ?? []).map((host) => host.toLowerCase()));
  return (url, context = {}) => {
    if (typeof url !== 'string' || url.length === 0) return { allowed: false, reason: 'No URL was given.' };
    if (url.length > maxExternalUrlLength) {
      return { allowed: false, reason: `The URL is ${url.length} characters long; Windows accepts at most ${maxExternalUrlLength}.` };
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { allowed: false, reason: 'The text is not a valid URL.' };
    }
    if (parsed.href.length > maxExternalUrlLength) {
      return { allowed: false, reason: `The URL is longer than ${maxExternalUrlLength} characters once normalised.` };
    }
    if (parsed.username !== '' || parsed.password !== '') {
      return { allowed: false, reason: 'URLs with a user name or password in them are not opened.' };
    }
    const host = parsed.hostname.toLowerCase();
    const loopbackWeb = loopbackHosts.has(host) && (parsed.protocol === 'http:' || parsed.protocol === 'https:');
    if (options.allowLoopback && loopbackWeb) return { allowed: true, url: parsed.href };
    // A configured sign-in host on this computer (the built-in sample workspace) may be plain http.
    const trusted = (context.trustedHosts ?? []).some((entry) => entry.toLowerCase() === parsed.host.toLowerCase());
    if (trusted && loopbackWeb) return { allowed: true, url: parsed.href };
    if (parsed.protocol !== 'https:') return { allowed: false, reason: `Only https pages are opened, not ${parsed.protocol} links.` };
    if (trusted) return { allowed: true, url: parsed.href };
    if (parsed.port !== '') return { allowed: false, reason: 'Provider pages are opened on the standard https port only.' };
    const known =
      providerHosts.has(host) || extraHosts.has(host) || providerHostSuffixes.some((suffix) => host.endsWith(suffix));
    if (!known) return { allowed: false, reason: `${host} is not a provider Consentry works with.` };
    return { allowed: true, url: parsed.href };
  };
}
