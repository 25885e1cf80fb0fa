/**
 * Writes an activity log the way the console does, entry for entry, but in one stream rather than
 * one flushed append each: for tests that need thousands of entries and the benchmark that needs
 * millions. The head anchor it writes is the one the console would have left.
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { genesisHash, sealEntry, type KeySegment, type SealingKey, type StoredEntry } from '../../src-main/activity/activity-chain';
import { ActivityCounts } from '../../src-main/activity/activity-counts';
import type { ActivityRecord } from '../../src-main/activity/activity-log';
import { anchorText } from '../../src-main/activity/head-anchor';

export interface WrittenLog {
  bytes: number;
  last: StoredEntry | undefined;
}

export async function writeActivityLog(
  directory: string,
  options: { count: number; key: SealingKey | null; record: (seq: number) => ActivityRecord; at: (seq: number) => Date; anchor?: boolean },
): Promise<WrittenLog> {
  const out = createWriteStream(join(directory, 'activity.jsonl'), { mode: 0o600 });
  const counts = new ActivityCounts();
  let last: StoredEntry | undefined;
  let bytes = 0;
  let pending: string[] = [];
  for (let seq = 1; seq <= options.count; seq += 1) {
    const record = options.record(seq);
    last = sealEntry(
      {
        seq,
        at: options.at(seq).toISOString(),
        action: record.action,
        target: record.target,
        result: record.result,
        errorCode: record.errorCode ?? null,
        detail: record.detail ?? null,
        prevHash: last ? last.hash : genesisHash,
      },
      options.key,
    );
    counts.add(last);
    const line = `${JSON.stringify(last)}\n`;
    bytes += Buffer.byteLength(line);
    pending.push(line);
    if (pending.length === 2_000 || seq === options.count) {
      if (!out.write(pending.join(''))) await once(out, 'drain');
      pending = [];
    }
  }
  out.end();
  await once(out, 'finish');
  if (options.anchor !== false && last) {
    const segments: KeySegment[] = [{ from: 1, key: options.key?.id ?? null }];
    const anchor = anchorText({ seq: last.seq, hash: last.hash, offset: bytes, lines: options.count, counts, segments }, options.key);
    await writeFile(join(directory, 'activity.head.json'), anchor, { mode: 0o600 });
  }
  return { bytes, last };
}
