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

/**
 * The capabilities this build has a page for. One left out could not be allowed: its scopes would
 * be asked for and never used (one already allowed could still be stopped).
 */
export const capabilitiesInThisBuild = ['revoke_grants', 'consent', 'credentials', 'offboarding'] as const satisfies readonly CapabilityId[];

export type CapabilityInThisBuild = (typeof capabilitiesInThisBuild)[number];

/** The page each capability not in this build arrives with; empty while every capability has its page. */
export const capabilityArrivesWith: Record<Exclude<CapabilityId, CapabilityInThisBuild>, string> = {};

export const isInThisBuild = (capability: CapabilityId): capability is CapabilityInThisBuild => (capabilitiesInThisBuild as readonly CapabilityId[]).includes(capability);

/** Where a capability left out of a build arrives: its page when one is named, else a later version. */
export function arrivesWith(capability: CapabilityId): string {
  return (capabilityArrivesWith as Partial<Record<CapabilityId, string>>)[capability] ?? 'a later version';
}
