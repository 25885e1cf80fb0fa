/**
 * An OAuth 2.0 / OpenID Connect authorization server for the sample workspace and the tests:
 * oidc-provider (OpenID certified) on 127.0.0.1, over http or https, with native public clients
 * like the one an admin registers for Consentry. The simulated APIs ask it which scopes a bearer
 * token carries, so a revoked or expired token stops working there too. Entra's admin-consent
 * prompt (adminConsentPrompt) plugs in through `intercept`.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import { microsoftGraphAppId } from '../sample-apps';
import { appRoleAssignmentId, graphAppRoles, permissionGrantId } from './graph-api';
import { graphPermissionScopes } from './graph-consent-api';
import { addServicePrincipal, appServicePrincipals, type SimulatedTenant, type TenantServicePrincipal } from './simulated-tenant';

export interface AuthorizationServerAccount {
  email: string;
  name: string;
}

export interface AuthorizationServerOptions {
  /** Public native clients (no secret), as the sample workspace's. */
  clientIds: readonly string[];
  /** Clients with a secret, as an admin's own Desktop-app client at Google. */
  confidentialClients?: readonly { clientId: string; clientSecret: string }[];
  /** Scopes the server grants besides the OIDC ones; others are dropped, as real servers do. */
  scopes: readonly string[];
  tls?: { key: string; cert: string };
  accessTokenTtlSeconds?: number;
  /** The person behind a login name at the sign-in page. */
  account(login: string): AuthorizationServerAccount;
  /** Answered before oidc-provider sees the request: an outage, say. */
  intercept?(request: IncomingMessage, response: ServerResponse): boolean;
  /**
   * With `tls`: also serve the browser's pages (authorization, sign-in, consent) over plain http on
   * 127.0.0.1, and say so in the discovery document. The admin's browser does not trust the
   * generated certificate; msal-node still reaches the token endpoint over https.
   */
  browserPagesOverHttp?: boolean;
}

export interface AuthorizationServer {
  issuer: string;
  provider: Provider;
  /** Where the browser goes to sign in (the http origin when `browserPagesOverHttp`). */
  authorizationEndpoint: string;
  /** The scopes of a live access token; null when unknown, expired or revoked. */
  accessTokenScopes(token: string): Promise<ReadonlySet<string> | null>;
  /** The login a live access token was issued to (what the sign-in page was given); null when unknown. */
  accessTokenAccount(token: string): Promise<string | null>;
  close(): Promise<void>;
}

export async function startAuthorizationServer(options: AuthorizationServerOptions): Promise<AuthorizationServer> {
  let handler: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => {
    response.statusCode = 503;
    response.end();
  };
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    if (options.intercept?.(request, response)) return;
    handler(request, response);
  };
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [
      ...options.clientIds.map((clientId) => ({ client_id: clientId, token_endpoint_auth_method: 'none' as const })),
      ...(options.confidentialClients ?? []).map(({ clientId, clientSecret }) => ({ client_id: clientId, client_secret: clientSecret, token_endpoint_auth_method: 'client_secret_post' as const })),
    ].map((client) => ({
      ...client,
      application_type: 'native',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // Native clients: any loopback port; Entra-style clients use http://localhost (MSAL).
      redirect_uris: ['http://127.0.0.1/callback', 'http://localhost'],
    })),
    scopes: ['openid', 'offline_access', 'email', 'profile', ...options.scopes],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    // Claims in the ID token even when an access token is issued: MSAL takes the user name from it.
    conformIdTokenClaims: false,
    async findAccount(_context, id) {
      const account = options.account(id);
      return { accountId: id, claims: async () => ({ sub: id, email: account.email, email_verified: true, name: account.name, preferred_username: account.email }) };
    },
    features: { devInteractions: { enabled: true }, revocation: { enabled: true }, introspection: { enabled: true } },
    ttl: { AccessToken: options.accessTokenTtlSeconds ?? 3_600, AuthorizationCode: 60, IdToken: 3_600, RefreshToken: 14 * 86_400, Grant: 14 * 86_400, Session: 3_600, Interaction: 600 },
    // Like Google with access_type=offline: a refresh token for every code grant.
    issueRefreshToken: async (_context, client) => client.grantTypeAllowed('refresh_token'),
    cookies: { keys: ['sample-workspace-cookie-key-not-a-secret'] },
    renderError(context, out) {
      context.type = 'json';
      context.body = out;
    },
  };
  const provider = new Provider(issuer, configuration);
  let browserServer: Server | undefined;
  let authorizationEndpoint = `${issuer}/auth`;
  if (options.tls && options.browserPagesOverHttp) {
    browserServer = createHttpServer(listener);
    await new Promise<void>((resolve) => browserServer!.listen(0, '127.0.0.1', resolve));
    authorizationEndpoint = `http://127.0.0.1:${(browserServer.address() as AddressInfo).port}/auth`;
    // The metadata sends the browser to the http pages; everything else stays on the https issuer.
    provider.use(async (context, next) => {
      await next();
      if (context.path === '/.well-known/openid-configuration' && context.body && typeof context.body === 'object') {
        context.body = { ...(context.body as Record<string, unknown>), authorization_endpoint: authorizationEndpoint };
      }
    });
  }
  // Entra issues refresh tokens for offline_access without prompt=consent; oidc-provider drops the
  // scope unless asked to consent, and MSAL never sends prompt=consent.
  provider.use(async (context, next) => {
    if (context.method === 'GET' && context.path === '/auth') {
      const query = context.query as Record<string, string | undefined>;
      if (query.scope?.split(' ').includes('offline_access') && !(query.prompt ?? '').includes('consent')) {
        context.query = { ...query, prompt: [query.prompt, 'consent'].filter(Boolean).join(' ') };
      }
    }
    await next();
  });
  handler = provider.callback();

  return {
    issuer,
    provider,
    authorizationEndpoint,
    async accessTokenScopes(token) {
      const found = await provider.AccessToken.find(token);
      if (!found || found.isExpired) return null;
      return new Set(String(found.scope ?? '').split(' ').filter(Boolean));
    },
    async accessTokenAccount(token) {
      const found = await provider.AccessToken.find(token);
      if (!found || found.isExpired) return null;
      return typeof found.accountId === 'string' ? found.accountId : null;
    },
    async close() {
      for (const running of [server, browserServer]) {
        if (!running) continue;
        running.closeAllConnections();
        await new Promise<void>((resolve) => running.close(() => resolve()));
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Entra's admin-consent prompt

const graphResource = 'https://graph.microsoft.com/';

interface AdminConsentAsk {
  app: { appId: string; name: string; publisher: string; verified: boolean; graphDelegated: readonly string[]; graphApplication: readonly string[] };
  /** The scopes as asked (sent back on the redirect). */
  asked: string[];
  delegated: string[];
  application: string[];
  redirectUri: URL | null;
  state: string | null;
}

class PromptFailure extends Error {}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

function page(response: ServerResponse, status: number, title: string, body: string): void {
  response
    .writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'" })
    .end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}li{margin:.4rem 0}small{color:#555}button{margin-right:.5rem;padding:.4rem 1.2rem}</style></head><body>${body}</body></html>`);
}

/**
 * `GET [/{tenant}]/v2.0/adminconsent?client_id&scope&redirect_uri&state`, as Microsoft's prompt: a
 * page listing the permissions with Accept and Cancel. Accept adds the app's service principal if
 * the tenant has none, the AllPrincipals grant of the delegated scopes to Microsoft Graph (added to
 * any it holds) and, for `.default`, the app roles its registration declares; then it redirects with
 * `admin_consent=True&tenant&scope&state`, or says the tab may be closed when there is no
 * redirect_uri. Cancel redirects with `error=access_denied`. Entra's own sign-in before the prompt is
 * not simulated: whoever opens the page consents as an admin.
 */
export function adminConsentPrompt(tenant: SimulatedTenant, options: { clock?: () => Date } = {}): (request: IncomingMessage, response: ServerResponse) => boolean {
  const clock = options.clock ?? (() => new Date());
  const tenantNames = () => new Set([tenant.entraTenantId, tenant.domain, 'organizations', 'common'].map((name) => name.toLowerCase()));

  const readAsk = (parameters: URLSearchParams): AdminConsentAsk => {
    const required = (name: string) => {
      const value = parameters.get(name)?.trim();
      if (!value) throw new PromptFailure(`AADSTS900144: The request body must contain the following parameter: '${name}'.`);
      return value;
    };
    const clientId = required('client_id');
    const scope = required('scope');
    const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    const existing = appServicePrincipals(tenant).find((sp) => same(sp.appId, clientId))?.app;
    const app = existing ?? tenant.publishedApps.find((candidate) => same(candidate.appId, clientId));
    if (!app) throw new PromptFailure(`AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tenant.domain}'.`);
    const asked = scope.split(/\s+/).filter(Boolean);
    const delegated = new Set<string>();
    const application = new Set<string>();
    for (const entry of asked) {
      const name = entry.toLowerCase().startsWith(graphResource) ? entry.slice(graphResource.length) : entry;
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) throw new PromptFailure(`AADSTS650053: The application '${app.name}' asked for scope '${entry}' on a resource this simulated tenant does not have.`);
      if (name === '.default') {
        app.graphDelegated.forEach((value) => delegated.add(value));
        app.graphApplication.forEach((value) => application.add(value));
        continue;
      }
      const published = graphPermissionScopes.find((candidate) => same(candidate.value, name));
      if (!published) throw new PromptFailure(`AADSTS650053: The application '${app.name}' asked for scope '${name}' that doesn't exist on the resource '${microsoftGraphAppId}'.`);
      delegated.add(published.value);
    }
    const rawRedirect = parameters.get('redirect_uri');
    let redirectUri: URL | null = null;
    if (rawRedirect) {
      redirectUri = URL.canParse(rawRedirect) ? new URL(rawRedirect) : null;
      if (!redirectUri || !['http:', 'https:'].includes(redirectUri.protocol)) throw new PromptFailure(`AADSTS50011: The redirect URI '${rawRedirect}' specified in the request is not valid.`);
    }
    return {
      app: { appId: app.appId, name: app.name, publisher: app.publisher, verified: app.verified, graphDelegated: app.graphDelegated, graphApplication: app.graphApplication },
      asked,
      delegated: [...delegated],
      application: [...application],
      redirectUri,
      state: parameters.get('state'),
    };
  };

  const showPrompt = (response: ServerResponse, path: string, parameters: URLSearchParams, ask: AdminConsentAsk) => {
    const describe = (value: string) => graphPermissionScopes.find((scope) => scope.value === value)?.adminConsentDisplayName ?? value;
    const items = [
      ...ask.delegated.map((value) => `<li>${escapeHtml(describe(value))} <small>(${escapeHtml(value)}, delegated)</small></li>`),
      ...ask.application.map((value) => `<li>${escapeHtml(graphAppRoles.find((role) => role.value === value)?.displayName ?? value)} <small>(${escapeHtml(value)}, application)</small></li>`),
    ].join('');
    const hidden = ['client_id', 'scope', 'redirect_uri', 'state']
      .filter((name) => parameters.get(name) !== null)
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(parameters.get(name)!)}">`)
      .join('');
    page(
      response,
      200,
      'Permissions requested',
      `<h1>Permissions requested</h1><p><strong>${escapeHtml(ask.app.name)}</strong><br><small>${escapeHtml(ask.app.publisher)}${ask.app.verified ? ' (verified publisher)' : ' (unverified)'}</small></p>` +
        `<p>This app would like to:</p><ul>${items}</ul>` +
        `<p>If you accept, this app will get access to the specified resources for all users in your organization. No one else will be prompted to review these permissions.</p>` +
        `<form method="post" action="${escapeHtml(path)}">${hidden}<button type="submit" name="decision" value="accept">Accept</button><button type="submit" name="decision" value="cancel">Cancel</button></form>`,
    );
  };

  const grant = (ask: AdminConsentAsk) => {
    const now = clock();
    const sp = appServicePrincipals(tenant).find((candidate) => candidate.appId === ask.app.appId) ?? (addServicePrincipal(tenant, ask.app.appId, now) as { added: TenantServicePrincipal }).added;
    if (ask.delegated.length > 0) {
      const existing = tenant.permissionGrants.find((candidate) => candidate.consentType === 'AllPrincipals' && candidate.clientId === sp.id && candidate.resourceId === tenant.graphServicePrincipalId);
      if (existing) existing.scope = [...new Set([...existing.scope.split(' ').filter(Boolean), ...ask.delegated])].join(' ');
      else tenant.permissionGrants.push({ id: permissionGrantId(sp.id, tenant.graphServicePrincipalId, null), clientId: sp.id, consentType: 'AllPrincipals', principalId: null, resourceId: tenant.graphServicePrincipalId, scope: ask.delegated.join(' ') });
    }
    for (const permission of ask.application) {
      const role = graphAppRoles.find((candidate) => candidate.value === permission);
      if (!role || tenant.appRoleAssignments.some((assignment) => assignment.principalId === sp.id && assignment.resourceId === tenant.graphServicePrincipalId && assignment.appRoleId === role.id)) continue;
      tenant.appRoleAssignments.push({ id: appRoleAssignmentId(sp.id), principalId: sp.id, principalDisplayName: sp.displayName, resourceId: tenant.graphServicePrincipalId, resourceDisplayName: 'Microsoft Graph', appRoleId: role.id, permission, createdDateTime: now.toISOString() });
    }
  };

  const redirect = (response: ServerResponse, ask: AdminConsentAsk & { redirectUri: URL }, answer: Record<string, string>) => {
    const target = new URL(ask.redirectUri);
    for (const [name, value] of Object.entries({ ...answer, ...(ask.state === null ? {} : { state: ask.state }) })) target.searchParams.set(name, value);
    response.writeHead(302, { location: target.toString(), 'cache-control': 'no-store' }).end();
  };

  const answer = async (request: IncomingMessage, response: ServerResponse, path: string, url: URL) => {
    let parameters = url.searchParams;
    if (request.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      parameters = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    }
    const ask = readAsk(parameters);
    if (request.method === 'GET') return showPrompt(response, path, parameters, ask);
    const accepted = parameters.get('decision') === 'accept';
    if (accepted) grant(ask);
    if (ask.redirectUri) {
      const withRedirect = { ...ask, redirectUri: ask.redirectUri };
      if (accepted) return redirect(response, withRedirect, { admin_consent: 'True', tenant: tenant.entraTenantId, scope: ask.asked.join(' ') });
      return redirect(response, withRedirect, { error: 'access_denied', error_subcode: 'cancel', error_description: 'AADSTS65004: User declined to consent to access the app.' });
    }
    if (accepted) return page(response, 200, 'Permissions granted', `<h1>Permissions granted</h1><p>${escapeHtml(ask.app.name)} now has the permissions you accepted for your organization. You can close this tab.</p>`);
    return page(response, 200, 'Nothing was granted', `<h1>Nothing was granted</h1><p>You cancelled. You can close this tab.</p>`);
  };

  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://authorization-server');
    // With no tenant segment: the simulator's authority is the tenant itself (as MSAL is given it).
    const match = /^(?:\/([^/]+))?\/v2\.0\/adminconsent$/i.exec(url.pathname);
    if (!match || (request.method !== 'GET' && request.method !== 'POST')) return false;
    if (match[1] !== undefined && !tenantNames().has(decodeURIComponent(match[1]).toLowerCase())) {
      page(response, 400, 'Sign in error', `<h1>Sign in error</h1><p>${escapeHtml(`AADSTS90002: Tenant '${match[1]!}' not found.`)}</p>`);
      return true;
    }
    answer(request, response, url.pathname, url).catch((error: unknown) => {
      const message = error instanceof PromptFailure ? error.message : 'AADSTS50000: There was an error issuing a token or an issue with our sign-in service.';
      if (!response.headersSent) page(response, 400, 'Sign in error', `<h1>Sign in error</h1><p>${escapeHtml(message)}</p>`);
    });
    return true;
  };
}
