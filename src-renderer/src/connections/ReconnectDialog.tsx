import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBrowser, IconCheck, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import type { ConnectionView } from '../../../src-shared/contract/connections';
import type { CapabilityId } from '../../../src-shared/domain/ids';
import { useConsentry } from '../bridge/consentry-bridge';
import { useConnectionPreview, useEnableCapability } from '../bridge/queries';
import { FailureAlert } from '../components/FailureAlert';
import { AttemptProgress } from './AttemptProgress';
import { capabilityText } from './capability-text';
import { notifyConnected } from './notify-connected';
import { ScopeTable } from './ScopeTable';
import { useConnectAttempt } from './useConnectAttempt';
import { SignInModal } from './SignInModal';

/** A sign-in again with the connection's own settings; with `capability`, allowing that capability. */
export interface ReconnectIntent {
  connection: ConnectionView;
  capability?: CapabilityId;
}

function titleOf({ connection, capability }: ReconnectIntent): string {
  return capability ? `Allow ${capabilityText[capability].activity} for ${connection.label}` : `Reconnect ${connection.label}`;
}

/** The scopes a capability adds that the connection has not been granted yet. */
function missingScopes(connection: ConnectionView, capability: CapabilityId): string[] {
  const granted = new Set(connection.scopesGranted);
  const entry = connection.capabilities.find((candidate) => candidate.id === capability);
  return (entry?.extraScopes ?? []).map((added) => added.scope).filter((scope) => !granted.has(scope));
}

/** What allowing the capability will ask for: exactly the scopes it adds beyond those granted. */
function CapabilityScopes({ connection, capability }: { connection: ConnectionView; capability: CapabilityId }) {
  // Main asks for the base, the capabilities held and this one: the preview is that exact request.
  const held = connection.capabilities.filter((candidate) => candidate.held && candidate.id !== capability).map((candidate) => candidate.id);
  const preview = useConnectionPreview({ provider: connection.provider, settings: connection.settings, capabilities: [...held, capability] });
  if (preview.error) return <FailureAlert title="The scopes to ask for cannot be worked out" error={preview.error} />;
  if (!preview.data) {
    return (
      <Group gap="sm">
        <Loader size="sm" aria-hidden />
        <Text size="sm">Working out which scopes are added…</Text>
      </Group>
    );
  }
  const granted = new Set(connection.scopesGranted);
  const added = preview.data.scopes.filter((scope) => !granted.has(scope.scope));
  return (
    <Stack gap="sm">
      <Text size="sm">
        Consentry signs in to {connection.providerLabel} again and asks for the scopes below on top of those it holds. You approve them in
        your browser at <strong>{preview.data.authorizationHost}</strong>. Nothing else is asked for, and they are used only when you run
        an action you confirm.
      </Text>
      {preview.data.scopesNote && (
        <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />} title="Set the scopes on your app">
          {preview.data.scopesNote}
        </Alert>
      )}
      <ScopeTable scopes={added} caption="Scopes that will be asked for in addition" />
    </Stack>
  );
}

function ReconnectBody({ intent, onClose, onRunningChange }: { intent: ReconnectIntent; onClose: () => void; onRunningChange: (running: boolean) => void }) {
  const client = useConsentry();
  const attempt = useConnectAttempt();
  const enable = useEnableCapability();
  const { connection, capability } = intent;
  const text = capability ? capabilityText[capability] : null;
  // Nothing to approve: main records the admin's choice and opens no browser.
  const signInNeeded = !capability || missingScopes(connection, capability).length > 0;

  const run = async () => {
    onRunningChange(true);
    const outcome = await attempt.start((attemptId) =>
      capability ? enable.mutateAsync({ connectionId: connection.id, attemptId, capability }) : client.call('connections.reconnect', { id: connection.id, attemptId }),
    );
    onRunningChange(false);
    if (!outcome.ok) return;
    if (capability && text) {
      const held = outcome.connection.capabilities.find((candidate) => candidate.id === capability)?.held ?? false;
      if (!signInNeeded) notifications.show({ color: 'teal', title: `${text.title}: allowed`, message: `${connection.label} needed no new scope for it; nothing was asked.` });
      else if (held) notifyConnected(`${text.title}: allowed`, outcome.connection);
      else notifications.show({ color: 'orange', title: `${text.title}: not granted`, message: `${connection.providerLabel} did not grant every scope it needs; the connection's details list the missing ones.` });
    } else {
      notifyConnected('Reconnected', outcome.connection);
    }
    onClose();
  };

  return (
    <Stack gap="md">
      {capability && text ? (
        <>
          <Text size="sm">{text.description}</Text>
          {signInNeeded ? (
            <CapabilityScopes connection={connection} capability={capability} />
          ) : (
            <Alert color="teal" variant="light" icon={<IconCheck size={18} />} title="No new scope needed" data-testid="no-new-scope">
              The scopes Consentry holds already allow it, so nothing is asked for and no browser opens. Consentry records that you allowed
              it, and uses it only for actions you confirm.
            </Alert>
          )}
        </>
      ) : (
        <Text size="sm">
          Your browser opens {connection.providerLabel} to sign in again, with the same OAuth client, asking for the read scopes and what you
          allowed. The stored tokens are replaced only when the new sign-in succeeds.
        </Text>
      )}
      <AttemptProgress state={attempt.state} providerLabel={connection.providerLabel} onCancel={() => void attempt.cancel()} />
      {attempt.state.phase !== 'running' && (
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button leftSection={signInNeeded ? <IconBrowser size={16} /> : <IconCheck size={16} />} onClick={() => void run()}>
            {attempt.state.phase === 'failed' ? 'Try again' : !signInNeeded && text ? `Allow ${text.activity}` : capability ? 'Open browser and allow' : 'Open browser and reconnect'}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** Reconnect, or allow a capability (incremental consent), with the sign-in shown as it goes. */
export function ReconnectDialog({ intent, onClose }: { intent: ReconnectIntent | null; onClose: () => void }) {
  const [running, setRunning] = useState(false);
  return (
    <SignInModal opened={intent !== null} onClose={onClose} title={intent ? titleOf(intent) : ''} size="xl" running={running}>
      {intent && <ReconnectBody key={`${intent.connection.id}:${intent.capability ?? ''}`} intent={intent} onClose={onClose} onRunningChange={setRunning} />}
    </SignInModal>
  );
}
