/**
 * Offboarding at a provider Consentry has no admin API for: every person gets the provider's manual
 * steps, each naming the place in its admin console (with a link when one can be built from the
 * connection's settings). The run records them as manual, never as done; nothing here reads or
 * changes anything, and a call that would is refused rather than pretended.
 */
import type { ConnectionSettings } from '../../src-shared/contract/connections';
import type { StepDefinition } from '../../src-shared/contract/offboarding';
import { AppError } from '../errors/app-error';
import type { OffboardingChoices, ProviderOffboarding } from '../offboarding/offboarding-port';

export interface ManualStep {
  /** `<provider>.<name>`, e.g. `slack.sign_out`. */
  kind: string;
  title: string;
  why: string;
  /** Where in the admin console; the link is null when the settings do not give one. */
  where(settings: ConnectionSettings): { label: string; url: string | null };
  /** Listed only when the run suspends accounts (a deactivation). */
  onlyWhenSuspending?: boolean;
}

export function manualOffboarding(provider: string, steps: readonly ManualStep[]): ProviderOffboarding {
  const refuse = (): Promise<never> =>
    Promise.reject(new AppError('not_supported', `Consentry has no admin API for offboarding at ${provider}: its steps are manual, done in ${provider}’s admin console.`));
  return {
    directory: 'none',
    readDirectory: refuse,
    findPerson: refuse,
    steps(choices: OffboardingChoices, settings: ConnectionSettings): StepDefinition[] {
      return steps
        .filter((step) => choices.suspend || !step.onlyWhenSuspending)
        .map((step) => ({ kind: step.kind, title: step.title, mode: 'manual', why: step.why, where: step.where(settings) }));
    },
    skipReason: () => null,
    measure: refuse,
    apply: refuse,
  };
}
