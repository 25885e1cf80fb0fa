import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { GoogleAppDecisions } from '../../../../src-main/consent/google-app-decisions';
import { openConfKeyValueStore } from '../../../../src-main/storage/conf-key-value-store';
import { ProfileFolder } from '../../../../src-main/storage/profile-file-opening';
import { googleAppDecisionsFile } from '../../../../src-main/storage/profile-files';
import { temporaryDirectory } from '../../../support/temporary-directory';

const clock = () => new Date('2026-12-04T10:00:00Z');

describe('the Google app decisions file', () => {
  test('keeps decisions across opens of the profile', async () => {
    const directory = await temporaryDirectory();
    const first = new GoogleAppDecisions(new ProfileFolder(directory, { openStoreFile: openConfKeyValueStore }).open(googleAppDecisionsFile), clock);
    first.decide({ connectionId: 'g', clientId: '123.apps.googleusercontent.com', appName: 'Survey Hub', decision: 'blocked', note: null });
    const again = new GoogleAppDecisions(new ProfileFolder(directory, { openStoreFile: openConfKeyValueStore }).open(googleAppDecisionsFile), clock);
    expect(again.list()).toEqual([{ connectionId: 'g', clientId: '123.apps.googleusercontent.com', appName: 'Survey Hub', decision: 'blocked', note: null, decidedAt: '2026-12-04T10:00:00.000Z' }]);
  });

  test('a damaged file is set aside and named, and the list starts empty', async () => {
    const directory = await temporaryDirectory();
    await writeFile(join(directory, 'google-app-decisions.json'), JSON.stringify({ decisions: [{ clientId: 7 }] }));
    const profile = new ProfileFolder(directory, { openStoreFile: openConfKeyValueStore });
    const decisions = new GoogleAppDecisions(profile.open(googleAppDecisionsFile), clock);
    expect(decisions.list()).toEqual([]);
    expect(profile.problems).toEqual([expect.objectContaining({ file: 'google-app-decisions.json', problem: expect.stringContaining('decision 1 of 1'), consequence: googleAppDecisionsFile.consequence })]);
    expect((await readdir(directory)).some((name) => name.startsWith('google-app-decisions.damaged-'))).toBe(true);
  });
});
