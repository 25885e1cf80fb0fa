import { Alert, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { asBridgeError } from '../bridge/bridge-failure';

/** A failure main reported: what went wrong and what the admin can do next. */
export function FailureAlert({ title, error, color = 'red', children }: { title: string; error: unknown; color?: string; children?: ReactNode }) {
  const failure = asBridgeError(error);
  return (
    <Alert color={color} variant="light" icon={<IconAlertTriangle size={18} />} title={title} role="alert">
      <Stack gap={6}>
        <Text size="sm">{failure.message}</Text>
        {failure.nextStep && (
          <Text size="sm" fw={500}>
            Next step: {failure.nextStep}
          </Text>
        )}
        {children}
      </Stack>
    </Alert>
  );
}
