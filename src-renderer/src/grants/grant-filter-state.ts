import type { GrantFilter, RiskLevelName } from '../../../src-shared/contract/grants';
import type { ProviderId } from '../../../src-shared/domain/ids';

/** What the filter bar holds; `toGrantFilter` turns it into the contract's filter. */
export interface GrantFilterState {
  text: string;
  risks: RiskLevelName[];
  providers: ProviderId[];
  scope: string | null;
  consent: 'any' | 'user' | 'tenant';
  access: 'any' | 'delegated' | 'application';
  onlyNew: boolean;
}

export const noGrantFilters: GrantFilterState = { text: '', risks: [], providers: [], scope: null, consent: 'any', access: 'any', onlyNew: false };

/** Only what narrows the view is sent, so "no filter" is `{}` and shares its cached pages. */
export function toGrantFilter(state: GrantFilterState, text: string): GrantFilter {
  return {
    ...(state.providers.length > 0 ? { providers: state.providers } : {}),
    ...(state.risks.length > 0 ? { risks: state.risks } : {}),
    ...(state.scope ? { scope: state.scope } : {}),
    ...(state.consent !== 'any' ? { consent: state.consent } : {}),
    ...(state.access !== 'any' ? { access: state.access } : {}),
    ...(text ? { text } : {}),
    ...(state.onlyNew ? { onlyNew: true } : {}),
  };
}

export function isFiltered(state: GrantFilterState): boolean {
  return Object.keys(toGrantFilter(state, state.text.trim())).length > 0;
}
