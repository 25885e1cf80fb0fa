import { Button, Group, Loader, Stack, Text } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import { FailureAlert } from '../components/FailureAlert';
import type { AttemptState } from './useConnectAttempt';

/** Where a sign-in stands (main's own words for each stage), with a way to cancel it. */
export function AttemptProgress({ state, providerLabel, onCancel }: { state: AttemptState; providerLabel: string; onCancel: () => void }) {
  if (state.phase === 'running') {
    const message = state.progress?.message ?? `Starting the sign-in to ${providerLabel}…`;
    return (
      <Stack gap="sm" data-testid="attempt-progress">
        <Group gap="sm" wrap="nowrap" role="status" aria-live="polite">
          <Loader size="sm" aria-hidden />
          <Text size="sm" fw={500}>
            {message}
          </Text>
        </Group>
        {state.progress?.stage === 'waiting_for_browser' && (
          <Text size="sm" c="dimmed">
            Consentry is waiting for {providerLabel} to send you back. Nothing is stored until you approve; cancel if you closed the
            browser tab.
          </Text>
        )}
        <Button variant="default" color="red" leftSection={<IconX size={16} />} onClick={onCancel} loading={state.cancelling} w="fit-content">
          Cancel sign-in
        </Button>
      </Stack>
    );
  }
  if (state.phase === 'failed') {
    const cancelled = state.error.code === 'cancelled';
    return <FailureAlert title={cancelled ? 'Sign-in cancelled' : 'Sign-in failed'} color={cancelled ? 'gray' : 'red'} error={state.error} />;
  }
  return null;
}
