import { Alert, Anchor, Button, Code, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCloud, IconInfoCircle, IconLockOpen, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import type { CredentialSource } from '../../../src-shared/contract/credentials';
import { useReadCredentials } from '../bridge/credentials-queries';
import { useConnectionList } from '../bridge/queries';
import { capabilityText } from '../connections/capability-text';
import { ReconnectDialog, type ReconnectIntent } from '../connections/ReconnectDialog';
import { providerNames } from '../grants/grant-format';
import { CloudProjectsForm } from './CloudProjectsForm';

const looks: Record<Exclude<CredentialSource['state'], 'read'>, { color: string; title: (source: CredentialSource) => string; icon: typeof IconInfoCircle }> = {
  partial: { color: 'yellow', title: (source) => `${source.tenantLabel} was read in part`, icon: IconAlertTriangle },
  failed: { color: 'red', title: (source) => `${source.tenantLabel} could not be read`, icon: IconAlertTriangle },
  missing_scopes: { color: 'orange', title: (source) => `${source.tenantLabel} needs the credentials capability`, icon: IconLockOpen },
  needs_projects: { color: 'blue', title: (source) => `Name the Cloud projects of ${source.tenantLabel}`, icon: IconCloud },
  not_supported: { color: 'gray', title: (source) => `${providerNames[source.provider]} credentials are not listed`, icon: IconInfoCircle },
};

function SourceAlert({ source, onAllow }: { source: CredentialSource & { state: Exclude<CredentialSource['state'], 'read'> }; onAllow: (connectionId: string) => void }) {
  const read = useReadCredentials();
  const look = looks[source.state];
  return (
    <Alert color={look.color} variant="light" icon={<look.icon size={18} />} title={look.title(source)} data-testid="credential-source-alert">
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
    </Alert>
  );
}

function ChangeProjects({ source }: { source: CredentialSource }) {
  const [open, setOpen] = useState(false);
  return open ? (
    <CloudProjectsForm connectionId={source.connectionId} tenantLabel={source.tenantLabel} />
  ) : (
    <Anchor component="button" type="button" size="sm" w="fit-content" onClick={() => setOpen(true)}>
      Change the Cloud projects read for {source.tenantLabel}
    </Anchor>
  );
}

/**
 * Every tenant whose credentials were not all read, and why: a tenant that could not be read is
 * never shown as clean. Allowing the capability signs in again, then reads that tenant.
 */
export function CredentialSourceAlerts({ sources }: { sources: CredentialSource[] }) {
  const connections = useConnectionList();
  const read = useReadCredentials();
  const [intent, setIntent] = useState<ReconnectIntent | null>(null);
  const allow = (connectionId: string) => {
    const connection = connections.data?.connections.find((candidate) => candidate.id === connectionId);
    if (connection) setIntent({ connection, capability: 'credentials' });
  };
  const attention = sources.filter((source): source is CredentialSource & { state: Exclude<CredentialSource['state'], 'read'> } => source.state !== 'read');
  // Google sources already read keep a way to change which projects are read.
  const googleRead = sources.filter((source) => source.provider === 'google' && (source.state === 'read' || source.state === 'partial'));
  if (attention.length === 0 && googleRead.length === 0) return null;
  return (
    <Stack gap="sm" data-testid="credential-sources">
      {attention.map((source) => (
        <SourceAlert key={source.connectionId} source={source} onAllow={allow} />
      ))}
      {googleRead.map((source) => (
        <ChangeProjects key={source.connectionId} source={source} />
      ))}
      <ReconnectDialog
        intent={intent}
        onClose={() => {
          if (intent) read.mutate([intent.connection.id]);
          setIntent(null);
        }}
      />
    </Stack>
  );
}
