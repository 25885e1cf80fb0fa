import { ActionIcon, Checkbox, Group, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type ReactNode } from 'react';
import type { ListRow } from '../../../src-shared/contract/offboarding';
import { describeProviders, verdictLooks } from './offboarding-format';
import { LookBadge } from './LookBadge';
import { VirtualRowSpacer } from '../components/VirtualRowSpacer';

/** A row with one reason; rows with more grow, and are measured as drawn. */
const estimatedRowHeight = 64;
const headerHeight = 38;

export interface ListRowActions {
  onEdit: (row: ListRow) => void;
  onDrop: (row: ListRow) => void;
  onSelect: (rowId: string, select: boolean) => void;
}

const wrapAnywhere = { overflowWrap: 'anywhere' } as const;
const top = { verticalAlign: 'top' } as const;

const RowView = memo(function RowView({
  row,
  index,
  selected,
  connectionLabels,
  actions,
  measure,
  withNotes,
}: {
  row: ListRow;
  index: number;
  selected: boolean;
  connectionLabels: ReadonlyMap<string, string>;
  actions: ListRowActions;
  measure: (element: HTMLTableRowElement | null) => void;
  withNotes: boolean;
}) {
  const who = row.email || 'the row without an email';
  return (
    <Table.Tr ref={measure} data-index={index} aria-rowindex={index + 2} bg={selected ? 'var(--mantine-primary-color-light)' : undefined} data-testid="list-row">
      <Table.Td style={top}>
        <Checkbox aria-label={`Select ${who}`} checked={selected} onChange={() => actions.onSelect(row.id, !selected)} mt={2} />
      </Table.Td>
      <Table.Td style={top}>
        <Text size="sm" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {row.line ?? 'Added'}
        </Text>
      </Table.Td>
      <Table.Td style={top}>
        {/* Never cut short: this is what the admin checks before confirming. */}
        <Text size="sm" fw={600} style={wrapAnywhere} c={row.email ? undefined : 'dimmed'}>
          {row.email || '(no email)'}
        </Text>
        {row.transferTo && (
          <Text size="xs" c="dimmed" style={wrapAnywhere}>
            Data to {row.transferTo}
          </Text>
        )}
      </Table.Td>
      <Table.Td style={top}>
        <Text size="sm" c={row.providers ? undefined : 'dimmed'} style={wrapAnywhere}>
          {describeProviders(row.providers, connectionLabels)}
        </Text>
      </Table.Td>
      {withNotes && (
        <Table.Td style={top}>
          <Text size="sm" c="dimmed" lineClamp={2} title={row.note ?? undefined}>
            {row.note ?? ''}
          </Text>
        </Table.Td>
      )}
      <Table.Td style={top}>
        <Stack gap={4} align="flex-start">
          <LookBadge look={verdictLooks[row.verdict]} />
          {row.reasons.map((reason) => (
            <Text key={`${reason.code}-${reason.connectionId ?? ''}`} size="xs" c={reason.level === 'error' ? 'red' : 'orange'} style={wrapAnywhere}>
              {reason.message}
            </Text>
          ))}
        </Stack>
      </Table.Td>
      <Table.Td style={top}>
        <Group gap={4} wrap="nowrap">
          <Tooltip label="Fix this row" withArrow>
            <ActionIcon variant="subtle" aria-label={`Fix ${who}`} onClick={() => actions.onEdit(row)}>
              <IconPencil size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Drop this row" withArrow>
            <ActionIcon variant="subtle" color="red" aria-label={`Drop ${who}`} onClick={() => actions.onDrop(row)}>
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
});

/**
 * The list's rows, drawn only where the admin looks (thousands scroll like twenty); each row with
 * its verdict and the reasons for it. Fixed columns and two that share the rest, so it fits the
 * window without sideways scrolling.
 */
export function ListRowTable({
  rows,
  selected,
  onSelectAll,
  connectionLabels,
  actions,
  resetKey,
  empty,
  withNotes,
}: {
  rows: ListRow[];
  /** Some row of the list has a note; a list without any gives that column's room to the emails. */
  withNotes: boolean;
  selected: ReadonlySet<string>;
  onSelectAll: (select: boolean) => void;
  connectionLabels: ReadonlyMap<string, string>;
  actions: ListRowActions;
  /** Changes with the filter: the table goes back to the top. */
  resetKey: string;
  empty: ReactNode;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler in this build; the virtualizer re-renders this component on scroll itself.
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimatedRowHeight,
    getItemKey: (index) => rows[index]!.id,
    overscan: 8,
    paddingStart: headerHeight,
    scrollPaddingStart: headerHeight,
  });
  useEffect(() => {
    virtualizer.scrollToOffset(0);
  }, [resetKey, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0] ? items[0].start - headerHeight : 0;
  const last = items.at(-1);
  const paddingBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const selectedInView = selected.size === 0 ? 0 : rows.reduce((count, row) => count + (selected.has(row.id) ? 1 : 0), 0);
  const allSelected = rows.length > 0 && selectedInView === rows.length;
  const columnCount = withNotes ? 7 : 6;
  // As tall as its rows, up to what the window leaves below the step's controls.
  const height = `min(max(320px, calc(100vh - 330px)), ${headerHeight + Math.max(rows.length, 2) * estimatedRowHeight + 2}px)`;

  return (
    <div
      ref={scrollRef}
      data-virtual-scroller=""
      data-testid="list-table"
      style={{ height, overflow: 'auto', border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-md)' }}
    >
      <Table stickyHeader verticalSpacing={8} horizontalSpacing="sm" layout="fixed" w="100%" aria-label="Rows of the list" aria-rowcount={rows.length + 1}>
        <Table.Thead style={{ zIndex: 2 }}>
          <Table.Tr h={headerHeight} aria-rowindex={1}>
            <Table.Th w={44}>
              <Checkbox
                aria-label="Select every row in view"
                checked={allSelected}
                indeterminate={selectedInView > 0 && !allSelected}
                disabled={rows.length === 0}
                onChange={() => onSelectAll(!allSelected)}
              />
            </Table.Th>
            <Table.Th w={56}>Line</Table.Th>
            {/* The widest: emails are read whole here before the plan. */}
            <Table.Th w={withNotes ? '32%' : '36%'}>Person</Table.Th>
            <Table.Th w={150}>Connections</Table.Th>
            {withNotes && <Table.Th w={140}>Note</Table.Th>}
            <Table.Th>Verdict</Table.Th>
            <Table.Th w={76}>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={columnCount} py="xl">
                {empty}
              </Table.Td>
            </Table.Tr>
          )}
          <VirtualRowSpacer height={paddingTop} columnCount={columnCount} />
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <RowView
                key={row.id}
                row={row}
                index={item.index}
                selected={selected.has(row.id)}
                connectionLabels={connectionLabels}
                actions={actions}
                measure={virtualizer.measureElement}
                withNotes={withNotes}
              />
            );
          })}
          <VirtualRowSpacer height={paddingBottom} columnCount={columnCount} />
        </Table.Tbody>
      </Table>
    </div>
  );
}
