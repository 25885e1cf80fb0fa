import { Badge } from '@mantine/core';
import type { ActivityResult } from '../../../src-shared/contract/activity';

export function ActivityResultBadge({ result }: { result: ActivityResult }) {
  return (
    <Badge variant="light" color={result === 'succeeded' ? 'teal' : 'red'} size="sm">
      {result}
    </Badge>
  );
}
