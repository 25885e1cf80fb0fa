/**
 * The console starts on a profile whose settings, connections or vault file is damaged, in each
 * way such a file gets damaged: it names the file, keeps it aside untouched, starts that store
 * empty, and everything else keeps working.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { ProfileProblem } from '../../../../src-shared/contract/app';
import type { Envelope } from '../../../../src-shared/contract/envelope';
import { defaultSettings } from '../../../../src-shared/contract/settings';
import { trustOrigins } from '../../../../src-main/api/sender-policy';
import { startConsoleServices, type ConsoleServices } from '../../../../src-main/app-services';
import { connectionRecordSchema, ConnectionStore } from '../../../../src-main/connections/connection-record';
import { openConfKeyValueStore } from '../../../../src-main/storage/conf-key-value-store';
import { nodeProfileFileSystem, ProfileFolder, type ProfileFileSystem, type StoreFileOpener } from '../../../../src-main/storage/profile-file-opening';
import { SecretVault } from '../../../../src-main/vault/secret-vault';
import { createAesGcmCipher } from '../../../support/aes-gcm-cipher';
import { temporaryDirectory } from '../../../support/temporary-directory';
import { providerDefinitions } from '../../../support/provider-definitions';

const startedAt = new Date('2026-12-04T10:11:12.345Z');
const appSender = { url: 'app://consentry/index.html', isMainFrame: true };

let services: ConsoleServices | undefined;
afterEach(async () => {
  await services?.close();
  services = undefined;
});

const connectedRecord = connectionRecordSchema(providerDefinitions).parse({
  id: 'conn-1',
  label: 'Contoso Google',
  provider: 'google',
  clientId: 'client-1.apps.googleusercontent.com',
  hasClientSecret: false,
  settings: {},
  profile: 'audit',
  state: 'connected',
  account: 'admin@contoso.example',
  tenant: 'contoso.example',
  scopesRequested: [],
  scopesGranted: [],
  storage: 'encrypted',
  createdAt: '2026-12-01T09:00:00.000Z',
  connectedAt: '2026-12-01T09:00:00.000Z',
  accessTokenIssuedAt: '2026-12-04T10:00:00.000Z',
  // Far enough ahead that no refresh is planned within the test.
  accessTokenExpiresAt: '2026-12-05T10:00:00.000Z',
  lastRefreshAt: null,
  lastError: null,
  failedRefreshes: 0,
  nextRetryAt: null,
  msalHomeAccountId: null,
});

/** A profile as a previous run left it: dark theme, one connected connection, its tokens in the vault. */
async function healthyProfile(key: Buffer): Promise<string> {
  const profile = await temporaryDirectory();
  openConfKeyValueStore(profile, 'settings').set('settings', { ...defaultSettings, theme: 'dark' });
  new ConnectionStore(openConfKeyValueStore(profile, 'connections'), providerDefinitions).save(connectedRecord);
  await new SecretVault(openConfKeyValueStore(profile, 'vault'), createAesGcmCipher(key)).put(connectedRecord.id, {
    accessToken: 'access-token-1',
    refreshToken: 'refresh-token-1',
  });
  return profile;
}

function startConsole(profile: string, key: Buffer, options: { fileSystem?: ProfileFileSystem | void; openStoreFile?: StoreFileOpener } = {}) {
  return startConsoleServices({
    dataDirectory: profile,
    profile: new ProfileFolder(profile, {
      openStoreFile: options.openStoreFile ?? openConfKeyValueStore,
      clock: () => startedAt,
      ...(options.fileSystem ? { fileSystem: options.fileSystem } : {}),
    }),
    cipher: createAesGcmCipher(key),
    openExternal: async () => undefined,
    notify: () => undefined,
    fetch,
    description: { name: 'Consentry', version: 'test', platform: 'other', host: 'browser-bridge' },
    isTrustedSender: trustOrigins(['app://consentry']),
    reportUnexpected: () => undefined,
    clock: () => startedAt,
  });
}

async function call(channel: string, request: unknown = {}): Promise<unknown> {
  const envelope: Envelope = await services!.dispatch(channel, request, appSender);
  if (!envelope.ok) throw new Error(`${channel} failed: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.value;
}

type Damage = (path: string, healthy: Buffer, name: string) => Promise<ProfileFileSystem | void>;

/** A file a stores' reader would take for empty, so its next save would replace it. */
const wrongShapes: Record<string, string> = {
  settings: '{"settings": ["dark"]}',
  connections: '{"connections": {"conn-1": "Contoso"}}',
  vault: '{"records": "v1:AAAA"}',
};

const damages: Record<string, { damage: Damage; problem: RegExp }> = {
  'an empty file': { damage: (path) => writeFile(path, ''), problem: /It is empty/ },
  'a truncated file': {
    damage: (path, healthy) => writeFile(path, healthy.subarray(0, Math.floor(healthy.length / 2))),
    problem: /ends part-way through/,
  },
  'invalid JSON': { damage: (path) => writeFile(path, '{ theme: dark, ,}'), problem: /not valid JSON/ },
  'valid JSON of the wrong shape': { damage: (path, _healthy, name) => writeFile(path, wrongShapes[name]!), problem: /valid JSON, but its "\w+" entry is/ },
  'a folder in place of the file': {
    damage: async (path) => {
      await rm(path);
      await mkdir(path);
    },
    problem: /It is a folder, not a file/,
  },
  'a file the user may not read': {
    // Tests run as root, who may read anything: the refusal comes from the file operations instead.
    damage: async (path) => ({
      ...nodeProfileFileSystem,
      readFile: (file) => {
        if (file === path) throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES' });
        return nodeProfileFileSystem.readFile(file);
      },
    }),
    problem: /could not be read, because your user is not allowed to \(permission denied\)/,
  },
};

describe.each(['settings', 'connections', 'vault'])('a damaged %s.json', (name) => {
  test.each(Object.keys(damages))('%s: the console starts, names the file, keeps it aside and starts that store empty', async (kind) => {
    const key = randomBytes(32);
    const profile = await healthyProfile(key);
    const path = join(profile, `${name}.json`);
    const healthy = await readFile(path);
    const fileSystem = await damages[kind]!.damage(path, healthy, name);
    const damagedIsFolder = (await stat(path)).isDirectory();
    const damagedBytes = damagedIsFolder ? null : await readFile(path);

    services = await startConsole(profile, key, { fileSystem });

    // Named, with what is wrong, where the copy is and what it means.
    const { problems } = (await call('app.profileProblems')) as { problems: ProfileProblem[] };
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    const keptAs = join(profile, `${name}.damaged-2026-12-04T10-11-12Z.json`);
    expect(problem).toMatchObject({ file: `${name}.json`, keptAs, foundAt: startedAt.toISOString() });
    expect(problem!.problem).toMatch(damages[kind]!.problem);
    expect(problem!.consequence).not.toBe('');

    // Kept as it was found, next to where it was; never deleted.
    if (damagedIsFolder) expect((await stat(keptAs)).isDirectory()).toBe(true);
    else expect(await readFile(keptAs)).toEqual(damagedBytes);

    // One activity entry says so.
    const activity = (await call('activity.list', { filter: { action: 'profile.fileDamaged' } })) as { entries: { target: string; detail: string }[] };
    expect(activity.entries).toEqual([expect.objectContaining({ target: `${name}.json`, detail: expect.stringContaining(keptAs) })]);

    // That store started empty; the other two are as they were.
    const settings = await call('settings.get');
    expect(settings).toEqual(name === 'settings' ? defaultSettings : { ...defaultSettings, theme: 'dark' });
    const { connections } = await services.connections.list();
    if (name === 'connections') {
      expect(connections).toEqual([]);
      // The vault records stay, for the copy to be repaired from.
      expect(await services.vault.has(connectedRecord.id)).toBe(true);
    } else if (name === 'vault') {
      // Still listed, needing a reconnect, and saying why.
      expect(connections).toEqual([expect.objectContaining({ id: connectedRecord.id, status: 'needs_reconnect' })]);
      expect(connections[0]!.lastError?.message).toContain('vault.json');
    } else {
      expect(connections).toEqual([expect.objectContaining({ id: connectedRecord.id, status: expect.not.stringMatching(/needs_reconnect/) })]);
    }

    // Every capability keeps working: saving settings writes a fresh file where the damaged one was.
    await call('settings.update', { keyAgePolicyDays: 30 });
    expect(JSON.parse(await readFile(join(profile, 'settings.json'), 'utf8'))).toMatchObject({ settings: { keyAgePolicyDays: 30 } });
  });
});

describe('profile problems in the console', () => {
  test('a dismissed problem is no longer offered, and the others stay', async () => {
    const key = randomBytes(32);
    const profile = await healthyProfile(key);
    await writeFile(join(profile, 'settings.json'), '');
    await writeFile(join(profile, 'vault.json'), '{');
    services = await startConsole(profile, key);

    const { problems } = (await call('app.profileProblems')) as { problems: ProfileProblem[] };
    expect(problems.map((problem) => problem.file)).toEqual(['settings.json', 'vault.json']);
    expect(await call('app.dismissProfileProblems', { ids: [problems[0]!.id] })).toEqual({ dismissed: 1 });
    expect(((await call('app.profileProblems')) as { problems: ProfileProblem[] }).problems.map((problem) => problem.file)).toEqual(['vault.json']);
  });

  test('a damaged activity log and a damaged job journal are named in the same notice, each logged once', async () => {
    const key = randomBytes(32);
    const profile = await healthyProfile(key);
    await mkdir(join(profile, 'activity', 'activity.jsonl'), { recursive: true });
    await mkdir(join(profile, 'jobs'), { recursive: true });
    await writeFile(join(profile, 'jobs', 'job-7.journal.ndjson'), '{"t":"created"\n{"t":"item"}\n');
    services = await startConsole(profile, key);

    const { problems } = (await call('app.profileProblems')) as { problems: ProfileProblem[] };
    expect(problems.map((problem) => problem.file)).toEqual(['activity/activity.jsonl', 'jobs/job-7.journal.ndjson']);
    expect(problems[1]).toMatchObject({ keptAs: expect.stringMatching(/^job-7\.damaged-.*\.ndjson$/), consequence: expect.stringContaining('cannot be resumed') });
    const logged = (await services.activity.list({ result: 'failed' }, 0, 50)).entries.map((entry) => entry.action);
    expect(logged.filter((action) => action === 'profile.fileDamaged')).toEqual([]);
    expect(logged.filter((action) => action === 'job.damaged')).toHaveLength(1);
  });

  test('starts when the connections file cannot be saved, and says so', async () => {
    const key = randomBytes(32);
    const profile = await healthyProfile(key);
    // The vault is gone, so the start marks the connection for a reconnect: a save the full disk refuses.
    await rm(join(profile, 'vault.json'));
    const diskFull = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    services = await startConsole(profile, key, {
      openStoreFile: (directory, name) => {
        const store = openConfKeyValueStore(directory, name);
        return name === 'connections'
          ? {
              ...store,
              set: () => {
                throw diskFull;
              },
            }
          : store;
      },
    });

    const { problems } = (await call('app.profileProblems')) as { problems: ProfileProblem[] };
    expect(problems).toEqual([
      expect.objectContaining({ file: 'connections.json', keptAs: null, problem: 'Consentry could not save to connections.json, because the disk is full.' }),
    ]);
    expect(problems[0]!.consequence).toContain('Free some disk space');
  });
});

describe('a profile file that cannot be saved after the start', () => {
  /** A console whose store files refuse every save once `fill(name)` is called, as a full disk does. */
  async function consoleOnFillingDisk() {
    const key = randomBytes(32);
    const profile = await healthyProfile(key);
    const full = new Set<string>();
    services = await startConsole(profile, key, {
      openStoreFile: (directory, name) => {
        const store = openConfKeyValueStore(directory, name);
        const refuseWhenFull =
          <A extends unknown[]>(write: (...args: A) => void) =>
          (...args: A) => {
            if (full.has(name)) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
            write(...args);
          };
        return { get: (key) => store.get(key), set: refuseWhenFull((key, value) => store.set(key, value)), delete: refuseWhenFull((key) => store.delete(key)) };
      },
    });
    return { profile, fill: (name: string) => full.add(name) };
  }

  test('a connection change fails with a sentence naming connections.json, and the console goes on', async () => {
    const { fill } = await consoleOnFillingDisk();
    fill('connections');
    const envelope = await services!.dispatch('connections.setApiQuota', { id: connectedRecord.id, quotaPerMinute: 100 }, appSender);
    expect(envelope).toEqual({
      ok: false,
      error: { code: 'disk_full', message: 'Consentry could not save to connections.json, because the disk is full.', nextStep: 'Free some disk space, then try again.' },
    });
    expect(await call('settings.get')).toMatchObject({ theme: 'dark' });
  });

  test('storing tokens fails with a sentence naming vault.json, and the tokens already stored stay readable', async () => {
    const { fill } = await consoleOnFillingDisk();
    fill('vault');
    await expect(services!.vault.put(connectedRecord.id, { accessToken: 'access-token-2' })).rejects.toMatchObject({
      code: 'disk_full',
      message: 'Consentry could not save to vault.json, because the disk is full.',
    });
    expect(await services!.vault.get(connectedRecord.id)).toMatchObject({ accessToken: 'access-token-1' });
  });

  test('saving settings fails as storage_unavailable and the saved settings stay', async () => {
    const { profile, fill } = await consoleOnFillingDisk();
    fill('settings');
    const envelope = await services!.dispatch('settings.update', { theme: 'light' }, appSender);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'storage_unavailable' } });
    expect(JSON.parse(await readFile(join(profile, 'settings.json'), 'utf8'))).toMatchObject({ settings: { theme: 'dark' } });
  });
});
