import { Text, type TextProps } from '@mantine/core';
import { grantHolder } from './grant-format';

/** Who a grant is for, on one line: a user, or "Everyone in the tenant" in italics. */
export function GrantHolder({ user, ...text }: { user: string | null } & Omit<TextProps, 'fs'>) {
  return (
    <Text size="sm" truncate fs={user ? undefined : 'italic'} {...text}>
      {grantHolder(user)}
    </Text>
  );
}
