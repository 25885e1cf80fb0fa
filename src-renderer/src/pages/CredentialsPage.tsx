import { Button, Group, Skeleton } from '@mantine/core';
import { IconDownload, IconRefresh } from '@tabler/icons-react';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { useCredentialInventory, useCredentialUpdates, useExportCredentialsCsv, useReadCredentials } from '../bridge/credentials-queries';
import { useConnectionList } from '../bridge/queries';
import { FailureAlert } from '../components/FailureAlert';
import { NoConnectionPrompt } from '../components/NoConnectionPrompt';
import { notifyFailure } from '../components/failure-notification';
import { PageHeader } from '../components/PageHeader';
import { CloudProjectsButton } from '../credentials/CloudProjectsButton';
import { CredentialInventoryView } from '../credentials/CredentialInventoryView';
import { rotateParam } from '../credentials/credential-links';
import { RotationWizard } from '../credentials/RotationWizard';
import { saveTextFile } from '../files/save-text-file';

function PageActions() {
  const read = useReadCredentials();
  const exportCsv = useExportCredentialsCsv();
  const inventory = useCredentialInventory();
  const reading = read.isPending || inventory.data?.reading === true;
  return (
    <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
      <CloudProjectsButton sources={inventory.data?.sources ?? []} />
      <Button
        variant="default"
        leftSection={<IconDownload size={16} />}
        loading={exportCsv.isPending}
        onClick={() =>
          exportCsv.mutate(undefined, {
            onSuccess: (file) => saveTextFile(file.fileName, file.content, 'text/csv;charset=utf-8'),
            onError: (error) => notifyFailure('The CSV was not made', error),
          })
        }
      >
        Export CSV
      </Button>
      <Button leftSection={<IconRefresh size={16} />} loading={reading} onClick={() => read.mutate(undefined, { onError: (error) => notifyFailure('The credentials were not read', error) })}>
        Read again
      </Button>
    </Group>
  );
}

/**
 * Every app secret, certificate, service-account key, API key and API token across the connected
 * tenants, checked against the credential policy; rotation without an outage and revocation at once.
 * `?rotate=<credential key>` opens that credential's rotation wizard (from an alert, the drawer or
 * the list of rotations under way).
 */
export function CredentialsPage() {
  useCredentialUpdates();
  const connections = useConnectionList();
  const inventory = useCredentialInventory();
  const [params, setParams] = useSearchParams();
  const rotating = params.get(rotateParam);
  const openRotation = useCallback((credentialKey: string) => setParams({ [rotateParam]: credentialKey }), [setParams]);
  const noConnection = connections.data?.connections.length === 0;

  return (
    <>
      <PageHeader
        title="Credentials"
        // One line: at 1280×720 the table keeps ten rows and more in view.
        description="Secrets and keys in your tenants, checked against your policy."
        actions={noConnection ? undefined : <PageActions />}
      />
      {noConnection ? (
        <NoConnectionPrompt
          testId="credentials-no-connection"
          description="Credentials are read from connected tenants. Connect Microsoft Entra ID, Google Workspace, Okta or Zendesk on the Connections page, or open the sample workspace there to try this page on simulated tenants."
        />
      ) : inventory.error ? (
        <FailureAlert title="The credentials could not be read" error={inventory.error} />
      ) : !inventory.data ? (
        <Skeleton h={420} />
      ) : (
        <CredentialInventoryView inventory={inventory.data} onRotate={openRotation} />
      )}
      {rotating && <RotationWizard key={rotating} credentialKey={rotating} onClose={() => setParams({})} />}
    </>
  );
}
