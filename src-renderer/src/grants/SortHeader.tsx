import { Group, Table, Text, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';

export type SortDirection = 'asc' | 'desc';

/**
 * A column header that sorts the table: the whole header is one button, and `aria-sort` tells
 * assistive technology which column orders the rows and which way.
 */
export function SortHeader({ label, width, direction, onSort }: { label: string; width: number; direction: SortDirection | null; onSort: () => void }) {
  const Arrow = direction === 'asc' ? IconArrowUp : direction === 'desc' ? IconArrowDown : IconArrowsSort;
  return (
    <Table.Th w={width} p={0} aria-sort={direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : 'none'}>
      <UnstyledButton onClick={onSort} w="100%" h="100%" px="sm" py={10} style={{ display: 'block' }}>
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={650} truncate>
            {label}
          </Text>
          <Arrow size={14} aria-hidden style={{ flexShrink: 0, opacity: direction ? 1 : 0.4 }} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}
