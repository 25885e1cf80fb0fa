import type { GrantAppRow, GrantRow } from '../../../src-shared/contract/grants';
import type { ProviderId } from '../../../src-shared/domain/ids';

const count = new Intl.NumberFormat();

/** 100000 → "100,000" in the admin's locale. */
export function formatCount(value: number): string {
  return count.format(value);
}

/** "1 app", "12,345 apps". */
export function plural(value: number, one: string, many = `${one}s`): string {
  return `${formatCount(value)} ${value === 1 ? one : many}`;
}

export const providerNames: Record<ProviderId, string> = {
  google: 'Google Workspace',
  microsoft: 'Microsoft Entra ID',
  zoom: 'Zoom',
  salesforce: 'Salesforce',
  hubspot: 'HubSpot',
  pipedrive: 'Pipedrive',
  slack: 'Slack',
  okta: 'Okta',
  zendesk: 'Zendesk',
  custom: 'Other provider',
};

export const consentLabels: Record<GrantRow['consent'], string> = {
  user: 'User consent',
  tenant: 'Tenant-wide (admin consent)',
};

export const accessLabels: Record<GrantRow['access'], string> = {
  delegated: 'Delegated',
  application: 'Application',
};

/** Who a grant is for: a user, or everyone when an admin consented for the tenant. */
export function grantHolder(user: string | null): string {
  return user ?? 'Everyone in the tenant';
}

/** "about 3 min", "about 2 h 10 min", "less than a minute". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return 'less than a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `about ${hours} h` : `about ${hours} h ${rest} min`;
}

/** How the publisher is known, in words. */
export function publisherStatus(app: Pick<GrantAppRow, 'verifiedPublisher' | 'internal' | 'anonymous'>): string {
  if (app.internal) return 'Built in your organisation';
  if (app.anonymous) return 'Anonymous: not registered with the provider';
  if (app.verifiedPublisher === true) return 'Verified publisher';
  if (app.verifiedPublisher === false) return 'Publisher not verified';
  return 'The provider does not say whether the publisher is verified';
}

/** The readable end of a scope: `https://www.googleapis.com/auth/gmail.readonly` → `gmail.readonly`. */
export function shortScope(scope: string): string {
  const trimmed = scope.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  return slash >= 0 && slash < trimmed.length - 1 ? trimmed.slice(slash + 1) : trimmed;
}
