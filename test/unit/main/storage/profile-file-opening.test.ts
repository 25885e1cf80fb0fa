import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../../../src-main/errors/app-error';
import { openConfKeyValueStore } from '../../../../src-main/storage/conf-key-value-store';
import type { KeyValueStore } from '../../../../src-main/storage/key-value-store';
import { nodeProfileFileSystem, ProfileFolder, type StoreFileOpener } from '../../../../src-main/storage/profile-file-opening';
import { settingsFile, vaultFile, windowStateFile } from '../../../../src-main/storage/profile-files';
import { temporaryDirectory } from '../../../support/temporary-directory';

const foundAt = new Date('2026-12-04T10:11:12.345Z');

function folder(directory: string, options: { openStoreFile?: StoreFileOpener; rename?: (from: string, to: string) => void } = {}) {
  return new ProfileFolder(directory, {
    openStoreFile: options.openStoreFile ?? openConfKeyValueStore,
    fileSystem: { ...nodeProfileFileSystem, ...(options.rename ? { rename: options.rename } : {}) },
    clock: () => foundAt,
  });
}

function failure(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const errno = (code: string) => Object.assign(new Error(`${code}: failed`), { code });

describe('opening a profile file', () => {
  test('a file that is not there yet is no problem: the store starts empty and creates it on the first save', async () => {
    const directory = await temporaryDirectory();
    const profile = folder(directory);
    const store = profile.open(settingsFile);
    expect(store.get('settings')).toBeUndefined();
    store.set('settings', { theme: 'dark' });
    expect(JSON.parse(await readFile(join(directory, 'settings.json'), 'utf8'))).toEqual({ settings: { theme: 'dark' } });
    expect(profile.problems).toEqual([]);
  });

  test('a file an editor saved with a byte order mark is read as it is', async () => {
    const directory = await temporaryDirectory();
    await writeFile(join(directory, 'settings.json'), '\uFEFF{"settings": {"theme": "dark"}}');
    const profile = folder(directory);
    expect(profile.open(settingsFile).get('settings')).toEqual({ theme: 'dark' });
    expect(profile.problems).toEqual([]);
  });

  test.each([
    ['a list', '[{"theme": "dark"}]'],
    ['text', '"dark"'],
    ['null', 'null'],
    ['a number', '42'],
  ])('JSON holding %s instead of an object is kept aside, not read as empty and overwritten', async (what, content) => {
    const directory = await temporaryDirectory();
    await writeFile(join(directory, 'settings.json'), content);
    const profile = folder(directory);
    profile.open(settingsFile).set('settings', { theme: 'light' });
    expect(profile.problems).toEqual([
      expect.objectContaining({ problem: `It is valid JSON, but it holds ${what} where Consentry keeps an object.` }),
    ]);
    expect(await readFile(join(directory, 'settings.damaged-2026-12-04T10-11-12Z.json'), 'utf8')).toBe(content);
  });

  test('a vault whose token record is not encrypted text is kept aside', async () => {
    const directory = await temporaryDirectory();
    await writeFile(join(directory, 'vault.json'), '{"records": {"conn-1": {"accessToken": "x"}}}');
    const profile = folder(directory);
    expect(profile.open(vaultFile).get('records')).toBeUndefined();
    expect(profile.problems[0]?.problem).toBe('It is valid JSON, but a token record in it is an object where Consentry keeps encrypted text.');
  });

  test('a file of NUL bytes, as a power cut during a save leaves one, is called binary data', async () => {
    const directory = await temporaryDirectory();
    await writeFile(join(directory, 'window-state.json'), Buffer.alloc(64));
    const profile = folder(directory);
    profile.open(windowStateFile);
    expect(profile.problems[0]).toMatchObject({ file: 'window-state.json', consequence: 'The window opens at its default size and place.' });
    expect(profile.problems[0]?.problem).toMatch(/binary data/);
  });

  test('never quotes what the damaged file holds', async () => {
    const directory = await temporaryDirectory();
    await writeFile(join(directory, 'vault.json'), '{"records": {"conn-1": "v1:c2VjcmV0LXRva2Vu", oops}');
    const profile = folder(directory);
    profile.open(vaultFile);
    expect(JSON.stringify(profile.problems)).not.toMatch(/c2VjcmV0|oops|conn-1/);
  });

  test('an earlier damaged copy of the same second is kept too: the new one gets a number', async () => {
    const directory = await temporaryDirectory();
    await writeFile(join(directory, 'settings.damaged-2026-12-04T10-11-12Z.json'), 'earlier');
    await writeFile(join(directory, 'settings.json'), 'later');
    const profile = folder(directory);
    profile.open(settingsFile);
    expect(profile.problems[0]?.keptAs).toBe(join(directory, 'settings.damaged-2026-12-04T10-11-12Z-2.json'));
    expect(await readFile(join(directory, 'settings.damaged-2026-12-04T10-11-12Z.json'), 'utf8')).toBe('earlier');
    expect(await readFile(join(directory, 'settings.damaged-2026-12-04T10-11-12Z-2.json'), 'utf8')).toBe('later');
  });

  test('a file that cannot be moved aside is left untouched: the store keeps this run’s changes in memory', async () => {
    const directory = await temporaryDirectory();
    await writeFile(join(directory, 'vault.json'), '{"records": ');
    const profile = folder(directory, {
      rename: () => {
        throw errno('EBUSY');
      },
    });
    const store = profile.open(vaultFile);
    // conf's dotted keys, as the vault writes them.
    store.set('records.conn-1', 'v1:AAAA');
    store.set('records.conn-2', 'v1:BBBB');
    store.delete('records.conn-1');
    expect(store.get('records.conn-2')).toBe('v1:BBBB');
    expect(store.get('records')).toEqual({ 'conn-2': 'v1:BBBB' });
    expect(store.get('records.conn-1')).toBeUndefined();

    expect(await readFile(join(directory, 'vault.json'), 'utf8')).toBe('{"records": ');
    expect(await readdir(directory)).toEqual(['vault.json']);
    expect(profile.problems[0]).toMatchObject({ file: 'vault.json', keptAs: null, problem: 'It ends part-way through, as if saving it was cut off.' });
    expect(profile.problems[0]?.consequence).toMatch(/could not move the file aside, because another program holds it open.*until Consentry quits/);
  });

  test('a folder in place of the file is moved aside whole', async () => {
    const directory = await temporaryDirectory();
    await mkdir(join(directory, 'settings.json', 'inside'), { recursive: true });
    const profile = folder(directory);
    profile.open(settingsFile).set('settings', { theme: 'dark' });
    expect(await readdir(join(directory, 'settings.damaged-2026-12-04T10-11-12Z.json'))).toEqual(['inside']);
    expect(profile.problems[0]?.problem).toBe('It is a folder, not a file.');
  });
});

describe('a profile store after the start', () => {
  test('a save the disk refuses fails that save with a sentence naming the file; reads keep working', async () => {
    const directory = await temporaryDirectory();
    let diskFull = false;
    const profile = folder(directory, {
      openStoreFile: (where, name): KeyValueStore => {
        const store = openConfKeyValueStore(where, name);
        return {
          get: (key) => store.get(key),
          set: (key, value) => {
            if (diskFull) throw errno('ENOSPC');
            store.set(key, value);
          },
          delete: (key) => store.delete(key),
        };
      },
    });
    const store = profile.open(settingsFile);
    store.set('settings', { theme: 'dark' });
    diskFull = true;

    const error = failure(() => store.set('settings', { theme: 'light' }));
    expect(error).toMatchObject({ code: 'disk_full', message: 'Consentry could not save to settings.json, because the disk is full.', nextStep: 'Free some disk space, then try again.' });
    expect(store.get('settings')).toEqual({ theme: 'dark' });
  });

  test('a file damaged while the console runs fails the read with a sentence naming it, not a library error', async () => {
    const directory = await temporaryDirectory();
    const store = folder(directory).open(settingsFile);
    store.set('settings', { theme: 'dark' });
    await writeFile(join(directory, 'settings.json'), '{"settings": {"theme": "da');

    const error = failure(() => store.get('settings'));
    expect(error).toMatchObject({ code: 'profile_file_damaged', message: 'settings.json was damaged while Consentry was running: it is no longer valid JSON.' });
    expect(error.nextStep).toMatch(/start Consentry again/);
    expect(failure(() => store.set('settings', { theme: 'light' })).code).toBe('profile_file_damaged');
    // The damaged file is still there for the next start to keep aside.
    expect(await readFile(join(directory, 'settings.json'), 'utf8')).toBe('{"settings": {"theme": "da');
  });
});
