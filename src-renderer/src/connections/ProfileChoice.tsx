import { Group, Radio, Stack, Text } from '@mantine/core';
import { useId } from 'react';
import type { AccessProfile } from '../../../src-preload/contract';

const profiles: { value: AccessProfile; title: string; description: string }[] = [
  {
    value: 'audit',
    title: 'Audit — read only',
    description: 'Reads users, third-party app grants and keys. Consentry can show you everything but change nothing.',
  },
  {
    value: 'remediate',
    title: 'Remediate — adds write scopes',
    description:
      'Adds the scopes needed to revoke grants, rotate keys and suspend departed users. Asked only when you need to change things; you can turn remediation on later from the connection’s menu.',
  },
];

function ProfileCard({ value, title, description }: (typeof profiles)[number]) {
  const id = useId();
  return (
    <Radio.Card value={value} p="md" aria-labelledby={`${id}-title`} aria-describedby={`${id}-description`}>
      <Group wrap="nowrap" align="flex-start" gap="sm">
        <Radio.Indicator mt={2} />
        <Stack gap={2}>
          <Text fw={600} size="sm" id={`${id}-title`}>
            {title}
          </Text>
          <Text size="sm" c="dimmed" id={`${id}-description`}>
            {description}
          </Text>
        </Stack>
      </Group>
    </Radio.Card>
  );
}

/** Step 3: least privilege first. */
export function ProfileChoice({ value, onChange }: { value: AccessProfile; onChange: (profile: AccessProfile) => void }) {
  return (
    <Radio.Group label="Access profile" value={value} onChange={(profile) => onChange(profile as AccessProfile)}>
      <Stack gap="sm" mt="sm">
        {profiles.map((profile) => (
          <ProfileCard key={profile.value} {...profile} />
        ))}
      </Stack>
    </Radio.Group>
  );
}
