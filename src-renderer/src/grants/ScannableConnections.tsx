import { Badge, Table, Text } from '@mantine/core';
import type { GrantAuditStatus } from '../../../src-shared/contract/grants';
import { ConnectionCell } from './ConnectionCell';
import { providerNames } from './grant-format';

type Scannable = GrantAuditStatus['scannable'][number];

function Readiness({ connection }: { connection: Scannable }) {
  if (!connection.supported) {
    return (
      <Badge variant="light" color="gray" tt="none">
        No admin listing
      </Badge>
    );
  }
  return connection.ready ? (
    <Badge variant="light" color="teal" tt="none">
      Ready to scan
    </Badge>
  ) : (
    <Badge variant="light" color="orange" tt="none">
      Not ready
    </Badge>
  );
}

/** The connections a scan would read, and for each whether it can: a provider without an admin listing says so. */
export function ScannableConnections({ connections }: { connections: Scannable[] }) {
  return (
    <Table verticalSpacing="xs" data-testid="scannable-connections">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Connection</Table.Th>
          <Table.Th w={170}>Scan</Table.Th>
          <Table.Th>Note</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {connections.map((connection) => (
          <Table.Tr key={connection.connectionId}>
            <ConnectionCell label={connection.label} provider={connection.provider} />
            <Table.Td>
              <Readiness connection={connection} />
            </Table.Td>
            <Table.Td>
              <Text size="sm" c={connection.note ? undefined : 'dimmed'}>
                {connection.note ?? (connection.supported ? 'Its users’ third-party app grants will be read.' : `${providerNames[connection.provider]} offers no admin listing of third-party apps.`)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
