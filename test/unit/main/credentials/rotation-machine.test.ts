import { describe, expect, test } from 'vitest';
import {
  allowedActions,
  applyEvent,
  planRecord,
  refuseUnlessAllowed,
  replayEvents,
  rotationView,
  successorName,
  type RotationEvent,
  type RotationPlan,
  type RotationRecord,
} from '../../../../src-main/credentials/rotation-machine';
import { AppError } from '../../../../src-main/errors/app-error';
import type { RotationAction, RotationState } from '../../../../src-shared/contract/credentials';
import { oldCredential } from './rotation-fake-provider';

const at = '2026-12-14T09:00:00.000Z';
const later = '2026-12-21T09:00:00.000Z';

function plan(overrides: Partial<RotationPlan> = {}): RotationPlan {
  return {
    id: '0f1e2d3c-0000-4000-8000-000000000000',
    credentialKey: 'conn-1|app_secret|app-payroll|old-1',
    connectionId: 'conn-1',
    tenantLabel: 'Acme',
    provider: 'microsoft',
    kind: 'app_secret',
    ownerName: 'Payroll Sync',
    old: oldCredential('app_secret'),
    planned: { displayName: 'Payroll secret (rotated 2026-12-14 by Consentry r:0f1e2d3c)', expiresAt: null },
    method: 'api',
    disablesOldFirst: false,
    needsCertificate: false,
    secretFormat: 'text',
    removes: 'api',
    manualSteps: null,
    existingIds: null,
    startedAt: at,
    ...overrides,
  };
}

const oktaGuide = { where: 'Okta Admin Console › Security › API › Tokens', steps: ['Choose Create token.', 'Name it “Sync token (rotated)”.'], url: 'https://acme.okta.com/admin/access/api/tokens' };
const zendeskGuide = { where: 'Zendesk Admin Center › Apps and integrations › APIs › API tokens', steps: ['Add an API token.', 'Delete the old token “Sync token”.'], url: null };
/** API tokens the admin creates in the console: Consentry revokes the old one (Okta), or the admin deletes it there too (Zendesk). */
const byHand = (removes: RotationPlan['removes']) =>
  plan({ method: 'manual', kind: removes === 'api' ? 'okta_api_token' : 'zendesk_api_token', provider: removes === 'api' ? 'okta' : 'zendesk', secretFormat: 'none', removes, manualSteps: removes === 'api' ? oktaGuide : zendeskGuide });

const successor = { ...oldCredential('app_secret'), credentialId: 'new-1', displayName: 'Payroll secret (rotated 2026-12-14 by Consentry r:0f1e2d3c)' };
const failure = (state: RotationState) => ({ at: state, code: 'provider_error', message: 'It failed.', nextStep: 'Retry.', retryable: true });

function fold(record: RotationRecord, ...events: RotationEvent[]): RotationRecord {
  return events.reduce(applyEvent, record);
}

/** The rotation brought to each state by the events that lead there. */
const paths: Record<string, () => RotationRecord> = {
  ready: () => planRecord(plan()),
  creating: () => fold(planRecord(plan()), { t: 'intent', at, call: 'create' }),
  awaiting_manual_create: () => planRecord(byHand('api')),
  'awaiting_manual_create (the admin deletes the old)': () => planRecord(byHand('manual')),
  'checking the old is gone': () => fold(planRecord(byHand('manual')), { t: 'manual_created', at }),
  'failed: the old is not deleted yet': () => fold(planRecord(byHand('manual')), { t: 'manual_created', at }, { t: 'failed', at, failure: failure('retiring') }),
  'handover (secret to show)': () => fold(planRecord(plan()), { t: 'intent', at, call: 'create' }, { t: 'created', at, created: successor, secret: true }),
  handover: () => fold(planRecord(plan()), { t: 'intent', at, call: 'create' }, { t: 'created', at, created: successor, secret: true }, { t: 'revealed', at }),
  'handover (a certificate: nothing to show)': () => fold(planRecord(plan({ kind: 'app_certificate', needsCertificate: true, secretFormat: 'none' })), { t: 'intent', at, call: 'create' }, { t: 'created', at, created: successor, secret: false }),
  secret_lost: () => fold(planRecord(plan()), { t: 'intent', at, call: 'create' }, { t: 'created', at, created: successor, secret: true }, { t: 'secret_lost', at }),
  discarding: () => fold(planRecord(plan()), { t: 'intent', at, call: 'create' }, { t: 'created', at, created: successor, secret: true }, { t: 'secret_lost', at }, { t: 'intent', at, call: 'discard' }),
  disabling_old: () => fold(planRecord(plan({ kind: 'service_account_key', disablesOldFirst: true })), { t: 'created', at, created: successor, secret: false }, { t: 'handover_confirmed', at, overlapUntil: later }),
  overlap: () => fold(paths.handover!(), { t: 'handover_confirmed', at, overlapUntil: later }),
  retiring: () => fold(paths.overlap!(), { t: 'intent', at: later, call: 'retire' }),
  proving: () => fold(planRecord(plan({ kind: 'connection_client_secret', method: 'client_secret', secretFormat: 'none' })), { t: 'intent', at, call: 'prove' }),
  done: () => fold(paths.retiring!(), { t: 'retired', at: later, result: 'removed', early: false }, { t: 'verified', at: later }),
  cancelled: () => fold(planRecord(plan()), { t: 'cancelled', at, kept: null }),
  'failed at creating': () => fold(paths.creating!(), { t: 'failed', at, failure: failure('creating') }),
  'failed at retiring': () => fold(paths.retiring!(), { t: 'failed', at, failure: failure('retiring') }),
};

describe('the rotation state machine', () => {
  test.each([
    ['ready', ['create', 'cancel']],
    ['creating', []],
    ['awaiting_manual_create', ['confirm_manual_create', 'cancel']],
    ['awaiting_manual_create (the admin deletes the old)', ['confirm_manual_create', 'cancel']],
    ['checking the old is gone', []],
    ['handover (secret to show)', ['cancel']],
    // The secret was shown but may not have been saved (the window reloaded): the successor can be replaced.
    ['handover', ['confirm_handover', 'discard_and_recreate', 'cancel']],
    ['handover (a certificate: nothing to show)', ['confirm_handover', 'cancel']],
    ['secret_lost', ['discard_and_recreate', 'cancel']],
    ['discarding', []],
    ['disabling_old', []],
    ['overlap', ['retire_now', 'cancel']],
    ['retiring', []],
    ['proving', []],
    ['done', []],
    ['cancelled', []],
    ['failed at creating', ['retry', 'cancel']],
    ['failed at retiring', ['retry']],
    // Consentry removes nothing there: the admin may stop and keep both.
    ['failed: the old is not deleted yet', ['retry', 'cancel']],
  ])('%s allows %j and refuses every other step, naming what is allowed', (name, allowed) => {
    const record = paths[name]!();
    expect(allowedActions(record)).toEqual(allowed);
    const every: RotationAction['action'][] = ['create', 'confirm_handover', 'confirm_manual_create', 'retire_now', 'discard_and_recreate', 'retry', 'cancel', 'submit_client_secret'];
    for (const action of every.filter((candidate) => !allowed.includes(candidate))) {
      let refused: unknown = null;
      try {
        refuseUnlessAllowed(record, action);
      } catch (error) {
        refused = error;
      }
      expect(refused, `${name}: ${action}`).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe('rotation_step_refused');
      expect((refused as AppError).message).toMatch(allowed.length > 0 ? /Allowed now: .+\.$/ : /Nothing can be done until Consentry has finished its step\.$/);
    }
    for (const action of allowed as RotationAction['action'][]) expect(() => refuseUnlessAllowed(record, action)).not.toThrow();
  });

  test('a client-secret rotation is ready for the new secret, not for a create', () => {
    expect(allowedActions(paths.proving!()).length).toBe(0);
    expect(allowedActions(planRecord(plan({ method: 'client_secret', kind: 'connection_client_secret' })))).toEqual(['submit_client_secret', 'cancel']);
  });

  test.each([
    ['ready', { t: 'intent', at, call: 'create' }, 'creating'],
    ['creating', { t: 'created', at, created: successor, secret: true }, 'handover'],
    ['creating', { t: 'not_created', at }, 'ready'],
    ['handover', { t: 'secret_lost', at }, 'secret_lost'],
    ['secret_lost', { t: 'intent', at, call: 'discard' }, 'discarding'],
    ['discarding', { t: 'discarded', at, result: 'removed' }, 'ready'],
    ['handover', { t: 'handover_confirmed', at, overlapUntil: later }, 'overlap'],
    ['disabling_old', { t: 'old_disabled', at, result: 'disabled' }, 'overlap'],
    ['awaiting_manual_create', { t: 'manual_created', at }, 'retiring'],
    ['awaiting_manual_create (the admin deletes the old)', { t: 'manual_created', at }, 'retiring'],
    ['checking the old is gone', { t: 'verified', at }, 'done'],
    ['failed: the old is not deleted yet', { t: 'retry', at }, 'retiring'],
    ['overlap', { t: 'intent', at, call: 'retire' }, 'retiring'],
    ['retiring', { t: 'verified', at }, 'done'],
    ['proving', { t: 'proved', at }, 'done'],
    ['proving', { t: 'failed', at, failure: failure('proving') }, 'failed'],
    ['failed at creating', { t: 'retry', at }, 'creating'],
    ['failed at retiring', { t: 'retry', at }, 'retiring'],
    ['overlap', { t: 'cancelled', at, kept: 'Both were kept.' }, 'cancelled'],
  ] satisfies [string, RotationEvent, RotationState][])('%s + %j → %s', (from, event, to) => {
    expect(applyEvent(paths[from]!(), event).state).toBe(to);
  });

  test('a discard under a cancel ends the rotation; one before a new create makes room for it', () => {
    const cancelling = fold(paths.secret_lost!(), { t: 'intent', at, call: 'discard', cancelling: true }, { t: 'discarded', at: later, result: 'already_gone' });
    expect(cancelling).toMatchObject({ state: 'cancelled', finishedAt: later, created: null });
    expect(fold(paths.discarding!(), { t: 'discarded', at, result: 'removed' })).toMatchObject({ state: 'ready', created: null, secret: false, finishedAt: null });
  });

  test('a retry of a client secret whose proof failed asks for the secret again', () => {
    expect(fold(paths.proving!(), { t: 'failed', at, failure: failure('proving') }, { t: 'retry', at }).state).toBe('ready');
  });

  test('a create’s intent keeps what it was sent with, for a lookup after a stop; a create that ended, or was found not made, clears it', () => {
    const sent = fold(planRecord(plan()), { t: 'intent', at, call: 'create', existingIds: ['old-1', 'other-7'] });
    expect(sent.createIntent).toEqual({ displayName: plan().planned.displayName, sentAt: at, existingIds: ['old-1', 'other-7'] });
    expect(fold(sent, { t: 'created', at: later, created: successor, secret: true }).createIntent).toBeNull();
    expect(fold(sent, { t: 'not_created', at: later }).createIntent).toBeNull();
    // A failure keeps it: a retry looks for the successor first.
    expect(fold(sent, { t: 'failed', at: later, failure: failure('creating') }).createIntent).toEqual(sent.createIntent);
  });

  test('a journal replays to the same rotation, and one without its plan is not a rotation', () => {
    const events: RotationEvent[] = [{ t: 'planned', at, plan: plan() }, { t: 'intent', at, call: 'create' }, { t: 'created', at, created: successor, secret: true }, { t: 'logged', line: 3 }, { t: 'revealed', at }];
    expect(replayEvents(events)).toEqual(paths.handover!());
    expect(replayEvents(events.slice(1))).toBeNull();
  });
});

describe('the wizard’s view', () => {
  test('steps: done with their time, the current one, the rest waiting; an overlap of 0 days is skipped', () => {
    const immediate = fold(paths.handover!(), { t: 'handover_confirmed', at, overlapUntil: at }, { t: 'intent', at, call: 'retire' });
    expect(rotationView(immediate, false).steps).toEqual([
      { id: 'create', label: 'Create the new client secret', status: 'done', at },
      { id: 'handover', label: 'Copy the secret and update what uses it', status: 'done', at },
      { id: 'overlap', label: 'Overlap', status: 'skipped', at: null },
      { id: 'retire', label: 'Remove the old client secret', status: 'current', at: null },
      { id: 'verify', label: 'Read back', status: 'waiting', at: null },
    ]);
  });

  test('a failed step is marked failed; a cancelled rotation skips what it did not do', () => {
    expect(rotationView(paths['failed at creating']!(), false).steps.map((step) => step.status)).toEqual(['failed', 'waiting', 'waiting', 'waiting', 'waiting']);
    expect(rotationView(paths.cancelled!(), false).steps.map((step) => step.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
  });

  test('a service-account key shows the key file to save and the old key’s disabling', () => {
    const view = rotationView(planRecord(plan({ kind: 'service_account_key', disablesOldFirst: true, secretFormat: 'file' })), false);
    expect(view.steps.map((step) => step.label)).toEqual(['Create the new service account key', 'Save the key file and update what uses it', 'Disable the old service account key', 'Overlap', 'Remove the old service account key', 'Read back']);
  });

  test('a prompt in every state the admin acts in, none while Consentry works', () => {
    for (const working of ['creating', 'discarding', 'disabling_old', 'retiring', 'proving']) expect(rotationView(paths[working]!(), false).prompt, working).toBeNull();
    for (const waiting of ['ready', 'awaiting_manual_create', 'handover', 'secret_lost', 'overlap', 'failed at creating']) expect(rotationView(paths[waiting]!(), false).prompt, waiting).toMatch(/\S/);
    expect(rotationView(paths['handover (secret to show)']!(), true).prompt).toBe('Copy the new client secret now: it is shown once and Consentry keeps no copy.');
    expect(rotationView(paths.ready!(), false).prompt).toBe('Create the new client secret: nothing has changed yet and the old one keeps working.');
    expect(rotationView(paths.handover!(), false).prompt).toBe(
      'Update what uses the old client secret with the new one, then confirm the hand-over and choose how long both keep working. If the new secret was not saved (the window closed or reloaded), nobody can use it: discard it and create another.',
    );
  });

  test('API tokens made by hand: the steps and prompt say whether Consentry revokes the old token or checks that the admin deleted it', () => {
    const revokes = rotationView(paths.awaiting_manual_create!(), false);
    expect(revokes.steps.map((step) => [step.label, step.status])).toEqual([
      ['Create the new API token in the console', 'current'],
      ['Revoke the old API token', 'waiting'],
      ['Read back', 'waiting'],
    ]);
    expect(revokes.prompt).toBe('Create a new API token in Okta Admin Console › Security › API › Tokens, update what uses the old one, then confirm: Consentry then revokes the old API token.');

    const checks = rotationView(paths['awaiting_manual_create (the admin deletes the old)']!(), false);
    expect(checks.steps.map((step) => [step.label, step.status])).toEqual([
      ['Create the new API token and delete the old one in the console', 'current'],
      ['Check that the old API token is gone', 'waiting'],
    ]);
    expect(checks.prompt).toBe(
      'Create a new API token in Zendesk Admin Center › Apps and integrations › APIs › API tokens, update what uses the old one, delete the old one there, then confirm: Consentry then checks that the old API token is gone.',
    );
    expect(rotationView(paths['checking the old is gone']!(), false).steps.map((step) => step.status)).toEqual(['done', 'current']);
    expect(rotationView(paths['failed: the old is not deleted yet']!(), false).steps.map((step) => step.status)).toEqual(['done', 'failed']);
  });

  test('the guide is the plan’s console steps, and none when Consentry makes every call', () => {
    expect(rotationView(paths.awaiting_manual_create!(), false).guide).toEqual(oktaGuide);
    expect(rotationView(paths['checking the old is gone']!(), false).guide).toEqual(zendeskGuide);
    expect(rotationView(paths.ready!(), false).guide).toBeNull();
  });

  test('the successor’s name carries the date and the rotation, and does not grow with each rotation', () => {
    const now = new Date(at);
    const first = successorName('Payroll secret', 'app_secret', '0f1e2d3c-aaaa-4000-8000-000000000000', now);
    expect(first).toBe('Payroll secret (rotated 2026-12-14 by Consentry r:0f1e2d3c)');
    expect(successorName(first, 'app_secret', '99887766-aaaa-4000-8000-000000000000', new Date(later))).toBe('Payroll secret (rotated 2026-12-21 by Consentry r:99887766)');
    expect(successorName(null, 'service_account_key', '12345678-aaaa-4000-8000-000000000000', now)).toBe('service account key (rotated 2026-12-14 by Consentry r:12345678)');
  });
});
