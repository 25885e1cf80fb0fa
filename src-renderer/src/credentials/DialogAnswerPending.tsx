import { Button, Group, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { FailureAlert } from '../components/FailureAlert';

/**
 * A dialog's body until main's first answer is in: what is being worked out, or why it failed and
 * the way out; `explained` stands for the failure when the dialog knows its cause and its remedy.
 */
export function DialogAnswerPending({
  error,
  failureTitle,
  waiting,
  onClose,
  explained,
}: {
  error: unknown;
  failureTitle: string;
  waiting: string;
  onClose: () => void;
  explained?: ReactNode;
}) {
  if (error) {
    return (
      <Stack gap="md">
        {explained ?? <FailureAlert title={failureTitle} error={error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
        </Group>
      </Stack>
    );
  }
  return (
    <Group gap="sm" py="lg">
      <Loader size="sm" aria-hidden />
      <Text size="sm">{waiting}</Text>
    </Group>
  );
}
