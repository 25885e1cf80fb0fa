import { useAllowCapability } from '../connections/useAllowCapability';
import { Alert, Button, Code, Collapse, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconChevronDown, IconChevronUp, IconCloud, IconInfoCircle, IconLockOpen, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import type { CredentialSource } from '../../../src-shared/contract/credentials';
import { useReadCredentials } from '../bridge/credentials-queries';
import { capabilityText } from '../connections/capability-text';
import { providerNames } from '../grants/grant-format';
import { CloudProjectsForm } from './CloudProjectsForm';

type AttentionSource = CredentialSource & { state: Exclude<CredentialSource['state'], 'read'> };

const looks: Record<AttentionSource['state'], { color: string; title: (source: CredentialSource) => string; icon: typeof IconInfoCircle }> = {
  partial: { color: 'yellow', title: (source) => `${source.tenantLabel} was read in part`, icon: IconAlertTriangle },
  failed: { color: 'red', title: (source) => `${source.tenantLabel} could not be read`, icon: IconAlertTriangle },
  missing_scopes: { color: 'orange', title: (source) => `${source.tenantLabel} needs the credentials capability`, icon: IconLockOpen },
  needs_projects: { color: 'blue', title: (source) => `Name the Cloud projects of ${source.tenantLabel}`, icon: IconCloud },
  not_supported: { color: 'gray', title: (source) => `${providerNames[source.provider]} credentials are not listed`, icon: IconInfoCircle },
};

function SourceDetails({ source, onAllow }: { source: AttentionSource; onAllow: (connectionId: string) => void }) {
  const read = useReadCredentials();
  const look = looks[source.state];
  return (
    <Stack gap="xs">
      <Text size="sm">{source.message}</Text>
      {source.nextStep && (
        <Text size="sm" fw={500}>
          Next step: {source.nextStep}
        </Text>
      )}
      {source.missingScopes.length > 0 && (
        <Group gap={6}>
          {source.missingScopes.map((scope) => (
            <Code key={scope}>{scope}</Code>
          ))}
        </Group>
      )}
      {source.state === 'missing_scopes' && (
        <Button size="xs" variant="light" color="orange" w="fit-content" leftSection={<IconLockOpen size={14} />} onClick={() => onAllow(source.connectionId)}>
          Allow {capabilityText.credentials.activity} for {source.tenantLabel}
        </Button>
      )}
      {source.state === 'needs_projects' && <CloudProjectsForm connectionId={source.connectionId} tenantLabel={source.tenantLabel} />}
      {(source.state === 'partial' || source.state === 'failed') && (
        <Button size="xs" variant="light" color={look.color} w="fit-content" leftSection={<IconRefresh size={14} />} loading={read.isPending} onClick={() => read.mutate([source.connectionId])}>
          Read {source.tenantLabel} again
        </Button>
      )}
    </Stack>
  );
}

/** Nothing could be read: the whole explanation and the way out, up front. */
function SourceAlert({ source, onAllow }: { source: AttentionSource; onAllow: (connectionId: string) => void }) {
  const look = looks[source.state];
  return (
    <Alert color={look.color} variant="light" icon={<look.icon size={18} />} title={look.title(source)} data-testid="credential-source-alert">
      <SourceDetails source={source} onAllow={onAllow} />
    </Alert>
  );
}

/**
 * Read, but something was left out (a project's last use, one listing): one line that says so,
 * with the details on demand, so the table keeps the window.
 */
function PartialSourceAlert({ source, onAllow }: { source: AttentionSource; onAllow: (connectionId: string) => void }) {
  const [open, setOpen] = useState(false);
  const look = looks[source.state];
  return (
    <Alert color={look.color} variant="light" icon={<look.icon size={18} />} py={8} styles={{ body: { minWidth: 0 } }} data-testid="credential-source-alert">
      <Group justify="space-between" gap="sm" wrap="nowrap">
        <Text size="sm" truncate title={source.message} style={{ flex: 1, minWidth: 0 }}>
          <Text span size="sm" fw={650} c={`${look.color}.9`}>
            {look.title(source)}:
          </Text>{' '}
          {source.message}
        </Text>
        <Button
          size="compact-sm"
          variant="subtle"
          color={look.color}
          rightSection={open ? <IconChevronUp size={14} /> : <IconChevronDown size={14} />}
          aria-expanded={open}
          onClick={() => setOpen(!open)}
          style={{ flexShrink: 0 }}
        >
          {open ? 'Hide details' : 'Details'}
        </Button>
      </Group>
      <Collapse expanded={open}>
        <Stack mt="xs">
          <SourceDetails source={source} onAllow={onAllow} />
        </Stack>
      </Collapse>
    </Alert>
  );
}

/**
 * Every tenant whose credentials were not all read, and why: a tenant that could not be read is
 * never shown as clean. Allowing the capability signs in again, then reads that tenant.
 */
export function CredentialSourceAlerts({ sources }: { sources: CredentialSource[] }) {
  const read = useReadCredentials();
  const capability = useAllowCapability('credentials', (connectionId) => read.mutate([connectionId]));
  const attention = sources.filter((source): source is AttentionSource => source.state !== 'read');
  if (attention.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="credential-sources">
      {attention.map((source) =>
        source.state === 'partial' ? (
          <PartialSourceAlert key={source.connectionId} source={source} onAllow={capability.allow} />
        ) : (
          <SourceAlert key={source.connectionId} source={source} onAllow={capability.allow} />
        ),
      )}
      {capability.dialog}
    </Stack>
  );
}
