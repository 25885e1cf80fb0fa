/**
 * Okta's side of the consent capability, read-only: the Okta API scopes an admin granted to each
 * app integration (Application Grants, `/api/v1/apps/{appId}/grants`), the consent that lets an
 * app call the org's Management API. Users' own consent grants are the grant audit's.
 */
import type { ErrorCode } from '../../../src-shared/domain/error-codes';
import type { ConsentPolicyReading, ProviderConsent } from '../../consent/consent-port';
import { AppError } from '../../errors/app-error';
import type { ProviderCallContext } from '../../net/provider-call-context';
import { oktaRequest, type OktaAnswer } from './okta-api-client';
import { OktaApiError, oktaErrorCode, oktaFailureMessage } from './okta-failure';

interface OktaAppRecord {
  id: string;
  label?: string;
}

interface OktaAppGrantRecord {
  id: string;
  scopeId?: string;
  status?: string;
  source?: string;
  issuer?: string;
  created?: string;
}

/** Okta's largest page of app integrations. */
const pageSize = 200;

/** Every page of a list, following `Link: <…>; rel="next"`. */
async function readAll<T>(context: ProviderCallContext, first: string, urgent: boolean): Promise<T[]> {
  const items: T[] = [];
  let link: string | null = first;
  while (link) {
    const page: OktaAnswer<T[]> = await oktaRequest<T[]>(context, link, 'GET', { urgent });
    items.push(...(page.body ?? []));
    link = page.next;
  }
  return items;
}

async function readOktaAppGrants(context: ProviderCallContext): Promise<ConsentPolicyReading> {
  // Pages of apps go ahead of the grant reads queued behind them.
  const apps = await readAll<OktaAppRecord>(context, `/api/v1/apps?limit=${pageSize}`, true);
  const withGrants = await Promise.all(
    apps.map(async (app) => {
      const grants = await readAll<OktaAppGrantRecord>(context, `/api/v1/apps/${encodeURIComponent(app.id)}/grants`, false);
      return {
        appId: app.id,
        label: app.label ?? app.id,
        grants: grants.map((grant) => ({ id: grant.id, scopeId: grant.scopeId ?? '', status: grant.status ?? 'ACTIVE', source: grant.source ?? null, issuer: grant.issuer ?? '', created: grant.created ?? null })),
      };
    }),
  );
  // An app that holds no Okta API scope has nothing to review.
  const held = withGrants.filter((app) => app.grants.length > 0);
  return { provider: 'okta', apps: held };
}

function describeOktaConsentFailure(error: unknown): { code: ErrorCode; message: string; nextStep: string | null } {
  if (error instanceof AppError) return { code: error.code, message: error.message, nextStep: error.nextStep ?? null };
  const code = oktaErrorCode(error);
  switch (code) {
    case 'permission_denied':
      return {
        code,
        message: 'Okta refused: listing the scopes granted to app integrations needs okta.apps.read and okta.appGrants.read, and an admin role that may read apps.',
        nextStep: 'Allow the consent capability on this connection (it adds okta.appGrants.read), grant that scope on the Okta API Scopes tab of Consentry’s app in Okta, and reconnect.',
      };
    case 'needs_reconnect':
      return { code, message: oktaFailureMessage(error), nextStep: 'Reconnect Okta and read again.' };
    case 'quota_exhausted':
      return { code, message: oktaFailureMessage(error), nextStep: 'Try again in a few minutes.' };
    case 'network':
      return { code, message: oktaFailureMessage(error), nextStep: 'Check the network connection and the org URL, then read again.' };
    default:
      return { code, message: oktaFailureMessage(error), nextStep: error instanceof OktaApiError && error.status === 404 ? 'An app integration was removed while it was read: read again.' : null };
  }
}

export const oktaConsent: ProviderConsent = {
  readScopes: ['okta.appGrants.read'],
  readPolicy: readOktaAppGrants,
  describeFailure: describeOktaConsentFailure,
};
