import { Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconRotateClockwise } from '@tabler/icons-react';
import { useRotations } from '../bridge/credentials-queries';
import { formatInstant } from '../format/time';
import { credentialLabel, isRotationFinished, kindLabels, rotationStateLabels } from './credential-format';

/** Rotations under way (a rotation survives a restart), each with the way back into its wizard. */
export function UnfinishedRotations({ onContinue }: { onContinue: (credentialKey: string) => void }) {
  const rotations = useRotations();
  const unfinished = (rotations.data ?? []).filter((rotation) => !isRotationFinished(rotation.state));
  if (unfinished.length === 0) return null;
  return (
    <Card withBorder padding="sm" data-testid="unfinished-rotations">
      <Text fw={650} size="sm" mb="xs">
        Rotations under way
      </Text>
      <Stack gap={6}>
        {unfinished.map((rotation) => (
          <Group key={rotation.id} justify="space-between" wrap="nowrap" gap="sm">
            <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
              <Badge variant="light" color={rotation.state === 'failed' || rotation.state === 'secret_lost' ? 'red' : 'blue'} tt="none" style={{ flexShrink: 0 }}>
                {rotationStateLabels[rotation.state]}
              </Badge>
              <Text size="sm" truncate>
                {kindLabels[rotation.kind]} “{credentialLabel(rotation.old)}” of {rotation.ownerName} ({rotation.tenantLabel}) · since {formatInstant(rotation.startedAt)}
              </Text>
            </Group>
            <Button size="compact-sm" variant="light" leftSection={<IconRotateClockwise size={14} />} onClick={() => onContinue(rotation.credentialKey)} style={{ flexShrink: 0 }}>
              Continue
            </Button>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
