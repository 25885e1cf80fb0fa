import { Button, EmptyState, Group, List, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconArrowRight, IconFileImport, IconListSearch, IconTrash, IconUserPlus, IconX } from '@tabler/icons-react';
import { useCallback, useMemo, useState } from 'react';
import type { ListRow, OffboardingList, RowVerdict } from '../../../src-shared/contract/offboarding';
import { useConnectionList } from '../bridge/queries';
import { useDropOffboardingRows } from '../bridge/offboarding-queries';
import { notifyFailure } from '../components/failure-notification';
import { plural, providerNames } from '../grants/grant-format';
import { ConfirmDialog } from './ConfirmDialog';
import { DirectoryChecks } from './DirectoryChecks';
import { ListRowTable, type ListRowActions } from './ListRowTable';
import { describeCounts } from './offboarding-format';
import { RowEditDialog, type ProviderOption } from './RowEditDialog';

type VerdictFilter = RowVerdict | 'all';

/** Shown by name before rows are dropped; the rest are counted. */
const namedBeforeDrop = 8;

/** The connections and providers a row may be limited to, by the names the admin knows them by. */
function useProviderOptions(list: OffboardingList): { options: ProviderOption[]; labels: Map<string, string> } {
  const connections = useConnectionList().data?.connections;
  return useMemo(() => {
    const known = new Map<string, { label: string; provider: keyof typeof providerNames }>();
    for (const check of list.checks) known.set(check.connectionId, { label: check.label, provider: check.provider });
    for (const connection of connections ?? []) if (!known.has(connection.id)) known.set(connection.id, { label: connection.label, provider: connection.provider });
    const labels = new Map([...known].map(([id, { label }]) => [id, label]));
    const providers = [...new Set([...known.values()].map((entry) => entry.provider))];
    const options = [
      ...[...known].map(([id, { label, provider }]) => ({ value: id, label: `${label} (${providerNames[provider]})` })),
      ...providers.map((provider) => ({ value: provider, label: `Every ${providerNames[provider]} connection` })),
    ];
    return { options, labels };
  }, [list.checks, connections]);
}

/**
 * Step 2: every row with its verdict and reasons; filters by verdict, a fix in place, rows dropped
 * (one, or those selected), a person added, and the directory check run again. Rows with errors
 * stay visible and out of the plan until fixed or dropped.
 */
export function ReviewStep({ list, onContinue, onImportAnother }: { list: OffboardingList; onContinue: () => void; onImportAnother: () => void }) {
  const [filter, setFilter] = useState<VerdictFilter>('all');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [editing, setEditing] = useState<{ rowId: string | null } | null>(null);
  const [dropping, setDropping] = useState<ListRow[] | null>(null);
  const drop = useDropOffboardingRows();
  const { options, labels } = useProviderOptions(list);
  const rows = useMemo(() => (filter === 'all' ? list.rows : list.rows.filter((row) => row.verdict === filter)), [list.rows, filter]);
  const byId = useMemo(() => new Map(list.rows.map((row) => [row.id, row])), [list.rows]);
  const withNotes = useMemo(() => list.rows.some((row) => row.note), [list.rows]);
  const selectedRows = [...selected].map((id) => byId.get(id)).filter((row): row is ListRow => row !== undefined);
  const planned = list.counts.ready + list.counts.warning;

  const dropRows = (dropped: ListRow[]) => {
    const gone = new Set(dropped.map((row) => row.id));
    drop.mutate([...gone], {
      onSuccess: () => {
        setDropping(null);
        setSelected((current) => new Set([...current].filter((id) => !gone.has(id))));
        notifications.show({ color: 'gray', title: dropped.length === 1 ? `${dropped[0]!.email || 'The row'} dropped` : `${plural(dropped.length, 'row')} dropped`, message: 'The file you imported is not changed.' });
      },
      onError: (error) => {
        setDropping(null);
        notifyFailure('Nothing was dropped', error);
      },
    });
  };

  const select = useCallback((rowId: string, on: boolean) => {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(rowId);
      else next.delete(rowId);
      return next;
    });
  }, []);
  const actions = useMemo<ListRowActions>(() => ({ onEdit: (row) => setEditing({ rowId: row.id }), onDrop: (row) => setDropping([row]), onSelect: select }), [select]);

  const verdictChoices = [
    { value: 'all', label: `All · ${list.rows.length.toLocaleString()}` },
    { value: 'ready', label: `Ready · ${list.counts.ready.toLocaleString()}` },
    { value: 'warning', label: `Warnings · ${list.counts.warning.toLocaleString()}` },
    { value: 'error', label: `Errors · ${list.counts.error.toLocaleString()}` },
  ];

  if (list.rows.length === 0) {
    return (
      <Stack gap="md">
        <Paper withBorder radius="md" p="xl" data-testid="list-empty">
          <EmptyState icon={<IconListSearch size={36} stroke={1.5} />} variant="light" title="The list has no rows" description="Every row was dropped, or the file held only a header. Import a list, or add the people one by one.">
            <EmptyState.Actions>
              <Group gap="sm">
                <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={onImportAnother}>
                  Import a list
                </Button>
                <Button leftSection={<IconUserPlus size={16} />} onClick={() => setEditing({ rowId: null })}>
                  Add a person
                </Button>
              </Group>
            </EmptyState.Actions>
          </EmptyState>
        </Paper>
        {editing && <RowEditDialog list={list} rowId={editing.rowId} providerOptions={options} onClose={() => setEditing(null)} />}
      </Stack>
    );
  }

  return (
    <Stack gap="sm">
      <DirectoryChecks list={list} />
      <Group justify="space-between" gap="sm">
        <Group gap="md">
          <Text fw={600} data-testid="list-counts" role="status">
            {describeCounts(list.counts)}
          </Text>
          <SegmentedControl size="xs" value={filter} onChange={(value) => setFilter(value as VerdictFilter)} data={verdictChoices} aria-label="Show rows" />
        </Group>
        <Group gap="sm">
          {list.counts.error > 0 && (
            <Button variant="subtle" size="xs" onClick={() => setSelected(new Set(list.rows.filter((row) => row.verdict === 'error').map((row) => row.id)))}>
              Select the {plural(list.counts.error, 'error')}
            </Button>
          )}
          <Button variant="default" size="xs" leftSection={<IconUserPlus size={14} />} onClick={() => setEditing({ rowId: null })}>
            Add a person
          </Button>
        </Group>
      </Group>
      {selectedRows.length > 0 && (
        <Paper withBorder px="sm" py={4} radius="md" bg="var(--mantine-primary-color-light)" data-testid="row-selection">
          <Group gap="sm">
            <Text size="sm" fw={600} role="status">
              {plural(selectedRows.length, 'row')} selected
            </Text>
            <Button size="compact-sm" variant="default" leftSection={<IconX size={14} />} onClick={() => setSelected(new Set())}>
              Clear
            </Button>
            <Button size="compact-sm" color="red" leftSection={<IconTrash size={14} />} onClick={() => setDropping(selectedRows)}>
              Drop {plural(selectedRows.length, 'row')}…
            </Button>
          </Group>
        </Paper>
      )}
      <ListRowTable
        rows={rows}
        selected={selected}
        onSelectAll={(on) => setSelected(on ? new Set(rows.map((row) => row.id)) : new Set())}
        connectionLabels={labels}
        actions={actions}
        resetKey={filter}
        withNotes={withNotes}
        empty={
          <Text size="sm" c="dimmed" ta="center">
            {filter === 'error' ? 'No row has an error.' : filter === 'warning' ? 'No row has a warning.' : 'No row is ready yet: fix the rows with errors.'}
          </Text>
        }
      />
      <Group justify="space-between" gap="md" mt="xs">
        <Text size="sm" c="dimmed">
          {list.counts.error > 0 ? 'Rows with errors stay out of the plan until you fix or drop them.' : 'Rows with warnings take part; their warnings are repeated on the plan.'}
        </Text>
        <Group gap="sm">
          <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={onImportAnother}>
            Import another list
          </Button>
          <Button rightSection={<IconArrowRight size={16} />} disabled={planned === 0} onClick={onContinue}>
            Continue to the plan
          </Button>
        </Group>
      </Group>
      {editing && <RowEditDialog key={editing.rowId ?? 'new'} list={list} rowId={editing.rowId} providerOptions={options} onClose={() => setEditing(null)} />}
      <ConfirmDialog
        opened={dropping !== null}
        title={`Drop ${plural(dropping?.length ?? 0, 'row')}?`}
        keepLabel="Keep them"
        confirmLabel={`Drop ${plural(dropping?.length ?? 0, 'row')}`}
        busy={drop.isPending}
        onKeep={() => setDropping(null)}
        onConfirm={() => dropping && dropRows(dropping)}
      >
        <Text size="sm">They leave the list and the plan; the file you imported is not changed.</Text>
        <List size="sm" spacing={2}>
          {(dropping ?? []).slice(0, namedBeforeDrop).map((row) => (
            <List.Item key={row.id} style={{ overflowWrap: 'anywhere' }}>
              {row.email || `Row ${row.line ?? ''} (no email)`}
            </List.Item>
          ))}
        </List>
        {(dropping?.length ?? 0) > namedBeforeDrop && (
          <Text size="sm" c="dimmed">
            and {plural((dropping?.length ?? 0) - namedBeforeDrop, 'more row')}
          </Text>
        )}
      </ConfirmDialog>
    </Stack>
  );
}
