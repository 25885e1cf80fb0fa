import { useAllowCapability } from '../connections/useAllowCapability';
import { Alert, Badge, Button, Group, Loader, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { IconBan } from '@tabler/icons-react';
import { useState } from 'react';
import type { Credential, RevokePlan, RevokeReport } from '../../../src-shared/contract/credentials';
import { asBridgeError } from '../bridge/bridge-failure';
import { useRevokeCredentials, useRevokePlan, useRevokeReport } from '../bridge/credentials-queries';
import { isJobActive } from '../bridge/job-queries';
import { FailureAlert } from '../components/FailureAlert';
import { isConfirmed, TypedConfirmation } from '../consent/TypedConfirmation';
import { plural } from '../grants/grant-format';
import { CredentialsCapabilityNeeded, useLackingCredentialsCapability } from './CredentialsCapabilityNeeded';
import { kindLabels } from './credential-format';
import { DialogAnswerPending } from './DialogAnswerPending';

const itemLooks: Record<RevokeReport['items'][number]['status'], { label: string; color: string }> = {
  pending: { label: 'Waiting', color: 'gray' },
  running: { label: 'Revoking', color: 'blue' },
  in_doubt: { label: 'Unknown', color: 'orange' },
  succeeded: { label: 'Revoked', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  skipped: { label: 'Skipped', color: 'gray' },
};

/**
 * The credential as the admin checks it against the provider before confirming: its name, its full
 * id (never cut short), its owner and tenant, each on its own line; main's label when the page no
 * longer holds the credential.
 */
function PlannedCredential({ label, credential }: { label: string; credential: Credential | undefined }) {
  if (!credential) {
    return (
      <Text size="sm" fw={600} style={{ wordBreak: 'break-word' }}>
        {label}
      </Text>
    );
  }
  return (
    <Stack gap={2}>
      {credential.displayName && (
        <Text size="sm" fw={600} style={{ wordBreak: 'break-word' }}>
          {credential.displayName}
        </Text>
      )}
      <Text size={credential.displayName ? 'xs' : 'sm'} fw={credential.displayName ? undefined : 600} c={credential.displayName ? 'dimmed' : undefined} ff="monospace" style={{ wordBreak: 'break-all' }}>
        {credential.credentialId}
      </Text>
      <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
        {kindLabels[credential.kind]} of {credential.ownerName} · {credential.tenantLabel}
      </Text>
    </Stack>
  );
}

function PlanItems({ plan, byKey }: { plan: RevokePlan; byKey: Map<string, Credential> }) {
  return (
    <ScrollArea.Autosize mah={320} type="auto">
      <Table verticalSpacing={6} layout="fixed" data-testid="revoke-plan-items">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="40%">Credential</Table.Th>
            <Table.Th w="22%">What Consentry does</Table.Th>
            <Table.Th>What stops working</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {plan.items.map((item) => (
            <Table.Tr key={item.key}>
              <Table.Td>
                <PlannedCredential label={item.label} credential={byKey.get(item.key)} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{item.action}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{item.breaks}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}

function Refused({ plan }: { plan: RevokePlan }) {
  if (plan.refused.length === 0) return null;
  return (
    <Alert color="gray" variant="light" title={`${plural(plan.refused.length, 'credential')} cannot be revoked here`} data-testid="revoke-refused">
      <Stack gap={4}>
        {plan.refused.map((item) => (
          <Text key={item.key} size="sm">
            <strong>{item.label}</strong>: {item.reason}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

function RevokeResults({ jobId, byKey }: { jobId: string; byKey: Map<string, Credential> }) {
  const report = useRevokeReport(jobId);
  if (report.error) return <FailureAlert title="The results could not be read" error={report.error} />;
  if (!report.data) return <Loader size="sm" aria-label="Reading the results" />;
  const { job, items } = report.data;
  const running = isJobActive(job);
  return (
    <Stack gap="sm" data-testid="revoke-results">
      <Text size="sm" role="status">
        {running ? `Revoking: ${job.succeeded + job.failed + job.skipped} of ${job.total} done.` : `${plural(job.succeeded, 'credential')} revoked, ${job.failed} failed${job.skipped ? `, ${job.skipped} skipped` : ''}.`}
        {job.inDoubt > 0 ? ` ${plural(job.inDoubt, 'call')} went out just before Consentry stopped with no answer recorded: resume the job to find out.` : ''}
      </Text>
      <ScrollArea.Autosize mah={320} type="auto">
        <Table verticalSpacing={6} layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="40%">Credential</Table.Th>
              <Table.Th w={110}>Result</Table.Th>
              <Table.Th>Message</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item) => (
              <Table.Tr key={item.key}>
                <Table.Td>
                  <PlannedCredential label={item.label} credential={byKey.get(item.key)} />
                </Table.Td>
                <Table.Td>
                  <Badge color={itemLooks[item.status].color} variant="light" tt="none">
                    {itemLooks[item.status].label}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{item.message ?? (item.verified ? 'Confirmed gone by reading it back.' : '')}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Stack>
  );
}

/**
 * "Revoke now" for compromised credentials: main's plan names what each removal breaks and what
 * cannot be revoked; the admin types the confirmation; then a job and its result per credential.
 */
export function RevokeCredentialsDialog({ credentials, onClose }: { credentials: Credential[]; onClose: () => void }) {
  const keys = credentials.map((credential) => credential.key);
  const byKey = new Map(credentials.map((credential) => [credential.key, credential]));
  const plan = useRevokePlan(keys);
  const revoke = useRevokeCredentials();
  const [typed, setTyped] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const data = plan.data;
  const expired = revoke.error ? asBridgeError(revoke.error).code === 'plan_expired' : false;
  const title = jobId ? 'Revocation result' : data ? `Revoke ${plural(data.items.length, 'credential')} now?` : 'Revoke now';
  // Main plans nothing for a tenant whose connection may not change credentials: allowed, it plans again.
  const capability = useAllowCapability('credentials', () => void plan.refetch());
  // Consentry's own client secrets are not revoked at a tenant: only the others need the capability.
  const lacking = useLackingCredentialsCapability([...new Set(credentials.filter((credential) => credential.kind !== 'connection_client_secret').map((credential) => credential.connectionId))]);

  const capabilityAlerts = lacking.map((connection) => (
    <CredentialsCapabilityNeeded key={connection.id} connection={connection} what="Revoking its credentials" onAllow={() => capability.allow(connection.id)} />
  ));

  return (
    <>
      {capability.dialog}
      <Modal opened={!capability.allowing} onClose={onClose} title={title} size="xl" closeOnClickOutside={!revoke.isPending} closeButtonProps={{ 'aria-label': 'Close' }}>
        {jobId ? (
          <Stack gap="md">
            <RevokeResults jobId={jobId} byKey={byKey} />
            <Group justify="flex-end">
              <Button onClick={onClose}>Close</Button>
            </Group>
          </Stack>
        ) : !data ? (
          <DialogAnswerPending
            error={plan.error}
            failureTitle="What to revoke could not be worked out"
            waiting="Working out what revoking would break…"
            onClose={onClose}
            explained={lacking.length > 0 ? capabilityAlerts : undefined}
          />
        ) : (
          <Stack gap="md">
            <Alert color="red" variant="light" title="At once, with no overlap">
              Anything still using these stops working now. Use this for credentials that leaked; to replace a credential without an outage, rotate it instead.
            </Alert>
            {data.items.length > 0 && <PlanItems plan={data} byKey={byKey} />}
            {data.items.length > 0 && capabilityAlerts}
            <Refused plan={data} />
            {data.items.length > 0 && <TypedConfirmation expected={data.confirmationText} value={typed} onChange={setTyped} />}
            {revoke.error && (
              <FailureAlert title="Nothing was revoked" error={revoke.error}>
                {expired && (
                  <Button
                    variant="light"
                    color="red"
                    size="xs"
                    w="fit-content"
                    onClick={() => {
                      revoke.reset();
                      setTyped('');
                      void plan.refetch();
                    }}
                  >
                    Work out the plan again
                  </Button>
                )}
              </FailureAlert>
            )}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button
                color="red"
                leftSection={<IconBan size={16} />}
                loading={revoke.isPending}
                disabled={data.items.length === 0 || typed.trim() === '' || !isConfirmed(data.confirmationText, typed)}
                onClick={() => revoke.mutate({ planId: data.planId, typed: typed.trim() }, { onSuccess: (job) => setJobId(job.id) })}
              >
                Revoke {plural(data.items.length, 'credential')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}
