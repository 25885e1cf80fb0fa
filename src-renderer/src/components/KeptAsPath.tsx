import { Group, Text } from '@mantine/core';
import { CopyableValue } from './CopyableValue';

/** Where a damaged file was set aside, with a button that copies the path; or that it was left where it is. */
export function KeptAsPath({ file, keptAs }: { file: string; keptAs: string | null }) {
  return keptAs ? (
    <Group gap="xs" wrap="nowrap" align="center">
      <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
        Kept as
      </Text>
      <CopyableValue value={keptAs} copyLabel={`Copy where ${file} was kept`} />
    </Group>
  ) : (
    <Text size="sm" c="dimmed">
      Left where it is, untouched.
    </Text>
  );
}
