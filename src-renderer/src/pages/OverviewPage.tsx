import { Anchor, Badge, Button, Card, Group, List, SimpleGrid, Skeleton, Stack, Table, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { IconCircleDashed, IconFlask } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { connectionStatuses, type ConnectionView } from '../../../src-shared/contract/connections';
import { useActivityPage, useConnectionList, useSettings } from '../bridge/queries';
import { connectionStatusLooks, statusesNeedingAttention } from '../connections/ConnectionStatusBadge';
import { SampleWorkspaceDialog } from '../connections/SampleWorkspaceDialog';
import { ActivityResultBadge } from '../components/ActivityResultBadge';
import { FailureAlert } from '../components/FailureAlert';
import { IntegrityAlert } from '../components/IntegrityAlert';
import { PageHeader } from '../components/PageHeader';
import { describeScanInterval, formatInstant } from '../format/time';

const noFilter = {};

/** A policy the console applies now, with the page where its results are. */
function InForce({ to, where }: { to: string; where: string }) {
  return (
    <Tooltip label={`Checked on ${where}.`}>
      <Badge component={Link} to={to} variant="light" color="teal" tt="none" ml="xs" style={{ cursor: 'pointer' }}>
        In force
      </Badge>
    </Tooltip>
  );
}

function PoliciesCard() {
  const settings = useSettings();
  return (
    <Card withBorder padding="lg" data-testid="policies">
      <Title order={2} size="h4" mb="sm">
        Policies
      </Title>
      {settings.data ? (
        <Table variant="vertical" layout="fixed" withTableBorder={false}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w="45%">Background scans</Table.Th>
              <Table.Td>
                {describeScanInterval(settings.data.backgroundScanIntervalMinutes)}
                {settings.data.backgroundScanIntervalMinutes > 0 && (
                  <Badge variant="light" color="teal" tt="none" ml="xs">
                    In force
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Maximum key age</Table.Th>
              <Table.Td>
                {settings.data.keyAgePolicyDays} days
                {Object.keys(settings.data.credentialMaxAgeDays).length > 0 && ` (${Object.keys(settings.data.credentialMaxAgeDays).length} kinds differ)`}
                <InForce to="/credentials" where="the Credentials page" />
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Warn before expiry</Table.Th>
              <Table.Td>
                {settings.data.expiryWarningDays} days
                <InForce to="/credentials" where="the Credentials page" />
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Unrestricted API keys</Table.Th>
              <Table.Td>
                {settings.data.forbidUnrestrictedApiKeys ? 'A finding' : 'Allowed'}
                {settings.data.forbidUnrestrictedApiKeys && <InForce to="/credentials" where="the Credentials page" />}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Unused service-account keys</Table.Th>
              <Table.Td>
                {settings.data.unusedKeyDays > 0 ? `A finding after ${settings.data.unusedKeyDays} days` : 'Not checked (off)'}
                {settings.data.unusedKeyDays > 0 && <InForce to="/credentials" where="the Credentials page" />}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      ) : (
        <Skeleton h={96} />
      )}
      <Anchor component={Link} to="/settings" size="sm" mt="sm" display="block">
        Change in Settings
      </Anchor>
    </Card>
  );
}

function GettingStartedCard() {
  const [sampleOpen, setSampleOpen] = useState(false);
  const steps = [
    ['Connect a tenant', 'Google Workspace, Microsoft Entra or a SaaS provider, with your own OAuth client.'],
    ['Scan third-party grants', 'See which apps reach mail, files and directory, rated by risk.'],
    ['Act and report', 'Revoke what should not be there and export the evidence for your auditor.'],
  ] as const;
  return (
    <Card withBorder padding="lg">
      <Title order={2} size="h4" mb={4}>
        No tenant connected yet
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Nothing is measured until a tenant is connected; this overview will then summarise risky grants, expiring credentials
        and open actions.
      </Text>
      <List spacing="sm" icon={<ThemeIcon size={22} radius="xl" variant="light" color="gray"><IconCircleDashed size={14} /></ThemeIcon>}>
        {steps.map(([title, text]) => (
          <List.Item key={title}>
            <Text size="sm" fw={600}>
              {title}
            </Text>
            <Text size="sm" c="dimmed">
              {text}
            </Text>
          </List.Item>
        ))}
      </List>
      <Group gap="sm" mt="md">
        <Button variant="light" color="grape" size="sm" leftSection={<IconFlask size={16} />} onClick={() => setSampleOpen(true)}>
          Explore the sample workspace
        </Button>
        <Anchor component={Link} to="/connections" size="sm">
          Open Connections
        </Anchor>
      </Group>
      <Text size="xs" c="dimmed" mt="xs">
        The sample workspace is a made-up company that runs on this computer, to see Consentry work before you connect a real tenant.
      </Text>
      <SampleWorkspaceDialog opened={sampleOpen} onClose={() => setSampleOpen(false)} />
    </Card>
  );
}

function ConnectionsSummary({ connections }: { connections: ConnectionView[] }) {
  const attention = connections.filter((connection) => statusesNeedingAttention.includes(connection.status)).length;
  return (
    <Card withBorder padding="lg" data-testid="connections-summary">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          Connections
        </Title>
        <Anchor component={Link} to="/connections" size="sm">
          Open Connections
        </Anchor>
      </Group>
      <Text size="sm" mb="sm">
        {connections.length} connection{connections.length === 1 ? '' : 's'}
        {attention > 0 ? `, ${attention} need${attention === 1 ? 's' : ''} your attention.` : '.'}
      </Text>
      <Group gap="xs">
        {connectionStatuses.map((status) => {
          const count = connections.filter((connection) => connection.status === status).length;
          if (count === 0) return null;
          const look = connectionStatusLooks[status];
          return (
            <Badge key={status} variant="light" color={look.color} tt="none" leftSection={<look.icon size={12} aria-hidden />}>
              {look.label}: {count}
            </Badge>
          );
        })}
      </Group>
    </Card>
  );
}

/** How the tenants stand, or how to connect the first one. */
function ConnectionsCard() {
  const list = useConnectionList();
  if (list.error && !list.data) {
    return (
      <Card withBorder padding="lg">
        <FailureAlert title="The connections could not be loaded" error={list.error} />
      </Card>
    );
  }
  if (!list.data) {
    return (
      <Card withBorder padding="lg">
        <Skeleton h={120} />
      </Card>
    );
  }
  return list.data.connections.length === 0 ? <GettingStartedCard /> : <ConnectionsSummary connections={list.data.connections} />;
}

function RecentActivityCard() {
  const activity = useActivityPage(noFilter, 0, 5);
  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          Recent activity
        </Title>
        <Anchor component={Link} to="/activity" size="sm">
          Open the activity log
        </Anchor>
      </Group>
      {!activity.data ? (
        <Skeleton h={120} />
      ) : (
        <Stack gap="sm">
          <IntegrityAlert integrity={activity.data.integrity} compact />
          {activity.data.entries.length === 0 ? (
            <Text size="sm" c="dimmed">
              Consentry has not done anything yet. Every action it takes will be listed here.
            </Text>
          ) : (
            <Table>
              <Table.Tbody>
                {activity.data.entries.map((entry) => (
                  <Table.Tr key={entry.seq}>
                    <Table.Td c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {formatInstant(entry.at)}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {entry.action}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" lineClamp={1}>
                        {entry.detail ?? entry.target}
                      </Text>
                    </Table.Td>
                    {/* Wide enough for "succeeded": a long detail must not squeeze the result to "SU…". */}
                    <Table.Td w={110} style={{ whiteSpace: 'nowrap' }}>
                      <ActivityResultBadge result={entry.result} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </Card>
  );
}

export function OverviewPage() {
  return (
    <>
      <PageHeader title="Overview" description="Where your tenants stand on third-party access, credentials and offboarding." />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <ConnectionsCard />
        <PoliciesCard />
      </SimpleGrid>
      <Stack mt="lg">
        <RecentActivityCard />
      </Stack>
    </>
  );
}
