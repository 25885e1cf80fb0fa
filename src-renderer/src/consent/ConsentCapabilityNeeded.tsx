import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { IconLockOpen } from '@tabler/icons-react';

/** What a tenant's connection lacks for consent work, and the button that allows it. */
export function ConsentCapabilityNeeded({
  label,
  missingScopes,
  onAllow,
  what = 'This change',
}: {
  label: string;
  missingScopes: string[];
  onAllow: () => void;
  what?: string;
}) {
  return (
    <Alert color="orange" variant="light" icon={<IconLockOpen size={18} />} title={`${label} needs the consent capability first`} data-testid="consent-capability-needed">
      <Stack gap="xs">
        <Text size="sm">
          {what} needs scopes the connection does not hold yet. Allowing “Manage admin consent” asks for them in your browser; nothing changes
          at the tenant until you confirm.
        </Text>
        {missingScopes.length > 0 && (
          <Group gap={6}>
            {missingScopes.map((scope) => (
              <Code key={scope}>{scope}</Code>
            ))}
          </Group>
        )}
        <Button size="xs" variant="light" color="orange" w="fit-content" leftSection={<IconLockOpen size={14} />} onClick={onAllow}>
          Allow managing admin consent for {label}
        </Button>
      </Stack>
    </Alert>
  );
}
