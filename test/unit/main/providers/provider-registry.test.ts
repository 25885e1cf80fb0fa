import { describe, expect, test } from 'vitest';
import { ProviderRegistry, providerModules } from '../../../../src-main/providers/provider-registry';
import { providerIds } from '../../../../src-shared/domain/ids';

describe('provider registry', () => {
  test('has exactly one module for every provider the console can connect', () => {
    expect(providerModules.map((module) => module.id).sort()).toEqual([...providerIds].sort());
  });

  test('a provider either lists its grants through an adapter and a traffic policy, or says where to review them by hand', () => {
    for (const module of providerModules) {
      if (module.grants) {
        expect(module.traffic, module.id).toBeDefined();
        expect(module.noGrantListing, module.id).toBeUndefined();
      } else {
        expect(module.noGrantListing, module.id).toMatch(/Review them in .+/);
      }
    }
  });

  test('hands each service only its own slot, keyed by provider', () => {
    const registry = new ProviderRegistry();
    expect(Object.keys(registry.grantAudits()).sort()).toEqual(['google', 'microsoft', 'okta', 'salesforce', 'zendesk']);
    expect(Object.keys(registry.traffic()).sort()).toEqual(Object.keys(registry.grantAudits()).sort());
    expect(Object.keys(registry.noGrantListings()).sort()).toEqual(['custom', 'hubspot', 'pipedrive', 'slack', 'zoom']);
    expect(registry.traffic().google?.defaultQuotaPerMinute).toBe(2_400);
  });

  test("gives the connections each module's own preset, in the order the connect wizard lists them", () => {
    for (const module of providerModules) expect(module.preset.id, module.id).toBe(module.id);
    const definitions = new ProviderRegistry().definitions();
    expect(definitions.all.map((definition) => definition.id)).toEqual(['google', 'microsoft', 'zoom', 'salesforce', 'hubspot', 'pipedrive', 'slack', 'okta', 'zendesk', 'custom']);
    expect(definitions.get('okta').label).toBe('Okta');
  });
});
