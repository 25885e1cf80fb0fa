import { Badge, Button, Code, Drawer, Group, List, Skeleton, Stack, Table, Text } from '@mantine/core';
import { IconBan, IconRotateClockwise } from '@tabler/icons-react';
import type { Credential, Rotation } from '../../../src-shared/contract/credentials';
import { useCredentialHistory } from '../bridge/credentials-queries';
import { ActivityResultBadge } from '../components/ActivityResultBadge';
import { DetailSection } from '../components/DetailSection';
import { FactTable } from '../components/FactTable';
import { FailureAlert } from '../components/FailureAlert';
import { formatInstant } from '../format/time';
import { providerNames } from '../grants/grant-format';
import { CredentialStatusBadge } from './CredentialStatusBadge';
import { credentialLabel, isRotationFinished, kindLabels, rotationStateLabels, statusLooks } from './credential-format';

const instant = (iso: string | null, empty = '—') => (iso ? formatInstant(iso) : empty);
const id = (value: string) => (
  <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
    {value}
  </Text>
);

function Restrictions({ credential }: { credential: Credential }) {
  if (credential.restrictions === null) return <Text size="sm" c="dimmed">This kind of credential has no restrictions.</Text>;
  if (credential.restrictions.length === 0) return <Text size="sm" c="pink.8">None: the key works from anywhere, for every API the project enables.</Text>;
  return (
    <List size="sm" spacing={2}>
      {credential.restrictions.map((restriction) => (
        <List.Item key={restriction}>{restriction}</List.Item>
      ))}
    </List>
  );
}

function RotationRows({ rotations }: { rotations: Rotation[] }) {
  if (rotations.length === 0) return <Text size="sm" c="dimmed">Never rotated by Consentry.</Text>;
  return (
    <Table verticalSpacing={4} layout="fixed" data-testid="credential-rotations">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="34%">Started</Table.Th>
          <Table.Th w="26%">State</Table.Th>
          <Table.Th>New credential</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rotations.map((rotation) => (
          <Table.Tr key={rotation.id}>
            <Table.Td>{formatInstant(rotation.startedAt)}</Table.Td>
            <Table.Td>
              <Badge variant="light" color={rotation.state === 'done' ? 'teal' : rotation.state === 'failed' ? 'red' : isRotationFinished(rotation.state) ? 'gray' : 'blue'} tt="none">
                {rotationStateLabels[rotation.state]}
              </Badge>
            </Table.Td>
            <Table.Td style={{ wordBreak: 'break-word' }}>{rotation.created ? credentialLabel(rotation.created) : rotation.planned.displayName}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function History({ credentialKey }: { credentialKey: string }) {
  const history = useCredentialHistory(credentialKey);
  if (history.error) return <FailureAlert title="The history could not be read" error={history.error} />;
  if (!history.data) return <Skeleton h={80} />;
  const { entries, rotations } = history.data;
  return (
    <Stack gap="md">
      <RotationRows rotations={rotations} />
      {entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing in the activity log about this credential.
        </Text>
      ) : (
        <Stack gap={6} data-testid="credential-activity">
          {entries.map((entry) => (
            <Group key={entry.seq} gap="xs" wrap="nowrap" align="flex-start">
              <ActivityResultBadge result={entry.result} />
              <Stack gap={0}>
                <Text size="sm">
                  <Text span ff="monospace" size="sm">
                    {entry.action}
                  </Text>{' '}
                  · {formatInstant(entry.at)}
                </Text>
                {entry.detail && (
                  <Text size="xs" c="dimmed">
                    {entry.detail}
                  </Text>
                )}
              </Stack>
            </Group>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/**
 * One credential in full: every field, each finding with its reason, the restrictions, when the
 * inventory read it, and what was done to it; with Rotate and Revoke now.
 */
export function CredentialDrawer({ credential, onClose, onRotate, onRevoke }: { credential: Credential | null; onClose: () => void; onRotate: (credential: Credential) => void; onRevoke: (credential: Credential) => void }) {
  return (
    <Drawer
      opened={credential !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={credential ? credentialLabel(credential) : 'Credential'}
      styles={{ title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-xl)' } }}
      closeButtonProps={{ 'aria-label': 'Close credential details' }}
    >
      {credential && (
        <Stack gap="lg" data-testid="credential-drawer">
          <Group gap="sm">
            <CredentialStatusBadge status={credential.status} />
            <Text size="sm" c="dimmed">
              {kindLabels[credential.kind]} · {credential.tenantLabel} ({providerNames[credential.provider]})
            </Text>
          </Group>
          <Group gap="sm">
            <Button leftSection={<IconRotateClockwise size={16} />} disabled={credential.rotation.mode === 'none'} onClick={() => onRotate(credential)}>
              {credential.rotationId ? 'Continue the rotation' : 'Rotate…'}
            </Button>
            <Button color="red" variant="light" leftSection={<IconBan size={16} />} disabled={!credential.revocable} onClick={() => onRevoke(credential)}>
              Revoke now…
            </Button>
          </Group>
          {credential.rotation.note && (
            <Text size="sm" c="dimmed">
              {credential.rotation.note}
            </Text>
          )}
          <DetailSection title="Findings">
            {credential.findings.length === 0 ? (
              <Text size="sm">Meets the credential policy.</Text>
            ) : (
              <List size="sm" spacing={6} data-testid="credential-findings">
                {credential.findings.map((finding) => (
                  <List.Item key={finding.status}>
                    <Text span size="sm" fw={600}>
                      {statusLooks[finding.status].label}:
                    </Text>{' '}
                    {finding.reason}
                  </List.Item>
                ))}
              </List>
            )}
          </DetailSection>
          <DetailSection title="Details">
            <FactTable
              rows={[
                ['Name', credential.displayName ?? '—'],
                ['Hint', credential.hint ? <Code>{credential.hint}</Code> : '—'],
                ['Credential id', id(credential.credentialId)],
                ['Kind', kindLabels[credential.kind]],
                ['Owner', credential.ownerName],
                ['Owner id', id(credential.ownerId)],
                ['Tenant', `${credential.tenantLabel} (${providerNames[credential.provider]})`],
                ['Created', instant(credential.createdAt, 'Not reported')],
                ['Expires', instant(credential.expiresAt, 'Never')],
                ['Last used', [instant(credential.lastUsedAt, 'Not reported'), credential.lastUsedNote].filter(Boolean).join(' · ')],
                ['Disabled', credential.disabled ? 'Yes' : 'No'],
                ['Managed by', credential.managedBy === 'provider' ? `${providerNames[credential.provider]} (rotated by the provider)` : 'Your admins'],
              ]}
            />
          </DetailSection>
          <DetailSection title="Restrictions">
            <Restrictions credential={credential} />
          </DetailSection>
          <DetailSection title="Evidence">
            <Text size="sm">
              Read from {providerNames[credential.provider]} at {formatInstant(credential.readAt)}. Consentry never reads or keeps the secret itself, only what the provider shows about it.
            </Text>
          </DetailSection>
          <DetailSection title="History">
            <History credentialKey={credential.key} />
          </DetailSection>
        </Stack>
      )}
    </Drawer>
  );
}
