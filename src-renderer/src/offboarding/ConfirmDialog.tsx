import { Button, Group, Modal, Stack } from '@mantine/core';
import type { ReactNode } from 'react';

/** A question before something that cannot be taken back: what happens, the safe way out first. */
export function ConfirmDialog({
  opened,
  title,
  children,
  keepLabel,
  confirmLabel,
  color = 'red',
  busy = false,
  onKeep,
  onConfirm,
}: {
  opened: boolean;
  title: string;
  children: ReactNode;
  keepLabel: string;
  confirmLabel: string;
  color?: string;
  busy?: boolean;
  onKeep: () => void;
  onConfirm: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onKeep} title={title} size="md" closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack gap="md">
        {children}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onKeep} data-autofocus>
            {keepLabel}
          </Button>
          <Button color={color} loading={busy} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
