import type { JobState } from '../../../src-shared/contract/jobs';
import type { DryRunStep, OffboardingList, RowVerdict, RunPerson, StepDefinition, StepStatus } from '../../../src-shared/contract/offboarding';
import { providerIds, type ProviderId } from '../../../src-shared/domain/ids';
import { plural, providerNames } from '../grants/grant-format';

export interface Look {
  label: string;
  color: string;
}

export const verdictLooks: Record<RowVerdict, Look> = {
  ready: { label: 'Ready', color: 'teal' },
  warning: { label: 'Warning', color: 'orange' },
  error: { label: 'Error', color: 'red' },
};

/** "18 ready · 2 warnings · 0 errors". */
export function describeCounts(counts: OffboardingList['counts']): string {
  return `${plural(counts.ready, 'ready', 'ready')} · ${plural(counts.warning, 'warning')} · ${plural(counts.error, 'error')}`;
}

export const stepStatusLooks: Record<StepStatus, Look> = {
  pending: { label: 'Waiting', color: 'gray' },
  running: { label: 'Running', color: 'blue' },
  // Sent, with no answer recorded before a stop: resuming reads the provider and settles it.
  in_doubt: { label: 'In doubt', color: 'orange' },
  succeeded: { label: 'Done', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  skipped: { label: 'Skipped', color: 'gray' },
  manual: { label: 'By hand', color: 'violet' },
};

export const personStateLooks: Record<RunPerson['state'], Look> = {
  done: { label: 'Done', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  in_doubt: { label: 'In doubt', color: 'orange' },
  running: { label: 'Running', color: 'blue' },
  pending: { label: 'Waiting', color: 'gray' },
};

export const dryRunStepLooks: Record<DryRunStep['state'], Look> = {
  would_change: { label: 'Would change', color: 'blue' },
  nothing_to_do: { label: 'Nothing to do', color: 'gray' },
  not_found: { label: 'Not found', color: 'gray' },
  failed: { label: 'Not read', color: 'red' },
  manual: { label: 'By hand', color: 'violet' },
  skip: { label: 'Skipped', color: 'gray' },
};

export const runStateLooks: Record<JobState, Look> = {
  running: { label: 'Running', color: 'blue' },
  pausing: { label: 'Pausing', color: 'yellow' },
  paused: { label: 'Paused', color: 'yellow' },
  cancelling: { label: 'Cancelling', color: 'orange' },
  cancelled: { label: 'Cancelled', color: 'gray' },
  finished: { label: 'Finished', color: 'teal' },
  interrupted: { label: 'Interrupted', color: 'orange' },
};

/** Still moving or waiting to be resumed: not over yet. */
export function isRunOpen(state: JobState): boolean {
  return state !== 'finished' && state !== 'cancelled';
}

/** A step's title as its provider names it, found by kind in the connection's steps. */
export function stepTitle(connections: readonly { connectionId: string; steps: readonly StepDefinition[] }[], connectionId: string, kind: string): string {
  return connections.find((connection) => connection.connectionId === connectionId)?.steps.find((step) => step.kind === kind)?.title ?? kind;
}

const isProviderId = (value: string): value is ProviderId => (providerIds as readonly string[]).includes(value);

/** A row's "providers" value in words: connection ids by their label, provider ids by the provider's name. */
export function describeProviders(providers: readonly string[] | null, connectionLabels: ReadonlyMap<string, string>): string {
  if (providers === null || providers.length === 0) return 'Every connection';
  return providers.map((value) => connectionLabels.get(value) ?? (isProviderId(value) ? `Every ${providerNames[value]}` : value)).join(', ');
}
