import { Alert, Button, Group, List, Loader, Stack, Text } from '@mantine/core';
import { IconBrowser, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import type { AccessProfile, ConnectionView } from '../../../src-preload/contract';
import { useConsentry } from '../bridge/consentry-bridge';
import { useConnectionPreview } from '../bridge/queries';
import { FailureAlert } from '../components/FailureAlert';
import { AttemptProgress } from './AttemptProgress';
import { notifyConnected } from './notify-connected';
import { ScopeTable } from './ScopeTable';
import { useConnectAttempt } from './useConnectAttempt';
import { SignInModal } from './SignInModal';

/** A sign-in again with the connection's own settings; with `profile`, a change of profile. */
export interface ReconnectIntent {
  connection: ConnectionView;
  profile?: AccessProfile;
}

function titleOf({ connection, profile }: ReconnectIntent): string {
  if (!profile || profile === connection.profile) return `Reconnect ${connection.label}`;
  return profile === 'remediate' ? `Turn on remediation for ${connection.label}` : `Turn off remediation for ${connection.label}`;
}

/** What a profile change will ask for that the connection does not have, and what it stops asking. */
function ProfileChange({ connection, profile }: { connection: ConnectionView; profile: AccessProfile }) {
  const preview = useConnectionPreview({ provider: connection.provider, settings: connection.settings, profile });
  if (preview.error) return <FailureAlert title="The scopes for this change cannot be worked out" error={preview.error} />;
  if (!preview.data) {
    return (
      <Group gap="sm">
        <Loader size="sm" aria-hidden />
        <Text size="sm">Working out which scopes change…</Text>
      </Group>
    );
  }
  const requested = new Set(connection.scopesRequested);
  const added = preview.data.scopes.filter((scope) => !requested.has(scope.scope));
  const kept = new Set(preview.data.scopes.map((scope) => scope.scope));
  const dropped = connection.scopesRequested.filter((scope) => !kept.has(scope));
  return (
    <Stack gap="sm">
      {profile === 'remediate' ? (
        <Text size="sm">
          Consentry signs in to {connection.providerLabel} again and asks for the scopes below on top of those it has. You
          approve them in your browser at <strong>{preview.data.authorizationHost}</strong>. They are used only when you run an
          action such as a revocation or a key rotation.
        </Text>
      ) : (
        <Text size="sm">
          Consentry signs in to {connection.providerLabel} again asking for read scopes only. Some providers keep scopes granted
          earlier until you remove the grant there ({connection.manualRevocation.where}); the details then show what was granted.
        </Text>
      )}
      {preview.data.scopesNote && (
        <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />} title="Set the scopes on your app">
          {preview.data.scopesNote}
        </Alert>
      )}
      {added.length > 0 ? (
        <ScopeTable scopes={added} caption="Scopes that will be asked for in addition" />
      ) : (
        profile === 'remediate' && (
          <Text size="sm" c="dimmed">
            No additional scopes: this connection’s remediate profile asks for nothing beyond what it has.
          </Text>
        )
      )}
      {dropped.length > 0 && (
        <div>
          <Text size="sm" fw={600}>
            No longer asked for
          </Text>
          <List size="sm" ff="monospace">
            {dropped.map((scope) => (
              <List.Item key={scope}>{scope}</List.Item>
            ))}
          </List>
        </div>
      )}
    </Stack>
  );
}

function ReconnectBody({ intent, onClose, onRunningChange }: { intent: ReconnectIntent; onClose: () => void; onRunningChange: (running: boolean) => void }) {
  const client = useConsentry();
  const attempt = useConnectAttempt();
  const { connection } = intent;
  const profileChange = intent.profile && intent.profile !== connection.profile ? intent.profile : undefined;

  const reconnect = async () => {
    onRunningChange(true);
    const outcome = await attempt.start((attemptId) =>
      client.call('connections.reconnect', { id: connection.id, attemptId, ...(profileChange ? { profile: profileChange } : {}) }),
    );
    onRunningChange(false);
    if (outcome.ok) {
      notifyConnected(profileChange === 'remediate' ? 'Remediation turned on' : profileChange === 'audit' ? 'Remediation turned off' : 'Reconnected', outcome.connection);
      onClose();
    }
  };

  return (
    <Stack gap="md">
      {profileChange ? (
        <ProfileChange connection={connection} profile={profileChange} />
      ) : (
        <Text size="sm">
          Your browser opens {connection.providerLabel} to sign in again, with the same OAuth client and the{' '}
          {connection.profile === 'remediate' ? 'remediate' : 'audit'} profile. The stored tokens are replaced only when the new sign-in
          succeeds.
        </Text>
      )}
      <AttemptProgress state={attempt.state} providerLabel={connection.providerLabel} onCancel={() => void attempt.cancel()} />
      {attempt.state.phase !== 'running' && (
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button leftSection={<IconBrowser size={16} />} onClick={() => void reconnect()}>
            {attempt.state.phase === 'failed' ? 'Try again' : 'Open browser and reconnect'}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** Reconnect, or turn remediation on or off (incremental consent), with the sign-in shown as it goes. */
export function ReconnectDialog({ intent, onClose }: { intent: ReconnectIntent | null; onClose: () => void }) {
  const [running, setRunning] = useState(false);
  return (
    <SignInModal opened={intent !== null} onClose={onClose} title={intent ? titleOf(intent) : ''} size="xl" running={running}>
      {intent && <ReconnectBody key={`${intent.connection.id}:${intent.profile ?? ''}`} intent={intent} onClose={onClose} onRunningChange={setRunning} />}
    </SignInModal>
  );
}
