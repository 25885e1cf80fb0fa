import { Button, Checkbox, Group, Skeleton, Table, Text, Tooltip } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { GrantRowWindow } from '../bridge/queries';
import { FailureAlert } from '../components/FailureAlert';
import { formatCount } from './grant-format';
import { grantRowHeight, selectColumnWidth, type GrantColumn, type TableSort } from './grant-table-types';
import { SortHeader } from './SortHeader';
import { VirtualGrantRow } from './VirtualGrantRow';
import { VirtualRowSpacer } from '../components/VirtualRowSpacer';

export type { GrantColumn, TableSort } from './grant-table-types';

export interface VirtualGrantTableProps<Row, SortColumn extends string> {
  /** The table's accessible name. */
  label: string;
  testId: string;
  columns: GrantColumn<Row, SortColumn>[];
  rows: GrantRowWindow<Row>;
  sort: TableSort<SortColumn>;
  onSortChange: (sort: TableSort<SortColumn>) => void;
  rowKey: (row: Row) => string;
  /** How a row is named in its checkbox: "Select <name>". */
  rowName: (row: Row) => string;
  selected: ReadonlySet<string>;
  onSelectionChange: (keys: string[], select: boolean) => void;
  onOpen: (row: Row) => void;
  /** The rows in view (with overscan), so the owner fetches the pages they are on. */
  onVisibleRangeChange: (first: number, last: number) => void;
  /** Changes with the filter and the sort: the table goes back to the top. */
  resetKey: string;
  empty: ReactNode;
}

const headerHeight = 42;

/**
 * A table over server-side pages that renders only the rows in view (plus a few either side), so
 * 100,000 rows scroll like 50. Spacer rows above and below keep the scroll height true; the
 * header stays put. Keyboard: Tab reaches one row, the arrows, Page Up/Down, Home and End move,
 * Enter opens, Space selects.
 */
export function VirtualGrantTable<Row, SortColumn extends string>(props: VirtualGrantTableProps<Row, SortColumn>) {
  const { columns, rows, sort, selected, rowKey } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [activeIndex, setActiveIndex] = useState(0);
  const count = rows.total ?? 0;
  const onVisibleRangeChange = props.onVisibleRangeChange;

  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler in this build; the virtualizer re-renders this component on scroll itself.
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => grantRowHeight,
    overscan: 8,
    paddingStart: headerHeight,
    scrollPaddingStart: headerHeight,
    onChange: (instance) => {
      if (instance.range) onVisibleRangeChange(instance.range.startIndex, instance.range.endIndex);
    },
  });

  useEffect(() => {
    virtualizer.scrollToOffset(0);
  }, [props.resetKey, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const firstItem = items[0];
  const lastItem = items.at(-1);
  const paddingTop = firstItem ? firstItem.start - headerHeight : 0;
  const paddingBottom = lastItem ? virtualizer.getTotalSize() - lastItem.end : 0;
  const focusable = items.some((item) => item.index === activeIndex) ? activeIndex : (firstItem?.index ?? 0);
  const columnCount = columns.length + 1;

  const loaded = rows.loadedRows;
  const selectedLoaded = loaded.filter((row) => selected.has(rowKey(row))).length;
  const allLoadedSelected = loaded.length > 0 && selectedLoaded === loaded.length;

  const { onOpen, onSelectionChange } = props;

  const moveTo = useCallback(
    (index: number) => {
      if (count === 0) return;
      const target = Math.min(Math.max(index, 0), count - 1);
      setActiveIndex(target);
      virtualizer.scrollToIndex(target, { align: 'auto' });
      // The row may be drawn only after the scroll: try again for a few frames.
      const focusRow = (attempts: number) => {
        const element = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${target}"]`);
        if (element) element.focus();
        else if (attempts > 0) requestAnimationFrame(() => focusRow(attempts - 1));
      };
      focusRow(4);
    },
    [count, virtualizer],
  );

  const onRowKeyDown = useCallback(
    (event: KeyboardEvent<HTMLTableRowElement>, index: number, row: Row | undefined, isSelected: boolean) => {
      if (event.target !== event.currentTarget) return;
      const pageRows = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 0) - headerHeight) / grantRowHeight) - 1);
      const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + pageRows, PageUp: index - pageRows, Home: 0, End: count - 1 };
      const target = moves[event.key];
      if (target !== undefined) {
        event.preventDefault();
        moveTo(target);
      } else if (event.key === 'Enter' && row) {
        event.preventDefault();
        onOpen(row);
      } else if (event.key === ' ' && row) {
        event.preventDefault();
        onSelectionChange([rowKey(row)], !isSelected);
      }
    },
    [count, moveTo, onOpen, onSelectionChange, rowKey],
  );

  const onSelect = useCallback((key: string, select: boolean) => onSelectionChange([key], select), [onSelectionChange]);

  if (rows.error && rows.total === null) {
    return (
      <FailureAlert title="These rows could not be loaded" error={rows.error}>
        <Button variant="light" color="red" size="xs" w="fit-content" onClick={rows.refetch}>
          Try again
        </Button>
      </FailureAlert>
    );
  }

  return (
    <>
      <div
        ref={scrollRef}
        data-virtual-scroller=""
        data-testid={props.testId}
        style={{ height: 'max(440px, calc(100vh - 360px))', overflow: 'auto', position: 'relative', border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-md)' }}
      >
        <Table
          stickyHeader
          highlightOnHover
          verticalSpacing={0}
          layout="fixed"
          miw={columns.reduce((sum, column) => sum + column.width, selectColumnWidth)}
          aria-label={props.label}
          aria-rowcount={count + 1}
          aria-busy={rows.stale || rows.total === null}
          style={{ opacity: rows.stale ? 0.6 : 1, transition: 'opacity 120ms' }}
        >
          <Table.Thead style={{ zIndex: 2 }}>
            <Table.Tr aria-rowindex={1} h={headerHeight}>
              <Table.Th w={selectColumnWidth}>
                <Tooltip label={`Select the ${formatCount(loaded.length)} rows loaded so far`} withArrow>
                  <Checkbox
                    aria-label="Select all loaded rows"
                    checked={allLoadedSelected}
                    indeterminate={selectedLoaded > 0 && !allLoadedSelected}
                    disabled={loaded.length === 0 || rows.stale}
                    onChange={() => props.onSelectionChange(loaded.map(rowKey), !allLoadedSelected)}
                  />
                </Tooltip>
              </Table.Th>
              {columns.map((column) => {
                const sortBy = column.sort;
                if (!sortBy) {
                  return (
                    <Table.Th key={column.id} w={column.width} style={{ whiteSpace: 'nowrap' }}>
                      {column.header}
                    </Table.Th>
                  );
                }
                return (
                  <SortHeader
                    key={column.id}
                    label={column.header}
                    width={column.width}
                    direction={sort.column === sortBy ? sort.direction : null}
                    onSort={() =>
                      props.onSortChange(
                        sort.column === sortBy
                          ? { column: sortBy, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
                          : { column: sortBy, direction: column.firstDirection ?? 'asc' },
                      )
                    }
                  />
                );
              })}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.total === null &&
              Array.from({ length: 6 }, (_, index) => (
                <Table.Tr key={`loading-${index}`} h={grantRowHeight}>
                  <Table.Td colSpan={columnCount}>
                    <Skeleton h={18} />
                  </Table.Td>
                </Table.Tr>
              ))}
            {rows.total === 0 && (
              <Table.Tr>
                <Table.Td colSpan={columnCount} py="xl">
                  {props.empty}
                </Table.Td>
              </Table.Tr>
            )}
            <VirtualRowSpacer height={paddingTop} columnCount={columnCount} />
            {items.map((item) => {
              const row = rows.rowAt(item.index);
              const id = row ? rowKey(row) : null;
              return (
                <VirtualGrantRow
                  key={item.key}
                  index={item.index}
                  row={row}
                  rowId={id}
                  name={row ? props.rowName(row) : ''}
                  selected={id !== null && selected.has(id)}
                  focusable={item.index === focusable}
                  columns={columns}
                  onOpen={onOpen}
                  onSelect={onSelect}
                  onKeyDown={onRowKeyDown}
                  onFocusIndex={setActiveIndex}
                />
              );
            })}
            <VirtualRowSpacer height={paddingBottom} columnCount={columnCount} />
          </Table.Tbody>
        </Table>
      </div>
      {rows.error !== null && rows.total !== null && (
        <Group gap="xs" role="alert">
          <Text size="sm" c="red">
            Some rows could not be loaded; they show as grey placeholders.
          </Text>
          <Button variant="subtle" size="compact-sm" color="red" onClick={rows.refetch}>
            Try again
          </Button>
        </Group>
      )}
    </>
  );
}
