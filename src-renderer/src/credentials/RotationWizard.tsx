import { useAllowCapability } from '../connections/useAllowCapability';
import { Box, Button, Group, Modal, Stack, Stepper, Text } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import type { Rotation, RotationAction, RotationState } from '../../../src-shared/contract/credentials';
import { useAdvanceRotation, useCredentialRotation } from '../bridge/credentials-queries';
import { FailureAlert } from '../components/FailureAlert';
import { formatInstant } from '../format/time';
import { isRotationFinished, kindLabels } from './credential-format';
import { CredentialsCapabilityNeeded, useLackingCredentialsCapability } from './CredentialsCapabilityNeeded';
import { DialogAnswerPending } from './DialogAnswerPending';
import { RotationHandoverStep } from './RotationHandoverStep';
import { RotationReadyStep } from './RotationReadyStep';
import { RotationDone, RotationFailed, RotationManualCreate, RotationOverlap, RotationSecretLost, RotationWorking } from './RotationStateViews';

/** Where the admin may still cancel: before the old credential's removal is sent. */
const cancellable = new Set<RotationState>(['ready', 'awaiting_manual_create', 'handover', 'secret_lost', 'overlap']);

function canCancel(rotation: Rotation): boolean {
  // Stopped anywhere before the old credential's removal: nothing is lost by giving up.
  if (rotation.state === 'failed') return rotation.failure?.at !== 'retiring';
  return cancellable.has(rotation.state);
}

function RotationStepper({ rotation }: { rotation: Rotation }) {
  const current = rotation.steps.findIndex((step) => step.status === 'current' || step.status === 'failed');
  const active = current === -1 ? rotation.steps.length : current;
  return (
    <Stepper active={active} size="xs" orientation="vertical" allowNextStepsSelect={false} data-testid="rotation-steps">
      {rotation.steps.map((step) => (
        <Stepper.Step
          key={step.id}
          label={step.label}
          description={step.at ? formatInstant(step.at) : step.status === 'skipped' ? 'Skipped' : undefined}
          color={step.status === 'failed' ? 'red' : undefined}
          loading={step.status === 'current' && rotation.prompt === null}
        />
      ))}
    </Stepper>
  );
}

function StateBody({ rotation, onAct, acting }: { rotation: Rotation; onAct: (action: RotationAction) => void; acting: boolean }) {
  switch (rotation.state) {
    case 'ready':
      return <RotationReadyStep rotation={rotation} onAct={onAct} acting={acting} />;
    case 'handover':
      return <RotationHandoverStep rotation={rotation} onAct={onAct} acting={acting} />;
    case 'overlap':
      return <RotationOverlap rotation={rotation} onAct={onAct} acting={acting} />;
    case 'secret_lost':
      return <RotationSecretLost rotation={rotation} onAct={onAct} acting={acting} />;
    case 'failed':
      return <RotationFailed rotation={rotation} onAct={onAct} acting={acting} />;
    case 'awaiting_manual_create':
      return <RotationManualCreate rotation={rotation} onAct={onAct} acting={acting} />;
    case 'done':
    case 'cancelled':
      return <RotationDone rotation={rotation} />;
    default:
      return <RotationWorking rotation={rotation} />;
  }
}

/**
 * Rotating one credential, step by step as main's durable rotation says: opened again, it shows the
 * rotation under way at the state it reached. A one-time secret lives only inside the hand-over
 * step's state: closing the wizard drops it.
 */
export function RotationWizard({ credentialKey, onClose }: { credentialKey: string; onClose: () => void }) {
  const rotation = useCredentialRotation(credentialKey);
  const advance = useAdvanceRotation();
  const shown = rotation.data;
  const act = (step: RotationAction) => {
    if (shown) advance.mutate({ rotationId: shown.id, step });
  };
  const finished = shown ? isRotationFinished(shown.state) : false;
  const title = shown ? `Rotate ${kindLabels[shown.kind].toLowerCase()}: ${shown.ownerName}` : 'Rotate';
  const capability = useAllowCapability('credentials');
  // Consentry's own client secret is entered by the admin: no permission at the tenant is involved.
  const [lacking] = useLackingCredentialsCapability(shown ? [shown.connectionId] : []);
  const needsCapability = shown && lacking && !finished && shown.kind !== 'connection_client_secret' ? lacking : null;

  return (
    <>
      {capability.dialog}
      <Modal opened={!capability.allowing} onClose={onClose} title={title} size={920} closeOnClickOutside={false} closeButtonProps={{ 'aria-label': 'Close' }}>
        {!shown ? (
          <DialogAnswerPending error={rotation.error} failureTitle="The rotation could not be started" waiting="Working out the rotation…" onClose={onClose} />
        ) : (
          // The steps down the left, so five of them never wrap and the step itself keeps the height.
          <Group align="flex-start" gap="xl" wrap="nowrap" data-testid="rotation-wizard" data-state={shown.state}>
            <Box w={220} style={{ flexShrink: 0 }}>
              <RotationStepper rotation={shown} />
            </Box>
            <Stack gap="md" style={{ flex: 1, minWidth: 0 }}>
              {needsCapability && <CredentialsCapabilityNeeded connection={needsCapability} what="Rotating it" onAllow={() => capability.allow(needsCapability.id)} />}
              {shown.prompt && !finished && shown.state !== 'failed' && (
                <Text size="sm" fw={500} data-testid="rotation-prompt">
                  {shown.prompt}
                </Text>
              )}
              <StateBody key={shown.id} rotation={shown} onAct={act} acting={advance.isPending} />
              {advance.error && <FailureAlert title="That step was not taken" error={advance.error} />}
              <Group justify="space-between" mt="xs">
                {canCancel(shown) ? (
                  <Button variant="subtle" color="gray" leftSection={<IconX size={16} />} disabled={advance.isPending} onClick={() => act({ action: 'cancel' })}>
                    Cancel the rotation
                  </Button>
                ) : (
                  <span />
                )}
                <Button variant={finished ? 'filled' : 'default'} onClick={onClose}>
                  {finished ? 'Done' : 'Close (the rotation waits)'}
                </Button>
              </Group>
            </Stack>
          </Group>
        )}
      </Modal>
    </>
  );
}
