/**
 * Google's side of the consent capability, read-only: the API controls that decide which
 * third-party apps users may authorize, read through the Cloud Identity Policy API (super admins
 * only). Google offers no API to change them or the per-app access list, so nothing here writes.
 */
import { google, type cloudidentity_v1 } from 'googleapis';
import type { GoogleApiControls } from '../../../src-shared/contract/consent';
import type { ErrorCode } from '../../../src-shared/domain/error-codes';
import type { ConsentPolicyReading, ProviderConsent } from '../../consent/consent-port';
import { AppError } from '../../errors/app-error';
import type { ProviderCallContext } from '../../net/provider-call-context';
import { googleApiOptions } from './google-api-options';
import { googleRevocationErrorCode } from './google-grant-revoker';

const policiesReadScope = 'https://www.googleapis.com/auth/cloud-identity.policies.readonly';
/** Every API-control setting, and nothing else. */
const apiControlsFilter = String.raw`setting.type.matches('^settings/api_controls\\..*$')`;
/** Google's largest page. */
const pageSize = 100;
const callTimeoutMs = 60_000;

interface GoogleFailureShape {
  response?: { data?: { error?: { errors?: { reason?: string }[]; details?: { reason?: string }[] } } };
}

/**
 * The customer-level value of each setting: of the policies that name no group, the one with the
 * lowest sort order. Google gives a child org unit's policy a higher sort order than its parent's,
 * so the root org unit's comes first.
 */
function customerLevel(policies: readonly cloudidentity_v1.Schema$Policy[]): Map<string, Record<string, unknown>> {
  const chosen = new Map<string, { sortOrder: number; value: Record<string, unknown> }>();
  for (const policy of policies) {
    if (policy.policyQuery?.group) continue;
    const type = (policy.setting?.type ?? '').replace(/^settings\//, '');
    const sortOrder = policy.policyQuery?.sortOrder ?? Number.POSITIVE_INFINITY;
    const current = chosen.get(type);
    if (!current || sortOrder < current.sortOrder) chosen.set(type, { sortOrder, value: (policy.setting?.value ?? {}) as Record<string, unknown> });
  }
  return new Map([...chosen].map(([type, { value }]) => [type, value]));
}

/** Reduces the API-control policies to what the consent page shows. */
export function reduceApiControls(policies: readonly cloudidentity_v1.Schema$Policy[]): Omit<GoogleApiControls, 'appAccessUrl'> {
  const settings = customerLevel(policies);
  const accessLevel = settings.get('api_controls.unconfigured_third_party_apps')?.accessLevel;
  const trust = settings.get('api_controls.internal_apps')?.trustInternalApps;
  const services = settings.get('api_controls.google_services')?.services;
  return {
    unconfiguredThirdPartyApps: typeof accessLevel === 'string' ? accessLevel : null,
    trustInternalApps: typeof trust === 'boolean' ? trust : null,
    services: (Array.isArray(services) ? (services as { scopesGroup?: unknown; isEnabled?: unknown }[]) : [])
      .filter((service) => typeof service.scopesGroup === 'string')
      // isEnabled false: only trusted apps may use the service's scopes.
      .map((service) => ({ service: service.scopesGroup as string, restricted: service.isEnabled === false })),
  };
}

async function readGooglePolicy(context: ProviderCallContext): Promise<ConsentPolicyReading> {
  const cloudIdentity = google.cloudidentity({ version: 'v1', ...googleApiOptions(context) });
  const policies: cloudidentity_v1.Schema$Policy[] = [];
  let pageToken: string | undefined;
  do {
    const token = pageToken;
    // The scheduler owns retries; the library's own would double them and hide rate limits.
    const page = await context.scheduler.schedule(
      async () =>
        (
          await cloudIdentity.policies.list(
            { filter: apiControlsFilter, pageSize, ...(token ? { pageToken: token } : {}) },
            { headers: { authorization: `Bearer ${await context.accessToken()}` }, retry: false, timeout: callTimeoutMs, ...(context.signal ? { signal: context.signal } : {}) },
          )
        ).data,
      { signal: context.signal },
    );
    policies.push(...(page.policies ?? []));
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  return { provider: 'google', controls: reduceApiControls(policies) };
}

function describeGooglePolicyFailure(error: unknown): { code: ErrorCode; message: string; nextStep: string | null } {
  if (error instanceof AppError) return { code: error.code, message: error.message, nextStep: error.nextStep ?? null };
  const code = googleRevocationErrorCode(error);
  const body = (error as GoogleFailureShape | null)?.response?.data?.error;
  const apiDisabled = body?.errors?.some((entry) => entry.reason === 'accessNotConfigured') || body?.details?.some((entry) => entry.reason === 'SERVICE_DISABLED');
  switch (code) {
    case 'permission_denied':
      return apiDisabled
        ? { code, message: 'The Cloud Identity API is not enabled in the Google Cloud project of this connection’s client.', nextStep: 'Enable the Cloud Identity API in that project (APIs & Services › Library), then read again.' }
        : {
            code,
            message: 'Reading API controls needs a super admin and the cloud-identity.policies.readonly scope.',
            nextStep: 'Reconnect Google as a super admin with the consent capability allowed; it adds cloud-identity.policies.readonly.',
          };
    case 'needs_reconnect':
      return { code, message: 'Google no longer accepts this connection’s sign-in.', nextStep: 'Reconnect Google and read again.' };
    case 'quota_exhausted':
      return { code, message: 'Google’s API quota stayed exhausted after several waits.', nextStep: 'Try again in a few minutes.' };
    case 'network':
      return { code, message: 'Google could not be reached.', nextStep: 'Check the network connection and read again.' };
    case 'cancelled':
      return { code, message: 'The read was cancelled.', nextStep: null };
    default:
      return { code, message: 'Google could not return the API controls.', nextStep: 'Read again; if it keeps failing, check the Admin console under Security › API controls.' };
  }
}

export const googleConsent: ProviderConsent = {
  readScopes: [policiesReadScope],
  readPolicy: readGooglePolicy,
  describeFailure: describeGooglePolicyFailure,
};
