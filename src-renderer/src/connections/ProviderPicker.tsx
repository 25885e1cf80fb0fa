import { Group, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import { useId } from 'react';
import type { ProviderPreset } from '../../../src-shared/contract/connections';
import type { ProviderId } from '../../../src-shared/domain/ids';

function ProviderCard({ preset }: { preset: ProviderPreset }) {
  const id = useId();
  return (
    <Radio.Card value={preset.id} p="md" aria-labelledby={`${id}-label`} aria-describedby={`${id}-summary`}>
      <Group wrap="nowrap" align="flex-start" gap="sm">
        <Radio.Indicator mt={2} />
        <Stack gap={2}>
          <Text fw={600} size="sm" id={`${id}-label`}>
            {preset.label}
          </Text>
          <Text size="xs" c="dimmed" id={`${id}-summary`}>
            {preset.summary}
          </Text>
        </Stack>
      </Group>
    </Radio.Card>
  );
}

/** Step 1: which provider to connect. */
export function ProviderPicker({ providers, value, onChange }: { providers: ProviderPreset[]; value: ProviderId | null; onChange: (id: ProviderId) => void }) {
  return (
    <Radio.Group label="Provider" description="Who to connect. You bring your own OAuth client for each." value={value} onChange={(id) => onChange(id as ProviderId)}>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" mt="sm">
        {providers.map((preset) => (
          <ProviderCard key={preset.id} preset={preset} />
        ))}
      </SimpleGrid>
    </Radio.Group>
  );
}
