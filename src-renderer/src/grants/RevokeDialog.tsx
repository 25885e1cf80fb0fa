import { Alert, Button, Checkbox, Group, Loader, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconBan, IconLockOpen } from '@tabler/icons-react';
import { useState } from 'react';
import type { RevocationPlan } from '../../../src-shared/contract/grants';
import { asBridgeError } from '../bridge/bridge-failure';
import { isJobActive, useJob } from '../bridge/job-queries';
import { useConnectionList, useRevocationPlan, useRevokeGrants, type RevocationSelection } from '../bridge/queries';
import { FailureAlert } from '../components/FailureAlert';
import { ReconnectDialog, type ReconnectIntent } from '../connections/ReconnectDialog';
import { plural, providerNames } from './grant-format';
import { RevocationJobView } from './RevocationJobView';
import { RevocationPlanSummary } from './RevocationPlanSummary';

/** Connections that cannot revoke until the admin allows it, each with the way to allow it. */
function RevokePermissionNeeded({ plan, onAllow }: { plan: RevocationPlan; onAllow: (connectionId: string) => void }) {
  const list = useConnectionList();
  const needing = plan.connections.filter((connection) => connection.needsRemediate);
  if (needing.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="remediation-needed">
      {needing.map((connection) => {
        const view = list.data?.connections.find((candidate) => candidate.id === connection.connectionId);
        const extra = view?.capabilities.find((capability) => capability.id === 'revoke_grants')?.extraScopes ?? [];
        const missing = extra.filter((scope) => !view?.scopesGranted.includes(scope.scope));
        return (
          <Alert key={connection.connectionId} color="orange" variant="light" icon={<IconLockOpen size={18} />} title={`${connection.label} cannot revoke yet`}>
            <Stack gap="xs">
              <Text size="sm">
                Consentry has not been allowed to revoke grants at {providerNames[connection.provider]} for this connection, so it cannot revoke its{' '}
                {plural(connection.grants, 'grant')}.{' '}
                {missing.length === 0
                  ? 'Revoking needs no scope beyond what the audit already holds: allowing it opens no browser.'
                  : `Allowing it asks, in your browser, only for what revoking needs: ${missing.map((scope) => scope.scope).join(', ')}.`}{' '}
                Nothing is revoked until every connection in the selection may revoke; or select again without this connection’s grants.
              </Text>
              <Button size="xs" variant="light" color="orange" w="fit-content" leftSection={<IconLockOpen size={14} />} disabled={!view} onClick={() => onAllow(connection.connectionId)}>
                Allow revoking grants for {connection.label}
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
export function RevokeDialog({ selection, onClose, onStarted }: { selection: RevocationSelection; onClose: () => void; onStarted: (jobId: string) => void }) {
  const plan = useRevocationPlan(selection);
  const revoke = useRevokeGrants();
  const connections = useConnectionList();
  const [revokeSessions, setRevokeSessions] = useState(false);
  const [typed, setTyped] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const [reconnect, setReconnect] = useState<ReconnectIntent | null>(null);

  const sending = revoke.isPending;
  const data = plan.data;
  // Main refuses the whole revocation while any connection in it may not revoke grants.
  const canRevoke = data ? data.connections.every((connection) => !connection.needsRemediate) : false;
  // Compared as main compares it: trimmed, whatever the case.
  const confirmed = !data?.confirmationText || typed.trim().toLowerCase() === data.confirmationText.toLowerCase();
  const offersSessions = data?.connections.filter((connection) => connection.offersSessionRevocation) ?? [];
  const failure = revoke.error ? asBridgeError(revoke.error) : null;
  const expired = failure?.code === 'plan_expired';
  const confirm = () => {
    if (!data) return;
    revoke.mutate(
      { planId: data.planId, revokeSessions: revokeSessions && offersSessions.length > 0, confirmation: data.confirmationText ? typed.trim() : '' },
      {
        onSuccess: (job) => {
          setJobId(job.id);
          onStarted(job.id);
        },
      },
    );
  };

  const planAgain = () => {
    revoke.reset();
    setTyped('');
    void plan.refetch();
  };

  const allowRevoking = (connectionId: string) => {
    const connection = connections.data?.connections.find((candidate) => candidate.id === connectionId);
    if (connection) setReconnect({ connection, capability: 'revoke_grants' });
  };

  const title = jobId
    ? job && !isJobActive(job) && job.state !== 'paused' && job.state !== 'interrupted'
      ? 'Revocation result'
      : `Revoking ${plural(data?.total ?? 0, 'grant')}`
    : data
      ? `Revoke ${plural(data.total, 'grant')}?`
      : 'Revoke grants';

  return (
    <>
      <Modal
        opened={reconnect === null}
        onClose={onClose}
        title={title}
        size="xl"
        closeOnClickOutside={!sending}
        closeOnEscape={!sending}
        withCloseButton={!sending}
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        {jobId ? (
          <Stack gap="md">
            <RevocationJobView jobId={jobId} />
            <Group justify="flex-end">
              <Button onClick={onClose}>{job && !isJobActive(job) ? 'Done' : 'Run in the background'}</Button>
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
        ) : (
          <Stack gap="lg">
            <RevocationPlanSummary plan={data} />
            <RevokePermissionNeeded plan={data} onAllow={allowRevoking} />
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
              <FailureAlert title="Nothing was revoked" error={revoke.error}>
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
              <Button color="red" leftSection={<IconBan size={16} />} onClick={confirm} loading={sending} disabled={!confirmed || !canRevoke || data.total === 0}>
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
          // Revoking may now be allowed: main's plan says which connections can revoke.
          planAgain();
        }}
      />
    </>
  );
}
