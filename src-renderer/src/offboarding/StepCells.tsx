import { Table, Text } from '@mantine/core';

/** A step's title with the connection it runs at beneath, as one table cell. */
export function StepNameCell({ title, connection }: { title: string; connection: string }) {
  return (
    <Table.Td>
      <Text size="sm">{title}</Text>
      <Text size="xs" c="dimmed">
        {connection}
      </Text>
    </Table.Td>
  );
}

/** How many failed, in red, or a dash when none did. */
export function FailedCountCell({ count, words }: { count: number; words: string }) {
  return (
    <Table.Td>
      <Text size="sm" c={count > 0 ? 'red' : 'dimmed'}>
        {count > 0 ? words : '—'}
      </Text>
    </Table.Td>
  );
}
