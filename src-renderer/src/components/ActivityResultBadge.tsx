import { Badge } from '@mantine/core';
import type { ActivityResult } from '../../../src-preload/contract';

export function ActivityResultBadge({ result }: { result: ActivityResult }) {
  return (
    <Badge variant="light" color={result === 'succeeded' ? 'teal' : 'red'} size="sm">
      {result}
    </Badge>
  );
}
