import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/** Label and value pairs, one a row, the labels as row headers. */
export function FactTable({ rows, labelWidth = '38%' }: { rows: [string, ReactNode][]; labelWidth?: string }) {
  return (
    <Table variant="vertical" layout="fixed" withTableBorder={false} verticalSpacing={6}>
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w={labelWidth}>{label}</Table.Th>
            <Table.Td style={{ wordBreak: 'break-word' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
