/**
 * The sample workspace's simulator: a seeded tenant served as Google's authorization server and
 * APIs (and, with the Graph side, Entra's), with a fault plan. Used by the app's sample workspace,
 * the integration and E2E tests, the benchmarks and `npm run simulator`.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ProviderDefinition } from '../../oauth/provider-definition';
import { everyScopeOf } from '../../oauth/provider-definitions';
// The simulator stands in for these providers, so it takes their scopes from their presets.
import { googlePreset } from '../../providers/google/google-preset';
import { microsoftPreset } from '../../providers/microsoft/microsoft-preset';
import { oktaPreset } from '../../providers/okta/okta-preset';
import { salesforcePreset } from '../../providers/salesforce/salesforce-preset';
import { zendeskPreset } from '../../providers/zendesk/zendesk-preset';
import { createApiListener, type ApiCall } from './api-router';
import { createFaultPlan, createLostAnswerPlan, type FaultPlanOptions } from './fault-plan';
import { googleBatchRoutes } from './google-batch-api';
import { googleCloudKeysRoutes } from './google-cloud-keys-api';
import { googleDataTransferRoutes } from './google-datatransfer-api';
import { googleDirectoryRoutes, googleErrors, googleFaults } from './google-directory-api';
import { googlePolicyRoutes } from './google-policy-api';
import { googlePolicyAnalyzerRoutes } from './google-policy-analyzer-api';
import { googleReportsRoutes, seedTokenActivity } from './google-reports-api';
import { graphErrors, graphFaults, graphRoutes } from './graph-api';
import { createInspectionListener } from './inspection-api';
import { buildSampleSaas, type SampleSaas } from '../sample-saas';
import { oktaErrors, oktaFaults, oktaRoutes, salesforceErrors, salesforceFaults, salesforceRoutes, zendeskErrors, zendeskFaults, zendeskRoutes } from './saas-api';
import type { ApiErrorShapes, ApiRoute } from './api-router';
import type { ApiFaultShapes } from './fault-plan';
import { generateLoopbackCertificate } from './loopback-certificate';
import { adminConsentPrompt, startAuthorizationServer, type AuthorizationServer } from './simulated-authorization-server';
import { simulatedTenant, type SimulatedTenant } from './simulated-tenant';

/** The OAuth client id the sample workspace's sign-ins use. */
export const sampleClientId = 'consentry-sample-workspace';
/**
 * A Google client with a secret, as the admin's own Desktop-app client: tests connect it as a
 * real tenant, which (unlike the sample workspace) stays connected across restarts.
 */
export const ownGoogleClient = { clientId: 'consentry-admin-client.apps.example', clientSecret: 'simulated-client-secret-not-a-real-one' } as const;
/** Google's default Directory API quota: queries per minute per project. */
export const googleDefaultQuotaPerMinute = 2_400;

export interface TenantSimulatorOptions {
  seed: number;
  users: number;
  referenceTime?: Date;
  /**
   * Latency, error rate and outage for every API call (not the sign-in pages), and answers lost
   * after a change was applied (`lostAnswerRate`, `lostAnswerRoutes`, `lostAnswerAs`).
   */
  faults?: Omit<FaultPlanOptions, 'quotaPerMinute' | 'quotaWindowMs' | 'seed' | 'clock' | 'sleep'>;
  /** Graph's clock (its Date headers and the times it records); this machine's when absent. Tests skew it to prove nothing relies on the local clock. */
  graphClock?: () => Date;
  googleQuotaPerMinute?: number;
  /** Google's quota window; a minute unless a test shortens it (then `googleQuotaPerMinute` counts per this window). */
  googleQuotaWindowMs?: number;
  dataTransferDurationMs?: number;
}

export interface SimulatedGoogle {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint: string;
  /** rootUrl for googleapis clients. */
  apiRoot: string;
  clientId: string;
}

export interface SimulatedMicrosoft {
  /** The MSAL authority (plain OIDC protocol mode): an https issuer on 127.0.0.1. */
  authority: string;
  /** Base URL for Graph clients, ending in /v1.0. */
  graphBaseUrl: string;
  clientId: string;
  /** The certificate both https servers present; a client must trust it. */
  certificate: string;
}

/** A SaaS provider of the sample company: its authorization server and its API. */
export interface SimulatedSaasProvider {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint: string;
  /** The API's base URL (Salesforce instance URL, Zendesk subdomain URL, Okta org URL). */
  apiBaseUrl: string;
  clientId: string;
}

export interface TenantSimulator {
  tenant: SimulatedTenant;
  google: SimulatedGoogle;
  microsoft: SimulatedMicrosoft;
  saas: { salesforce: SimulatedSaasProvider; zendesk: SimulatedSaasProvider; okta: SimulatedSaasProvider };
  /** The SaaS side's live state (tokens, grants, sessions). */
  saasState: SampleSaas;
  /** Every API call answered, in order. */
  calls: ApiCall[];
  /** GET this for the tenant's state and the request log as JSON. */
  inspectionUrl: string;
  googleAuthorization: AuthorizationServer;
  microsoftAuthorization: AuthorizationServer;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startTenantSimulator(options: TenantSimulatorOptions): Promise<TenantSimulator> {
  const tenant = simulatedTenant({ seed: options.seed, users: options.users, referenceTime: options.referenceTime ?? new Date() });
  const calls: ApiCall[] = [];
  const accountFor = (login: string) => {
    const user = tenant.users.find((candidate) => candidate.primaryEmail === login || candidate.primaryEmail.split('@')[0] === login);
    return { email: user?.primaryEmail ?? `${login}@${tenant.domain}`, name: user ? `${user.givenName} ${user.familyName}` : login };
  };

  const googleScopes = everyScopeOf(googlePreset);
  const googleAuthorization = await startAuthorizationServer({
    clientIds: [sampleClientId],
    confidentialClients: [ownGoogleClient],
    scopes: googleScopes,
    account: accountFor,
  });
  const tokenActivity = seedTokenActivity(tenant);
  const googleApi = createServer(
    createApiListener({
      routes: [
        ...googleDirectoryRoutes(tenant, { tokenActivity }),
        ...googleReportsRoutes(tenant, tokenActivity),
        ...googleDataTransferRoutes(tenant, options.dataTransferDurationMs === undefined ? {} : { transferDurationMs: options.dataTransferDurationMs }),
        ...googleCloudKeysRoutes(tenant),
        // Policy Analyzer: another Google host, served from the same root as the rest.
        ...googlePolicyAnalyzerRoutes(tenant),
        // Cloud Identity's Policy API: another Google host, served from the same root as the rest.
        ...googlePolicyRoutes(tenant),
        ...googleBatchRoutes(googleScopes.filter((scope) => scope.includes('admin.directory'))),
      ],
      errors: googleErrors,
      authenticate: (token) => googleAuthorization.accessTokenScopes(token),
      calls,
      beforeRoute: createFaultPlan(googleFaults, {
        ...options.faults,
        quotaPerMinute: options.googleQuotaPerMinute ?? googleDefaultQuotaPerMinute,
        ...(options.googleQuotaWindowMs === undefined ? {} : { quotaWindowMs: options.googleQuotaWindowMs }),
        seed: options.seed,
      }),
      afterRoute: createLostAnswerPlan(googleFaults, { ...options.faults, seed: options.seed }),
    }),
  );
  const apiRoot = await listen(googleApi);

  // Entra: its sign-in over https (msal-node talks to nothing else), and Graph over https too
  // (the Graph client sends its token to https hosts only).
  const certificate = await generateLoopbackCertificate();
  const microsoftAuthorization = await startAuthorizationServer({
    clientIds: [sampleClientId],
    scopes: everyScopeOf(microsoftPreset),
    tls: certificate,
    browserPagesOverHttp: true,
    account: accountFor,
    // Microsoft's admin-consent prompt, on the sign-in host as at login.microsoftonline.com.
    intercept: adminConsentPrompt(tenant),
  });
  // Graph's links are absolute, so its routes are made once the port is known.
  const graphApi = createHttpsServer({ key: certificate.key, cert: certificate.cert });
  const graphOrigin = (await listen(graphApi)).replace(/^http:/, 'https:').replace(/\/$/, '');
  const graphBaseUrl = `${graphOrigin}/v1.0`;
  graphApi.on('request', createApiListener({
    routes: graphRoutes(tenant, { baseUrl: graphBaseUrl, callerOf: (token) => microsoftAuthorization.accessTokenAccount(token), ...(options.graphClock ? { clock: options.graphClock } : {}) }),
    errors: graphErrors,
    authenticate: (token) => microsoftAuthorization.accessTokenScopes(token),
    calls,
    beforeRoute: createFaultPlan(graphFaults, { ...options.faults, seed: options.seed + 1 }),
    afterRoute: createLostAnswerPlan(graphFaults, { ...options.faults, seed: options.seed + 1 }),
  }));

  // SaaS: one authorization server and one API host per provider, as each is its own service.
  const saasState = buildSampleSaas(tenant, options.seed);
  const saasClosers: (() => Promise<void>)[] = [];
  const startSaas = async (preset: ProviderDefinition, routes: (apiBaseUrl: string) => ApiRoute[], errors: ApiErrorShapes, faults: ApiFaultShapes): Promise<SimulatedSaasProvider> => {
    const authorization = await startAuthorizationServer({ clientIds: [sampleClientId], scopes: everyScopeOf(preset), account: accountFor });
    const api = createServer();
    const apiBaseUrl = (await listen(api)).replace(/\/$/, '');
    api.on(
      'request',
      createApiListener({
        routes: routes(apiBaseUrl),
        errors,
        authenticate: (token) => authorization.accessTokenScopes(token),
        calls,
        beforeRoute: createFaultPlan(faults, { ...options.faults, seed: options.seed + 2 }),
        afterRoute: createLostAnswerPlan(faults, { ...options.faults, seed: options.seed + 2 }),
      }),
    );
    saasClosers.push(() => stop(api), () => authorization.close());
    return { issuer: authorization.issuer, authorizationEndpoint: `${authorization.issuer}/auth`, tokenEndpoint: `${authorization.issuer}/token`, revocationEndpoint: `${authorization.issuer}/token/revocation`, apiBaseUrl, clientId: sampleClientId };
  };
  const saas = {
    salesforce: await startSaas(salesforcePreset, (instanceUrl) => salesforceRoutes(saasState, { instanceUrl }), salesforceErrors, salesforceFaults),
    zendesk: await startSaas(zendeskPreset, (baseUrl) => zendeskRoutes(saasState, { baseUrl }), zendeskErrors, zendeskFaults),
    okta: await startSaas(oktaPreset, (orgUrl) => oktaRoutes(saasState, { orgUrl }), oktaErrors, oktaFaults),
  };

  const inspection = createServer(createInspectionListener(tenant, calls, saasState));
  const inspectionUrl = await listen(inspection);

  return {
    tenant,
    google: {
      issuer: googleAuthorization.issuer,
      authorizationEndpoint: `${googleAuthorization.issuer}/auth`,
      tokenEndpoint: `${googleAuthorization.issuer}/token`,
      revocationEndpoint: `${googleAuthorization.issuer}/token/revocation`,
      apiRoot,
      clientId: sampleClientId,
    },
    microsoft: { authority: microsoftAuthorization.issuer, graphBaseUrl, clientId: sampleClientId, certificate: certificate.cert },
    saas,
    saasState,
    calls,
    inspectionUrl,
    googleAuthorization,
    microsoftAuthorization,
    async close() {
      await stop(inspection);
      await stop(googleApi);
      await stop(graphApi);
      await googleAuthorization.close();
      await microsoftAuthorization.close();
      for (const close of saasClosers) await close();
    },
  };
}
