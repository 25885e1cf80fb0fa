import { Alert, Badge, Button, Group, List, Stack, Text } from '@mantine/core';
import { IconBrowser, IconFlask } from '@tabler/icons-react';
import { useState } from 'react';
import type { SampleProvider } from '../../../src-shared/contract/sample';
import { useConsentry } from '../bridge/consentry-bridge';
import { AttemptProgress } from './AttemptProgress';
import { notifyConnected } from './notify-connected';
import { useConnectAttempt } from './useConnectAttempt';
import { SignInModal } from './SignInModal';

/** The badge that marks everything that comes from the sample workspace. */
export function SampleBadge() {
  return (
    <Badge color="grape" variant="filled" size="sm" leftSection={<IconFlask size={12} />}>
      Sample
    </Badge>
  );
}

function SampleWorkspaceBody({ onClose, onRunningChange }: { onClose: () => void; onRunningChange: (running: boolean) => void }) {
  const client = useConsentry();
  const attempt = useConnectAttempt();

  const connect = async (provider: SampleProvider) => {
    onRunningChange(true);
    const outcome = await attempt.start((attemptId) => client.call('sample.connect', { attemptId, provider }));
    onRunningChange(false);
    if (outcome.ok) {
      notifyConnected('Sample workspace connected', outcome.connection);
      onClose();
    }
  };

  return (
    <Stack gap="md">
      <Text size="sm">
        The sample workspace is a made-up company of 300 people, with their Google Workspace and Microsoft 365, third-party apps and the
        grants those apps hold, some of them risky on purpose. It runs inside Consentry on this computer: nothing is sent anywhere, and it is labelled{' '}
        <SampleBadge /> wherever it appears.
      </Text>
      <List size="sm" spacing={4}>
        <List.Item>Consentry connects to it exactly as to a real tenant: your browser opens its sign-in page, then returns here. Connect either side, or both.</List.Item>
        <List.Item>Sign in with any name and password, then approve the scopes it lists.</List.Item>
        <List.Item>It starts afresh each time Consentry starts; remove it in one click from the Connections page.</List.Item>
      </List>
      <AttemptProgress state={attempt.state} providerLabel="the sample workspace" onCancel={() => void attempt.cancel()} />
      {attempt.state.phase !== 'running' && (
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button leftSection={<IconBrowser size={16} />} onClick={() => void connect('google')}>
            Connect sample Google Workspace
          </Button>
          <Button leftSection={<IconBrowser size={16} />} onClick={() => void connect('microsoft')}>
            Connect sample Microsoft 365
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** "Explore the sample workspace": what it is, then the same sign-in as a real tenant. */
export function SampleWorkspaceDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [running, setRunning] = useState(false);
  return (
    <SignInModal opened={opened} onClose={onClose} title="Explore the sample workspace" size="lg" running={running}>
      {opened && <SampleWorkspaceBody onClose={onClose} onRunningChange={setRunning} />}
    </SignInModal>
  );
}

/** Shown above the list while sample connections exist. */
export function SampleWorkspaceNotice({ count, onRemove, removing }: { count: number; onRemove: () => void; removing: boolean }) {
  return (
    <Alert color="grape" variant="light" icon={<IconFlask size={18} />} title="The sample workspace is connected">
      <Stack gap="xs">
        <Text size="sm">
          {count === 1 ? 'One connection comes' : `${count} connections come`} from the made-up sample company. Its data is labelled Sample
          everywhere.
        </Text>
        <Button variant="light" color="grape" size="xs" w="fit-content" onClick={onRemove} loading={removing}>
          Remove the sample workspace
        </Button>
      </Stack>
    </Alert>
  );
}
