import { Button, Modal, Stack, Text } from '@mantine/core';
import { IconCloud } from '@tabler/icons-react';
import { useState } from 'react';
import type { CredentialSource } from '../../../src-shared/contract/credentials';
import { CloudProjectsForm } from './CloudProjectsForm';

/**
 * Which Cloud projects are read, changeable once a Google tenant has been read (before that, its
 * source alert asks for them).
 */
export function CloudProjectsButton({ sources }: { sources: CredentialSource[] }) {
  const [open, setOpen] = useState(false);
  const google = sources.filter((source) => source.provider === 'google' && (source.state === 'read' || source.state === 'partial'));
  if (google.length === 0) return null;
  return (
    <>
      <Button variant="default" leftSection={<IconCloud size={16} />} onClick={() => setOpen(true)}>
        Cloud projects
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Cloud projects read" size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
        <Stack gap="lg">
          <Text size="sm" c="dimmed">
            Google keeps service-account keys and API keys per Cloud project. Consentry lists the keys of the projects named here.
          </Text>
          {google.map((source) => (
            <CloudProjectsForm key={source.connectionId} connectionId={source.connectionId} tenantLabel={source.tenantLabel} />
          ))}
        </Stack>
      </Modal>
    </>
  );
}
