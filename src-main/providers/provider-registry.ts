/**
 * The providers Consentry knows, one module each. The composition root builds the registry and
 * injects what each service needs (the presets into the connections and OAuth, traffic rules into the
 * tenant schedulers, grant adapters and the "no listing" notes into the grant audit): the services
 * never import it.
 */
import type { ProviderId } from '../../src-shared/domain/ids';
import type { ProviderAudit } from '../audit/provider-audit';
import type { ProviderConsent } from '../consent/consent-port';
import type { ProviderOffboarding } from '../offboarding/offboarding-port';
import type { ProviderCredentials } from '../credentials/credentials-port';
import { ProviderDefinitions } from '../oauth/provider-definitions';
import type { ProviderTrafficPolicy } from '../net/tenant-schedulers';
import { customModule } from './custom/custom-module';
import { googleModule } from './google/google-module';
import { hubspotModule } from './hubspot/hubspot-module';
import { microsoftModule } from './microsoft/microsoft-module';
import { oktaModule } from './okta/okta-module';
import { pipedriveModule } from './pipedrive/pipedrive-module';
import type { ProviderModule } from './provider-module';
import { salesforceModule } from './salesforce/salesforce-module';
import { slackModule } from './slack/slack-module';
import { zendeskModule } from './zendesk/zendesk-module';
import { zoomModule } from './zoom/zoom-module';

export const providerModules: readonly ProviderModule[] = [
  googleModule,
  microsoftModule,
  zoomModule,
  salesforceModule,
  hubspotModule,
  pipedriveModule,
  slackModule,
  oktaModule,
  zendeskModule,
  customModule,
];

export class ProviderRegistry {
  readonly #modules: readonly ProviderModule[];

  constructor(modules: readonly ProviderModule[] = providerModules) {
    this.#modules = modules;
  }

  /** Each provider's OAuth preset, in the order the connect wizard lists them. */
  definitions(): ProviderDefinitions {
    return new ProviderDefinitions(this.#modules.map((module) => module.preset));
  }

  /** Each provider's failure rules and default quota, for the tenant schedulers. */
  traffic(): Partial<Record<ProviderId, ProviderTrafficPolicy>> {
    return this.#slot((module) => module.traffic);
  }

  /** Each provider's grant-audit adapter. */
  grantAudits(): Partial<Record<ProviderId, ProviderAudit>> {
    return this.#slot((module) => module.grants);
  }

  /** Why a provider's grants cannot be listed, and where to review them by hand. */
  noGrantListings(): Partial<Record<ProviderId, string>> {
    return this.#slot((module) => module.noGrantListing);
  }

  /** Each provider's consent adapter. */
  consents(): Partial<Record<ProviderId, ProviderConsent>> {
    return this.#slot((module) => module.consent);
  }

  /** Each provider's credentials adapter. */
  credentials(): Partial<Record<ProviderId, ProviderCredentials>> {
    return this.#slot((module) => module.credentials);
  }

  /** Each provider's offboarding adapter. */
  offboarding(): Partial<Record<ProviderId, ProviderOffboarding>> {
    return this.#slot((module) => module.offboarding);
  }

  #slot<T>(pick: (module: ProviderModule) => T | undefined): Partial<Record<ProviderId, T>> {
    const slot: Partial<Record<ProviderId, T>> = {};
    for (const module of this.#modules) {
      const value = pick(module);
      if (value !== undefined) slot[module.id] = value;
    }
    return slot;
  }
}
