import { useAllowCapability } from '../connections/useAllowCapability';
import { Button, Group, Modal, Radio, Stack, Text } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import type { BlockMode, BlockResult } from '../../../src-shared/contract/consent';
import { useBlockApp, usePlanBlock } from '../bridge/consent-queries';
import { FailureAlert } from '../components/FailureAlert';
import { BeforeAfter } from './BeforeAfter';
import { ConsentCapabilityNeeded } from './ConsentCapabilityNeeded';
import { PlanFailureAlert } from './PlanFailureAlert';
import { ReadBackOutcome } from './ReadBackOutcome';
import { isConfirmed, TypedConfirmation } from './TypedConfirmation';

export interface BlockTarget {
  connectionId: string;
  connectionLabel: string;
  appId: string;
  appName: string;
}

const modeLabels: Record<BlockMode, string> = {
  disable_sign_in: 'Nobody may sign in to it (disable the app in this tenant)',
  require_assignment: 'Only users and groups assigned to it may sign in',
  allow_sign_in: 'Everyone may sign in again (undo a block)',
};

function yesNo(value: boolean | null): string {
  return value === null ? 'not read' : value ? 'yes' : 'no';
}

function BlockOutcome({ result }: { result: BlockResult }) {
  return (
    <ReadBackOutcome applied={result.applied} appliedTitle="Done, and read back as asked" testId="block-result">
      <Stack gap={4}>
        <Text size="sm">{result.message}</Text>
        <Text size="xs" c="dimmed">
          Read back: sign-in enabled {yesNo(result.accountEnabled)}, assignment required {yesNo(result.appRoleAssignmentRequired)}.
        </Text>
      </Stack>
    </ReadBackOutcome>
  );
}

/** Stops an app signing anyone in, or limits it to assigned users: the plan, a typed confirmation, the read-back. */
export function BlockDialog({ target, onClose }: { target: BlockTarget; onClose: () => void }) {
  const [mode, setMode] = useState<BlockMode>('disable_sign_in');
  const [typed, setTyped] = useState('');
  const plan = usePlanBlock();
  const block = useBlockApp();
  const planned = plan.data;
  const workOut = () => {
    block.reset();
    setTyped('');
    plan.mutate({ connectionId: target.connectionId, appId: target.appId, mode });
  };
  const capability = useAllowCapability('consent', () => {
    if (planned) workOut();
  });

  return (
    <>
      <Modal opened={!capability.allowing} onClose={onClose} title={`Block sign-in: ${target.appName}`} size="lg" closeOnClickOutside={!block.isPending} closeButtonProps={{ 'aria-label': 'Close' }}>
        {block.data ? (
          <Stack gap="md">
            <BlockOutcome result={block.data} />
            <Group justify="flex-end">
              <Button onClick={onClose}>Done</Button>
            </Group>
          </Stack>
        ) : planned ? (
          <Stack gap="md" data-testid="block-plan">
            <BeforeAfter before={planned.before} after={planned.after} />
            <Text size="sm">{planned.effect}</Text>
            {planned.missingScopes.length > 0 && (
              <ConsentCapabilityNeeded label={target.connectionLabel} missingScopes={planned.missingScopes} what="Blocking an app" onAllow={() => capability.allow(target.connectionId)} />
            )}
            {planned.confirmationText && <TypedConfirmation expected={planned.confirmationText} value={typed} onChange={setTyped} />}
            {block.error && <PlanFailureAlert title="Nothing was changed" error={block.error} onPlanAgain={workOut} />}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => plan.reset()} disabled={block.isPending}>
                Back
              </Button>
              <Button
                color={planned.mode === 'allow_sign_in' ? undefined : 'red'}
                leftSection={<IconLock size={16} />}
                loading={block.isPending}
                disabled={planned.missingScopes.length > 0 || !isConfirmed(planned.confirmationText, typed)}
                onClick={() => block.mutate({ planId: planned.planId, confirmation: planned.confirmationText ? typed.trim() : '' })}
              >
                Confirm
              </Button>
            </Group>
          </Stack>
        ) : (
          <Stack gap="md">
            <Text size="sm">
              Blocking keeps the app’s consent as it is but stops it signing anyone in at {target.connectionLabel}, so it can use none of it. Revoking
              removes the consent itself.
            </Text>
            <Radio.Group label="After the change" value={mode} onChange={(value) => setMode(value as BlockMode)}>
              <Stack gap={6} mt={6}>
                {(Object.keys(modeLabels) as BlockMode[]).map((value) => (
                  <Radio key={value} value={value} label={modeLabels[value]} />
                ))}
              </Stack>
            </Radio.Group>
            {plan.error && <FailureAlert title="The change could not be worked out" error={plan.error} />}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button onClick={workOut} loading={plan.isPending}>
                Review the change
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
      {capability.dialog}
    </>
  );
}
