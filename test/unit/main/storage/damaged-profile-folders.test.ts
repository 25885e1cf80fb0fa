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
import type { ConsoleServices } from '../../../../src-main/app-services';
import { openNodeConsole } from '../../../support/node-console';
import { temporaryDirectory } from '../../../support/temporary-directory';

let services: ConsoleServices | undefined;
afterEach(async () => {
  await services?.close();
  services = undefined;
});

async function call(channel: string, request: unknown = {}): Promise<unknown> {
  const envelope: Envelope = await services!.dispatch(channel, request, { url: 'app://consentry/index.html', isMainFrame: true });
  if (!envelope.ok) throw new Error(`${channel} failed: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.value;
}

describe('starting with a file where a store folder should be', () => {
  for (const folder of ['jobs', 'grant-snapshots']) {
    test(`${folder} as a plain file: the console starts, the notice names it, and its bytes are kept aside`, async () => {
      const profile = await temporaryDirectory();
      const bytes = randomBytes(64);
      await writeFile(join(profile, folder), bytes);
      services = await openNodeConsole(profile);

      const { problems } = (await call('app.profileProblems')) as { problems: ProfileProblem[] };
      expect(problems).toEqual([expect.objectContaining({ file: `${folder}/`, problem: 'It is a file, where Consentry keeps a folder.', keptAs: expect.stringMatching(/\.damaged-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/) })]);
      expect(problems[0]!.keptAs!.startsWith(join(profile, `${folder}.damaged-`))).toBe(true);
      expect(await readFile(problems[0]!.keptAs!)).toEqual(bytes);
      expect((await stat(join(profile, folder))).isDirectory()).toBe(true);
      // The rest of the console works: the jobs and the grants pages answer.
      await expect(call('jobs.list')).resolves.toBeDefined();
      // Logged once, in the background of the start.
      const logged = async () => (await services!.activity.list({ result: 'failed' }, 0, 50)).entries.filter((entry) => entry.action === 'profile.fileDamaged').map((entry) => entry.target);
      await expect.poll(logged).toEqual([`${folder}/`]);
    });
  }
});
