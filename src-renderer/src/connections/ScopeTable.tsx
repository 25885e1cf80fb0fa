import { Badge, Table, Text } from '@mantine/core';
import type { ScopeExplanation } from '../../../src-shared/contract/connections';
import { capabilityText } from './capability-text';

function purposeLook(purpose: ScopeExplanation['purpose']): { label: string; color: string } {
  if (purpose === 'sign-in') return { label: 'Sign-in', color: 'gray' };
  if (purpose === 'audit') return { label: 'Audit · read', color: 'blue' };
  return { label: capabilityText[purpose].title, color: 'orange' };
}

/** Each scope with what it is for and why Consentry asks for it. */
export function ScopeTable({ scopes, caption }: { scopes: ScopeExplanation[]; caption: string }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="xs" striped data-testid="scope-table">
        <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="42%">Scope</Table.Th>
            <Table.Th w={150}>Purpose</Table.Th>
            <Table.Th>Why Consentry asks for it</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {scopes.map((scope) => (
            <Table.Tr key={scope.scope}>
              <Table.Td>
                <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {scope.scope}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={purposeLook(scope.purpose).color} tt="none">
                  {purposeLook(scope.purpose).label}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{scope.reason}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
