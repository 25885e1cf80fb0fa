/**
 * A rotation stopped between any two steps resumes and ends well. Each kind's rotation is run once
 * to count its journal writes and provider calls; then it is stopped before every one of those
 * writes (the process gone before the record reached the disk) and during every changing call
 * (sent, not yet taken effect), started again, and taken to the end by the admin's steps.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CredentialKind, Rotation } from '../../../../src-shared/contract/credentials';
import { temporaryDirectory } from '../../../support/temporary-directory';
import { driveToDone, FakeProvider, hangingFiles, openRunner } from './rotation-fake-provider';

const kinds: CredentialKind[] = ['app_secret', 'app_certificate', 'service_account_key', 'api_key', 'okta_api_token'];

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** Rules the provider checks as the old credential is removed: the hand-over is on disk, the successor exists. */
function guardOldRemoval(directory: string, provider: FakeProvider, violations: string[]): void {
  provider.beforeRemoveOld = () => {
    const folder = join(directory, 'rotations');
    const journals = readdirSync(folder).filter((name) => name.endsWith('.journal.ndjson'));
    const handedOver = journals.some((name) => /"t":"(handover_confirmed|manual_created)"/.test(readFileSync(join(folder, name), 'utf8')));
    if (!handedOver) violations.push('the old credential was removed before the hand-over was on disk');
    if (provider.successors().length !== 1) violations.push(`the old credential was removed with ${provider.successors().length} successors`);
    if (provider.kind === 'service_account_key' && !provider.disabled.has('old-1')) violations.push('the old key was deleted without being disabled first');
  };
}

interface Stop {
  append?: number;
  call?: number;
}

async function stopAndResume(kind: CredentialKind, stop: Stop) {
  const directory = await temporaryDirectory();
  const provider = new FakeProvider(kind);
  const violations: string[] = [];
  guardOldRemoval(directory, provider, violations);
  const hang = hangingFiles(stop.append ?? null);
  provider.hangAtCall = stop.call ?? null;
  const first = await openRunner(directory, provider, { files: hang.files });
  const shown: string[] = [];
  const outcome = await Promise.race([driveToDone(first, provider, shown).then(() => 'finished'), hang.hung.then(() => 'stopped'), provider.hung.then(() => 'stopped')]);
  provider.hangAtCall = null;
  const second = await openRunner(directory, provider, { activity: first.activity });
  const rotation = await driveToDone(second, provider, shown);
  await second.runner.close();
  return { directory, provider, violations, rotation, outcome, shown, second, unexpected: [...first.unexpected, ...second.unexpected] };
}

async function expectWellEnded(kind: CredentialKind, result: Awaited<ReturnType<typeof stopAndResume>>, at: string) {
  const { provider, rotation, violations, second, shown, directory } = result;
  expect(result.outcome, at).toBe('stopped');
  expect(result.unexpected, at).toEqual([]);
  expect(rotation.state, at).toBe('done');
  expect(violations, at).toEqual([]);
  expect(provider.store.has('old-1'), at).toBe(false);
  // Exactly one successor, and it is the rotation's: nothing it created was lost.
  const successors = provider.successors();
  expect(successors, at).toHaveLength(1);
  if (kind !== 'okta_api_token') expect(rotation.created?.credentialId, at).toBe(successors[0]!.credentialId);
  // Nothing done twice: the old one removed once (a repeat finds it already gone), disabled at most once; every other successor removed once.
  expect(provider.effects.filter((effect) => effect === 'remove old-1'), at).toHaveLength(1);
  expect(provider.effects.filter((effect) => effect === 'disable old-1'), at).toHaveLength(kind === 'service_account_key' ? 1 : 0);
  const made = provider.effects.filter((effect) => effect.startsWith('create ')).map((effect) => effect.slice(7));
  const discarded = provider.effects.filter((effect) => /^remove new-/.test(effect)).map((effect) => effect.slice(7));
  expect(new Set(discarded).size, at).toBe(discarded.length);
  expect(made.filter((id) => !discarded.includes(id)), at).toEqual(kind === 'okta_api_token' ? [] : [successors[0]!.credentialId]);
  // One activity entry per recorded step, none twice; the rotation's end recorded once.
  const entries = (await second.activity.list({ text: `[rotation ${rotation.id} #` }, 0, 1_000)).entries;
  const refs = entries.map((entry) => /#(\d+)\]$/.exec(entry.detail ?? '')?.[1]);
  expect(new Set(refs).size, `${at}: ${refs.join(', ')}`).toBe(refs.length);
  expect(entries.filter((entry) => entry.action === 'credentials.rotate.done'), at).toHaveLength(1);
  // A secret is never on disk.
  for (const file of await filesUnder(directory)) {
    const text = await readFile(file, 'utf8');
    for (const secret of shown) expect(text.includes(secret), `${at}: ${file}`).toBe(false);
  }
}

async function cleanRun(kind: CredentialKind): Promise<{ appends: number; calls: number; rotation: Rotation }> {
  const directory = await temporaryDirectory();
  const provider = new FakeProvider(kind);
  const counting = hangingFiles(null);
  const world = await openRunner(directory, provider, { files: counting.files });
  const rotation = await driveToDone(world, provider);
  await world.runner.close();
  return { appends: counting.appends(), calls: provider.calls, rotation };
}

describe.each(kinds)('a %s rotation stopped at any point', (kind) => {
  test('stopped before each journal write, it resumes and ends with one successor, the old removed once after the confirmed hand-over', { timeout: 60_000 }, async () => {
    const clean = await cleanRun(kind);
    expect(clean.rotation.state).toBe('done');
    expect(clean.appends).toBeGreaterThan(5);
    for (let append = 1; append <= clean.appends; append += 1) {
      await expectWellEnded(kind, await stopAndResume(kind, { append }), `stopped before write ${append} of ${clean.appends}`);
    }
  });

  test('stopped while each changing call was on its way, it resumes without doing anything twice', { timeout: 60_000 }, async () => {
    const clean = await cleanRun(kind);
    expect(clean.calls).toBeGreaterThan(0);
    for (let call = 1; call <= clean.calls; call += 1) {
      await expectWellEnded(kind, await stopAndResume(kind, { call }), `stopped during call ${call} of ${clean.calls}`);
    }
  });
});
