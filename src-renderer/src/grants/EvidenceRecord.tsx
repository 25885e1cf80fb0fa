import { Button, Code, CopyButton, Group, ScrollArea, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

/** The record as JSON indented for reading; a record that is not JSON is shown as it came. */
export function prettyJson(record: string): string {
  try {
    return JSON.stringify(JSON.parse(record), null, 2);
  } catch {
    return record;
  }
}

/** One of the provider's own records behind a grant, readable and copyable. */
export function EvidenceRecord({ title, record }: { title: string; record: string }) {
  const pretty = prettyJson(record);
  return (
    <Stack gap={4}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" fw={500} truncate>
          {title}
        </Text>
        <CopyButton value={pretty} timeout={2_000}>
          {({ copied, copy }) => (
            <Button
              size="compact-xs"
              variant="light"
              color={copied ? 'teal' : undefined}
              leftSection={copied ? <IconCheck size={12} /> : <IconCopy size={12} />}
              onClick={copy}
              aria-label={`Copy the record for ${title}`}
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <ScrollArea.Autosize mah={320} type="auto">
        <Code block style={{ whiteSpace: 'pre', fontSize: 12 }}>
          {pretty}
        </Code>
      </ScrollArea.Autosize>
    </Stack>
  );
}
