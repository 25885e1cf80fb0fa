import type { ConsentryClient } from '../../../src-preload/client';
import type { GrantFilter } from '../../../src-shared/contract/grants';

/** The most keys one revocation takes (the contract's RevocationSelection limits). */
export const selectionLimits = { apps: 10_000, grants: 500_000 } as const;

/** The largest page the contract allows; fewer round trips when collecting keys. */
const collectPageSize = 1_000;

/**
 * The keys of every row matching `filter`, read page by page (only the keys are kept), for
 * "select all matching". Stops between pages when `signal` aborts.
 */
export async function collectMatchingKeys(
  client: ConsentryClient,
  view: 'apps' | 'grants',
  filter: GrantFilter,
  onProgress: (collected: number, total: number) => void,
  signal: AbortSignal,
): Promise<{ keys: string[]; snapshotId: string | null }> {
  // A set: should a row move between pages while they are read, it is still counted once.
  const keys = new Set<string>();
  let snapshotId: string | null = null;
  for (let offset = 0; ; offset += collectPageSize) {
    if (signal.aborted) throw new DOMException('Selection cancelled', 'AbortError');
    const request = { filter, offset, limit: collectPageSize };
    const page = view === 'apps' ? await client.call('grants.apps', request) : await client.call('grants.list', request);
    snapshotId ??= page.snapshotId;
    for (const row of page.rows) keys.add(row.key);
    onProgress(keys.size, page.total);
    if (page.rows.length < collectPageSize || keys.size >= page.total) return { keys: [...keys], snapshotId };
  }
}
