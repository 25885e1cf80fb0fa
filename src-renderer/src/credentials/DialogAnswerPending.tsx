import { Button, Group, Loader, Stack, Text } from '@mantine/core';
import { FailureAlert } from '../components/FailureAlert';

/** A dialog's body until main's first answer is in: what is being worked out, or why it failed and the way out. */
export function DialogAnswerPending({ error, failureTitle, waiting, onClose }: { error: unknown; failureTitle: string; waiting: string; onClose: () => void }) {
  if (error) {
    return (
      <Stack gap="md">
        <FailureAlert title={failureTitle} error={error} />
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
