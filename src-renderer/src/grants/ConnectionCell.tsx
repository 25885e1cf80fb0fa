import { Table, Text } from '@mantine/core';
import type { ProviderId } from '../../../src-shared/domain/ids';
import { providerNames } from './grant-format';

/** A table cell naming a connection, with its provider underneath. */
export function ConnectionCell({ label, provider, truncate }: { label: string; provider: ProviderId; truncate?: boolean }) {
  return (
    <Table.Td>
      <Text size="sm" fw={500} truncate={truncate}>
        {label}
      </Text>
      <Text size="xs" c="dimmed">
        {providerNames[provider]}
      </Text>
    </Table.Td>
  );
}
