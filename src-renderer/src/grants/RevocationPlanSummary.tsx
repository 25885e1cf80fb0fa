import { Alert, Badge, List, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { RevocationPlan } from '../../../src-shared/contract/grants';
import { ConnectionCell } from './ConnectionCell';
import { formatCount, plural, shortScope } from './grant-format';
import { GrantHolder } from './GrantHolder';

/** Exactly what a revocation will do, before it is done: how many, of which apps, for whom, where, and what to know. */
export function RevocationPlanSummary({ plan }: { plan: RevocationPlan }) {
  return (
    <Stack gap="md" data-testid="revocation-plan">
      <Text size="sm" data-testid="revocation-statement">
        Revoke <strong>{plural(plan.total, 'grant')}</strong> of <strong>{plural(plan.apps, 'app')}</strong> for{' '}
        <strong>{plural(plan.users, 'user')}</strong>
        {plan.tenantWide > 0 ? (
          <>
            {' '}
            and <strong>{plural(plan.tenantWide, 'tenant-wide consent')}</strong> (everyone in the tenant)
          </>
        ) : null}
        , in {plural(plan.connections.length, 'connection')}.
        The apps lose the access these grants gave them; the users and the apps themselves are not deleted.
      </Text>
      <Table verticalSpacing={6} layout="fixed" data-testid="revocation-connections">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Connection</Table.Th>
            <Table.Th w={110}>Grants</Table.Th>
            <Table.Th w={190}>Can revoke</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {plan.connections.map((connection) => (
            <Table.Tr key={connection.connectionId}>
              <ConnectionCell label={connection.label} provider={connection.provider} />
              <Table.Td>
                <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {formatCount(connection.grants)}
                </Text>
              </Table.Td>
              <Table.Td>
                {connection.needsRemediate ? (
                  <Badge color="orange" variant="light" tt="none">
                    Not allowed yet
                  </Badge>
                ) : (
                  <Badge color="teal" variant="light" tt="none">
                    Yes
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <div>
        <Text size="sm" fw={600} mb={4}>
          {plan.total > plan.items.length ? `The first ${formatCount(plan.items.length)} of ${plural(plan.total, 'grant')}` : 'Every grant revoked'}
        </Text>
        <ScrollArea.Autosize mah={260} type="auto">
          <Table verticalSpacing={4} layout="fixed" striped data-testid="revocation-items">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w="24%">App</Table.Th>
                <Table.Th w="26%">For</Table.Th>
                <Table.Th w="20%">Scopes</Table.Th>
                <Table.Th>What is done</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {plan.items.map((item) => (
                <Table.Tr key={item.key}>
                  <Table.Td>
                    <Text size="sm" truncate>
                      {item.appName}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <GrantHolder user={item.user} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace" truncate title={item.scopes.join(' ')}>
                      {item.scopes.map(shortScope).join(', ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{item.action}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
        {plan.total > plan.items.length && (
          <Text size="xs" c="dimmed" mt={4}>
            And {plural(plan.total - plan.items.length, 'more grant')} of the same selection.
          </Text>
        )}
      </div>
      {plan.warnings.length > 0 && (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="Before you confirm" data-testid="revocation-warnings">
          <List size="sm" spacing={4}>
            {plan.warnings.map((warning) => (
              <List.Item key={warning}>{warning}</List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  );
}
