/**
 * The console starts on a profile where a plain file stands in place of the `jobs` or
 * `grant-snapshots` folder: it names it, keeps its bytes aside, and makes the folder afresh.
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { ProfileProblem } from '../../../../src-shared/contract/app';
import type { Envelope } from '../../../../src-shared/contract/envelope';
import { trustOrigins } from '../../../../src-main/api/sender-policy';
import { startConsoleServices, type ConsoleServices } from '../../../../src-main/app-services';
import { openConfKeyValueStore } from '../../../../src-main/storage/conf-key-value-store';
import { ProfileFolder } from '../../../../src-main/storage/profile-file-opening';
import { createAesGcmCipher } from '../../../support/aes-gcm-cipher';
import { temporaryDirectory } from '../../../support/temporary-directory';

const startedAt = new Date('2026-12-04T10:11:12.345Z');
const appSender = { url: 'app://consentry/index.html', isMainFrame: true };

let services: ConsoleServices | undefined;
afterEach(async () => {
  await services?.close();
  services = undefined;
});

function startConsole(profile: string) {
  return startConsoleServices({
    dataDirectory: profile,
    profile: new ProfileFolder(profile, { openStoreFile: openConfKeyValueStore, clock: () => startedAt }),
    cipher: createAesGcmCipher(randomBytes(32)),
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

describe('starting with a file where a store folder should be', () => {
  for (const folder of ['jobs', 'grant-snapshots']) {
    test(`${folder} as a plain file: the console starts, the notice names it, and its bytes are kept aside`, async () => {
      const profile = await temporaryDirectory();
      const bytes = randomBytes(64);
      await writeFile(join(profile, folder), bytes);
      services = await startConsole(profile);

      const { problems } = (await call('app.profileProblems')) as { problems: ProfileProblem[] };
      const keptAs = join(profile, `${folder}.damaged-2026-12-04T10-11-12Z`);
      expect(problems).toEqual([expect.objectContaining({ file: `${folder}/`, problem: 'It is a file, where Consentry keeps a folder.', keptAs, foundAt: startedAt.toISOString() })]);
      expect(await readFile(keptAs)).toEqual(bytes);
      expect((await stat(join(profile, folder))).isDirectory()).toBe(true);
      // The rest of the console works: the jobs and the grants pages answer.
      await expect(call('jobs.list')).resolves.toBeDefined();
      // Logged once, in the background of the start.
      const logged = async () => (await services!.activity.list({ result: 'failed' }, 0, 50)).entries.filter((entry) => entry.action === 'profile.fileDamaged').map((entry) => entry.target);
      await expect.poll(logged).toEqual([`${folder}/`]);
    });
  }
});
