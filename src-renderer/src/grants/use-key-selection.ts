import { useCallback, useState } from 'react';

const nothing: ReadonlySet<string> = new Set();

/**
 * Selected row keys of one snapshot. When the snapshot changes (a scan, a revocation) the
 * selection is dropped: its keys described rows that may be gone.
 */
export function useKeySelection(snapshotId: string) {
  const [state, setState] = useState<{ snapshotId: string; keys: ReadonlySet<string> }>({ snapshotId, keys: nothing });
  const selected = state.snapshotId === snapshotId ? state.keys : nothing;
  const change = useCallback(
    (keys: string[], select: boolean) =>
      setState((previous) => {
        const next = new Set(previous.snapshotId === snapshotId ? previous.keys : nothing);
        for (const key of keys) {
          if (select) next.add(key);
          else next.delete(key);
        }
        return { snapshotId, keys: next };
      }),
    [snapshotId],
  );
  const replace = useCallback((keys: string[]) => setState({ snapshotId, keys: new Set(keys) }), [snapshotId]);
  const clear = useCallback(() => setState({ snapshotId, keys: nothing }), [snapshotId]);
  return { selected, change, replace, clear };
}
