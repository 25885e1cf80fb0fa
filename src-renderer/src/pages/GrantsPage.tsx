import { Button, Skeleton, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRadar } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import { BridgeError } from '../../../src-preload/client';
import type { ScanProgress } from '../../../src-shared/contract/grants';
import { useConsentryEvent } from '../bridge/consentry-bridge';
import { useCancelGrantScan, useGrantAuditStatus, useStartGrantScan } from '../bridge/queries';
import { FailureAlert } from '../components/FailureAlert';
import { notifyFailure } from '../components/failure-notification';
import { PageHeader } from '../components/PageHeader';
import { FirstScanPrompt } from '../grants/FirstScanPrompt';
import { GrantExplorer } from '../grants/GrantExplorer';
import { GrantsNoConnection } from '../grants/GrantsNoConnection';
import { NewerReadsNotice } from '../grants/NewerReadsNotice';
import { RevocationJobs } from '../grants/RevocationJobs';
import { ScanProgressCard } from '../grants/ScanProgressCard';
import { SkippedScansNotice } from '../grants/SkippedScansNotice';

const scanning: readonly ScanProgress['state'][] = ['running', 'cancelling'];
/** How a connection's part ended when it read nothing new. */
const unreadPhases = ['failed', 'needs reconnect', 'disconnected'];

function notifyScanEnded(progress: ScanProgress): void {
  const unread = progress.connections.filter((connection) => unreadPhases.includes(connection.phase)).map((connection) => connection.label);
  if (progress.state === 'finished' && unread.length > 0) {
    notifications.show({
      color: 'orange',
      title: 'Grant scan finished with problems',
      message: `${unread.join(', ')} could not be read; ${unread.length === 1 ? 'its' : 'their'} last read is still shown. See “What the scan covers” for why.`,
    });
  } else if (progress.state === 'finished') {
    notifications.show({ color: 'teal', title: 'Grant scan finished', message: 'The page now shows the new scan and what changed since the one before.' });
  } else if (progress.state === 'cancelled') {
    notifications.show({
      color: 'gray',
      title: 'Grant scan cancelled',
      message: 'What was read before it stopped is kept. A connection read completely before still shows that read; the newer one is kept aside for you to choose.',
    });
  } else if (progress.state === 'failed') {
    notifyFailure('Grant scan failed', new BridgeError(progress.error ?? { code: 'internal', message: 'The scan stopped without a result.', nextStep: 'Scan again.' }));
  }
}

/**
 * Third-party apps and their grants: opens on the last scan at once, runs and follows a new one,
 * and leads to the Connections page when there is nothing to scan.
 */
export function GrantsPage() {
  const status = useGrantAuditStatus();
  const start = useStartGrantScan();
  const cancel = useCancelGrantScan();
  const [cancelRequestedFor, setCancelRequestedFor] = useState<string | null>(null);

  useConsentryEvent(
    'grants.scanProgress',
    useCallback((progress: ScanProgress) => {
      if (!scanning.includes(progress.state)) notifyScanEnded(progress);
    }, []),
  );

  const data = status.data;
  const scan = data?.scan && scanning.includes(data.scan.state) ? data.scan : null;
  const lastScanFailed = data?.scan?.state === 'failed' && data.scan.error ? new BridgeError(data.scan.error) : null;
  const canScan = data?.scannable.some((connection) => connection.supported && connection.ready) ?? false;

  const startScan = () => start.mutate(undefined, { onError: (error) => notifyFailure('The scan did not start', error) });
  const cancelScan = () => {
    if (!scan) return;
    setCancelRequestedFor(scan.scanId);
    cancel.mutate(scan.scanId, {
      onError: (error) => {
        setCancelRequestedFor(null);
        notifyFailure('The scan was not cancelled', error);
      },
    });
  };

  return (
    <>
      <PageHeader
        title="Grants"
        description="Third-party apps that can reach your mail, files and directory: who granted them, with which scopes, and how risky that is."
        actions={
          data && data.snapshot && !scan && data.scannable.length > 0 ? (
            <Button leftSection={<IconRadar size={16} />} onClick={startScan} loading={start.isPending} disabled={!canScan}>
              Scan now
            </Button>
          ) : undefined
        }
      />
      {status.error && !data ? (
        <FailureAlert title="The grant audit could not be loaded" error={status.error}>
          <Button variant="light" color="red" size="xs" w="fit-content" onClick={() => void status.refetch()}>
            Try again
          </Button>
        </FailureAlert>
      ) : !data ? (
        <Skeleton h={320} />
      ) : (
        <Stack gap="lg">
          <RevocationJobs />
          {scan && <ScanProgressCard progress={scan} onCancel={cancelScan} cancelRequested={cancelRequestedFor === scan.scanId} />}
          {lastScanFailed && !scan && <FailureAlert title="The last scan failed" error={lastScanFailed} />}
          <SkippedScansNotice skipped={data.skippedScans} />
          {data.snapshot && <NewerReadsNotice connections={data.snapshot.connections} />}
          {data.snapshot ? (
            <GrantExplorer snapshot={data.snapshot} />
          ) : scan ? null : data.scannable.length === 0 ? (
            <GrantsNoConnection />
          ) : (
            <FirstScanPrompt scannable={data.scannable} onScan={startScan} starting={start.isPending} />
          )}
        </Stack>
      )}
    </>
  );
}
