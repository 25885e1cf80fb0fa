import { Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import type { ConnectionCheck, OffboardingList } from '../../../src-shared/contract/offboarding';
import { useCheckOffboardingList } from '../bridge/offboarding-queries';
import { FailureAlert } from '../components/FailureAlert';
import { RelativeTime } from '../components/RelativeTime';
import { providerNames } from '../grants/grant-format';
import type { Look } from './offboarding-format';
import { LookBadge } from './LookBadge';

const checkLooks: Record<ConnectionCheck['state'], Look> = {
  checked: { label: 'Checked', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  not_readable: { label: 'Not readable', color: 'orange' },
};

/** How each connection's directory check went, and the button that reads them all again. */
export function DirectoryChecks({ list }: { list: OffboardingList }) {
  const check = useCheckOffboardingList();
  return (
    <Card withBorder radius="md" padding="sm" data-testid="directory-checks">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <Stack gap={6} style={{ minWidth: 0 }}>
          <Text fw={600} size="sm">
            Directory check{' '}
            <Text span size="sm" c="dimmed" fw={400}>
              {list.checkedAt ? (
                <>
                  · <RelativeTime iso={list.checkedAt} />
                </>
              ) : (
                '· not checked yet: every row is judged on its own until a directory is read'
              )}
            </Text>
          </Text>
          {list.checks.map((item) => (
            <Group key={item.connectionId} gap="xs" wrap="nowrap" align="flex-start">
              <LookBadge look={checkLooks[item.state]} size="sm" style={{ flexShrink: 0 }} mt={2} />
              <Text size="sm">
                <strong>{item.label}</strong> ({providerNames[item.provider]}): {item.message}
              </Text>
            </Group>
          ))}
        </Stack>
        <Button
          variant="default"
          size="sm"
          leftSection={<IconRefresh size={16} />}
          loading={check.isPending}
          onClick={() => check.mutate()}
          style={{ flexShrink: 0 }}
        >
          Check again
        </Button>
      </Group>
      {check.error && (
        <Stack mt="sm">
          <FailureAlert title="The directories were not read again" error={check.error} />
        </Stack>
      )}
    </Card>
  );
}
