import { Button, Card, EmptyState } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import { Link } from 'react-router';

/** Nothing connected: the way to Connections, where a tenant or the sample workspace is added. */
export function ConsentNoConnection() {
  return (
    <Card withBorder padding="xl" data-testid="consent-no-connection">
      <EmptyState
        icon={<IconPlugConnected size={36} stroke={1.5} />}
        variant="light"
        size="lg"
        title="No tenant connected"
        description="Consent settings, requests and tenant-wide consents are read from a connected tenant. Connect Microsoft Entra ID, Google Workspace or Okta on the Connections page, or open the sample workspace there to try this page on simulated tenants."
      >
        <EmptyState.Actions>
          <Button component={Link} to="/connections" leftSection={<IconPlugConnected size={16} />}>
            Open Connections
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Card>
  );
}
