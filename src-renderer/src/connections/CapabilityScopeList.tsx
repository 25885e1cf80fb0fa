import { List, Text } from '@mantine/core';
import type { CapabilityScope } from '../../../src-shared/contract/connections';

/** The scopes a capability (or the base) asks for, each with its reason; says so when there are none. */
export function CapabilityScopeList({ scopes, empty, granted }: { scopes: readonly CapabilityScope[]; empty: string; granted?: ReadonlySet<string> }) {
  if (scopes.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  }
  return (
    <List size="sm" spacing={6} listStyleType="none" ml={0} pl={0}>
      {scopes.map((item) => (
        <List.Item key={item.scope}>
          <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
            {item.scope}
            {granted && (
              <Text span size="xs" ff="text" c={granted.has(item.scope) ? 'teal' : 'orange'}>
                {' '}
                · {granted.has(item.scope) ? 'granted' : 'not granted'}
              </Text>
            )}
          </Text>
          <Text size="xs" c="dimmed">
            {item.reason}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}
