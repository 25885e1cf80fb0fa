/**
 * A folder of the profile that a store keeps its files in (`jobs/`, `grant-snapshots/`). Something
 * else where the folder should be (a plain file, a socket) would stop that store from opening, and
 * so the console from starting: it is moved aside as `<name>.damaged-<time>`, kept as it was found
 * (never deleted), the folder is made afresh, and the admin is told.
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { nodeProfileFileSystem, setAsidePath, type ProfileFileProblem, type ProfileFileSystem } from './profile-file-opening';

/** The store folders of the profile and what starting each one empty means. */
export const jobsFolder = { name: 'jobs', consequence: 'No earlier job is listed or resumed; what those jobs did is in the activity log.' };
export const grantSnapshotsFolder = { name: 'grant-snapshots', consequence: 'No earlier grant scan is shown: run a scan on the Grants page to see your grants again.' };

export interface ProfileSubfolderOptions {
  /** What starting with the folder empty means for the admin. */
  consequence: string;
  clock?: () => Date;
  fileSystem?: ProfileFileSystem;
}

/** Makes sure `path` is a folder; the problem to show when something else had to be moved aside first, else null. */
export function ensureProfileFolder(path: string, options: ProfileSubfolderOptions): ProfileFileProblem | null {
  const files = options.fileSystem ?? nodeProfileFileSystem;
  const kind = files.kind(path);
  // Missing is fine: the store makes its folder itself.
  if (kind === undefined || kind === 'directory') return null;
  const foundAt = (options.clock ?? (() => new Date()))();
  const name = basename(path);
  const keptAs = setAsidePath(dirname(path), name, foundAt, files, '');
  files.rename(path, keptAs);
  mkdirSync(path, { recursive: true, mode: 0o700 });
  return {
    file: `${name}/`,
    problem: kind === 'file' ? 'It is a file, where Consentry keeps a folder.' : 'It is not a folder, where Consentry keeps one.',
    keptAs,
    consequence: options.consequence,
    foundAt: foundAt.toISOString(),
  };
}
