/**
 * Identifiers of the domain that every layer shares: providers and capabilities. Plain data.
 */

export const providerIds = ['google', 'microsoft', 'zoom', 'salesforce', 'hubspot', 'pipedrive', 'slack', 'okta', 'zendesk', 'custom'] as const;

export type ProviderId = (typeof providerIds)[number];

/**
 * What Consentry may change in a tenant, each asked for on its own when first used. The audit
 * (read) scopes are the base every connection has; a capability adds only the scopes it needs
 * (possibly none: revoking Google grants uses the audit scope itself).
 */
export const capabilityIds = ['revoke_grants', 'consent', 'credentials', 'offboarding'] as const;

export type CapabilityId = (typeof capabilityIds)[number];
