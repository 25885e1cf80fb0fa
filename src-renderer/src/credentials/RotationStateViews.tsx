import { Alert, Button, Group, List, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconRefresh, IconTrash } from '@tabler/icons-react';
import type { Rotation, RotationAction } from '../../../src-shared/contract/credentials';
import { FactTable } from '../components/FactTable';
import { OpenInBrowserButton } from '../components/OpenInBrowserButton';
import { formatInstant } from '../format/time';
import { credentialLabel, formatDay, rotationStateLabels } from './credential-format';

interface StepProps {
  rotation: Rotation;
  onAct: (action: RotationAction) => void;
  acting: boolean;
}

/** A state in which Consentry works and the admin waits: the provider call, then its answer. */
export function RotationWorking({ rotation }: { rotation: Rotation }) {
  return (
    <Group gap="sm" py="md" role="status">
      <Loader size="sm" aria-hidden />
      <Text size="sm">{rotation.prompt ?? `${rotationStateLabels[rotation.state]}…`}</Text>
    </Group>
  );
}

export function RotationOverlap({ rotation, onAct, acting }: StepProps) {
  return (
    <Stack gap="md">
      <Text size="sm">
        Both credentials work {rotation.overlapUntil ? <>until <strong>{formatInstant(rotation.overlapUntil)}</strong></> : 'for now'}. Then Consentry removes the old one (
        {rotation.old.credentialId}) and reads the owner back. If Consentry is closed then, it does so when it next starts.
      </Text>
      <Group justify="flex-end">
        <Button color="red" variant="light" leftSection={<IconTrash size={16} />} loading={acting} onClick={() => onAct({ action: 'retire_now' })}>
          Remove the old one now
        </Button>
      </Group>
    </Stack>
  );
}

export function RotationSecretLost({ rotation, onAct, acting }: StepProps) {
  return (
    <Stack gap="md">
      <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="Nobody holds the new secret">
        Consentry stopped after {rotation.created ? `creating “${credentialLabel(rotation.created)}”` : 'creating the new credential'} and before its secret was shown. The provider never
        shows a secret twice, so that credential is of no use. The old one still works.
      </Alert>
      <Group justify="flex-end">
        <Button leftSection={<IconRefresh size={16} />} loading={acting} onClick={() => onAct({ action: 'discard_and_recreate' })}>
          Remove it and create another
        </Button>
      </Group>
    </Stack>
  );
}

export function RotationFailed({ rotation, onAct, acting }: StepProps) {
  const failure = rotation.failure;
  return (
    <Stack gap="md">
      <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={`Stopped at “${rotationStateLabels[failure?.at ?? 'failed']}”`} role="alert" data-testid="rotation-failure">
        <Stack gap={6}>
          <Text size="sm">{failure?.message ?? 'The rotation stopped.'}</Text>
          {failure?.nextStep && (
            <Text size="sm" fw={500}>
              Next step: {failure.nextStep}
            </Text>
          )}
          <Text size="sm" c="dimmed">
            The credentials in place still work.
          </Text>
        </Stack>
      </Alert>
      {failure?.retryable !== false && (
        <Group justify="flex-end">
          <Button leftSection={<IconRefresh size={16} />} loading={acting} onClick={() => onAct({ action: 'retry' })}>
            Retry
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** The part done in the provider's console, as the rotation's guide gives it: where, the steps in order, and the page to open. */
export function RotationManualCreate({ rotation, onAct, acting }: StepProps) {
  const { guide } = rotation;
  return (
    <Stack gap="md">
      {guide && (
        <>
          <Text size="sm" c="dimmed" data-testid="manual-create-where">
            {guide.where}
          </Text>
          <List size="sm" spacing={6} type="ordered" data-testid="manual-create-steps">
            {guide.steps.map((step) => (
              <List.Item key={step}>{step}</List.Item>
            ))}
          </List>
          {guide.url && (
            <OpenInBrowserButton url={guide.url} w="fit-content" size="xs">
              Open {guide.where.split(' › ')[0]}
            </OpenInBrowserButton>
          )}
        </>
      )}
      <Group justify="flex-end">
        <Button loading={acting} onClick={() => onAct({ action: 'confirm_manual_create' })}>
          I did these steps
        </Button>
      </Group>
    </Stack>
  );
}

/** A credential's name, with its provider id on a line of its own (a rotated name ends in brackets already). */
function NamedCredential({ credential }: { credential: Rotation['old'] }) {
  return (
    <Stack gap={0}>
      <Text size="sm">{credentialLabel(credential)}</Text>
      <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
        {credential.credentialId}
      </Text>
    </Stack>
  );
}

export function RotationDone({ rotation }: { rotation: Rotation }) {
  if (rotation.state === 'cancelled') {
    return (
      <Alert color="gray" variant="light" title="Rotation cancelled">
        {rotation.prompt ?? 'Nothing more will change. The old credential still works.'}
      </Alert>
    );
  }
  return (
    <Stack gap="sm" data-testid="rotation-done">
      <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} title="Rotated">
        {rotation.prompt ?? 'The new credential is in place and the old one is gone, as read back from the provider.'}
      </Alert>
      <FactTable
        labelWidth="32%"
        rows={[
          ['New', rotation.created ? <NamedCredential key="new" credential={rotation.created} /> : '—'],
          ['Expires', rotation.created?.expiresAt ? formatDay(rotation.created.expiresAt) : 'Never'],
          ['Removed', <NamedCredential key="removed" credential={rotation.old} />],
          ['Finished', rotation.finishedAt ? formatInstant(rotation.finishedAt) : '—'],
        ]}
      />
    </Stack>
  );
}
