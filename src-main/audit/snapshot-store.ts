/**
 * Grant snapshots on disk, plain files and no native module: `<id>.evidence.ndjson` holds each
 * grant's provider record on a line of its own, then `<id>.snapshot.json` (the commit point,
 * written to a temporary file, flushed and renamed) holds the columns and where each record is.
 * A crash mid-write leaves the previous snapshot as the latest, never a torn one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { snapshotFormatVersion, type BuiltSnapshot, type SnapshotData } from './grant-snapshot';

export interface StoredSnapshot {
  data: SnapshotData;
  evidenceFile: string;
  /** Byte offset and length of each grant's record in the evidence file, in grant order. */
  evidenceAt: number[];
  evidenceLength: number[];
}

const snapshotSuffix = '.snapshot.json';
const evidenceSuffix = '.evidence.ndjson';
/** Enough history to compare with and to show trends; older scans are deleted. */
const keptSnapshots = 10;

async function writeDurably(path: string, content: string | Buffer): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

/** Snapshot ids sort by time: the newest is the last. */
export function newSnapshotId(takenAt: Date): string {
  return `${takenAt.toISOString().replaceAll(':', '-').replace('.', '-')}-${randomBytes(3).toString('hex')}`;
}

export class SnapshotStore {
  readonly #directory: string;

  private constructor(directory: string) {
    this.#directory = directory;
  }

  static async open(directory: string): Promise<SnapshotStore> {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    return new SnapshotStore(directory);
  }

  async save(built: BuiltSnapshot): Promise<StoredSnapshot> {
    const evidenceFile = `${built.data.id}${evidenceSuffix}`;
    const evidenceAt: number[] = [];
    const evidenceLength: number[] = [];
    const lines: Buffer[] = [];
    let offset = 0;
    for (const record of built.evidence) {
      const line = Buffer.from(`${JSON.stringify(record ?? null)}\n`, 'utf8');
      evidenceAt.push(offset);
      evidenceLength.push(line.length - 1);
      lines.push(line);
      offset += line.length;
    }
    await writeDurably(join(this.#directory, evidenceFile), Buffer.concat(lines));
    const stored: StoredSnapshot = { data: built.data, evidenceFile, evidenceAt, evidenceLength };
    await this.#writeSnapshot(stored);
    await this.#prune();
    return stored;
  }

  /** Writes a changed snapshot (grants revoked since the scan) over itself; the evidence file stays. */
  async rewrite(stored: StoredSnapshot): Promise<void> {
    await this.#writeSnapshot(stored);
  }

  /** The newest snapshot that reads back whole; a damaged one is skipped, not fatal. */
  async latest(): Promise<StoredSnapshot | null> {
    for (const id of (await this.#ids()).reverse()) {
      const stored = await this.#read(id);
      if (stored) return stored;
    }
    return null;
  }

  async evidence(stored: StoredSnapshot, indices: readonly number[]): Promise<unknown[]> {
    const handle = await open(join(this.#directory, stored.evidenceFile), 'r');
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
        await handle.read(buffer, 0, length, at);
        records.push(JSON.parse(buffer.toString('utf8')));
      }
      return records;
    } finally {
      await handle.close();
    }
  }

  async #writeSnapshot(stored: StoredSnapshot): Promise<void> {
    await writeDurably(join(this.#directory, `${stored.data.id}${snapshotSuffix}`), JSON.stringify(stored));
  }

  async #read(id: string): Promise<StoredSnapshot | null> {
    try {
      const stored = JSON.parse(await readFile(join(this.#directory, `${id}${snapshotSuffix}`), 'utf8')) as StoredSnapshot;
      if (stored.data?.version !== snapshotFormatVersion || stored.data.grants.key.length !== stored.evidenceAt.length) return null;
      return stored;
    } catch {
      return null;
    }
  }

  async #ids(): Promise<string[]> {
    const names = await readdir(this.#directory);
    return names
      .filter((name) => name.endsWith(snapshotSuffix))
      .map((name) => name.slice(0, -snapshotSuffix.length))
      .sort();
  }

  async #prune(): Promise<void> {
    const ids = await this.#ids();
    for (const id of ids.slice(0, Math.max(0, ids.length - keptSnapshots))) {
      await rm(join(this.#directory, `${id}${snapshotSuffix}`), { force: true });
      await rm(join(this.#directory, `${id}${evidenceSuffix}`), { force: true });
    }
    // Temporary files of a write a crash interrupted, and evidence whose snapshot was never committed.
    const names = await readdir(this.#directory);
    const committed = new Set(names.filter((name) => name.endsWith(snapshotSuffix)).map((name) => name.slice(0, -snapshotSuffix.length)));
    for (const name of names) {
      const orphan = name.endsWith(evidenceSuffix) && !committed.has(name.slice(0, -evidenceSuffix.length));
      if (orphan || name.endsWith('.tmp')) await rm(join(this.#directory, name), { force: true });
    }
  }
}
