/**
 * Grant snapshots on disk, plain files and no native module: `<id>.evidence.ndjson` holds each
 * grant's provider record on a line of its own, then `<id>.snapshot.json` (the commit point,
 * written to a temporary file, flushed and renamed) holds the columns and where each record is.
 * A crash mid-write leaves the previous snapshot as the latest, never a torn one.
 *
 * `<id>.revoked.ndjson` lists the grants revoked since that scan, one `{"key","at"}` a line,
 * appended and flushed before a revocation is reported done; the scan itself is never rewritten, so
 * the next scan still finds them gone. A snapshot that does not read back whole is set aside in `damaged/` and named, and the
 * one before it is used.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors/app-error';
import { readSnapshotData, SerialisedEvidence, type BuiltSnapshot, type SnapshotData } from './grant-snapshot';

export interface StoredSnapshot {
  data: SnapshotData;
  evidenceFile: string;
  /** Byte offset and length of each grant's record in the evidence file, in grant order. */
  evidenceAt: number[];
  evidenceLength: number[];
}

/** A saved scan that could not be used, and where it went. */
export interface SkippedSnapshot {
  file: string;
  takenAt: string | null;
  problem: string;
  /** The path it was moved to; null when it was left in place (a newer format, say). */
  keptAs: string | null;
}

/** How the store writes bytes to a file it opened; tests put a full disk behind it. */
export interface SnapshotFiles {
  write(handle: FileHandle, data: string | Buffer): Promise<void>;
}

const nodeSnapshotFiles: SnapshotFiles = {
  // writeFile writes all of it from the current position, so consecutive calls append.
  write: (handle, data) => handle.writeFile(data),
};

/**
 * A grant revoked since a scan and when (ISO). `at` is null for a line written before times were
 * recorded (a bare key): the time is unknown.
 */
export interface RevokedGrant {
  key: string;
  at: string | null;
}

export interface LoadedSnapshots {
  latest: StoredSnapshot | null;
  /** Grants revoked since the latest scan. */
  revoked: RevokedGrant[];
  /** Newer scans than the latest that could not be used. */
  skipped: SkippedSnapshot[];
}

const snapshotSuffix = '.snapshot.json';
const evidenceSuffix = '.evidence.ndjson';
const revokedSuffix = '.revoked.ndjson';
const damagedFolder = 'damaged';
/** Enough history to compare with and to show trends; older scans are deleted. */
const keptSnapshots = 10;
/** The recorded time is among the first fields of a snapshot file. */
const headerBytes = 1_024;
/** Evidence is written, and copied between snapshots, in pieces of about this much. */
const evidenceChunkBytes = 16 * 1024 * 1024;

function diskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

function revokedLines(grants: readonly RevokedGrant[]): string {
  return grants.map(({ key, at }) => `${JSON.stringify({ key, at })}\n`).join('');
}

/** One revocation line: `{"key","at"}`, or a bare key as written before times were recorded. */
function revokedGrantOf(line: unknown): RevokedGrant | null {
  if (typeof line === 'string') return { key: line, at: null };
  if (typeof line !== 'object' || line === null) return null;
  const { key, at } = line as { key?: unknown; at?: unknown };
  if (typeof key !== 'string') return null;
  return { key, at: typeof at === 'string' && Number.isFinite(Date.parse(at)) ? at : null };
}

/** One evidence line, or null when it is not JSON (damaged on disk). */
function parsedRecord(line: Buffer): unknown {
  try {
    return JSON.parse(line.toString('utf8'));
  } catch {
    return null;
  }
}

async function writeDurably(files: SnapshotFiles, path: string, content: string | Buffer | Buffer[]): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'w', 0o600);
    try {
      for (const part of Array.isArray(content) ? content : [content]) await files.write(handle, part);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    // A full disk leaves a partial temporary file: it goes, so the space it took is free again.
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Makes a new directory entry survive a power cut; not every platform lets a directory be flushed. */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open a directory; its rename is durable enough there.
  }
}

/** Snapshot ids sort by time as a convenience; the latest is chosen by the time recorded inside. */
export function newSnapshotId(takenAt: Date): string {
  return `${takenAt.toISOString().replaceAll(':', '-').replace('.', '-')}-${randomBytes(3).toString('hex')}`;
}

/** The recorded time of a snapshot file from its first bytes, without parsing the whole. */
function headerTime(head: string): number | null {
  const match = /"takenAt":"([^"]{1,40})"/.exec(head);
  const time = match ? Date.parse(match[1]!) : Number.NaN;
  return Number.isFinite(time) ? time : null;
}

export class SnapshotStore {
  readonly #directory: string;
  readonly #files: SnapshotFiles;

  private constructor(directory: string, files: SnapshotFiles) {
    this.#directory = directory;
    this.#files = files;
  }

  /** Opens the folder and removes what interrupted saves left: temporary files, and files of a scan never committed. */
  static async open(directory: string, options: { files?: SnapshotFiles } = {}): Promise<SnapshotStore> {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const store = new SnapshotStore(directory, options.files ?? nodeSnapshotFiles);
    await store.#removeLeftovers();
    return store;
  }

  async save(built: BuiltSnapshot, options: { revoked?: readonly RevokedGrant[] } = {}): Promise<StoredSnapshot> {
    const id = built.data.id;
    const evidenceFile = `${id}${evidenceSuffix}`;
    const evidenceAt: number[] = [];
    const evidenceLength: number[] = [];
    // Records are gathered into large chunks: one write each, not two per record.
    const chunks: Buffer[] = [];
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let offset = 0;
    const newline = Buffer.from('\n');
    for (const record of built.evidence) {
      const bytes = record instanceof SerialisedEvidence ? record.bytes : Buffer.from(JSON.stringify(record ?? null), 'utf8');
      evidenceAt.push(offset);
      evidenceLength.push(bytes.length);
      pending.push(bytes, newline);
      pendingBytes += bytes.length + 1;
      offset += bytes.length + 1;
      if (pendingBytes >= evidenceChunkBytes) {
        chunks.push(Buffer.concat(pending, pendingBytes));
        pending = [];
        pendingBytes = 0;
      }
    }
    chunks.push(Buffer.concat(pending, pendingBytes));
    const stored: StoredSnapshot = { data: built.data, evidenceFile, evidenceAt, evidenceLength };
    try {
      await writeDurably(this.#files, join(this.#directory, evidenceFile), chunks);
      if (options.revoked && options.revoked.length > 0) await writeDurably(this.#files, join(this.#directory, `${id}${revokedSuffix}`), revokedLines(options.revoked));
      await this.#writeSnapshot(stored);
    } catch (error) {
      // Nothing was committed: the scan before stays the latest, and its files are untouched.
      await rm(join(this.#directory, evidenceFile), { force: true }).catch(() => undefined);
      await rm(join(this.#directory, `${id}${revokedSuffix}`), { force: true }).catch(() => undefined);
      if (diskFull(error)) {
        throw new AppError('disk_full', 'The disk is full, so the scan could not be saved.', {
          nextStep: 'Free some space on the disk that holds Consentry’s data, then scan again. The scan before is still shown.',
          cause: error,
        });
      }
      throw error;
    }
    await this.#prune().catch(() => undefined);
    return stored;
  }

  /**
   * Records grants as revoked since a scan: appended and flushed before it resolves, so a
   * revocation reported done is never shown again after a crash.
   */
  async markRevoked(snapshotId: string, grants: readonly RevokedGrant[]): Promise<void> {
    if (grants.length === 0) return;
    const path = join(this.#directory, `${snapshotId}${revokedSuffix}`);
    const created = !(await stat(path).then(() => true, () => false));
    try {
      const handle = await open(path, 'a+', 0o600);
      const { size } = await handle.stat();
      try {
        // A line a crash cut short must not swallow the first key written after it.
        const last = Buffer.alloc(1);
        const torn = size > 0 && (await handle.read(last, 0, 1, size - 1)).bytesRead === 1 && last[0] !== 0x0a;
        await this.#files.write(handle, `${torn ? '\n' : ''}${revokedLines(grants)}`);
        await handle.sync();
      } catch (error) {
        // What a failed write left is cut off, so the file stays a list of whole lines.
        await handle.truncate(size).catch(() => undefined);
        throw error;
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (diskFull(error)) {
        throw new AppError('disk_full', 'The disk is full, so the revocation could not be recorded with the scan.', {
          nextStep: 'Free some space on the disk that holds Consentry’s data; the grant may still show until then.',
          cause: error,
        });
      }
      throw error;
    }
    if (created) await syncDirectory(this.#directory);
  }

  /** The grants recorded as revoked since a scan; a line torn by a crash mid-append is left out. */
  async revoked(snapshotId: string): Promise<RevokedGrant[]> {
    let text: string;
    try {
      text = await readFile(join(this.#directory, `${snapshotId}${revokedSuffix}`), 'utf8');
    } catch {
      return [];
    }
    const grants: RevokedGrant[] = [];
    for (const line of text.split('\n')) {
      if (line === '') continue;
      try {
        const grant = revokedGrantOf(JSON.parse(line));
        if (grant) grants.push(grant);
      } catch {
        // An append cut short by a crash: it was never reported done.
      }
    }
    return grants;
  }

  /** The newest snapshot that reads back whole; a damaged one is skipped, not fatal. */
  async latest(): Promise<StoredSnapshot | null> {
    return (await this.load()).latest;
  }

  /**
   * The latest usable snapshot by the time recorded in it, with the grants revoked since; every
   * newer one that is damaged is set aside in `damaged/` and named with what is wrong.
   */
  async load(): Promise<LoadedSnapshots> {
    const skipped: SkippedSnapshot[] = [];
    const candidates: { id: string; time: number }[] = [];
    for (const id of await this.#ids()) {
      const time = await this.#headerTime(id);
      if (time === null) skipped.push(await this.#setAside(id, null, 'it does not start like a saved scan (the file is empty, cut short or not a scan)'));
      else candidates.push({ id, time });
    }
    const byTime = (a: { id: string; time: number }, b: { id: string; time: number }) => b.time - a.time || b.id.localeCompare(a.id);
    candidates.sort(byTime);
    const verified = new Map<string, StoredSnapshot>();
    while (candidates.length > 0) {
      const candidate = candidates.shift()!;
      let stored = verified.get(candidate.id);
      if (!stored) {
        const read = await this.#read(candidate.id);
        if ('problem' in read) {
          skipped.push(read.leaveInPlace ? { file: `${candidate.id}${snapshotSuffix}`, takenAt: new Date(candidate.time).toISOString(), problem: read.problem, keptAs: null } : await this.#setAside(candidate.id, candidate.time, read.problem));
          continue;
        }
        stored = read.stored;
        const recorded = Date.parse(stored.data.takenAt);
        if (recorded !== candidate.time) {
          // The first bytes named another time than the scan records: go by the scan's own.
          verified.set(candidate.id, stored);
          candidates.push({ id: candidate.id, time: recorded });
          candidates.sort(byTime);
          continue;
        }
      }
      return { latest: stored, revoked: await this.revoked(stored.data.id), skipped };
    }
    return { latest: null, revoked: [], skipped };
  }

  /**
   * The records of these grants, parsed. A record that cannot be read (its file cut short or gone,
   * its line not JSON) is null: one damaged record must not hide the others or the grants.
   */
  async evidence(stored: StoredSnapshot, indices: readonly number[]): Promise<unknown[]> {
    let handle: FileHandle;
    try {
      handle = await open(join(this.#directory, stored.evidenceFile), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return indices.map(() => null);
      throw error;
    }
    try {
      const records: unknown[] = [];
      for (const index of indices) {
        const length = stored.evidenceLength[index];
        const at = stored.evidenceAt[index];
        if (length === undefined || at === undefined) {
          records.push(null);
          continue;
        }
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, at);
        records.push(bytesRead === length ? parsedRecord(buffer) : null);
      }
      return records;
    } finally {
      await handle.close();
    }
  }

  /** The records of these grants as stored, unparsed, to carry into a new snapshot; neighbouring records are read together. */
  async evidenceBytes(stored: StoredSnapshot, indices: readonly number[]): Promise<SerialisedEvidence[]> {
    const handle = await open(join(this.#directory, stored.evidenceFile), 'r');
    try {
      const records: SerialisedEvidence[] = [];
      let run = 0;
      while (run < indices.length) {
        const start = stored.evidenceAt[indices[run]!]!;
        let end = run;
        let last = start + stored.evidenceLength[indices[run]!]!;
        while (end + 1 < indices.length && stored.evidenceAt[indices[end + 1]!] === last + 1 && last - start < evidenceChunkBytes) {
          end += 1;
          last = stored.evidenceAt[indices[end]!]! + stored.evidenceLength[indices[end]!]!;
        }
        const chunk = Buffer.alloc(last - start);
        await handle.read(chunk, 0, chunk.length, start);
        for (let at = run; at <= end; at += 1) {
          const from = stored.evidenceAt[indices[at]!]! - start;
          records.push(new SerialisedEvidence(chunk.subarray(from, from + stored.evidenceLength[indices[at]!]!)));
        }
        run = end + 1;
      }
      return records;
    } finally {
      await handle.close();
    }
  }

  async #writeSnapshot(stored: StoredSnapshot): Promise<void> {
    await writeDurably(this.#files, join(this.#directory, `${stored.data.id}${snapshotSuffix}`), JSON.stringify(stored));
  }

  async #headerTime(id: string): Promise<number | null> {
    try {
      const handle = await open(join(this.#directory, `${id}${snapshotSuffix}`), 'r');
      try {
        const head = Buffer.alloc(headerBytes);
        const { bytesRead } = await handle.read(head, 0, headerBytes, 0);
        return headerTime(head.subarray(0, bytesRead).toString('utf8'));
      } finally {
        await handle.close();
      }
    } catch {
      return null;
    }
  }

  /** A snapshot checked through and through, or what is wrong with it. */
  async #read(id: string): Promise<{ stored: StoredSnapshot } | { problem: string; leaveInPlace?: true }> {
    let parsed: Partial<StoredSnapshot> & { data?: unknown };
    try {
      parsed = JSON.parse(await readFile(join(this.#directory, `${id}${snapshotSuffix}`), 'utf8')) as typeof parsed;
    } catch (error) {
      return { problem: error instanceof SyntaxError ? 'it is not valid JSON (cut short or overwritten)' : `it could not be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})` };
    }
    if (typeof parsed !== 'object' || parsed === null) return { problem: 'it is not a saved scan' };
    const read = readSnapshotData(parsed.data);
    // A scan in another format (a newer Consentry's) is not damaged: it stays where it is.
    if ('problem' in read) return { problem: read.problem, ...(read.otherFormat ? { leaveInPlace: true as const } : {}) };
    const { data } = read;
    if (data.id !== id) return { problem: `it names itself ${data.id}` };
    const { evidenceFile, evidenceAt, evidenceLength } = parsed;
    if (evidenceFile !== `${id}${evidenceSuffix}`) return { problem: 'it does not name its evidence file' };
    if (!Array.isArray(evidenceAt) || !Array.isArray(evidenceLength) || evidenceAt.length !== data.grants.key.length || evidenceLength.length !== data.grants.key.length) {
      return { problem: 'its evidence index does not match its grants' };
    }
    let size: number;
    try {
      size = (await stat(join(this.#directory, evidenceFile))).size;
    } catch {
      return { problem: 'its evidence file is missing' };
    }
    for (let index = 0; index < evidenceAt.length; index += 1) {
      const at: unknown = evidenceAt[index];
      const length: unknown = evidenceLength[index];
      if (typeof at !== 'number' || typeof length !== 'number' || !Number.isInteger(at) || !Number.isInteger(length) || at < 0 || length < 0 || at + length > size) {
        return { problem: `grant ${index.toLocaleString('en-US')}’s evidence lies outside its evidence file` };
      }
    }
    return { stored: { data, evidenceFile, evidenceAt, evidenceLength } };
  }

  /** Moves a damaged snapshot and its files into `damaged/`, never deleting them. */
  async #setAside(id: string, time: number | null, problem: string): Promise<SkippedSnapshot> {
    const file = `${id}${snapshotSuffix}`;
    const folder = join(this.#directory, damagedFolder);
    let keptAs: string | null = null;
    try {
      await mkdir(folder, { recursive: true, mode: 0o700 });
      // A file set aside before under the same name is kept too.
      const suffix = (await stat(join(folder, file)).then(() => true, () => false)) ? `.${Date.now()}` : '';
      for (const name of [`${id}${evidenceSuffix}`, `${id}${revokedSuffix}`, file]) {
        const target = join(folder, `${name}${suffix}`);
        try {
          await rename(join(this.#directory, name), target);
          if (name === file) keptAs = target;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    } catch {
      keptAs = null;
    }
    return { file, takenAt: time === null ? null : new Date(time).toISOString(), problem, keptAs };
  }

  async #ids(): Promise<string[]> {
    const names = await readdir(this.#directory);
    return names
      .filter((name) => name.endsWith(snapshotSuffix))
      .map((name) => name.slice(0, -snapshotSuffix.length))
      .sort();
  }

  async #prune(): Promise<void> {
    const dated: { id: string; time: number }[] = [];
    for (const id of await this.#ids()) dated.push({ id, time: (await this.#headerTime(id)) ?? Number.POSITIVE_INFINITY });
    // Oldest first by recorded time; a file without one is left for load() to set aside.
    dated.sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
    const datedOnly = dated.filter((entry) => Number.isFinite(entry.time));
    for (const { id } of datedOnly.slice(0, Math.max(0, datedOnly.length - keptSnapshots))) {
      for (const suffix of [snapshotSuffix, evidenceSuffix, revokedSuffix]) await rm(join(this.#directory, `${id}${suffix}`), { force: true });
    }
    await this.#removeLeftovers();
  }

  /** Temporary files of a write a crash interrupted, and evidence or revocations of a scan never committed. */
  async #removeLeftovers(): Promise<void> {
    const names = await readdir(this.#directory);
    const committed = new Set(names.filter((name) => name.endsWith(snapshotSuffix)).map((name) => name.slice(0, -snapshotSuffix.length)));
    for (const name of names) {
      const companion = [evidenceSuffix, revokedSuffix].find((suffix) => name.endsWith(suffix));
      const orphan = companion !== undefined && !committed.has(name.slice(0, -companion.length));
      if (orphan || name.endsWith('.tmp')) await rm(join(this.#directory, name), { force: true });
    }
  }
}
