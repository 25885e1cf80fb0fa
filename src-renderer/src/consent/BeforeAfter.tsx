import { Group, Stack, Text } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';

/** A planned change side by side: what the tenant has now, and what it will have after. */
export function BeforeAfter({ before, after }: { before: string; after: string }) {
  return (
    <Group gap="sm" wrap="nowrap" align="flex-start">
      <Stack gap={2} style={{ flex: 1 }}>
        <Text size="xs" c="dimmed">
          Now
        </Text>
        <Text size="sm">{before}</Text>
      </Stack>
      <IconArrowRight size={18} aria-label="becomes" style={{ marginTop: 18, flexShrink: 0 }} />
      <Stack gap={2} style={{ flex: 1 }}>
        <Text size="xs" c="dimmed">
          After
        </Text>
        <Text size="sm" fw={600}>
          {after}
        </Text>
      </Stack>
    </Group>
  );
}
