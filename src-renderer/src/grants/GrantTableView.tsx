import { Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import type { GrantFilter } from '../../../src-shared/contract/grants';
import type { GrantRowWindow } from '../bridge/queries';
import type { TableSort } from './grant-table-types';
import { VirtualGrantTable, type VirtualGrantTableProps } from './VirtualGrantTable';

/** What the explorer gives either grants table. */
export interface GrantTableProps<Row, SortColumn extends string> {
  filter: GrantFilter;
  sort: TableSort<SortColumn>;
  onSortChange: (sort: TableSort<SortColumn>) => void;
  selected: ReadonlySet<string>;
  onSelectionChange: (keys: string[], select: boolean) => void;
  onOpen: (row: Row) => void;
  empty: ReactNode;
  /** Shown above the table with what it has loaded: the count, the selection bar. */
  toolbar: (rows: GrantRowWindow<Row>) => ReactNode;
}

type GrantTableViewProps<Row, SortColumn extends string> = GrantTableProps<Row, SortColumn> & Omit<VirtualGrantTableProps<Row, SortColumn>, 'resetKey'>;

/** A grants table under its toolbar; it goes back to the top when the filter or the sort changes. */
export function GrantTableView<Row, SortColumn extends string>({ filter, toolbar, ...table }: GrantTableViewProps<Row, SortColumn>) {
  return (
    <Stack gap="sm">
      {toolbar(table.rows)}
      <VirtualGrantTable {...table} resetKey={JSON.stringify([filter, table.sort])} />
    </Stack>
  );
}
