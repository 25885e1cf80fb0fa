/**
 * Policy Analyzer's activity query (policyanalyzer.googleapis.com v1) over the sample company's
 * projects, as Google's "View recent usage for service accounts and keys" shows it: per
 * user-managed key (`serviceAccountKeyLastAuthentication`) or per account
 * (`serviceAccountLastAuthentication`) one activity with the observation period, and
 * `lastAuthenticatedTime` — always at 07:00:00Z — only when it authenticated within that period.
 * Filters by full resource name (up to 10, joined by OR) and pages up to 1,000 at a time.
 */
import type { ApiRoute } from './api-router';
import { cloudError, cloudRead, page, reachProject } from './google-cloud-keys-api';
import type { SimulatedTenant } from './simulated-tenant';
import type { SampleServiceAccount } from '../sample-tenant';

const day = 86_400_000;
/** How far back the simulated analysis looks. */
export const observationDays = 400;
const maxPageSize = 1_000;
const maxFilterNames = 10;

const activityTypes = {
  serviceAccountKeyLastAuthentication: 'policyanalyzer.serviceAccountKeyLastAuthenticationActivities.query',
  serviceAccountLastAuthentication: 'policyanalyzer.serviceAccountLastAuthenticationActivities.query',
} as const;
type ActivityType = keyof typeof activityTypes;

const atSeven = (time: number) => new Date(Math.floor(time / day) * day + 7 * 3_600_000);

/** The full resource names a filter asks for; null when Google would not parse it. */
function filteredNames(filter: string | null): string[] | null {
  if (filter === null || filter.trim() === '') return [];
  const names: string[] = [];
  for (const clause of filter.split(/\s+OR\s+/)) {
    const match = /^\s*(?:activities\.full_resource_name|activities\.fullResourceName|service_account_key_last_authn\.full_resource_name|service_account_last_authn\.full_resource_name)\s*=\s*"([^"]+)"\s*$/.exec(clause);
    if (!match) return null;
    names.push(match[1]!);
  }
  return names;
}

export function googlePolicyAnalyzerRoutes(tenant: SimulatedTenant): ApiRoute[] {
  // The analysis ends the day before the tenant's reference time: the latest events are not in it yet.
  const endTime = atSeven(Date.parse(tenant.referenceTime) - day);
  const startTime = new Date(endTime.getTime() - observationDays * day);
  const observationPeriod = { startTime: startTime.toISOString().replace('.000Z', 'Z'), endTime: endTime.toISOString().replace('.000Z', 'Z') };
  const within = (time: string | null) => time !== null && Date.parse(time) >= startTime.getTime() && Date.parse(time) <= endTime.getTime();
  const lastAuthenticated = (time: string | null) => (within(time) ? { lastAuthenticatedTime: atSeven(Date.parse(time!)).toISOString().replace('.000Z', 'Z') } : {});
  const accountName = (account: SampleServiceAccount) => `//iam.googleapis.com/projects/${account.projectId}/serviceAccounts/${account.email}`;

  const activities = (type: ActivityType, projectId: string, projectNumber: string) => {
    const accounts = tenant.serviceAccounts.filter((account) => account.projectId === projectId);
    if (type === 'serviceAccountLastAuthentication') {
      return accounts.map((account) => {
        const used = tenant.serviceAccountKeys
          .filter((key) => key.serviceAccountEmail === account.email && within(key.lastAuthenticatedTime))
          .map((key) => key.lastAuthenticatedTime!)
          .sort()
          .at(-1);
        const serviceAccount = { fullResourceName: accountName(account), projectNumber, serviceAccountId: account.uniqueId };
        return { activity: { ...lastAuthenticated(used ?? null), serviceAccount }, activityType: type, fullResourceName: accountName(account), observationPeriod };
      });
    }
    return accounts.flatMap((account) =>
      tenant.serviceAccountKeys
        // Keys made after the analysis ended are not in it yet; Google's own keys are not reported.
        .filter((key) => key.serviceAccountEmail === account.email && key.keyType === 'USER_MANAGED' && Date.parse(key.validAfterTime) <= endTime.getTime())
        .map((key) => {
          const fullResourceName = `${accountName(account)}/keys/${key.keyId}`;
          const serviceAccountKey = { fullResourceName, projectNumber, serviceAccountId: account.uniqueId };
          return { activity: { ...lastAuthenticated(key.lastAuthenticatedTime), serviceAccountKey }, activityType: type, fullResourceName, observationPeriod };
        }),
    );
  };

  return [
    {
      method: 'GET',
      pattern: /^\/v1\/projects\/(?<project>[^/]+)\/locations\/(?<location>[^/]+)\/activityTypes\/(?<type>[^/]+)\/activities:query$/,
      anyOfScopes: cloudRead,
      name: 'policyanalyzer.activities.query',
      handle(request, params) {
        if (!(params.type! in activityTypes)) return cloudError(400, 'INVALID_ARGUMENT', `Unsupported activity type: ${params.type}.`);
        const type = params.type as ActivityType;
        const reached = reachProject(tenant, params.project!, activityTypes[type], 'policyanalyzer.googleapis.com');
        if ('refusal' in reached) return reached.refusal;
        const { project } = reached;
        if (params.location !== 'global') return cloudError(400, 'INVALID_ARGUMENT', `Location ${params.location} is not supported; use global.`);
        const names = filteredNames(request.query.get('filter'));
        if (names === null) return cloudError(400, 'INVALID_ARGUMENT', 'Invalid filter expression.');
        if (names.length > maxFilterNames) return cloudError(400, 'INVALID_ARGUMENT', `A filter may name at most ${maxFilterNames} resources.`);
        const matching = activities(type, project.projectId, project.projectNumber).filter((activity) => names.length === 0 || names.includes(activity.fullResourceName));
        // Non-positive sizes are ignored, as Google documents.
        const listed = page(matching, request.query.get('pageToken'), Number(request.query.get('pageSize') ?? 0), maxPageSize, maxPageSize);
        if (!listed) return cloudError(400, 'INVALID_ARGUMENT', 'Invalid page token.');
        return { status: 200, body: { activities: listed.items, ...(listed.nextPageToken ? { nextPageToken: listed.nextPageToken } : {}) } };
      },
    },
  ];
}
