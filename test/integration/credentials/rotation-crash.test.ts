/**
 * A rotation under crashes: the console runs in a process of its own against the sample
 * workspace's Entra tenant (started here, so it outlives every kill), rotates Payroll Sync's secret,
 * is killed at random moments and started again until the rotation is done. Then the tenant, the
 * rotation's journal and the activity log must agree: exactly one successor, the old secret removed
 * once and only after the hand-over, every successor a stop lost removed, each step logged once.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { ConsoleServices } from '../../../src-main/app-services';
import type { RotationEvent } from '../../../src-main/credentials/rotation-machine';
import { SeededRandom } from '../../../src-main/sample/seeded-random';
import { useCrashSimulator } from '../../support/crash-simulator';
import { lineOf, runKillableScript, type KillableRun } from '../../support/killable-script';
import { openNodeConsole } from '../../support/node-console';
import { temporaryDirectory } from '../../support/temporary-directory';
import type { RotationScenario } from './rotation-process';

const runScript = fileURLToPath(new URL('./rotation-process.ts', import.meta.url));
const kills = 4;
const maxKills = 10;
/** Journal events that each get one activity entry. */
const loggedEvents = new Set(['created', 'secret_lost', 'revealed', 'discarded', 'handover_confirmed', 'retired', 'verified', 'failed']);


describe('a rotation under crashes', () => {
  const crash = useCrashSimulator();

  test('killed at random points and resumed, it ends with one successor, the old secret removed once after the hand-over, and the journal, log and tenant in agreement', { timeout: 90_000 }, async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    const random = new SeededRandom(seed);
    const dataDirectory = await temporaryDirectory();
    const { sim } = crash;
    const certificateFile = await crash.certificateFile(dataDirectory);
    const payroll = () => sim.tenant.appRegistrations.find((app) => app.displayName === 'Payroll Sync')!;
    const old = payroll().passwordCredentials.find((secret) => secret.displayName === 'Payroll Sync production')!;
    const othersBefore = payroll().passwordCredentials.filter((secret) => secret.keyId !== old.keyId).map((secret) => secret.keyId);

    let services: ConsoleServices = await openNodeConsole(dataDirectory);
    const connection = await services.connections.connect(randomUUID(), {
      provider: 'microsoft',
      label: 'Sample workspace — Microsoft 365',
      clientId: sim.microsoft.clientId,
      settings: { issuer: sim.microsoft.authority, apiBaseUrl: sim.microsoft.graphBaseUrl },
      capabilities: [],
    });
    await services.connections.enableCapability(connection.id, randomUUID(), 'credentials');
    await services.close();
    const scenario: RotationScenario = { connectionId: connection.id, ownerName: 'Payroll Sync', displayName: 'Payroll Sync production' };
    const runConsole = () => runKillableScript(runScript, [dataDirectory, JSON.stringify(scenario)], { NODE_EXTRA_CA_CERTS: certificateFile });

    // Killed again and again at a random moment after the run set to work; more often (bounded) until a
    // run had to resume a rotation a kill cut short mid-way, so the test never passes without a replay.
    const killedAfter: number[] = [];
    let resumedAny = false;
    const runs: KillableRun[] = [];
    for (let round = 0; round < kills || (!resumedAny && round < maxKills); round += 1) {
      const run = runConsole();
      runs.push(run);
      const started = await lineOf(run, 'started');
      if (typeof started?.resumedFrom === 'string' && started.resumedFrom !== 'ready' && started.resumedFrom !== 'done') resumedAny = true;
      const wait = Math.floor(random.next() * 600);
      killedAfter.push(wait);
      await new Promise((resolve) => setTimeout(resolve, wait));
      run.kill();
      await run.exited;
    }
    const last = runConsole();
    runs.push(last);
    const context = `seed ${seed}, kills after ${killedAfter.join(', ')} ms`;
    expect(await last.exited, `${context}: ${JSON.stringify(last.lines.at(-1))}`).toBe(0);
    expect(resumedAny, context).toBe(true);

    services = await openNodeConsole(dataDirectory);
    try {
      const rotations = services.rotations.list();
      expect(rotations.map((rotation) => rotation.state), context).toEqual(['done']);
      const rotation = rotations[0]!;
      const events = (await readFile(join(dataDirectory, 'rotations', `${rotation.id}.journal.ndjson`), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as RotationEvent);
      const kinds = events.map((event) => event.t);
      const createdCount = kinds.filter((kind) => kind === 'created').length;

      // The tenant: the old secret gone, the others untouched, exactly one successor — the rotation's — and no orphan.
      const secrets = payroll().passwordCredentials;
      expect(secrets.map((secret) => secret.keyId).sort(), context).toEqual([...othersBefore, rotation.created!.credentialId].sort());
      expect(secrets.find((secret) => secret.keyId === rotation.created!.credentialId)?.displayName, context).toBe(rotation.planned.displayName);

      // Every secret Graph made is one the journal knows (found again after a stop if need be), and each but the last was removed once.
      const accepted = (name: string) => sim.calls.filter((call) => call.name === name && call.status < 300);
      expect(accepted('graph.applications.addPassword'), context).toHaveLength(createdCount);
      const handover = events.find((event) => event.t === 'handover_confirmed')!;
      const handedOverAt = Date.parse(handover.at);
      const removals = accepted('graph.applications.removePassword');
      // Before the hand-over only successors nobody held were removed; after it, the old secret, once.
      expect(removals.filter((call) => call.at < handedOverAt), context).toHaveLength(createdCount - 1);
      expect(removals.filter((call) => call.at >= handedOverAt), context).toHaveLength(1);
      expect(kinds.indexOf('handover_confirmed'), context).toBeLessThan(kinds.indexOf('retired'));

      // The activity log: one entry per recorded step of the journal, none missing, none twice.
      const expectedRefs = events.flatMap((event, n) => (loggedEvents.has(event.t) ? [`[rotation ${rotation.id} #${n + 1}]`] : []));
      const entries = (await services.activity.list({ text: `[rotation ${rotation.id} #` }, 0, 1_000)).entries;
      const refs = entries.map((entry) => /\[rotation \S+ #\d+\]$/.exec(entry.detail ?? '')?.[0]);
      expect(refs.sort(), context).toEqual(expectedRefs.sort());
      expect(entries.filter((entry) => entry.action === 'credentials.rotate.done'), context).toHaveLength(1);
      expect((await services.activity.list({}, 0, 1)).integrity, context).toMatchObject({ intact: true, problems: [] });

      // The secret the admin was shown is in no file of the profile: journal, activity log, stores.
      const shown = runs.flatMap((run) => run.lines.filter((line) => line.event === 'revealed').map((line) => String(line.secret)));
      expect(shown.length, context).toBeGreaterThan(0);
      const files = (await readdir(dataDirectory, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
      for (const file of files) {
        const content = await readFile(join(file.parentPath, file.name), 'utf8');
        for (const secret of shown) expect(content.includes(secret), `${context}: ${file.name}`).toBe(false);
      }
    } finally {
      await services.close();
    }
  });
});
