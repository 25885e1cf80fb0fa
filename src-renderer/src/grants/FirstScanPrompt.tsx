import { Button, Card, EmptyState, Stack } from '@mantine/core';
import { IconRadar } from '@tabler/icons-react';
import type { GrantAuditStatus } from '../../../src-shared/contract/grants';
import { ScannableConnections } from './ScannableConnections';

/** Connections, but no scan yet: what a scan reads, and the button that starts one. */
export function FirstScanPrompt({ scannable, onScan, starting }: { scannable: GrantAuditStatus['scannable']; onScan: () => void; starting: boolean }) {
  const canScan = scannable.some((connection) => connection.supported && connection.ready);
  return (
    <Card withBorder padding="xl" data-testid="first-scan">
      <Stack gap="lg">
        <EmptyState
          icon={<IconRadar size={36} stroke={1.5} />}
          variant="light"
          size="lg"
          title="No grant scan yet"
          description={
            canScan
              ? 'A scan lists every third-party app your users or admins let into these tenants, with its scopes, rated by risk. It only reads; nothing is changed. Large tenants take a while: you can keep working and cancel at any time.'
              : 'None of the connections below can be scanned right now; each says why.'
          }
        >
          <EmptyState.Actions>
            <Button leftSection={<IconRadar size={16} />} onClick={onScan} loading={starting} disabled={!canScan}>
              Scan now
            </Button>
          </EmptyState.Actions>
        </EmptyState>
        <ScannableConnections connections={scannable} />
      </Stack>
    </Card>
  );
}
