import { Alert, Badge, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import type { GrantedConsent } from '../../../src-shared/contract/consent';
import { ReadTime } from './ReadTime';

function HeldScopes({ title, held, asked, extra }: { title: string; held: string[]; asked: string[]; extra: Set<string> }) {
  const missing = asked.filter((scope) => !held.includes(scope));
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      {held.length + missing.length === 0 ? (
        <Text size="sm" c="dimmed">
          None
        </Text>
      ) : (
        <Group gap={4}>
          {held.map((scope) => (
            <Badge key={scope} variant="light" color={extra.has(scope) ? 'yellow' : 'teal'} tt="none">
              {scope}
              {extra.has(scope) ? ' (not kept)' : ''}
            </Badge>
          ))}
          {missing.map((scope) => (
            <Badge key={scope} variant="outline" color="red" tt="none" td="line-through">
              {scope} (missing)
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}

/** What the tenant holds for the app now, read back, against what the admin kept. */
export function GrantedConsentView({ granted }: { granted: GrantedConsent }) {
  const extra = new Set(granted.extra);
  return (
    <Stack gap="sm" data-testid="granted-consent">
      <Group justify="space-between">
        <Text fw={700}>What the tenant holds now</Text>
        <ReadTime iso={granted.readAt} verb="Read back" />
      </Group>
      {granted.matches ? (
        <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} title="Exactly what you kept" role="status">
          {granted.appName} holds the scopes you kept, and nothing else.
        </Alert>
      ) : (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="Not what you kept" role="status" data-testid="granted-differs">
          <Stack gap={4}>
            {granted.missing.length > 0 && (
              <Text size="sm">
                Kept but not held: <strong>{granted.missing.join(', ')}</strong>.
              </Text>
            )}
            {granted.extra.length > 0 && (
              <Text size="sm">
                Held but not kept: <strong>{granted.extra.join(', ')}</strong> (granted outside this consent, or added in the prompt).
              </Text>
            )}
          </Stack>
        </Alert>
      )}
      <HeldScopes title="Delegated (for every user)" held={granted.delegated} asked={granted.askedDelegated} extra={extra} />
      <HeldScopes title="Application (as the app itself)" held={granted.application} asked={granted.askedApplication} extra={extra} />
    </Stack>
  );
}
