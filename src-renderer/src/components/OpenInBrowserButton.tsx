import { Button, type ButtonProps } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useOpenExternal } from '../bridge/queries';
import { notifyFailure } from './failure-notification';

/** Opens a provider's page in the system browser, through main's guarded opener. */
export function OpenInBrowserButton({ url, children, ...props }: { url: string; children: ReactNode } & ButtonProps) {
  const open = useOpenExternal();
  return (
    <Button
      variant="light"
      leftSection={<IconExternalLink size={16} />}
      loading={open.isPending}
      onClick={() => open.mutate(url, { onError: (error) => notifyFailure('The page was not opened', error) })}
      {...props}
    >
      {children}
    </Button>
  );
}
