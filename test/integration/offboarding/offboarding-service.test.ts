/**
 * The offboarding service end to end in Node: the whole console on a profile folder, connected to
 * the sample workspace's Google Workspace and Microsoft 365 through real sign-ins, offboarding
 * allowed on both. Five departed people are imported, checked, planned, dry-run (nothing changes)
 * and run; the simulator's log of state changes proves each change was applied once, and the
 * evidence lists every step once.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ConsoleServices } from '../../../src-main/app-services';
import type { SampleUser } from '../../../src-main/sample/sample-tenant';
import { sampleWorkspaceSeed, sampleWorkspaceUsers } from '../../../src-main/sample/sample-workspace';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import type { OffboardingPlan } from '../../../src-shared/contract/offboarding';
import { openNodeConsole } from '../../support/node-console';

describe('offboarding five departed people of the sample workspace', () => {
  let services: ConsoleServices;
  let simulator: TenantSimulator;
  let dataDirectory: string;
  let googleId: string;
  let microsoftId: string;
  let departed: SampleUser[];
  let manager: SampleUser;
  let plan: OffboardingPlan;

  const effects = () => simulator.calls.flatMap((call) => call.effects ?? []);

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'consentry-offboarding-'));
    services = await openNodeConsole(dataDirectory, {
      startSimulator: async () => (simulator = await startTenantSimulator({ seed: sampleWorkspaceSeed, users: sampleWorkspaceUsers, dataTransferDurationMs: 300 })),
    });
    googleId = (await services.sample.connect(randomUUID(), 'google')).id;
    microsoftId = (await services.sample.connect(randomUUID(), 'microsoft')).id;
    for (const id of [googleId, microsoftId]) {
      const allowed = await services.connections.enableCapability(id, randomUUID(), 'offboarding');
      expect(allowed.capabilities.find((capability) => capability.id === 'offboarding')).toMatchObject({ held: true });
    }
    departed = simulator.tenant.users.filter((user) => user.departed).slice(0, 5);
    manager = simulator.tenant.users.find((user) => !user.departed && !user.suspended && !user.isAdmin)!;
  }, 120_000);
  afterAll(async () => {
    await services?.close();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  test('imports the list and checks it against both directories', async () => {
    expect(departed).toHaveLength(5);
    // As an admin pastes it from a spreadsheet: capitals, a stray space, a manager for two of them.
    const lines = departed.map((user, index) => `${index === 0 ? ` ${user.primaryEmail.toUpperCase()}` : user.primaryEmail};${index < 2 ? manager.primaryEmail : ''}`);
    const list = await services.offboarding.importList({ source: 'paste', text: `email;transfer-to\r\n${lines.join('\r\n')}\r\n` });
    expect(list.checks.map((check) => [check.connectionId, check.state])).toEqual(
      expect.arrayContaining([
        [googleId, 'checked'],
        [microsoftId, 'checked'],
      ]),
    );
    expect(list.rows.map((row) => row.email)).toEqual(departed.map((user) => user.primaryEmail.toLowerCase()));
    expect(list.counts.error).toBe(0);
    // Without a manager, nobody receives their Google data: a warning, not an error.
    expect(list.rows[4]!.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'no_transfer_target', connectionId: googleId })]));
    expect(services.offboarding.list().list?.id).toBe(list.id);
  });

  test('plans each person’s steps at both providers in the order that works', async () => {
    plan = await services.offboarding.plan({ options: { suspend: true, transferData: true, connectionIds: [] } });
    expect(plan.confirmationPhrase).toBe('OFFBOARD 5');
    expect(plan.connections.map((connection) => [connection.connectionId, connection.people, connection.blocked, connection.missingScopes])).toEqual(
      expect.arrayContaining([
        [googleId, 5, null, []],
        [microsoftId, 5, null, []],
      ]),
    );
    const kindsAt = (connectionId: string, index: number) => plan.people[index]!.steps.filter((step) => step.connectionId === connectionId && step.mode === 'api').map((step) => step.kind);
    expect(kindsAt(googleId, 0)).toEqual(['google.app_passwords', 'google.backup_codes', 'google.oauth_tokens', 'google.sign_out', 'google.data_transfer', 'google.suspend']);
    expect(kindsAt(googleId, 4)).toEqual(['google.app_passwords', 'google.backup_codes', 'google.oauth_tokens', 'google.sign_out', 'google.suspend']);
    expect(kindsAt(microsoftId, 0)).toEqual(['microsoft.revoke_sessions', 'microsoft.delegated_grants', 'microsoft.app_role_assignments', 'microsoft.disable']);
  });

  test('the dry run reads what each step would change and changes nothing', async () => {
    const before = effects().length;
    services.offboarding.dryRun({ planId: plan.id });
    await services.offboarding.dryRunSettled();
    const { dryRun } = services.offboarding.currentPlan().plan!;
    expect(dryRun).toMatchObject({ state: 'finished', done: 5, total: 5 });
    const total = (connectionId: string, kind: string) => dryRun!.totals.find((entry) => entry.connectionId === connectionId && entry.kind === kind);
    // Every departed user was given an app password and at least two Google tokens.
    expect(total(googleId, 'google.app_passwords')).toMatchObject({ people: 5, failed: 0 });
    expect(total(googleId, 'google.oauth_tokens')!.items).toBeGreaterThanOrEqual(10);
    expect(dryRun!.totals.every((entry) => entry.failed === 0)).toBe(true);
    expect(effects().length).toBe(before);
  });

  test('runs every step once: the simulator applied each change once, and each person ends suspended', async () => {
    await expect(services.offboarding.startRun({ planId: plan.id, confirmation: 'offboard 4' })).rejects.toMatchObject({ code: 'confirmation_mismatch' });
    const started = effects().length;
    const run = await services.offboarding.startRun({ planId: plan.id, confirmation: 'OFFBOARD 5' });
    expect(run).toMatchObject({ people: 5, job: { kind: 'offboarding.step', title: 'Offboard 5 people' } });
    const settled = await services.jobs.settled(run.job.id);
    expect(settled).toMatchObject({ state: 'finished', failed: 0, inDoubt: 0, notStarted: 0 });

    const applied = effects().slice(started);
    expect(new Set(applied).size).toBe(applied.length);
    for (const user of departed) {
      expect(applied.filter((effect) => effect === `google.user.signOut:${user.googleId}`)).toHaveLength(1);
      expect(applied.filter((effect) => effect === `microsoft.sessions.revoke:${user.graphId}`)).toHaveLength(1);
      // Google's suspension and Entra's disabling are separate accounts' settings: each applied once.
      expect(applied.filter((effect) => effect === `google.user.suspend:${user.googleId}`)).toHaveLength(1);
      expect(applied.filter((effect) => effect === `microsoft.user.account_enabled:${user.graphId}:false`)).toHaveLength(1);
      expect(simulator.tenant.entraAccountEnabled.get(user.graphId)).toBe(false);
      expect(applied.some((effect) => effect.startsWith(`google.token.delete:${user.googleId}:`))).toBe(true);
      expect(simulator.tenant.users.find((candidate) => candidate.googleId === user.googleId)!.suspended).toBe(true);
    }
    expect(applied.filter((effect) => effect.startsWith('google.transfer.insert:')).toSorted()).toEqual(departed.slice(0, 2).map((user) => `google.transfer.insert:${user.googleId}:${manager.googleId}`).toSorted());

    const detail = services.offboarding.run(run.job.id);
    expect(detail.persons.map((person) => person.state)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(detail.persons.flatMap((person) => person.steps).every((step) => step.status !== 'succeeded' || step.at !== null)).toBe(true);
    expect(detail.connections.map((connection) => [connection.connectionId, connection.failed, connection.ended === connection.total])).toEqual(
      expect.arrayContaining([
        [googleId, 0, true],
        [microsoftId, 0, true],
      ]),
    );
    await services.offboarding.summaryWritten(run.job.id);
    expect((await services.activity.list({ action: 'offboarding.run' }, 0, 10)).entries).toEqual([
      expect.objectContaining({ target: 'Offboard 5 people', result: 'succeeded', detail: expect.stringContaining(`5 people.`) }),
    ]);
  }, 60_000);

  test('the evidence CSV lists every step of every person once, with its result and what was read', async () => {
    const [run] = services.offboarding.runs().runs;
    const file = services.offboarding.exportEvidence({ runId: run!.job.id, format: 'csv' });
    expect(file.fileName).toMatch(/^consentry-offboarding-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.csv$/);
    const [header, ...rows] = parse(file.content, { bom: true }) as string[][];
    expect(header![1]).toBe('person');
    expect(rows).toHaveLength(run!.job.total);
    expect(file.rows).toBe(rows.length);
    const steps = rows.map((row) => `${row[1]}|${row[3]}|${row[4]}`);
    expect(new Set(steps).size).toBe(steps.length);
    for (const user of departed) expect(rows.filter((row) => row[1] === user.primaryEmail.toLowerCase()).length).toBeGreaterThanOrEqual(10);
    expect(rows.every((row) => ['succeeded', 'skipped', 'manual'].includes(row[5]!))).toBe(true);
    const suspend = rows.find((row) => row[1] === departed[0]!.primaryEmail.toLowerCase() && row[2] === 'google' && row[5] === 'succeeded' && /suspend/i.test(row[4]!));
    expect(suspend).toBeDefined();
    // No token or secret ever reaches the evidence.
    expect(file.content).not.toMatch(/ya29\.|Bearer|refresh_token|access_token/i);
  });
});
