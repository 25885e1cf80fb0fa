import { Alert, Button, Checkbox, Code, CopyButton, Group, NumberInput, Radio, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy, IconDownload, IconEye } from '@tabler/icons-react';
import { useState } from 'react';
import type { OneTimeSecret, Rotation, RotationAction } from '../../../src-shared/contract/credentials';
import { useConsentry } from '../bridge/consentry-bridge';
import { FailureAlert } from '../components/FailureAlert';
import { saveTextFile } from '../files/save-text-file';

const maxOverlapDays = 90;

function RevealedSecret({ secret }: { secret: OneTimeSecret }) {
  if (secret.format === 'file') {
    return (
      <Alert color="teal" variant="light" title="Key file handed to your downloads" data-testid="revealed-key-file">
        <Stack gap="xs">
          <Text size="sm">
            {secret.label}: <Code>{secret.fileName}</Code>. Keep it where the app that uses the key reads it; Consentry keeps no copy.
          </Text>
          <Button size="xs" variant="light" w="fit-content" leftSection={<IconDownload size={14} />} onClick={() => saveTextFile(secret.fileName, secret.content, secret.mimeType)}>
            Save it again
          </Button>
        </Stack>
      </Alert>
    );
  }
  return (
    <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="Copy it now: it will not be shown again">
      <Stack gap="xs">
        <Text size="sm">{secret.label}</Text>
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', flex: 1 }} data-testid="revealed-secret">
            {secret.value}
          </Code>
          <CopyButton value={secret.value} timeout={2_000}>
            {({ copied, copy }) => (
              <Button size="compact-sm" variant="light" color={copied ? 'teal' : undefined} leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />} onClick={copy} style={{ flexShrink: 0 }}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Text size="xs" c="dimmed">
          Consentry holds no copy once this window closes, and never wrote it to disk.
        </Text>
      </Stack>
    </Alert>
  );
}

/**
 * The new credential exists: its secret is shown once (held only in this component's state, so it
 * is gone when the wizard closes), then the admin confirms the consumer is updated and chooses how
 * long both keep working.
 */
export function RotationHandoverStep({ rotation, onAct, acting }: { rotation: Rotation; onAct: (action: RotationAction) => void; acting: boolean }) {
  const client = useConsentry();
  const [secret, setSecret] = useState<OneTimeSecret | null>(null);
  const [revealing, setRevealing] = useState(false);
  const [revealError, setRevealError] = useState<unknown>(null);
  const [updated, setUpdated] = useState(false);
  const [overlap, setOverlap] = useState<'now' | 'later'>('now');
  const [days, setDays] = useState<number | string>(7);
  const overlapDays = overlap === 'now' ? 0 : typeof days === 'number' ? days : Number.NaN;
  const daysValid = overlap === 'now' || (Number.isInteger(overlapDays) && overlapDays >= 1 && overlapDays <= maxOverlapDays);

  const reveal = async () => {
    setRevealing(true);
    setRevealError(null);
    try {
      const shown = await client.call('credentials.revealSecret', { rotationId: rotation.id });
      if (shown.format === 'file') saveTextFile(shown.fileName, shown.content, shown.mimeType);
      setSecret(shown);
    } catch (error) {
      setRevealError(error);
    } finally {
      setRevealing(false);
    }
  };

  const needsReveal = rotation.secretFormat !== 'none' && rotation.secretWaiting && !secret;
  return (
    <Stack gap="md">
      {needsReveal && (
        <Alert color="blue" variant="light" title={rotation.secretFormat === 'file' ? 'The new key file is ready' : 'The new secret is ready'}>
          <Stack gap="xs">
            <Text size="sm">
              {rotation.secretFormat === 'file'
                ? 'It is offered once, as a file to save. After that Consentry holds no copy.'
                : 'It is shown once. Have the app that uses the old one open, so you can paste it there at once.'}
            </Text>
            <Button w="fit-content" leftSection={rotation.secretFormat === 'file' ? <IconDownload size={16} /> : <IconEye size={16} />} loading={revealing} onClick={() => void reveal()}>
              {rotation.secretFormat === 'file' ? 'Save the key file' : 'Show the new secret'}
            </Button>
          </Stack>
        </Alert>
      )}
      {revealError !== null && <FailureAlert title="The secret could not be shown" error={revealError} />}
      {secret && <RevealedSecret secret={secret} />}
      {rotation.secretFormat !== 'none' && !rotation.secretWaiting && !secret && (
        <Alert color="gray" variant="light" data-testid="secret-already-shown">
          The new secret was shown already and Consentry holds no copy. If nobody put it in the app, cancel this rotation and start again.
        </Alert>
      )}
      <Checkbox
        checked={updated}
        onChange={(event) => setUpdated(event.currentTarget.checked)}
        disabled={needsReveal}
        label="I updated the app that uses it"
        description={`The old credential (${rotation.old.credentialId}) is removed only after this.`}
      />
      <Radio.Group label="Remove the old one" value={overlap} onChange={(value) => setOverlap(value as 'now' | 'later')}>
        <Stack gap={6} mt={6}>
          <Radio value="now" label="Now" />
          <Group gap="xs" align="center">
            <Radio value="later" label="After" />
            <NumberInput aria-label="Days both keep working" value={days} onChange={setDays} min={1} max={maxOverlapDays} allowDecimal={false} clampBehavior="none" w={90} disabled={overlap === 'now'} />
            <Text size="sm">days, while both work</Text>
          </Group>
        </Stack>
      </Radio.Group>
      {!daysValid && (
        <Text size="sm" c="red">
          Choose between 1 and {maxOverlapDays} days.
        </Text>
      )}
      <Group justify="flex-end">
        <Button loading={acting} disabled={!updated || !daysValid} onClick={() => onAct({ action: 'confirm_handover', overlapDays })}>
          Confirm the hand-over
        </Button>
      </Group>
    </Stack>
  );
}
