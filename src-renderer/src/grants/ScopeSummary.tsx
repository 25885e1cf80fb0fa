import { Stack, Text } from '@mantine/core';
import { plural, shortScope } from './grant-format';

/** How many scopes, and the first three by their short names (all of them in the tooltip). */
export function ScopeSummary({ scopes }: { scopes: string[] }) {
  return (
    <Stack gap={0}>
      <Text size="sm">{plural(scopes.length, 'scope')}</Text>
      <Text size="xs" c="dimmed" ff="monospace" truncate title={scopes.join(' ')}>
        {scopes.slice(0, 3).map(shortScope).join(', ')}
      </Text>
    </Stack>
  );
}
