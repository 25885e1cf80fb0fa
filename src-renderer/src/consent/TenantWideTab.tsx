import { Badge, Button, Card, Group, Menu, Skeleton, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAdjustments, IconBan, IconChevronDown, IconLock, IconRadar, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import type { GrantRow, RiskLevelName } from '../../../src-shared/contract/grants';
import { tenantWideLimit, useTenantWideConsents } from '../bridge/consent-queries';
import type { RevocationSelection } from '../bridge/queries';
import { FailureAlert } from '../components/FailureAlert';
import { LinkedEmptyState } from '../components/LinkedEmptyState';
import { RiskChips } from '../components/RiskChips';
import { ConnectionCell } from '../grants/ConnectionCell';
import { accessLabels, formatCount } from '../grants/grant-format';
import { RevokeDialog } from '../grants/RevokeDialog';
import { RiskBadge } from '../grants/RiskBadge';
import { BlockDialog, type BlockTarget } from './BlockDialog';
import type { WizardStart } from './GrantWizard';

function NoScanYet() {
  return (
    <LinkedEmptyState
      testId="tenant-wide-no-scan"
      icon={IconRadar}
      title="No grant scan yet"
      description="Tenant-wide consents are listed from the last grant scan. Run one on the Grants page; it only reads."
      to="/grants"
      linkLabel="Open Grants"
    />
  );
}

/** The apps an admin consented to for everyone, from the last scan, with narrowing, revoking and blocking. */
export function TenantWideTab({ onChangeScopes }: { onChangeScopes: (start: WizardStart) => void }) {
  const [text, setText] = useState('');
  const [risks, setRisks] = useState<RiskLevelName[]>([]);
  const [debouncedText] = useDebouncedValue(text.trim(), 250);
  const consents = useTenantWideConsents({ ...(debouncedText ? { text: debouncedText } : {}), ...(risks.length > 0 ? { risks } : {}) });
  const [revoking, setRevoking] = useState<RevocationSelection | null>(null);
  const [blocking, setBlocking] = useState<BlockTarget | null>(null);

  if (consents.error && !consents.data) return <FailureAlert title="The tenant-wide consents could not be read" error={consents.error} />;
  if (!consents.data) return <Skeleton h={240} />;
  const { grants, apps } = consents.data;
  if (grants.snapshotId === null) return <NoScanYet />;
  const snapshotId = grants.snapshotId;

  const row = (grant: GrantRow) => {
    const app = apps.get(grant.appKey);
    // Changing the scopes and blocking go through Microsoft Graph.
    const graphApp = grant.provider === 'microsoft' && app ? { connectionId: grant.connectionId, appId: app.clientId } : null;
    return (
      <Table.Tr key={grant.key} data-testid={`tenant-wide-${grant.key}`}>
        <Table.Td>
          <Text size="sm" fw={600} truncate title={grant.appName}>
            {grant.appName}
          </Text>
          <Text size="xs" c="dimmed" truncate title={app?.publisher ?? undefined}>
            {app?.publisher ?? 'Publisher unknown'}
          </Text>
        </Table.Td>
        <ConnectionCell label={app?.connectionLabel ?? grant.connectionId} provider={grant.provider} />
        <Table.Td>
          <Group gap={6} mb={4}>
            <RiskBadge level={grant.risk} size="xs" />
            <Badge size="xs" variant="outline" color="gray" tt="none">
              {accessLabels[grant.access]}
            </Badge>
          </Group>
          <Group gap={4}>
            {grant.scopes.map((scope) => (
              <Badge key={scope} size="sm" variant="light" color="gray" tt="none">
                {scope}
              </Badge>
            ))}
          </Group>
        </Table.Td>
        <Table.Td>
          {/* One menu per row keeps the rows one line high and nothing past the table's edge. */}
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button size="xs" variant="default" rightSection={<IconChevronDown size={14} />} aria-label={`Actions for ${grant.appName}`}>
                Actions
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {graphApp && (
                <Menu.Item leftSection={<IconAdjustments size={14} />} onClick={() => onChangeScopes(graphApp)}>
                  Change scopes…
                </Menu.Item>
              )}
              <Menu.Item color="red" leftSection={<IconBan size={14} />} onClick={() => setRevoking({ snapshotId, appKeys: [], grantKeys: [grant.key] })}>
                Revoke…
              </Menu.Item>
              {graphApp && app && (
                <Menu.Item color="red" leftSection={<IconLock size={14} />} onClick={() => setBlocking({ ...graphApp, connectionLabel: app.connectionLabel, appName: grant.appName })}>
                  Block sign-in…
                </Menu.Item>
              )}
            </Menu.Dropdown>
          </Menu>
        </Table.Td>
      </Table.Tr>
    );
  };

  return (
    <Stack gap="md">
      <Group align="flex-end" gap="md" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="App, client ID or publisher"
          leftSection={<IconSearch size={16} />}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          maxLength={200}
          style={{ flex: 1, minWidth: 240 }}
        />
        <RiskChips value={risks} onChange={setRisks} aria-label="Risk" />
      </Group>
      {grants.rows.length === 0 ? (
        <Text c="dimmed" size="sm" ta="center" py="xl">
          {debouncedText || risks.length > 0 ? 'No tenant-wide consent matches these filters.' : 'The last scan found no tenant-wide consent.'}
        </Text>
      ) : (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={820}>
            <Table verticalSpacing="xs" horizontalSpacing="md" layout="fixed" data-testid="tenant-wide-consents">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w="25%">App</Table.Th>
                  <Table.Th w="20%">Tenant</Table.Th>
                  <Table.Th>Scopes</Table.Th>
                  <Table.Th w={136}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>{grants.rows.map(row)}</Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      {grants.total > grants.rows.length && (
        <Text size="xs" c="dimmed">
          The first {formatCount(grants.rows.length)} of {formatCount(grants.total)} are shown (at most {formatCount(tenantWideLimit)}); narrow the search to find the rest.
        </Text>
      )}
      {revoking && <RevokeDialog selection={revoking} onClose={() => setRevoking(null)} onStarted={() => undefined} />}
      {blocking && <BlockDialog target={blocking} onClose={() => setBlocking(null)} />}
    </Stack>
  );
}
