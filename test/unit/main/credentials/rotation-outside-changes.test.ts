/**
 * Credentials change outside a rotation while it waits: a successor deleted in the provider's
 * console, the old credential or the successor revoked with "Revoke now". The old credential is
 * never removed once its successor is gone, and a retirement the revocation already did is only
 * read back.
 */
import { describe, expect, test } from 'vitest';
import type { CredentialKind, Rotation } from '../../../../src-shared/contract/credentials';
import { temporaryDirectory } from '../../../support/temporary-directory';
import { credentialKey, FakeProvider, journalTypes, openRunner, type RunnerWorld } from './rotation-fake-provider';

const successorKeyOf = (kind: CredentialKind) => `conn-1|${kind}|app-payroll|new-1`;

/** A rotation handed over, in an overlap of a week: both credentials work. */
async function inOverlap(kind: CredentialKind): Promise<{ directory: string; provider: FakeProvider; world: RunnerWorld; rotation: Rotation }> {
  const directory = await temporaryDirectory();
  const provider = new FakeProvider(kind);
  const world = await openRunner(directory, provider);
  const planned = await world.runner.startRotation(credentialKey(kind));
  await world.runner.advance(planned.id, { action: 'create' });
  await world.runner.revealSecret(planned.id);
  const rotation = await world.runner.advance(planned.id, { action: 'confirm_handover', overlapDays: 7 });
  expect(rotation.state).toBe('overlap');
  return { directory, provider, world, rotation };
}

describe('a successor gone before the old credential is removed', () => {
  test('deleted in the console during the overlap: the old secret is not removed, the rotation stops at the overlap saying so, and a cancel keeps the old one', async () => {
    const { provider, world, rotation } = await inOverlap('app_secret');
    provider.store.delete('new-1');
    const failed = await world.runner.advance(rotation.id, { action: 'retire_now' });
    expect(failed).toMatchObject({
      state: 'failed',
      failure: {
        at: 'overlap',
        code: 'not_found',
        message: `Before removing the old client secret, Consentry read the new one “${rotation.planned.displayName}” back: the provider no longer has it (revoked, or deleted in its console). Nothing was removed.`,
        nextStep: 'Cancel this rotation and start a new one: the old client secret “Payroll secret” is kept.',
        retryable: false,
      },
    });
    expect(provider.store.has('old-1')).toBe(true);
    expect(provider.effects).toEqual(['create new-1']);
    const cancelled = await world.runner.advance(rotation.id, { action: 'cancel' });
    expect(cancelled).toMatchObject({ state: 'cancelled', prompt: `The new client secret “${rotation.planned.displayName}” is gone at the provider; the old one “Payroll secret” was kept.` });
    expect(world.unexpected).toEqual([]);
  });

  test('a service-account key: the next step says the old key was disabled at the hand-over', async () => {
    const { provider, world, rotation } = await inOverlap('service_account_key');
    provider.store.delete('new-1');
    const failed = await world.runner.advance(rotation.id, { action: 'retire_now' });
    expect(failed.failure?.nextStep).toBe('Cancel this rotation and start a new one: the old service account key “Payroll secret” is kept. The old service account key is disabled: enable it again at the provider if something still needs it.');
    expect(provider.effects).toEqual(['create new-1', 'disable old-1']);
  });
});

describe('credentials revoked with Revoke now during a rotation', () => {
  test('the old secret revoked in the overlap: the rotation reads back that it is gone and ends, removing nothing', async () => {
    const { directory, provider, world, rotation } = await inOverlap('app_secret');
    provider.store.delete('old-1');
    await world.runner.credentialsRevoked([credentialKey('app_secret')]);
    expect(world.runner.get(rotation.id)).toMatchObject({ state: 'done', failure: null });
    expect(provider.effects).toEqual(['create new-1']);
    expect(await journalTypes(directory, rotation.id)).toEqual(['planned', 'intent create', 'created', 'revealed', 'handover_confirmed', 'old_revoked', 'verified']);
    expect(world.runner.activeRotationFor(credentialKey('app_secret'))).toBeNull();
  });

  test('the old secret revoked before the hand-over: the hand-over ends the rotation at once, whatever overlap was chosen', async () => {
    const provider = new FakeProvider('app_secret');
    const world = await openRunner(await temporaryDirectory(), provider);
    const planned = await world.runner.startRotation(credentialKey('app_secret'));
    await world.runner.advance(planned.id, { action: 'create' });
    await world.runner.revealSecret(planned.id);
    provider.store.delete('old-1');
    await world.runner.credentialsRevoked([credentialKey('app_secret')]);
    expect(world.runner.get(planned.id).state).toBe('handover');
    expect(await world.runner.advance(planned.id, { action: 'confirm_handover', overlapDays: 30 })).toMatchObject({ state: 'done' });
    expect(provider.effects).toEqual(['create new-1']);
  });

  test('the successor revoked: the rotation ends without ever removing the old one, and says so', async () => {
    const { provider, world, rotation } = await inOverlap('app_secret');
    provider.store.delete('new-1');
    await world.runner.credentialsRevoked([successorKeyOf('app_secret')]);
    expect(world.runner.get(rotation.id)).toMatchObject({
      state: 'cancelled',
      prompt: `The new client secret “${rotation.planned.displayName}” was revoked, so the rotation ended without removing the old client secret “Payroll secret”. Start a new rotation to replace it.`,
    });
    await world.runner.settled();
    expect(provider.store.has('old-1')).toBe(true);
    expect(provider.effects).toEqual(['create new-1']);
  });

  test('keys of no rotation change nothing', async () => {
    const { directory, world, rotation } = await inOverlap('app_secret');
    const before = await journalTypes(directory, rotation.id);
    await world.runner.credentialsRevoked(['conn-1|app_secret|app-payroll|someone-else']);
    expect(world.runner.get(rotation.id).state).toBe('overlap');
    expect(await journalTypes(directory, rotation.id)).toEqual(before);
  });
});
