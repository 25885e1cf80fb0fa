import { useAllowCapability } from '../connections/useAllowCapability';
import { Alert, Button, List, Skeleton, Stack, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useConsentPolicies, useRefreshConsentPolicy } from '../bridge/consent-queries';
import { FailureAlert } from '../components/FailureAlert';
import { notifyFailure } from '../components/failure-notification';
import { providerNames } from '../grants/grant-format';
import { PolicyChangeDialog } from './PolicyChangeDialog';
import { TenantPolicyCard, type PolicyFixRequest } from './TenantPolicyCard';

/** Each connected tenant's consent settings against the baselines, and the providers that have none to read. */
export function PoliciesTab() {
  const policies = useConsentPolicies();
  const refresh = useRefreshConsentPolicy();
  const [fixing, setFixing] = useState<PolicyFixRequest | null>(null);
  const capability = useAllowCapability('consent', () => void policies.refetch());

  if (policies.error && !policies.data) {
    return (
      <FailureAlert title="The consent settings could not be read" error={policies.error}>
        <Button variant="light" color="red" size="xs" w="fit-content" onClick={() => void policies.refetch()}>
          Try again
        </Button>
      </FailureAlert>
    );
  }
  if (!policies.data) return <Skeleton h={320} />;
  const { tenants, unsupported } = policies.data;

  return (
    <Stack gap="lg">
      {tenants.map((tenant) => (
        <TenantPolicyCard
          key={tenant.connectionId}
          tenant={tenant}
          refreshing={refresh.isPending && refresh.variables === tenant.connectionId}
          onRefresh={() => refresh.mutate(tenant.connectionId, { onError: (error) => notifyFailure(`${tenant.label} was not read again`, error) })}
          onFix={setFixing}
          onAllow={capability.allow}
        />
      ))}
      {tenants.length === 0 && unsupported.length === 0 && (
        <Text c="dimmed" size="sm">
          No connected tenant has consent settings to read.
        </Text>
      )}
      {unsupported.length > 0 && (
        <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />} title="Not checked here" data-testid="consent-unsupported">
          <List size="sm" spacing={4}>
            {unsupported.map((connection) => (
              <List.Item key={connection.connectionId}>
                <strong>{connection.label}</strong> ({providerNames[connection.provider]}): {connection.why}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {fixing && <PolicyChangeDialog tenant={fixing.tenant} change={fixing.change} label={fixing.label} onClose={() => setFixing(null)} />}
      {capability.dialog}
    </Stack>
  );
}
