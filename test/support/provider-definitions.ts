import { ProviderRegistry } from '../../src-main/providers/provider-registry';

/** The real presets, built as the composition root builds them, for tests that resolve connections or build services themselves. */
export const providerDefinitions = new ProviderRegistry().definitions();
