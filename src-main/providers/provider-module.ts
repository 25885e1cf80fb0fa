/**
 * Everything Consentry knows of one provider, in the provider's own folder: its OAuth preset, how
 * its failures count for the tenant's scheduler, and the capability adapters it supports. The
 * composition root registers the modules (provider-registry.ts) and hands each service the part
 * it needs, so no service names a provider.
 */
import type { ProviderId } from '../../src-shared/domain/ids';
import type { ProviderAudit } from '../audit/provider-audit';
import type { ProviderConsent } from '../consent/consent-port';
import type { ProviderCredentials } from '../credentials/credentials-port';
import type { ProviderDefinition } from '../oauth/provider-definition';
import type { ProviderOffboarding } from '../offboarding/offboarding-port';
import type { ProviderTrafficPolicy } from '../net/tenant-schedulers';

export interface ProviderModule {
  id: ProviderId;
  /**
   * How Consentry connects to it (`<provider>-preset.ts`): endpoints, the scopes each capability adds
   * and why, revocation, where an admin registers a client. Facts from the vendor's developer documentation.
   */
  preset: ProviderDefinition;
  /** Absent when Consentry calls none of the provider's APIs (sign-in only). */
  traffic?: ProviderTrafficPolicy;
  /** The grant audit's scan and revocation; absent when the provider has no admin listing of grants. */
  grants?: ProviderAudit;
  /** Why the grants cannot be listed and where the admin reviews them by hand; set when `grants` is absent. */
  noGrantListing?: string;
  /** Reading (and where the provider has an API, changing) consent settings and tenant-wide consent. */
  consent?: ProviderConsent;
  /** The inventory of the tenant's credentials, their rotation and removal. */
  credentials?: ProviderCredentials;
  /** Removing a departed person's access, step by step in the order that works there. */
  offboarding?: ProviderOffboarding;
}
