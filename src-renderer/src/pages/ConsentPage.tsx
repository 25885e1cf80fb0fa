import { Badge, Button, Skeleton, Tabs, VisuallyHidden } from '@mantine/core';
import { IconCertificate } from '@tabler/icons-react';
import { useState } from 'react';
import { useConsentRequests, useConsentUpdates } from '../bridge/consent-queries';
import { useConnectionList } from '../bridge/queries';
import { PageHeader } from '../components/PageHeader';
import { ConsentHistoryTab } from '../consent/ConsentHistoryTab';
import { ConsentNoConnection } from '../consent/ConsentNoConnection';
import { GoogleAppsTab } from '../consent/GoogleAppsTab';
import { GrantWizard, type WizardStart } from '../consent/GrantWizard';
import { PoliciesTab } from '../consent/PoliciesTab';
import { RequestsTab } from '../consent/RequestsTab';
import { TenantWideTab } from '../consent/TenantWideTab';

/** How many apps wait for an admin's decision; read only once a tenant is connected. */
function PendingRequestsBadge() {
  const requests = useConsentRequests();
  const pending = requests.data?.requests.length ?? 0;
  if (pending === 0) return null;
  return (
    <Badge size="sm" circle variant="filled" color="orange">
      {pending}
      <VisuallyHidden> pending</VisuallyHidden>
    </Badge>
  );
}

type ConsentTab = 'policies' | 'requests' | 'tenant-wide' | 'google' | 'history';

/**
 * Who may consent to apps in each tenant and what the baseline expects of it, the requests waiting
 * for an admin, the consents given for everyone, and granting consent for exactly what was reviewed.
 */
export function ConsentPage() {
  useConsentUpdates();
  const connections = useConnectionList();
  const [tab, setTab] = useState<ConsentTab>('policies');
  const [wizard, setWizard] = useState<WizardStart | null>(null);
  const noConnection = connections.data?.connections.length === 0;

  return (
    <>
      <PageHeader
        title="Consent"
        description="Who may let apps into each tenant, checked against the security baselines; the requests waiting for an admin; consent for everyone, granted for exactly the permissions you review."
        actions={
          noConnection ? undefined : (
            <Button leftSection={<IconCertificate size={16} />} onClick={() => setWizard({})} style={{ flexShrink: 0 }}>
              Grant admin consent…
            </Button>
          )
        }
      />
      {!connections.data ? (
        <Skeleton h={320} />
      ) : noConnection ? (
        <ConsentNoConnection />
      ) : (
        <Tabs value={tab} onChange={(value) => value && setTab(value as ConsentTab)} keepMounted={false}>
          <Tabs.List mb="lg">
            <Tabs.Tab value="policies">Policies</Tabs.Tab>
            <Tabs.Tab
              value="requests"
              rightSection={<PendingRequestsBadge />}
            >
              Requests
            </Tabs.Tab>
            <Tabs.Tab value="tenant-wide">Tenant-wide consents</Tabs.Tab>
            <Tabs.Tab value="google">Google app access</Tabs.Tab>
            <Tabs.Tab value="history">History</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="policies">
            <PoliciesTab />
          </Tabs.Panel>
          <Tabs.Panel value="requests">
            <RequestsTab onReview={setWizard} />
          </Tabs.Panel>
          <Tabs.Panel value="tenant-wide">
            <TenantWideTab onChangeScopes={setWizard} />
          </Tabs.Panel>
          <Tabs.Panel value="google">
            <GoogleAppsTab />
          </Tabs.Panel>
          <Tabs.Panel value="history">
            <ConsentHistoryTab />
          </Tabs.Panel>
        </Tabs>
      )}
      {wizard && <GrantWizard start={wizard} onClose={() => setWizard(null)} />}
    </>
  );
}
