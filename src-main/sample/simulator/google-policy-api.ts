/**
 * A subset of Google's Cloud Identity Policy API v1 (cloudidentity.googleapis.com): policies.list
 * with its CEL `filter` (one `setting.type.matches('…')` clause and one `customer == "…"` clause,
 * joined by &&), `pageSize` (50 by default, at most 100) and `pageToken`, and policies.get. The API
 * is read-only for these settings: Google documents no mutate for `api_controls.*`. Only a super
 * admin may call it; the sample's admin is one, so the simulator checks the scope alone.
 *
 * Setting values follow the field names CISA's ScubaGoggles reads (`accessLevel`,
 * `trustInternalApps`, `services[].scopesGroup` / `isEnabled`, where isEnabled false = restricted).
 */
import { createHash } from 'node:crypto';
import type { ApiResponse, ApiRoute } from './api-router';
import { googlePageToken, offsetOfGooglePageToken } from './google-page-token';
import type { SimulatedTenant } from './simulated-tenant';

const policyRead = ['https://www.googleapis.com/auth/cloud-identity.policies.readonly', 'https://www.googleapis.com/auth/cloud-identity.policies'];

const error = (code: number, status: string, message: string): ApiResponse => ({ status: code, body: { error: { code, message, status } } });

/** `unconfigured_third_party_apps.accessLevel`: ScubaGoggles reads this one as "Allow users to access any third-party apps". */
export const allowAllUnconfiguredApps = 'UNSPECIFIED_UBER_BLOCK';
export const blockAllUnconfiguredApps = 'BLOCK_ALL_SCOPES';

export interface SimulatedPolicy {
  name: string;
  customer: string;
  policyQuery: { query: string; orgUnit: string; sortOrder: number; group?: string };
  setting: { type: string; value: Record<string, unknown> };
  type: 'ADMIN' | 'SYSTEM';
}

/**
 * The sample customer's policies, made afresh for each simulator: at the root org unit unconfigured
 * third-party apps may reach all Google data (the value the baseline fails), internal apps are
 * trusted, and Gmail and Drive are unrestricted; one child org unit blocks unconfigured apps, so a
 * reader must pick the customer-level policy. A few other settings make the filter matter.
 */
export function seedGooglePolicies(tenant: Pick<SimulatedTenant, 'googleCustomerId'>): SimulatedPolicy[] {
  const id = (label: string, length: number) => createHash('sha256').update(`${tenant.googleCustomerId}:${label}`).digest('hex').slice(0, length);
  const customer = `customers/${tenant.googleCustomerId}`;
  const rootUnit = `03ph8a2z${id('root', 6)}`;
  const financeUnit = `03ph8a2z${id('finance', 6)}`;
  const at = (unit: string, sortOrder: number) => ({ query: `entity.org_units.exists(org_unit, org_unit.org_unit_id == orgUnitId('${unit}'))`, orgUnit: `orgUnits/${unit}`, sortOrder });
  const policy = (label: string, unit: string, sortOrder: number, type: string, value: Record<string, unknown>, kind: SimulatedPolicy['type'] = 'ADMIN'): SimulatedPolicy => ({
    name: `policies/${id(`policy:${label}`, 14)}`,
    customer,
    policyQuery: at(unit, sortOrder),
    setting: { type: `settings/${type}`, value },
    type: kind,
  });
  return [
    policy('security.less_secure_apps', rootUnit, 1, 'security.less_secure_apps', { allowLessSecureApps: false }),
    policy('unconfigured:root', rootUnit, 1, 'api_controls.unconfigured_third_party_apps', { accessLevel: allowAllUnconfiguredApps, accessLevelUnder18: 'UNDERAGE_UBER_BLOCK_UNSPECIFIED' }),
    policy('unconfigured:finance', financeUnit, 2, 'api_controls.unconfigured_third_party_apps', { accessLevel: blockAllUnconfiguredApps, accessLevelUnder18: 'UNDERAGE_UBER_BLOCK_UNSPECIFIED' }),
    policy('internal_apps', rootUnit, 1, 'api_controls.internal_apps', { trustInternalApps: true }, 'SYSTEM'),
    policy('google_services', rootUnit, 1, 'api_controls.google_services', {
      services: [
        { scopesGroup: 'GMAIL_ALL', isEnabled: true },
        { scopesGroup: 'DRIVE_ALL', isEnabled: true },
        { scopesGroup: 'GSUITE_ADMIN_ALL', isEnabled: false },
        { scopesGroup: 'VAULT_ALL', isEnabled: false },
      ],
    }),
    policy('custom_user_message', rootUnit, 1, 'api_controls.custom_user_message', { errorText: 'Ask the IT desk before connecting a new app.' }),
    policy('gmail.mail_delegation', rootUnit, 1, 'gmail.mail_delegation', { enableMailDelegation: false }),
  ];
}

/** The filter as a test of a policy, or null when it is outside the subset Google documents. */
function parseFilter(filter: string, customerIds: ReadonlySet<string>): ((policy: SimulatedPolicy) => boolean) | null {
  const tests: ((policy: SimulatedPolicy) => boolean)[] = [];
  let typeClauses = 0;
  for (const clause of filter.split('&&').map((part) => part.trim())) {
    if (clause === '') continue;
    const matches = /^setting\.type\.matches\('(?<pattern>(?:[^'\\]|\\.)*)'\)$/.exec(clause);
    if (matches) {
      typeClauses += 1;
      let pattern: RegExp;
      try {
        // CEL's matches() is an RE2 partial match; the filter's own escapes are doubled.
        pattern = new RegExp(matches.groups!.pattern!.replace(/\\\\/g, '\\'));
      } catch {
        return null;
      }
      tests.push((policy) => pattern.test(policy.setting.type));
      continue;
    }
    const customer = /^customer\s*==\s*["'](?<name>customers\/[^"']+)["']$/.exec(clause);
    if (customer) {
      const wanted = customer.groups!.name!.slice('customers/'.length);
      if (!customerIds.has(wanted)) return () => false;
      continue;
    }
    return null;
  }
  return typeClauses > 1 ? null : (policy) => tests.every((test) => test(policy));
}

export function googlePolicyRoutes(tenant: Pick<SimulatedTenant, 'googleCustomerId'>, policies: SimulatedPolicy[] = seedGooglePolicies(tenant)): ApiRoute[] {
  const customerIds = new Set(['my_customer', tenant.googleCustomerId]);
  return [
    {
      method: 'GET',
      pattern: /^\/v1\/policies$/,
      anyOfScopes: policyRead,
      name: 'cloudidentity.policies.list',
      handle(request) {
        const test = parseFilter(request.query.get('filter') ?? '', customerIds);
        if (!test) return error(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.');
        const requested = Number(request.query.get('pageSize') ?? 0);
        if (!Number.isInteger(requested) || requested < 0) return error(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.');
        const pageSize = requested === 0 ? 50 : Math.min(requested, 100);
        const offset = offsetOfGooglePageToken(request.query.get('pageToken'));
        if (offset === null) return error(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.');
        const matching = policies.filter(test);
        const page = matching.slice(offset, offset + pageSize);
        const next = offset + pageSize < matching.length ? googlePageToken(offset + pageSize) : undefined;
        return { status: 200, body: { policies: page, ...(next ? { nextPageToken: next } : {}) } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/policies\/(?<id>[^/]+)$/,
      anyOfScopes: policyRead,
      name: 'cloudidentity.policies.get',
      handle: (_request, params) => {
        const policy = policies.find((candidate) => candidate.name === `policies/${params.id}`);
        return policy ? { status: 200, body: policy } : error(404, 'NOT_FOUND', 'Requested entity was not found.');
      },
    },
  ];
}
