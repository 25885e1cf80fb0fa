import { Badge, Button, Card, Group, Stack, Table, Text } from '@mantine/core';
import { IconAdjustments, IconRefresh } from '@tabler/icons-react';
import type { ErrorCode } from '../../../src-shared/domain/error-codes';
import type { PolicyCheck, PolicyChangeKind, TenantConsentPolicy } from '../../../src-shared/contract/consent';
import { BridgeError } from '../../../src-preload/client';
import { FailureAlert } from '../components/FailureAlert';
import { OpenInBrowserButton } from '../components/OpenInBrowserButton';
import { providerNames } from '../grants/grant-format';
import { RiskBadge } from '../grants/RiskBadge';
import { ConsentCapabilityNeeded } from './ConsentCapabilityNeeded';
import { PolicyResultBadge } from './PolicyResultBadge';
import { ReadTime } from './ReadTime';

export interface PolicyFixRequest {
  tenant: TenantConsentPolicy;
  change: PolicyChangeKind;
  label: string;
}

function CheckFix({ check, onFix }: { check: PolicyCheck; onFix: (change: PolicyChangeKind, label: string) => void }) {
  const fix = check.fix;
  if (!fix) return null;
  if (fix.kind === 'change') {
    return (
      <Button size="xs" variant="light" leftSection={<IconAdjustments size={14} />} onClick={() => onFix(fix.change, fix.label)} aria-label={`Fix: ${fix.label}`}>
        Fix…
      </Button>
    );
  }
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed">
        {fix.where}
      </Text>
      <OpenInBrowserButton url={fix.url} size="xs" w="fit-content">
        Open in the console
      </OpenInBrowserButton>
    </Stack>
  );
}

/** "MS.AAD.5.2v1 · CIS M365 5.1.5.1 · Shall": the ids and the baseline's word, as an auditor reads them. */
function controlLine(check: PolicyCheck): string {
  return [check.controlId, check.cis, criticalityWords[check.criticality]].filter(Boolean).join(' · ');
}

const criticalityWords: Record<PolicyCheck['criticality'], string> = { shall: 'Shall', should: 'Should' };

function CheckRow({ check, onFix }: { check: PolicyCheck; onFix: (change: PolicyChangeKind, label: string) => void }) {
  return (
    <Table.Tr data-testid={`policy-check-${check.id}`}>
      <Table.Td>
        <PolicyResultBadge result={check.result} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={600}>
          {check.setting}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {controlLine(check)}
        </Text>
        <Text size="xs" c="dimmed">
          {check.why}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{check.value}</Text>
        <Text size="xs" c="dimmed">
          Expected: {check.expected}
        </Text>
        <Text size="xs" mt={4}>
          {check.reason}
        </Text>
      </Table.Td>
      <Table.Td>
        <CheckFix check={check} onFix={onFix} />
      </Table.Td>
    </Table.Tr>
  );
}

function OktaScopeGrants({ tenant }: { tenant: TenantConsentPolicy }) {
  const apps = (tenant.okta ?? []).filter((app) => app.grants.length > 0);
  if (apps.length === 0) return null;
  return (
    <Stack gap={6}>
      <Text size="sm" fw={600}>
        Scopes granted to each app
      </Text>
      {apps.map((app) => (
        <Group key={app.appId} gap={6} align="center">
          <Text size="sm" w={200} truncate>
            {app.label}
          </Text>
          {app.grants.map((grant) => (
            <Group key={grant.id} gap={4} wrap="nowrap">
              <RiskBadge level={grant.level} size="xs" />
              <Text size="xs" ff="monospace" title={grant.reason}>
                {grant.scopeId}
              </Text>
            </Group>
          ))}
        </Group>
      ))}
    </Stack>
  );
}

/** One tenant's consent settings, each checked against the baseline, with the way to fix it. */
export function TenantPolicyCard({
  tenant,
  onRefresh,
  refreshing,
  onFix,
  onAllow,
}: {
  tenant: TenantConsentPolicy;
  onRefresh: () => void;
  refreshing: boolean;
  onFix: (request: PolicyFixRequest) => void;
  onAllow: (connectionId: string) => void;
}) {
  const failing = tenant.checks.filter((check) => check.result === 'fail').length;
  return (
    <Card withBorder padding="lg" data-testid={`consent-policy-${tenant.connectionId}`}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Group gap="xs">
              <Text fw={700}>{tenant.label}</Text>
              <Badge variant="light" color="gray" tt="none">
                {providerNames[tenant.provider]}
              </Badge>
              {failing > 0 && (
                <Badge variant="light" color="red" tt="none">
                  {failing} failing
                </Badge>
              )}
            </Group>
            <ReadTime iso={tenant.readAt} />
          </Stack>
          <Group gap="xs">
            {tenant.google && (
              <OpenInBrowserButton url={tenant.google.appAccessUrl} size="xs" variant="default">
                App access control
              </OpenInBrowserButton>
            )}
            <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} loading={refreshing} onClick={onRefresh} aria-label={`Refresh ${tenant.label}`}>
              Refresh
            </Button>
          </Group>
        </Group>
        {tenant.state === 'needs_capability' && (
          <ConsentCapabilityNeeded label={tenant.label} missingScopes={tenant.missingScopes} what="Reading the consent settings" onAllow={() => onAllow(tenant.connectionId)} />
        )}
        {tenant.state === 'failed' && tenant.failure && (
          <FailureAlert
            title="The consent settings could not be read"
            error={new BridgeError({ code: tenant.failure.code as ErrorCode, message: tenant.failure.message, nextStep: tenant.failure.nextStep ?? undefined })}
          />
        )}
        {tenant.checks.length > 0 && (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" layout="fixed" aria-label={`Consent settings of ${tenant.label}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={140}>Result</Table.Th>
                  <Table.Th w="36%">Setting and baseline control</Table.Th>
                  <Table.Th>Tenant has</Table.Th>
                  <Table.Th w={190}>Fix</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tenant.checks.map((check) => (
                  <CheckRow key={check.id} check={check} onFix={(change, label) => onFix({ tenant, change, label })} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <OktaScopeGrants tenant={tenant} />
      </Stack>
    </Card>
  );
}
