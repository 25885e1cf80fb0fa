import { Alert, Button, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconClockHour4, IconLockOff } from '@tabler/icons-react';
import type { VaultStatus } from '../../../src-shared/contract/connections';
import { useSessionOnlyVault } from '../bridge/queries';
import { notifyFailure } from '../components/failure-notification';

/**
 * Where tokens are kept. Says so when the OS keychain cannot encrypt them, and lets the admin choose
 * to keep them in memory for this session rather than not connect at all.
 */
export function VaultNotice({ vault }: { vault: VaultStatus }) {
  const sessionOnly = useSessionOnlyVault();
  const choose = (enabled: boolean) =>
    sessionOnly.mutate(enabled, {
      onSuccess: (status) =>
        notifications.show({
          color: status.mode === 'unavailable' ? 'orange' : 'teal',
          title: enabled ? 'Tokens kept for this session only' : 'Session-only mode turned off',
          message:
            status.mode === 'session-only'
              ? 'New sign-ins keep their tokens in memory; they are lost when Consentry quits.'
              : status.mode === 'encrypted'
                ? 'New sign-ins are encrypted with the operating system’s keychain.'
                : `New sign-ins cannot be stored until encryption works again. ${status.nextStep ?? ''}`.trim(),
        }),
      onError: (error) => notifyFailure('Token storage not changed', error),
    });

  if (vault.mode === 'unavailable') {
    return (
      <Alert color="red" variant="light" icon={<IconLockOff size={18} />} title="Tokens cannot be stored encrypted" mb="md" role="alert">
        <Stack gap="xs">
          {vault.problem && <Text size="sm">{vault.problem}</Text>}
          {vault.nextStep && (
            <Text size="sm" fw={500}>
              Next step: {vault.nextStep}
            </Text>
          )}
          <Text size="sm">
            Until then you can keep tokens in memory for this session only: connections work, but need a new sign-in after Consentry
            quits.
          </Text>
          <Button variant="light" color="red" w="fit-content" onClick={() => choose(true)} loading={sessionOnly.isPending}>
            Keep tokens for this session only
          </Button>
        </Stack>
      </Alert>
    );
  }
  if (vault.mode === 'session-only') {
    return (
      <Alert color="yellow" variant="light" icon={<IconClockHour4 size={18} />} title="Tokens are kept for this session only" mb="md">
        <Stack gap="xs">
          <Text size="sm">
            New sign-ins keep their tokens in memory, not on disk. When Consentry quits they are lost, and those connections need to be
            reconnected.
          </Text>
          {vault.problem && <Text size="sm">{vault.problem}</Text>}
          <Button variant="default" w="fit-content" onClick={() => choose(false)} loading={sessionOnly.isPending}>
            Turn off session-only mode
          </Button>
        </Stack>
      </Alert>
    );
  }
  return null;
}
