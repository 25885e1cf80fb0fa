import { Button, Card, EmptyState } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import { Link } from 'react-router';

/** Nothing to scan: the way to Connections. */
export function GrantsNoConnection() {
  return (
    <Card withBorder padding="xl" data-testid="grants-no-connection">
      <EmptyState
        icon={<IconPlugConnected size={36} stroke={1.5} />}
        variant="light"
        size="lg"
        title="No tenant connected"
        description="Grants are read from a connected tenant: Google Workspace, Microsoft Entra ID or a SaaS provider. Connect one with the read-only audit profile, then scan it here."
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
