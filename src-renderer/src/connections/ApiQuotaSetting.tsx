import { Button, Group, NumberInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { ConnectionView } from '../../../src-shared/contract/connections';
import { useSetApiQuota } from '../bridge/queries';
import { notifyFailure } from '../components/failure-notification';

/**
 * How many API calls a minute Consentry may make to this tenant: scans, revocations and every
 * other feature share it. Raise it when the admin's own project has a higher quota.
 */
export function ApiQuotaSetting({ connection }: { connection: ConnectionView }) {
  const current = connection.settings.apiQuotaPerMinute;
  const [value, setValue] = useState<number | string>(current ?? '');
  const save = useSetApiQuota();
  const parsed = typeof value === 'number' ? value : null;
  const changed = parsed !== (current ?? null);
  const apply = (quotaPerMinute: number | null) =>
    save.mutate({ id: connection.id, quotaPerMinute }, { onError: (error) => notifyFailure('The API quota was not changed', error) });
  return (
    <Stack gap="xs">
      <Text size="sm">
        Every call Consentry makes to {connection.providerLabel} for this connection — scans, revocations, offboarding — shares this limit. Leave it empty for the
        provider’s documented default; raise it only if your own project’s quota is higher.
      </Text>
      <Group align="flex-end" gap="sm">
        <NumberInput
          label="API calls per minute"
          placeholder="Provider default"
          min={10}
          max={1_000_000}
          step={100}
          allowDecimal={false}
          allowNegative={false}
          thousandSeparator=","
          value={value}
          onChange={setValue}
          w={220}
        />
        <Button variant="default" disabled={!changed || (parsed !== null && parsed < 10)} loading={save.isPending} onClick={() => apply(parsed)}>
          Save
        </Button>
        {current !== undefined && (
          <Button
            variant="subtle"
            onClick={() => {
              setValue('');
              apply(null);
            }}
          >
            Use the default
          </Button>
        )}
      </Group>
    </Stack>
  );
}
