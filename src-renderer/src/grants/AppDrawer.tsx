import { Alert, Badge, Button, Drawer, Group, List, Skeleton, Stack, Table, Text, ThemeIcon } from '@mantine/core';
import { IconArrowUpRight, IconBan, IconInfoCircle } from '@tabler/icons-react';
import type { GrantAppDetail, GrantAppRow } from '../../../src-shared/contract/grants';
import { useGrantApp } from '../bridge/queries';
import { CopyableValue } from '../components/CopyableValue';
import { DetailSection } from '../components/DetailSection';
import { FactTable } from '../components/FactTable';
import { FailureAlert } from '../components/FailureAlert';
import { RelativeTime } from '../components/RelativeTime';
import { ConsentBadges } from './ConsentBadges';
import { EvidenceRecord } from './EvidenceRecord';
import { GrantHolder } from './GrantHolder';
import { accessLabels, formatCount, grantHolder, plural, providerNames, publisherStatus } from './grant-format';
import { NewBadge } from './NewBadge';
import { RiskBadge, riskLooks } from './RiskBadge';

function Rating({ app }: { app: GrantAppRow }) {
  return (
    <Stack gap="xs">
      <Text size="sm">
        Rated <strong>{riskLooks[app.risk].label}</strong>. Its most powerful scope is rated {riskLooks[app.scopeRisk].label.toLowerCase()}
        {app.risk === app.scopeRisk ? '.' : '; the factors below changed the rating.'}
      </Text>
      {app.factors.length > 0 && (
        <List size="sm" spacing={4} data-testid="risk-factors">
          {app.factors.map((factor) => (
            <List.Item
              key={factor.code}
              icon={
                <ThemeIcon size={18} radius="xl" variant="light" color={factor.raises ? 'orange' : 'gray'}>
                  {factor.raises ? <IconArrowUpRight size={12} /> : <IconInfoCircle size={12} />}
                </ThemeIcon>
              }
            >
              {factor.text}
              {factor.raises && (
                <Text span size="xs" c="orange.8" fw={600}>
                  {' '}
                  (raised the rating one level)
                </Text>
              )}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

function Scopes({ detail }: { detail: GrantAppDetail }) {
  return (
    <Table verticalSpacing="xs" layout="fixed" data-testid="app-scopes">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="38%">Scope</Table.Th>
          <Table.Th w={110}>Risk</Table.Th>
          <Table.Th>What it allows</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {detail.scopes.map((scope) => (
          <Table.Tr key={scope.scope}>
            <Table.Td>
              <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                {scope.scope}
              </Text>
            </Table.Td>
            <Table.Td>
              <RiskBadge level={scope.level} />
            </Table.Td>
            <Table.Td>
              <Text size="sm">{scope.reason}</Text>
              {scope.unrated && (
                <Text size="xs" c="dimmed">
                  Not in Consentry’s catalog: rated from its name.
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Users({ detail }: { detail: GrantAppDetail }) {
  return (
    <Stack gap="xs">
      <Table verticalSpacing={6} layout="fixed" data-testid="app-grants">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Granted by</Table.Th>
            <Table.Th w={120}>Consent</Table.Th>
            <Table.Th w={100}>Scopes</Table.Th>
            <Table.Th w={130}>Last used</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {detail.grants.map((grant) => (
            <Table.Tr key={grant.key}>
              <Table.Td>
                <GrantHolder user={grant.user} />
              </Table.Td>
              <Table.Td>
                <ConsentBadges consent={[grant.consent]} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatCount(grant.scopes.length)}</Text>
              </Table.Td>
              <Table.Td>
                <RelativeTime iso={grant.lastUsed} empty="Not reported" />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {detail.app.grants > detail.grants.length && (
        <Text size="sm" c="dimmed">
          The first {formatCount(detail.grants.length)} of {plural(detail.app.grants, 'grant')}. The “By user” view lists them all; search for the app’s name.
        </Text>
      )}
    </Stack>
  );
}

function Evidence({ detail }: { detail: GrantAppDetail }) {
  if (detail.evidence.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        The provider returned no record to show.
      </Text>
    );
  }
  const holders = new Map(detail.grants.map((grant) => [grant.key, grantHolder(grant.user)]));
  return (
    <Stack gap="md" data-testid="app-evidence">
      <Text size="sm" c="dimmed">
        The provider’s own records behind these grants, as it returned them. Anything that could be used to revoke is removed.
      </Text>
      {detail.evidence.map((record) => (
        <EvidenceRecord key={record.grantKey} title={holders.get(record.grantKey) ?? record.grantKey} record={record.record} />
      ))}
    </Stack>
  );
}

function Details({ detail, onRevoke }: { detail: GrantAppDetail; onRevoke: (app: GrantAppRow) => void }) {
  const { app } = detail;
  return (
    <Stack gap="lg" data-testid="app-details">
      <Group gap="sm">
        <RiskBadge level={app.risk} size="lg" />
        {app.isNew && <NewBadge />}
        {app.access.includes('application') && (
          <Badge variant="light" color="grape" tt="none">
            Application access: acts without a user
          </Badge>
        )}
      </Group>
      <Button color="red" variant="light" leftSection={<IconBan size={16} />} onClick={() => onRevoke(app)} w="fit-content">
        Revoke {app.name} for {app.consent.includes('tenant') ? 'everyone' : plural(app.users, 'user')}…
      </Button>
      <DetailSection title="Why this rating">
        <Rating app={app} />
      </DetailSection>
      <DetailSection title={`Scopes (${formatCount(detail.scopes.length)})`}>
        <Scopes detail={detail} />
      </DetailSection>
      <DetailSection title="App">
        <FactTable
          labelWidth="32%"
          rows={[
            ['Publisher', <Text key="publisher" size="sm">{app.publisher ?? 'Not reported'} <Text span size="xs" c="dimmed">· {publisherStatus(app)}</Text></Text>],
            ['Client ID', <CopyableValue key="client" value={app.clientId} copyLabel="Copy client ID" />],
            ['Connection', `${app.connectionLabel} (${providerNames[app.provider]})`],
            ['Consent', <ConsentBadges key="consent" consent={app.consent} />],
            ['Access', app.access.map((kind) => accessLabels[kind]).join(', ')],
            ['Users', app.consent.includes('tenant') ? `Everyone in the tenant (admin consent)${app.users > 0 ? `, and ${plural(app.users, 'user')} on their own` : ''}` : formatCount(app.users)],
            ['Grants', formatCount(app.grants)],
            ['Last used', <RelativeTime key="used" iso={app.lastUsed} empty="Not reported by the provider" />],
          ]}
        />
      </DetailSection>
      <DetailSection title="Who granted it">
        <Users detail={detail} />
      </DetailSection>
      <DetailSection title="Evidence">
        <Evidence detail={detail} />
      </DetailSection>
    </Stack>
  );
}

/** One app: its rating and why, each scope explained, who granted it, and the provider's records. */
export function AppDrawer({ appKey, onClose, onRevoke }: { appKey: string | null; onClose: () => void; onRevoke: (app: GrantAppRow) => void }) {
  const detail = useGrantApp(appKey);
  const title = detail.data?.app.name ?? 'App';
  return (
    <Drawer
      opened={appKey !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={title}
      styles={{ title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-xl)' } }}
      closeButtonProps={{ 'aria-label': 'Close app details' }}
    >
      {detail.error ? (
        <FailureAlert title="This app could not be loaded" error={detail.error} />
      ) : !detail.data ? (
        <Stack>
          <Skeleton h={28} w={160} />
          <Skeleton h={160} />
          <Skeleton h={240} />
        </Stack>
      ) : (
        <>
          {detail.data.app.anonymous && (
            <Alert color="orange" variant="light" icon={<IconInfoCircle size={18} />} mb="md">
              The provider does not identify this app: it is not registered with it, so its name and publisher cannot be trusted.
            </Alert>
          )}
          <Details detail={detail.data} onRevoke={onRevoke} />
        </>
      )}
    </Drawer>
  );
}
