/**
 * The consent capability's Microsoft Graph adapter: the consent policy, the admin consent request
 * queue, and tenant-wide consent per app, each call through the tenant's scheduler. Reading the
 * policy needs nothing beyond the audit's scopes (Policy.Read.All); every change needs the
 * capability's.
 */
import type { ProviderConsent } from '../../consent/consent-port';
import { describeConsentFailure } from './microsoft-consent-failure';
import {
  assignMicrosoftAppRole,
  createMicrosoftServicePrincipal,
  microsoftAdminConsentUrl,
  readGraphPermissions,
  readMicrosoftAppState,
  removeMicrosoftAppRole,
  setMicrosoftSignIn,
  setMicrosoftTenantWideScopes,
} from './microsoft-consent-grants';
import { changeMicrosoftConsentPolicy, readMicrosoftConsentPolicy } from './microsoft-consent-policy';
import { decideMicrosoftConsentRequest, readMicrosoftConsentRequests, readMicrosoftRequestDecisions, resolveMicrosoftReviewers } from './microsoft-consent-requests';

export const microsoftConsent: ProviderConsent = {
  readScopes: [],
  readPolicy: readMicrosoftConsentPolicy,
  changePolicy: changeMicrosoftConsentPolicy,
  resolveReviewers: resolveMicrosoftReviewers,
  pendingRequests: readMicrosoftConsentRequests,
  requestDecisions: readMicrosoftRequestDecisions,
  decideRequest: decideMicrosoftConsentRequest,
  appState: readMicrosoftAppState,
  resourcePermissions: readGraphPermissions,
  createServicePrincipal: createMicrosoftServicePrincipal,
  setTenantWideScopes: setMicrosoftTenantWideScopes,
  assignAppRole: assignMicrosoftAppRole,
  removeAppRole: removeMicrosoftAppRole,
  setSignIn: setMicrosoftSignIn,
  adminConsentUrl: microsoftAdminConsentUrl,
  describeFailure: describeConsentFailure,
};
