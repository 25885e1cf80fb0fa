import { Alert, Badge, Drawer, Group, List, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import type { ConnectionSettings, ConnectionView } from '../../../src-shared/contract/connections';
import type { CapabilityId } from '../../../src-shared/domain/ids';
import { CopyableValue } from '../components/CopyableValue';
import { DetailSection } from '../components/DetailSection';
import { FactTable } from '../components/FactTable';
import { OpenInBrowserButton } from '../components/OpenInBrowserButton';
import { RelativeTime } from '../components/RelativeTime';
import { formatInstant } from '../format/time';
import { SampleBadge } from './SampleWorkspaceDialog';
import { ApiQuotaSetting } from './ApiQuotaSetting';
import { CapabilityList } from './CapabilityList';
import { ConnectionStatusBadge } from './ConnectionStatusBadge';
import { scopeCoverage } from './scope-coverage';

const settingLabels: Record<keyof ConnectionSettings, string> = {
  tenant: 'Tenant',
  cloud: 'Cloud',
  myDomain: 'My Domain',
  orgUrl: 'Org URL',
  subdomain: 'Subdomain',
  issuer: 'Issuer URL',
  authorizationEndpoint: 'Authorization endpoint',
  tokenEndpoint: 'Token endpoint',
  revocationEndpoint: 'Revocation endpoint',
  apiBaseUrl: 'API base URL',
  apiQuotaPerMinute: 'API calls per minute',
  redirectPort: 'Redirect port',
  auditScopes: 'Audit scopes',
};

function Instant({ iso, empty, now }: { iso: string | null; empty: string; now: number }) {
  if (!iso) return <Text size="sm" c="dimmed">{empty}</Text>;
  return (
    <Text size="sm">
      {formatInstant(iso)} <Text span size="sm" c="dimmed">(<RelativeTime iso={iso} now={now} />)</Text>
    </Text>
  );
}

function ScopeList({ connection }: { connection: ConnectionView }) {
  const coverage = scopeCoverage(connection);
  const granted = new Set(connection.scopesGranted);
  return (
    <Stack gap="xs">
      <Text size="sm">
        {coverage.grantedOfRequested} of {coverage.requested} requested scopes granted.
      </Text>
      {coverage.notGranted.length > 0 && (
        <Alert color="orange" variant="light" title="Not granted" data-testid="scopes-not-granted">
          <Text size="sm" mb={4}>
            {connection.providerLabel} did not grant these; the features that need them will not work until you reconnect and approve
            them:
          </Text>
          <List size="sm" ff="monospace">
            {coverage.notGranted.map((scope) => (
              <List.Item key={scope}>{scope}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <List size="sm" spacing={4} center>
        {connection.scopesRequested.map((scope) => (
          <List.Item
            key={scope}
            icon={
              <ThemeIcon size={18} radius="xl" variant="light" color={granted.has(scope) ? 'teal' : 'orange'}>
                {granted.has(scope) ? <IconCheck size={12} /> : <IconX size={12} />}
              </ThemeIcon>
            }
          >
            <Text span size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {scope}
            </Text>{' '}
            <Text span size="xs" c="dimmed">
              {granted.has(scope) ? 'granted' : 'not granted'}
            </Text>
          </List.Item>
        ))}
      </List>
      {coverage.alsoGranted.length > 0 && (
        <Text size="sm" c="dimmed">
          Also granted (from earlier consents): <Text span ff="monospace" size="sm">{coverage.alsoGranted.join(' ')}</Text>
        </Text>
      )}
    </Stack>
  );
}

function settingValue(value: ConnectionSettings[keyof ConnectionSettings]): string {
  return Array.isArray(value) ? value.join(' ') : String(value);
}

/** Everything Consentry knows about one connection; never a token or the secret itself. */
export function ConnectionDrawer({
  connection,
  now,
  onClose,
  onAllow,
}: {
  connection: ConnectionView | null;
  now: number;
  onClose: () => void;
  /** Allowing a capability asks the admin first (and may open the browser). */
  onAllow: (connection: ConnectionView, capability: CapabilityId) => void;
}) {
  const settings = connection
    ? (Object.entries(connection.settings) as [keyof ConnectionSettings, ConnectionSettings[keyof ConnectionSettings]][]).filter(
        // The API quota has its own section, where it can be changed.
        ([name, value]) => value !== undefined && name !== 'apiQuotaPerMinute',
      )
    : [];
  return (
    <Drawer
      opened={connection !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={connection ? `${connection.label} — details` : ''}
      closeButtonProps={{ 'aria-label': 'Close details' }}
    >
      {connection && (
        <Stack gap="lg" data-testid="connection-details">
          <DetailSection title="Status">
            <Stack gap="xs">
              <Group gap="xs">
                <ConnectionStatusBadge status={connection.status} />
                {connection.sample && <SampleBadge />}
                <Text size="sm">{connection.statusDetail}</Text>
              </Group>
              {connection.lastError && (
                <Alert color="red" variant="light" title="Last error">
                  <Text size="sm">{connection.lastError.message}</Text>
                  {connection.lastError.nextStep && (
                    <Text size="sm" fw={500} mt={4}>
                      Next step: {connection.lastError.nextStep}
                    </Text>
                  )}
                  <Text size="xs" c="dimmed" mt={4}>
                    {connection.lastError.code} · {formatInstant(connection.lastError.at)}
                  </Text>
                </Alert>
              )}
            </Stack>
          </DetailSection>

          <DetailSection title="Connection">
            <FactTable
              rows={[
                ['Provider', connection.providerLabel],
                ['Account', connection.account ?? <Text size="sm" c="dimmed">Not reported yet</Text>],
                ['Tenant', connection.tenant ?? <Text size="sm" c="dimmed">Not reported</Text>],
                [
                  'Token storage',
                  connection.storage === 'session-only' ? (
                    <Badge color="yellow" variant="light" tt="none">Session only — lost when Consentry quits</Badge>
                  ) : (
                    'Encrypted with the operating system’s keychain'
                  ),
                ],
              ]}
            />
          </DetailSection>

          <DetailSection title="What Consentry may do">
            <CapabilityList connection={connection} onAllow={(capability) => onAllow(connection, capability)} />
          </DetailSection>

          <DetailSection title="OAuth client">
            <FactTable
              rows={[
                ['Client ID', <CopyableValue key="client-id" value={connection.clientId} copyLabel="Copy client ID" />],
                ['Client secret', connection.hasClientSecret ? 'Stored in the vault (never shown)' : 'None'],
                ['Redirect URI', <CopyableValue key="redirect" value={connection.redirectUri} copyLabel="Copy redirect URI" />],
              ]}
            />
          </DetailSection>

          <DetailSection title="Endpoint settings">
            {settings.length === 0 ? (
              <Text size="sm" c="dimmed">
                {connection.providerLabel}’s own endpoints; nothing overridden.
              </Text>
            ) : (
              <FactTable rows={settings.map(([name, value]) => [settingLabels[name], <Text key={name} size="sm" ff="monospace">{settingValue(value)}</Text>])} />
            )}
          </DetailSection>

          <DetailSection title="Provider API">
            <ApiQuotaSetting key={connection.id} connection={connection} />
          </DetailSection>

          <DetailSection title="Scopes">
            <ScopeList connection={connection} />
          </DetailSection>

          <DetailSection title="Times">
            <FactTable
              rows={[
                ['Added', <Instant key="created" iso={connection.createdAt} empty="—" now={now} />],
                ['Connected', <Instant key="connected" iso={connection.connectedAt} empty="Never completed a sign-in" now={now} />],
                ['Access token expires', <Instant key="expires" iso={connection.accessTokenExpiresAt} empty="No expiry known" now={now} />],
                ['Last refresh', <Instant key="last" iso={connection.lastRefreshAt} empty="Not refreshed yet" now={now} />],
                ['Next refresh', <Instant key="next" iso={connection.nextRefreshAt} empty="None planned" now={now} />],
              ]}
            />
          </DetailSection>

          <DetailSection title="Revoke by hand">
            <Stack gap="xs">
              <Text size="sm">
                If revocation at the provider fails, or to check it, remove Consentry’s access here: {connection.manualRevocation.where}
              </Text>
              {connection.manualRevocation.url && (
                <OpenInBrowserButton url={connection.manualRevocation.url} size="xs" w="fit-content">
                  Open revocation page
                </OpenInBrowserButton>
              )}
            </Stack>
          </DetailSection>
        </Stack>
      )}
    </Drawer>
  );
}
