import { Alert, Button, Checkbox, Group, Loader, Modal, Progress, Stack, Text, TextInput } from '@mantine/core';
import { IconBan, IconLockOpen } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import type { EventPayloadOf, RevocationPlan, RevocationReport } from '../../../src-preload/contract';
import { asBridgeError } from '../bridge/bridge-failure';
import { useConsentryEvent } from '../bridge/consentry-bridge';
import { useConnectionList, useRevocationPlan, useRevokeGrants, type RevocationSelection } from '../bridge/queries';
import { FailureAlert } from '../components/FailureAlert';
import { ReconnectDialog, type ReconnectIntent } from '../connections/ReconnectDialog';
import { formatCount, plural, providerNames } from './grant-format';
import { RevocationPlanSummary } from './RevocationPlanSummary';
import { RevocationResults } from './RevocationResults';

type Progress = EventPayloadOf<'grants.revokeProgress'>;

/** Connections that cannot revoke until remediation is on, each with the way to turn it on. */
function RemediationNeeded({ plan, onTurnOn }: { plan: RevocationPlan; onTurnOn: (connectionId: string) => void }) {
  const list = useConnectionList();
  const needing = plan.connections.filter((connection) => connection.needsRemediate);
  if (needing.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="remediation-needed">
      {needing.map((connection) => {
        const view = list.data?.connections.find((candidate) => candidate.id === connection.connectionId);
        return (
          <Alert key={connection.connectionId} color="orange" variant="light" icon={<IconLockOpen size={18} />} title={`${connection.label} cannot revoke yet`}>
            <Stack gap="xs">
              <Text size="sm">
                It is connected with the read-only audit profile, so Consentry cannot revoke its {plural(connection.grants, 'grant')} at{' '}
                {providerNames[connection.provider]}. Turn on remediation: you sign in again and approve only the extra write scopes revoking
                needs. Nothing is revoked until every connection in the selection can revoke; or select again without this connection’s grants.
              </Text>
              <Button size="xs" variant="light" color="orange" w="fit-content" leftSection={<IconLockOpen size={14} />} disabled={!view} onClick={() => onTurnOn(connection.connectionId)}>
                Turn on remediation for {connection.label}
              </Button>
            </Stack>
          </Alert>
        );
      })}
    </Stack>
  );
}

/**
 * Revoke what the admin selected: main's plan first (exactly what, for whom, how many, where, what
 * to know), a typed confirmation when main asks for one, then progress, then the result per item.
 */
export function RevokeDialog({ selection, onClose, onRevoked }: { selection: RevocationSelection; onClose: () => void; onRevoked: (report: RevocationReport) => void }) {
  const plan = useRevocationPlan(selection);
  const revoke = useRevokeGrants();
  const connections = useConnectionList();
  const [revokeSessions, setRevokeSessions] = useState(false);
  const [typed, setTyped] = useState('');
  const [progress, setProgress] = useState<Progress | null>(null);
  const [report, setReport] = useState<RevocationReport | null>(null);
  const [reconnect, setReconnect] = useState<ReconnectIntent | null>(null);
  const planId = plan.data?.planId;

  useConsentryEvent(
    'grants.revokeProgress',
    useCallback((next: Progress) => {
      if (next.planId === planId) setProgress(next);
    }, [planId]),
  );

  const running = revoke.isPending;
  const data = plan.data;
  // Main refuses the whole revocation while any connection in it lacks the remediate profile.
  const canRevoke = data ? data.connections.every((connection) => !connection.needsRemediate) : false;
  // Compared as main compares it: trimmed, whatever the case.
  const confirmed = !data?.confirmationText || typed.trim().toLowerCase() === data.confirmationText.toLowerCase();
  const offersSessions = data?.connections.filter((connection) => connection.offersSessionRevocation) ?? [];
  const failure = revoke.error ? asBridgeError(revoke.error) : null;
  const expired = failure?.code === 'plan_expired';
  // Refusals before any call to a provider; anything else may have stopped part-way.
  const refused = failure !== null && ['confirmation_mismatch', 'plan_expired', 'remediation_required', 'invalid_request', 'not_found'].includes(failure.code);

  const confirm = () => {
    if (!data) return;
    setProgress({ planId: data.planId, done: 0, total: data.total });
    revoke.mutate(
      { planId: data.planId, revokeSessions: revokeSessions && offersSessions.length > 0, confirmation: data.confirmationText ? typed.trim() : '' },
      {
        onSuccess: (result) => {
          setReport(result);
          onRevoked(result);
        },
      },
    );
  };

  const planAgain = () => {
    revoke.reset();
    setTyped('');
    void plan.refetch();
  };

  const turnOnRemediation = (connectionId: string) => {
    const connection = connections.data?.connections.find((candidate) => candidate.id === connectionId);
    if (connection) setReconnect({ connection, profile: 'remediate' });
  };

  const title = report ? 'Revocation result' : data ? `Revoke ${plural(data.total, 'grant')}?` : 'Revoke grants';

  return (
    <>
      <Modal
        opened={reconnect === null}
        onClose={onClose}
        title={title}
        size="xl"
        closeOnClickOutside={!running}
        closeOnEscape={!running}
        withCloseButton={!running}
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        {report ? (
          <Stack gap="md">
            <RevocationResults report={report} />
            <Group justify="flex-end">
              <Button onClick={onClose}>Done</Button>
            </Group>
          </Stack>
        ) : plan.error ? (
          <Stack gap="md">
            <FailureAlert title="What to revoke could not be worked out" error={plan.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Close
              </Button>
            </Group>
          </Stack>
        ) : !data ? (
          <Group gap="sm" py="lg">
            <Loader size="sm" aria-hidden />
            <Text size="sm">Working out exactly what would be revoked…</Text>
          </Group>
        ) : running ? (
          <Stack gap="sm" py="md" data-testid="revocation-progress">
            <Text size="sm" fw={600} role="status">
              Revoking… {formatCount(progress?.done ?? 0)} of {formatCount(progress?.total ?? data.total)} done
            </Text>
            <Progress value={progress && progress.total > 0 ? (progress.done / progress.total) * 100 : 0} animated size="lg" aria-label="Revocation progress" />
            <Text size="sm" c="dimmed">
              Each grant is revoked at its provider and read back to confirm it is gone. Keep Consentry open until this finishes.
            </Text>
          </Stack>
        ) : (
          <Stack gap="lg">
            <RevocationPlanSummary plan={data} />
            <RemediationNeeded plan={data} onTurnOn={turnOnRemediation} />
            {offersSessions.length > 0 && (
              <Checkbox
                checked={revokeSessions}
                onChange={(event) => setRevokeSessions(event.currentTarget.checked)}
                label="Also sign these users out (revoke sign-in sessions)"
                description={`Tokens already issued keep working until they expire unless the users are signed out everywhere. Offered by ${offersSessions.map((connection) => connection.label).join(', ')}; the users must sign in again on every device.`}
              />
            )}
            {data.confirmationText && (
              <TextInput
                label={
                  <>
                    To confirm, type <strong>{data.confirmationText}</strong>
                  </>
                }
                value={typed}
                onChange={(event) => setTyped(event.currentTarget.value)}
                autoComplete="off"
                spellCheck={false}
                data-testid="revocation-confirmation"
              />
            )}
            {revoke.error && (
              <FailureAlert title={refused ? 'Nothing was revoked' : 'The revocation did not complete'} error={revoke.error}>
                {expired && (
                  <Button variant="light" color="red" size="xs" w="fit-content" onClick={planAgain}>
                    Work out the plan again
                  </Button>
                )}
              </FailureAlert>
            )}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button color="red" leftSection={<IconBan size={16} />} onClick={confirm} disabled={!confirmed || !canRevoke || data.total === 0}>
                Revoke {plural(data.total, 'grant')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <ReconnectDialog
        intent={reconnect}
        onClose={() => {
          setReconnect(null);
          // Remediation may now be on: main's plan says which connections can revoke.
          planAgain();
        }}
      />
    </>
  );
}
