import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { AppError } from '../../../../src-main/errors/app-error';
import type { Credential, Rotation } from '../../../../src-shared/contract/credentials';
import { temporaryDirectory } from '../../../support/temporary-directory';
import { certificatePem, credentialKey, driveToDone, FakeProvider, hangingFiles, inventoryRow, journalTypes, openRunner, type RunnerWorld } from './rotation-fake-provider';

const dayMs = 86_400_000;
const start = new Date('2026-12-14T09:00:00.000Z');

async function entriesOf(world: RunnerWorld, rotationId: string) {
  return (await world.activity.list({ text: `[rotation ${rotationId} #` }, 0, 100)).entries.reverse();
}

/** Starts a rotation and creates the successor; the secret waits to be shown. */
async function created(world: RunnerWorld, kind: Credential['kind'] = 'app_secret'): Promise<Rotation> {
  const planned = await world.runner.startRotation(credentialKey(kind));
  return world.runner.advance(planned.id, kind === 'app_certificate' ? { action: 'create', certificatePem } : { action: 'create' });
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('planning a rotation', () => {
  test('plans without calling the provider: the successor is named after the old one with the rotation’s mark and expires at the policy’s maximum age', async () => {
    const directory = await temporaryDirectory();
    const provider = new FakeProvider('app_secret');
    const world = await openRunner(directory, provider, { clock: () => start });
    const rotation = await world.runner.startRotation(credentialKey('app_secret'));
    expect(rotation).toMatchObject({ state: 'ready', secretWaiting: false, secretFormat: 'text', created: null, failure: null, credentialKey: credentialKey('app_secret') });
    expect(rotation.planned.displayName).toBe(`Payroll secret (rotated 2026-12-14 by Consentry r:${rotation.id.replaceAll('-', '').slice(0, 8)})`);
    // app_secret's own maximum age (180) wins over the key-age policy (90).
    expect(rotation.planned.expiresAt).toBe(new Date(start.getTime() + 180 * dayMs).toISOString());
    expect(rotation.steps.map((step) => `${step.id}:${step.status}`)).toEqual(['create:current', 'handover:waiting', 'overlap:waiting', 'retire:waiting', 'verify:waiting']);
    expect(provider.effects).toEqual([]);
    expect(await journalTypes(directory, rotation.id)).toEqual(['planned']);
    expect(world.published.filter((event) => event.event === 'credentials.changed')).toEqual([{ event: 'credentials.changed', payload: { connectionId: 'conn-1' } }]);
  });

  test('one rotation per credential: a second start, or two at once, return the one under way', async () => {
    const world = await openRunner(await temporaryDirectory(), new FakeProvider('app_secret'));
    const [first, second] = await Promise.all([world.runner.startRotation(credentialKey('app_secret')), world.runner.startRotation(credentialKey('app_secret'))]);
    expect(second.id).toBe(first.id);
    expect((await world.runner.startRotation(credentialKey('app_secret'))).id).toBe(first.id);
    expect(world.runner.activeRotationFor(credentialKey('app_secret'))).toBe(first.id);
    expect(world.runner.list()).toHaveLength(1);
  });

  test('refuses a credential the provider rotates itself, one it cannot rotate, and one not in the inventory', async () => {
    const providerManaged: Credential = { ...inventoryRow('service_account_key'), key: 'k-system', managedBy: 'provider' };
    const noRotator: Credential = { ...inventoryRow('api_key'), key: 'k-salesforce', provider: 'salesforce', rotation: { mode: 'none', note: 'Salesforce offers no API for it.' } };
    const world = await openRunner(await temporaryDirectory(), new FakeProvider('service_account_key'), { inventory: [providerManaged, noRotator] });
    expect((await refusal(world.runner.startRotation('k-system'))).code).toBe('not_supported');
    const salesforce = await refusal(world.runner.startRotation('k-salesforce'));
    expect({ code: salesforce.code, message: salesforce.message }).toEqual({ code: 'not_supported', message: 'Salesforce offers no API for it.' });
    expect((await refusal(world.runner.startRotation('k-missing'))).code).toBe('not_found');
    expect(world.runner.list()).toEqual([]);
  });
});

describe('an Entra app secret rotated', () => {
  test('journals the intent of each call before it and the outcome after, and reads back at the end', async () => {
    const directory = await temporaryDirectory();
    const provider = new FakeProvider('app_secret');
    const world = await openRunner(directory, provider);
    const rotation = await driveToDone(world, provider);
    expect(await journalTypes(directory, rotation.id)).toEqual(['planned', 'intent create', 'created', 'revealed', 'handover_confirmed', 'intent retire', 'retired', 'verified']);
    expect(rotation.steps.map((step) => `${step.id}:${step.status}`)).toEqual(['create:done', 'handover:done', 'overlap:skipped', 'retire:done', 'verify:done']);
    expect(rotation.prompt).toBeNull();
    expect(world.rereads).toEqual(['conn-1', 'conn-1']);
    expect(world.runner.activeRotationFor(credentialKey('app_secret'))).toBeNull();
  });

  test('the intent is on disk before the create is sent', async () => {
    const directory = await temporaryDirectory();
    const provider = new FakeProvider('app_secret');
    provider.hangAtCall = 1;
    const world = await openRunner(directory, provider);
    const planned = await world.runner.startRotation(credentialKey('app_secret'));
    void world.runner.advance(planned.id, { action: 'create' });
    await provider.hung;
    expect(await journalTypes(directory, planned.id)).toEqual(['planned', 'intent create']);
  });

  test('shows the secret once: a second ask is refused, and the secret is in no file', async () => {
    const directory = await temporaryDirectory();
    const world = await openRunner(directory, new FakeProvider('app_secret'));
    const rotation = await created(world);
    expect(rotation).toMatchObject({ state: 'handover', secretWaiting: true, prompt: 'Copy the new client secret now: it is shown once and Consentry keeps no copy.' });
    const secret = await world.runner.revealSecret(rotation.id);
    expect(secret).toMatchObject({ format: 'text', value: expect.stringMatching(/^SECRET-/) });
    const again = await refusal(world.runner.revealSecret(rotation.id));
    expect({ code: again.code, message: again.message }).toEqual({ code: 'secret_unavailable', message: 'The new secret was already shown once, and Consentry keeps no copy.' });
    expect(world.runner.get(rotation.id).secretWaiting).toBe(false);
    const value = secret.format === 'text' ? secret.value : '';
    const files = (await readdir(directory, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    for (const file of files) expect(await readFile(join(file.parentPath, file.name), 'utf8')).not.toContain(value);
    const published = JSON.stringify(world.published);
    expect(published).not.toContain(value);
  });

  test('refuses to confirm the hand-over before the secret is shown, and any step the state does not allow, naming what is allowed', async () => {
    const world = await openRunner(await temporaryDirectory(), new FakeProvider('app_secret'));
    const planned = await world.runner.startRotation(credentialKey('app_secret'));
    const early = await refusal(world.runner.advance(planned.id, { action: 'retire_now' }));
    expect({ code: early.code, message: early.message }).toEqual({
      code: 'rotation_step_refused',
      message: 'Cannot remove the old credential now: the rotation is planned and nothing has been sent yet. Allowed now: create the new credential, cancel.',
    });
    await world.runner.advance(planned.id, { action: 'create' });
    const unseen = await refusal(world.runner.advance(planned.id, { action: 'confirm_handover', overlapDays: 0 }));
    expect(unseen.code).toBe('rotation_step_refused');
    expect(unseen.message).toContain('The new secret has not been shown yet');
    expect(unseen.message).toContain('Allowed now: cancel.');
    expect(world.runner.get(planned.id).state).toBe('handover');
  });

  test('the provider’s limit reached stops at failed with the old secret in place; retry creates it', async () => {
    const provider = new FakeProvider('app_secret');
    provider.refusals.set('create', new AppError('credential_limit_reached', 'Payroll Sync already has the most secrets an app may have.', { nextStep: 'Remove an unused secret of Payroll Sync, then retry.' }));
    const world = await openRunner(await temporaryDirectory(), provider);
    const failed = await created(world);
    expect(failed).toMatchObject({
      state: 'failed',
      created: null,
      failure: { at: 'creating', code: 'credential_limit_reached', message: 'Creating the new client secret failed; the old one still works. Payroll Sync already has the most secrets an app may have.', nextStep: 'Remove an unused secret of Payroll Sync, then retry.', retryable: true },
      prompt: 'Remove an unused secret of Payroll Sync, then retry.',
    });
    expect(failed.steps.find((step) => step.id === 'create')?.status).toBe('failed');
    expect([...provider.store.keys()]).toEqual(['old-1']);
    const entries = await entriesOf(world, failed.id);
    expect(entries.map((entry) => [entry.action, entry.result, entry.errorCode, entry.target])).toEqual([['credentials.rotate.failed', 'failed', 'credential_limit_reached', 'Payroll Sync: Payroll secret']]);
    const retried = await world.runner.advance(failed.id, { action: 'retry' });
    expect(retried).toMatchObject({ state: 'handover', secretWaiting: true, failure: null });
    expect(provider.successors()).toHaveLength(1);
  });

  test('a 403 removing the old secret stops at failed with both in place and cannot be cancelled; retry removes it and reads back', async () => {
    const provider = new FakeProvider('app_secret');
    const world = await openRunner(await temporaryDirectory(), provider);
    const rotation = await created(world);
    await world.runner.revealSecret(rotation.id);
    provider.refusals.set('remove', new AppError('permission_denied', 'Microsoft Graph refused: Application.ReadWrite.All is needed.', { nextStep: 'Allow the credentials capability for this connection.' }));
    const failed = await world.runner.advance(rotation.id, { action: 'confirm_handover', overlapDays: 0 });
    expect(failed.failure).toMatchObject({ at: 'retiring', code: 'permission_denied' });
    expect(provider.store.size).toBe(2);
    const cancel = await refusal(world.runner.advance(rotation.id, { action: 'cancel' }));
    expect(cancel.message).toContain('Allowed now: retry.');
    expect(await world.runner.advance(rotation.id, { action: 'retry' })).toMatchObject({ state: 'done', failure: null });
    expect([...provider.store.keys()]).toEqual(['new-1']);
  });

  test('cancel before the secret was shown removes the new secret; after it was shown keeps it and says so', async () => {
    const provider = new FakeProvider('app_secret');
    const world = await openRunner(await temporaryDirectory(), provider);
    const unseen = await created(world);
    const cancelled = await world.runner.advance(unseen.id, { action: 'cancel' });
    expect(cancelled).toMatchObject({ state: 'cancelled', secretWaiting: false, prompt: null });
    expect([...provider.store.keys()]).toEqual(['old-1']);
    const seen = await created(world);
    expect(seen.id).not.toBe(unseen.id);
    await world.runner.revealSecret(seen.id);
    const kept = await world.runner.advance(seen.id, { action: 'cancel' });
    expect(kept.prompt).toBe(`The new client secret “${seen.planned.displayName}” was kept, because its secret had been shown: remove it if nothing uses it.`);
    expect([...provider.store.keys()]).toEqual(['old-1', 'new-2']);
    expect((await entriesOf(world, seen.id)).at(-1)).toMatchObject({ action: 'credentials.rotate.cancel', detail: expect.stringContaining('was kept, because its secret had been shown') });
  });

  test('a secret shown but lost by the window before it was saved: the new one is discarded and another created, before the hand-over', async () => {
    const provider = new FakeProvider('app_secret');
    const world = await openRunner(await temporaryDirectory(), provider);
    const rotation = await created(world);
    await world.runner.revealSecret(rotation.id);
    expect(world.runner.get(rotation.id).prompt).toContain('If the new secret was not saved (the window closed or reloaded), nobody can use it: discard it and create another.');
    const again = await world.runner.advance(rotation.id, { action: 'discard_and_recreate' });
    expect(again).toMatchObject({ state: 'handover', secretWaiting: true, created: { credentialId: 'new-2' } });
    expect(provider.effects).toEqual(['create new-1', 'remove new-1', 'create new-2']);
    // Once handed over, the new one may be in use: it is never discarded.
    await world.runner.revealSecret(rotation.id);
    await world.runner.advance(rotation.id, { action: 'confirm_handover', overlapDays: 7 });
    expect((await refusal(world.runner.advance(rotation.id, { action: 'discard_and_recreate' }))).code).toBe('rotation_step_refused');
  });

  test('the rotation under way is the old credential’s and its successor’s: the inventory marks both', async () => {
    const world = await openRunner(await temporaryDirectory(), new FakeProvider('app_secret'));
    const rotation = await created(world);
    expect(world.runner.activeRotationFor(credentialKey('app_secret'))).toBe(rotation.id);
    expect(world.runner.activeRotationFor('conn-1|app_secret|app-payroll|new-1')).toBe(rotation.id);
    expect(world.runner.activeRotationFor('conn-1|app_secret|app-payroll|new-2')).toBeNull();
  });

  test('a failed create that did happen after all is found and removed by cancel', async () => {
    const provider = new FakeProvider('app_secret');
    const world = await openRunner(await temporaryDirectory(), provider);
    const planned = await world.runner.startRotation(credentialKey('app_secret'));
    // The answer was lost on the way back: the secret exists at the provider.
    const create = provider.rotator('app_secret')!.create!;
    provider.refusals.clear();
    const made = await create({} as never, provider.store.get('old-1')!, { displayName: planned.planned.displayName, expiresAt: null });
    expect(made.created.credentialId).toBe('new-1');
    provider.refusals.set('create', new AppError('network', 'The connection to Microsoft Graph dropped.'));
    await world.runner.advance(planned.id, { action: 'create' });
    expect(world.runner.get(planned.id).state).toBe('failed');
    expect(await world.runner.advance(planned.id, { action: 'cancel' })).toMatchObject({ state: 'cancelled' });
    expect([...provider.store.keys()]).toEqual(['old-1']);
  });
});

describe('a create in doubt after a stop', () => {
  /** A service-account key created at the provider, the runner stopped before the outcome reached the journal. */
  async function stoppedAfterCreate() {
    const directory = await temporaryDirectory();
    const provider = new FakeProvider('service_account_key');
    // Writes: the plan, the create's intent; the 3rd (its outcome) never lands.
    const stop = hangingFiles(3);
    const first = await openRunner(directory, provider, { files: stop.files });
    const planned = await first.runner.startRotation(credentialKey('service_account_key'));
    void first.runner.advance(planned.id, { action: 'create' });
    await stop.hung;
    return { directory, provider, first, planned };
  }

  test('the intent keeps the owner’s keys read just before the create, and the lookup after the stop uses them', async () => {
    const { directory, provider, first, planned } = await stoppedAfterCreate();
    expect(provider.effects).toEqual(['create new-1']);
    const intent = (await readFile(join(directory, 'rotations', `${planned.id}.journal.ndjson`), 'utf8')).split('\n').map((line) => (line ? (JSON.parse(line) as { t: string; existingIds?: string[] }) : null))[1];
    expect(intent).toMatchObject({ t: 'intent', call: 'create', existingIds: ['old-1'] });
    expect(provider.ownerReads).toEqual([['old-1']]);
    const second = await openRunner(directory, provider, { activity: first.activity });
    await second.runner.settled();
    // Found (the one key absent before the create): its key file was in the memory of the stopped run.
    expect(second.runner.get(planned.id)).toMatchObject({ state: 'secret_lost', created: { credentialId: 'new-1' } });
    expect(second.unexpected).toEqual([]);
  });

  test('a lookup that cannot tell the rotation’s key from one made meanwhile fails at creating; a cancel removes neither', async () => {
    const { directory, provider, first, planned } = await stoppedAfterCreate();
    provider.createByHand('Made by a colleague');
    const second = await openRunner(directory, provider, { activity: first.activity });
    await second.runner.settled();
    const failed = second.runner.get(planned.id);
    expect(failed).toMatchObject({ state: 'failed', created: null, failure: { at: 'creating', code: 'provider_error', retryable: true } });
    expect(failed.failure?.message).toContain('Consentry cannot tell which one is the rotation’s.');
    const cancelled = await second.runner.advance(planned.id, { action: 'cancel' });
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.prompt).toMatch(new RegExp(`^Check whether “${planned.planned.displayName.replace(/[()]/g, '\\$&')}” was made at the provider and remove it if so\\. Consentry could not tell:`));
    expect([...provider.store.keys()]).toEqual(['old-1', 'new-1', 'new-2']);
    expect(provider.effects).toEqual(['create new-1']);
  });
});

describe('overlap', () => {
  test('a service-account key: the old key is disabled at hand-over and deleted when the overlap ends, at the next start', async () => {
    const directory = await temporaryDirectory();
    const provider = new FakeProvider('service_account_key');
    let now = start;
    const world = await openRunner(directory, provider, { clock: () => now });
    const rotation = await created(world, 'service_account_key');
    expect(rotation.secretFormat).toBe('file');
    const keyFile = await world.runner.revealSecret(rotation.id);
    expect(keyFile).toMatchObject({ format: 'file', mimeType: 'application/json' });
    const overlap = await world.runner.advance(rotation.id, { action: 'confirm_handover', overlapDays: 7 });
    expect(overlap).toMatchObject({ state: 'overlap', overlapUntil: new Date(start.getTime() + 7 * dayMs).toISOString() });
    expect(overlap.prompt).toMatch(/^Both work until 21 Dec 2026 09:00 UTC; then Consentry removes the old service account key\./);
    expect(overlap.steps.map((step) => `${step.id}:${step.status}`)).toEqual(['create:done', 'handover:done', 'disable_old:done', 'overlap:current', 'retire:waiting', 'verify:waiting']);
    expect(provider.effects).toEqual(['create new-1', 'disable old-1']);
    await world.runner.close();

    now = new Date(start.getTime() + 6 * dayMs);
    const early = await openRunner(directory, provider, { clock: () => now, activity: world.activity });
    await early.runner.settled();
    expect(early.runner.get(rotation.id).state).toBe('overlap');
    await early.runner.close();

    now = new Date(start.getTime() + 7 * dayMs + 1);
    const later = await openRunner(directory, provider, { clock: () => now, activity: world.activity });
    await later.runner.settled();
    expect(later.runner.get(rotation.id).state).toBe('done');
    expect(provider.effects).toEqual(['create new-1', 'disable old-1', 'remove old-1']);
    await later.runner.close();
  });

  test('the timer retires the old credential when the overlap ends', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const provider = new FakeProvider('app_secret');
    let now = start;
    const world = await openRunner(await temporaryDirectory(), provider, { clock: () => now });
    const rotation = await created(world);
    await world.runner.revealSecret(rotation.id);
    await world.runner.advance(rotation.id, { action: 'confirm_handover', overlapDays: 2 });
    now = new Date(start.getTime() + 2 * dayMs);
    vi.advanceTimersByTime(2 * dayMs);
    await world.runner.settled();
    expect(world.runner.get(rotation.id).state).toBe('done');
    expect(provider.effects).toEqual(['create new-1', 'remove old-1']);
  });

  test('retire now during the overlap removes the old credential at once; cancel during the overlap keeps both and says so', async () => {
    const provider = new FakeProvider('service_account_key');
    const world = await openRunner(await temporaryDirectory(), provider);
    const rotation = await created(world, 'service_account_key');
    await world.runner.revealSecret(rotation.id);
    await world.runner.advance(rotation.id, { action: 'confirm_handover', overlapDays: 30 });
    const cancelled = await world.runner.advance(rotation.id, { action: 'cancel' });
    expect(cancelled.prompt).toBe(`Both service account keys were kept: the new one “${rotation.planned.displayName}” was handed over, and the old one may be disabled: enable it again at the provider if something still needs it.`);
    expect(provider.store.size).toBe(2);

    const second = await created(world, 'service_account_key');
    await world.runner.revealSecret(second.id);
    await world.runner.advance(second.id, { action: 'confirm_handover', overlapDays: 30 });
    expect(await world.runner.advance(second.id, { action: 'retire_now' })).toMatchObject({ state: 'done' });
    expect(provider.store.has('old-1')).toBe(false);
    expect((await entriesOf(world, second.id)).find((entry) => entry.action === 'credentials.rotate.retire')?.detail).toMatch(/^Removed the old service account key before the overlap ended, as the admin asked\./);
  });
});

describe('other kinds', () => {
  test('an Okta API token: the admin creates the new one in the Admin Console, guided to the org’s page, then Consentry revokes the old one', async () => {
    const provider = new FakeProvider('okta_api_token');
    const world = await openRunner(await temporaryDirectory(), provider);
    const planned = await world.runner.startRotation(credentialKey('okta_api_token'));
    expect(planned).toMatchObject({ state: 'awaiting_manual_create', secretFormat: 'none', prompt: 'Create a new API token in Admin Console › Security › API › Tokens, update what uses the old one, then confirm: Consentry then revokes the old API token.' });
    expect(planned.guide).toEqual({
      where: 'Admin Console › Security › API › Tokens',
      steps: [`Choose Create token and name it “${planned.planned.displayName}”.`, 'Copy it into what uses “Payroll secret”.'],
      url: 'https://acme.okta.com/admin/access/api/tokens',
    });
    expect((await refusal(world.runner.advance(planned.id, { action: 'create' }))).code).toBe('rotation_step_refused');
    provider.createByHand();
    expect(await world.runner.advance(planned.id, { action: 'confirm_manual_create' })).toMatchObject({ state: 'done', created: { credentialId: 'new-1', displayName: 'Made by hand' } });
    expect(provider.effects).toEqual(['remove old-1']);
  });

  test('an Okta API token not created yet: the confirmation is refused and nothing is revoked; a token that was there before the rotation does not count', async () => {
    const provider = new FakeProvider('okta_api_token');
    provider.createByHand('An older token');
    const world = await openRunner(await temporaryDirectory(), provider);
    const planned = await world.runner.startRotation(credentialKey('okta_api_token'));
    const refused = await refusal(world.runner.advance(planned.id, { action: 'confirm_manual_create' }));
    expect({ code: refused.code, message: refused.message }).toEqual({ code: 'rotation_step_refused', message: 'No new API token of Payroll Sync was found: create it first.' });
    expect(world.runner.get(planned.id)).toMatchObject({ state: 'awaiting_manual_create', created: null });
    expect(provider.effects).toEqual([]);
    const made = provider.createByHand();
    expect(await world.runner.advance(planned.id, { action: 'confirm_manual_create' })).toMatchObject({ state: 'done', created: { credentialId: made } });
    expect(provider.effects).toEqual(['remove old-1']);
  });

  test('a Zendesk API token: the old one deleted but no new one made, the confirmation is refused', async () => {
    const provider = new FakeProvider('zendesk_api_token');
    const world = await openRunner(await temporaryDirectory(), provider);
    const planned = await world.runner.startRotation(credentialKey('zendesk_api_token'));
    provider.deleteOldByHand();
    expect((await refusal(world.runner.advance(planned.id, { action: 'confirm_manual_create' }))).message).toBe('No new API token of Payroll Sync was found: create it first.');
    expect(world.runner.get(planned.id).state).toBe('awaiting_manual_create');
  });

  test('a Zendesk API token: once the admin deleted the old one in Admin Center, Consentry reads back that it is gone and removes nothing', async () => {
    const directory = await temporaryDirectory();
    const provider = new FakeProvider('zendesk_api_token');
    const world = await openRunner(directory, provider);
    const planned = await world.runner.startRotation(credentialKey('zendesk_api_token'));
    expect(planned).toMatchObject({ state: 'awaiting_manual_create', prompt: expect.stringMatching(/delete the old one there, then confirm: Consentry then checks that the old API token is gone\.$/) });
    expect(planned.guide).toEqual({
      where: 'Admin Center › APIs › API tokens',
      steps: [`Add an API token described “${planned.planned.displayName}”.`, 'Delete the old token “Payroll secret”.'],
      url: 'https://acme.zendesk.com/admin/apps-integrations/apis/api-tokens',
    });
    provider.createByHand();
    provider.deleteOldByHand();
    const done = await world.runner.advance(planned.id, { action: 'confirm_manual_create' });
    expect(done.state).toBe('done');
    expect(done.steps.map((step) => [step.label, step.status])).toEqual([
      ['Create the new API token and delete the old one in the console', 'done'],
      ['Check that the old API token is gone', 'done'],
    ]);
    expect(provider.calls).toBe(0);
    expect(provider.effects).toEqual(['deleted by hand old-1']);
    expect(await journalTypes(directory, planned.id)).toEqual(['planned', 'manual_created', 'verified']);
    expect((await entriesOf(world, planned.id)).map((entry) => entry.detail?.replace(/ \[rotation .*$/, ''))).toEqual([
      'The admin confirmed a new API token was created in the console and is in use, and the old one deleted there.',
      'Read back: the new API token “Made by hand” is in place and the old one is gone.',
    ]);
    await world.runner.settled();
    expect(world.rereads).toEqual(['conn-1']);
  });

  test('a Zendesk API token still listed after the confirmation: the rotation fails with where to delete it, and a retry checks again', async () => {
    const provider = new FakeProvider('zendesk_api_token');
    const world = await openRunner(await temporaryDirectory(), provider);
    const planned = await world.runner.startRotation(credentialKey('zendesk_api_token'));
    provider.createByHand();
    const failed = await world.runner.advance(planned.id, { action: 'confirm_manual_create' });
    expect(failed).toMatchObject({
      state: 'failed',
      failure: {
        at: 'retiring',
        code: 'remediation_required',
        message: 'The old API token is not deleted yet; the new one works and so does the old one. Read back: the provider still lists the old API token “Payroll secret”.',
        nextStep: 'Delete the old API token “Payroll secret” in Admin Center › APIs › API tokens, then Retry: Consentry checks again.',
        retryable: true,
      },
      prompt: 'Delete the old API token “Payroll secret” in Admin Center › APIs › API tokens, then Retry: Consentry checks again.',
    });
    expect(failed.steps.map((step) => step.status)).toEqual(['done', 'failed']);
    expect(provider.store.has('old-1')).toBe(true);

    expect(await world.runner.advance(planned.id, { action: 'retry' })).toMatchObject({ state: 'failed', failure: { code: 'remediation_required' } });
    provider.deleteOldByHand();
    expect(await world.runner.advance(planned.id, { action: 'retry' })).toMatchObject({ state: 'done', failure: null });
    expect(provider.calls).toBe(0);
  });

  test('a Zendesk API token the admin decides to keep: the failed check can be cancelled, and both tokens are said to be kept', async () => {
    const provider = new FakeProvider('zendesk_api_token');
    const world = await openRunner(await temporaryDirectory(), provider);
    const planned = await world.runner.startRotation(credentialKey('zendesk_api_token'));
    provider.createByHand();
    await world.runner.advance(planned.id, { action: 'confirm_manual_create' });
    const cancelled = await world.runner.advance(planned.id, { action: 'cancel' });
    expect(cancelled).toMatchObject({
      state: 'cancelled',
      prompt: 'Both API tokens were kept: the one made in the console “Made by hand” and the old “Payroll secret”. Delete the old one in Admin Center › APIs › API tokens once nothing uses it.',
    });
    expect(provider.store.size).toBe(2);
  });

  test('a Zendesk rotation stopped between the confirmation and the read-back checks again when Consentry starts', async () => {
    const directory = await temporaryDirectory();
    const provider = new FakeProvider('zendesk_api_token');
    // Writes: the plan, the confirmation, its activity mark; the 4th (the read-back's outcome) never lands.
    const stop = hangingFiles(4);
    const first = await openRunner(directory, provider, { files: stop.files });
    const planned = await first.runner.startRotation(credentialKey('zendesk_api_token'));
    provider.createByHand();
    void first.runner.advance(planned.id, { action: 'confirm_manual_create' });
    await stop.hung;
    expect(await journalTypes(directory, planned.id)).toEqual(['planned', 'manual_created']);
    provider.deleteOldByHand();
    const second = await openRunner(directory, provider, { activity: first.activity });
    await second.runner.settled();
    expect(second.runner.get(planned.id)).toMatchObject({ state: 'done' });
    expect(await journalTypes(directory, planned.id)).toEqual(['planned', 'manual_created', 'verified']);
    expect(provider.calls).toBe(0);
    expect([...first.unexpected, ...second.unexpected]).toEqual([]);
  });

  test('a certificate: the create needs the new public certificate and there is no secret to show', async () => {
    const provider = new FakeProvider('app_certificate');
    const world = await openRunner(await temporaryDirectory(), provider);
    const planned = await world.runner.startRotation(credentialKey('app_certificate'));
    expect((await refusal(world.runner.advance(planned.id, { action: 'create' }))).code).toBe('invalid_request');
    const made = await world.runner.advance(planned.id, { action: 'create', certificatePem });
    expect(made).toMatchObject({ state: 'handover', secretWaiting: false, secretFormat: 'none' });
    expect((await refusal(world.runner.revealSecret(planned.id))).code).toBe('secret_unavailable');
    expect(await world.runner.advance(planned.id, { action: 'confirm_handover', overlapDays: 0 })).toMatchObject({ state: 'done' });
  });

  test('an API key whose secret a stop lost is read again from the provider', async () => {
    const directory = await temporaryDirectory();
    const provider = new FakeProvider('api_key');
    const world = await openRunner(directory, provider);
    const rotation = await created(world, 'api_key');
    await world.runner.close();
    const again = await openRunner(directory, provider, { activity: world.activity });
    await again.runner.settled();
    expect(again.runner.get(rotation.id)).toMatchObject({ state: 'handover', secretWaiting: true });
    expect((await again.runner.revealSecret(rotation.id)).format).toBe('text');
  });

  test('an Entra secret a stop lost before it was shown: nobody holds it, so it is discarded and created again', async () => {
    const directory = await temporaryDirectory();
    const provider = new FakeProvider('app_secret');
    const world = await openRunner(directory, provider);
    const rotation = await created(world);
    await world.runner.close();
    const again = await openRunner(directory, provider, { activity: world.activity });
    await again.runner.settled();
    const lost = again.runner.get(rotation.id);
    expect(lost).toMatchObject({ state: 'secret_lost', secretWaiting: false, prompt: 'Consentry stopped before the new client secret was shown, so nobody holds it: discard it and create another, or cancel.' });
    expect((await refusal(again.runner.revealSecret(rotation.id))).message).toBe('Consentry stopped before the new secret was shown, so nobody holds it.');
    const recreated = await again.runner.advance(rotation.id, { action: 'discard_and_recreate' });
    expect(recreated).toMatchObject({ state: 'handover', secretWaiting: true, created: { credentialId: 'new-2' } });
    expect([...provider.store.keys()]).toEqual(['old-1', 'new-2']);
  });

  test('Consentry’s own client secret: proved by a token refresh, then the rotation is done; a refused proof keeps the old one', async () => {
    const row: Credential = { ...inventoryRow('connection_client_secret'), key: 'conn-1|connection_client_secret|conn-1|vault', ownerKind: 'connection', provider: 'okta' };
    let refuse = true;
    const world = await openRunner(await temporaryDirectory(), new FakeProvider('connection_client_secret'), {
      inventory: [row],
      replaceClientSecret: async () => {
        if (refuse) throw new AppError('invalid_client', 'The provider refused the new client secret (invalid_client).', { nextStep: 'Check that you copied the whole secret, then enter it again.' });
      },
    });
    const planned = await world.runner.startRotation(row.key);
    expect(planned.steps.map((step) => step.id)).toEqual(['enter', 'prove']);
    const failed = await world.runner.advance(planned.id, { action: 'submit_client_secret', clientSecret: 'new-client-secret-value' });
    expect(failed).toMatchObject({ state: 'failed', failure: { at: 'proving', code: 'invalid_client' } });
    expect(failed.failure?.message).toBe('The new client secret was not accepted; Consentry keeps using the old one. The provider refused the new client secret (invalid_client).');
    expect(await world.runner.advance(planned.id, { action: 'retry' })).toMatchObject({ state: 'ready' });
    refuse = false;
    expect(await world.runner.advance(planned.id, { action: 'submit_client_secret', clientSecret: 'new-client-secret-value' })).toMatchObject({ state: 'done' });
    expect(world.replaced).toEqual(['new-client-secret-value']);
    const entries = await entriesOf(world, planned.id);
    expect(JSON.stringify(entries)).not.toContain('new-client-secret-value');
  });
});

describe('the journals at start', () => {
  test('a damaged journal is set aside by name and reported; the others resume', async () => {
    const directory = await temporaryDirectory();
    const provider = new FakeProvider('app_secret');
    const world = await openRunner(directory, provider);
    const rotation = await created(world);
    await world.runner.close();
    const path = join(directory, 'rotations', `${rotation.id}.journal.ndjson`);
    const lines = (await readFile(path, 'utf8')).split('\n');
    await writeFile(path, [lines[0], '{not a record', ...lines.slice(1)].join('\n'));
    await appendFile(join(directory, 'rotations', 'empty.journal.ndjson'), '');
    const again = await openRunner(directory, provider, { activity: world.activity });
    expect(again.runner.damagedJournals()).toEqual([{ rotationId: rotation.id, keptAs: expect.stringMatching(new RegExp(`^${rotation.id}\\.damaged-`)), problem: 'Line 2 of the rotation journal is not a record (the file was changed or damaged).' }]);
    expect(again.runner.list()).toEqual([]);
    // The empty journal of a plan never written is removed; the damaged one is kept.
    expect(await readdir(join(directory, 'rotations'))).toEqual([again.runner.damagedJournals()[0]!.keptAs]);
  });

  test('a finished rotation stays listed 30 days, then is filed away and still in the credential’s history (the old key and the new one)', async () => {
    const directory = await temporaryDirectory();
    const provider = new FakeProvider('app_secret');
    let now = start;
    const world = await openRunner(directory, provider, { clock: () => now });
    const rotation = await driveToDone(world, provider);
    await world.runner.close();
    now = new Date(start.getTime() + 31 * dayMs);
    const later = await openRunner(directory, provider, { clock: () => now, activity: world.activity });
    await later.runner.settled();
    expect(later.runner.list()).toEqual([]);
    expect(await readdir(join(directory, 'rotations', 'finished'))).toEqual([`${rotation.id}.journal.ndjson`]);
    expect(later.runner.rotationsFor(credentialKey('app_secret')).map((found) => found.id)).toEqual([rotation.id]);
    expect(later.runner.rotationsFor(`conn-1|app_secret|app-payroll|${rotation.created!.credentialId}`).map((found) => found.state)).toEqual(['done']);
  });
});
