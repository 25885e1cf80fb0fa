import { Alert, Center, Text } from '@mantine/core';

/** Shown when the page was opened outside Consentry (no preload, no browser bridge). */
export function BridgeMissing() {
  return (
    <Center h="100vh" p="xl">
      <Alert color="red" title="Consentry's console is not connected" maw={560}>
        <Text size="sm">
          This page must be opened by the Consentry app (or by <code>npm run browser</code> for a demo). Opened on its own it
          cannot reach the console, so nothing here would work.
        </Text>
      </Alert>
    </Center>
  );
}
