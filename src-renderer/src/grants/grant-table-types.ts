import type { ReactNode } from 'react';
import type { SortDirection } from './SortHeader';

export interface GrantColumn<Row, SortColumn extends string> {
  id: string;
  header: string;
  /** Pixels; the table lays out at fixed widths so rows keep one height. */
  width: number;
  /** The server-side sort this header applies, when it sorts. */
  sort?: SortColumn;
  /** The direction a first click sorts in (worst or most first for numbers, A→Z for names). */
  firstDirection?: SortDirection;
  render: (row: Row) => ReactNode;
}

export interface TableSort<SortColumn extends string> {
  column: SortColumn;
  direction: SortDirection;
}

/** Pixels per row: every row is one height, so the scroll height of 100,000 rows is known without drawing them. */
export const grantRowHeight = 52;
export const selectColumnWidth = 48;
