import { Checkbox, Skeleton, Table } from '@mantine/core';
import { memo, type KeyboardEvent } from 'react';
import { grantRowHeight, selectColumnWidth, type GrantColumn } from './grant-table-types';

export interface VirtualGrantRowProps<Row, SortColumn extends string> {
  index: number;
  /** Undefined while its page is on its way: a placeholder row of the same height. */
  row: Row | undefined;
  rowId: string | null;
  /** For the checkbox: "Select <name>". */
  name: string;
  selected: boolean;
  /** The one row Tab reaches (roving tabindex). */
  focusable: boolean;
  columns: GrantColumn<Row, SortColumn>[];
  onOpen: (row: Row) => void;
  onSelect: (key: string, select: boolean) => void;
  onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>, index: number, row: Row | undefined, selected: boolean) => void;
  onFocusIndex: (index: number) => void;
}

function VirtualGrantRowBody<Row, SortColumn extends string>({ index, row, rowId, name, selected, focusable, columns, onOpen, onSelect, onKeyDown, onFocusIndex }: VirtualGrantRowProps<Row, SortColumn>) {
  return (
    <Table.Tr
      data-index={index}
      aria-rowindex={index + 2}
      aria-busy={row ? undefined : true}
      tabIndex={focusable ? 0 : -1}
      h={grantRowHeight}
      bg={selected ? 'var(--mantine-primary-color-light)' : undefined}
      style={{ cursor: row ? 'pointer' : 'default' }}
      onClick={() => row && onOpen(row)}
      onFocus={() => onFocusIndex(index)}
      onKeyDown={(event) => onKeyDown(event, index, row, selected)}
    >
      <Table.Td w={selectColumnWidth} onClick={(event) => event.stopPropagation()}>
        {row && rowId !== null && <Checkbox aria-label={`Select ${name}`} checked={selected} tabIndex={-1} onChange={() => onSelect(rowId, !selected)} />}
      </Table.Td>
      {row
        ? columns.map((column) => (
            <Table.Td key={column.id} style={{ overflow: 'hidden' }}>
              {column.render(row)}
            </Table.Td>
          ))
        : columns.map((column) => (
            <Table.Td key={column.id}>
              <Skeleton h={14} w="70%" />
            </Table.Td>
          ))}
    </Table.Tr>
  );
}

/**
 * One row of a virtualised grant table. Memoised: while the admin scrolls, only the rows that come
 * into view are drawn; those already on screen are left alone.
 */
export const VirtualGrantRow = memo(VirtualGrantRowBody) as typeof VirtualGrantRowBody;
