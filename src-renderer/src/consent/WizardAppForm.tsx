import { Button, Group, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ConsentReviewRequestSchema } from '../../../src-shared/contract/consent';
import { useConnectionList } from '../bridge/queries';

export interface ReviewTarget {
  connectionId: string;
  appId: string;
  requestId?: string;
  delegated: string[];
  application: string[];
}

const appIdSchema = ConsentReviewRequestSchema.shape.appId;

/** Which app, in which tenant, and any permission the vendor documents beyond what it asks. */
export function WizardAppForm({ initial, onReview, onCancel, reviewing }: { initial: Partial<ReviewTarget>; onReview: (target: ReviewTarget) => void; onCancel: () => void; reviewing: boolean }) {
  const connections = useConnectionList();
  // Admin consent through Graph is a Microsoft Entra ID feature.
  const tenants = (connections.data?.connections ?? []).filter((connection) => connection.provider === 'microsoft');
  const [connectionId, setConnectionId] = useState<string | null>(initial.connectionId ?? (tenants.length === 1 ? tenants[0]!.id : null));
  const [appId, setAppId] = useState(initial.appId ?? '');
  const [delegated, setDelegated] = useState<string[]>(initial.delegated ?? []);
  const [application, setApplication] = useState<string[]>(initial.application ?? []);
  const [touched, setTouched] = useState(false);
  const checked = appIdSchema.safeParse(appId);
  const appIdError = touched && !checked.success ? checked.error.issues[0]?.message : undefined;
  const chosen = connectionId ?? (tenants.length === 1 ? tenants[0]!.id : null);

  return (
    <Stack gap="md">
      <Text size="sm">
        Name the app and Consentry lists every permission it asks for and holds, rated, for you to keep or drop before anything is granted.
      </Text>
      <Select
        label="Tenant"
        placeholder={tenants.length === 0 ? 'No Microsoft Entra ID tenant is connected' : 'Choose a tenant'}
        data={tenants.map((connection) => ({ value: connection.id, label: `${connection.label} (${connection.tenant ?? connection.account ?? connection.providerLabel})` }))}
        value={chosen}
        onChange={setConnectionId}
        allowDeselect={false}
        disabled={tenants.length === 0}
      />
      <TextInput
        label="Client (application) id"
        description="From the vendor, the consent request or Enterprise applications in the Entra admin center."
        placeholder="1b2c3d4e-0000-0000-0000-000000000000"
        value={appId}
        onChange={(event) => setAppId(event.currentTarget.value)}
        onBlur={() => setTouched(true)}
        error={appIdError}
        ff="monospace"
        spellCheck={false}
        autoComplete="off"
      />
      <TagsInput
        label="Further delegated scopes (optional)"
        description="Microsoft Graph delegated permissions the vendor documents, e.g. Calendars.Read; press Enter after each."
        value={delegated}
        onChange={setDelegated}
        splitChars={[',', ' ']}
      />
      <TagsInput
        label="Further application permissions (optional)"
        description="Microsoft Graph application permissions, e.g. User.Read.All."
        value={application}
        onChange={setApplication}
        splitChars={[',', ' ']}
      />
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button
          loading={reviewing}
          disabled={!chosen || appId.trim() === ''}
          onClick={() => {
            setTouched(true);
            if (chosen && checked.success) onReview({ connectionId: chosen, appId: checked.data, delegated, application, ...(initial.requestId ? { requestId: initial.requestId } : {}) });
          }}
        >
          Review the app
        </Button>
      </Group>
    </Stack>
  );
}
