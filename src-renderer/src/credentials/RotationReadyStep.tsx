import { Alert, Button, Group, PasswordInput, Stack, Text, Textarea } from '@mantine/core';
import { IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { RotationActionSchema, type Rotation, type RotationAction } from '../../../src-shared/contract/credentials';
import { FactTable } from '../components/FactTable';
import { credentialLabel, formatDay, kindLabels } from './credential-format';

const certificateKinds = new Set<Rotation['kind']>(['app_certificate', 'sp_certificate']);

/** The contract's own rule for an action, so the admin sees the reason before anything is sent. */
function problemOf(action: RotationAction): string | null {
  const outcome = RotationActionSchema.safeParse(action);
  return outcome.success ? null : (outcome.error.issues[0]?.message ?? 'This value is not valid.');
}

/** What changes, before anything is sent; the steps are down the wizard's left. */
function Plan({ rotation }: { rotation: Rotation }) {
  return (
    <FactTable
      labelWidth="32%"
      rows={[
        [
          'Replaces',
          <Stack key="replaces" gap={0}>
            <Text size="sm">{credentialLabel(rotation.old)}</Text>
            <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {rotation.old.credentialId}
            </Text>
          </Stack>,
        ],
        ['Owner', `${rotation.ownerName} · ${rotation.tenantLabel}`],
        ['New name', rotation.planned.displayName],
        ['New expiry', rotation.planned.expiresAt ? formatDay(rotation.planned.expiresAt) : 'None (the provider sets no expiry)'],
      ]}
    />
  );
}

/**
 * What the rotation will do, before anything is sent: the name and expiry from the policy; for a
 * certificate, the new public certificate; for Consentry's own client secret, the new secret.
 */
export function RotationReadyStep({ rotation, onAct, acting }: { rotation: Rotation; onAct: (action: RotationAction) => void; acting: boolean }) {
  const [pem, setPem] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [tried, setTried] = useState(false);

  if (rotation.kind === 'connection_client_secret') {
    const action: RotationAction = { action: 'submit_client_secret', clientSecret };
    const problem = tried ? problemOf(action) : null;
    return (
      <Stack gap="md">
        <Text size="sm">
          Create a new client secret for {rotation.ownerName} at the provider first. Consentry proves it with a token refresh before it forgets the old one; if the refresh fails, the old
          secret stays in use.
        </Text>
        <PasswordInput
          label="New client secret"
          value={clientSecret}
          onChange={(event) => setClientSecret(event.currentTarget.value)}
          error={problem}
          autoComplete="off"
          maw={480}
        />
        <Group justify="flex-end">
          <Button
            loading={acting}
            onClick={() => {
              setTried(true);
              if (!problemOf(action)) onAct(action);
            }}
          >
            Prove and use the new secret
          </Button>
        </Group>
      </Stack>
    );
  }

  const certificate = certificateKinds.has(rotation.kind);
  const action: RotationAction = certificate ? { action: 'create', certificatePem: pem } : { action: 'create' };
  const problem = certificate && tried ? (pem.trim() === '' ? 'Paste the new public certificate (BEGIN CERTIFICATE).' : problemOf(action)) : null;
  return (
    <Stack gap="md">
      <Plan rotation={rotation} />
      {certificate && (
        <Textarea
          label="New public certificate (PEM)"
          description="Only the public certificate: the private key stays with the app that signs with it."
          placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----'}
          value={pem}
          onChange={(event) => setPem(event.currentTarget.value)}
          error={problem}
          autosize
          minRows={4}
          maxRows={10}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
      )}
      {rotation.secretFormat === 'file' && (
        <Alert color="blue" variant="light">
          The new key file is offered once, through a save dialog. Consentry keeps no copy.
        </Alert>
      )}
      <Group justify="flex-end">
        <Button
          leftSection={<IconPlayerPlay size={16} />}
          loading={acting}
          onClick={() => {
            setTried(true);
            if (!certificate || (pem.trim() !== '' && !problemOf(action))) onAct(action);
          }}
        >
          Create the new {kindLabels[rotation.kind].toLowerCase()}
        </Button>
      </Group>
    </Stack>
  );
}
