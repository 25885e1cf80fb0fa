import { Alert, Button, Code, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface ErrorBoundaryState {
  failed: boolean;
}

/** Keeps one broken page from blanking the whole console; offers a way back. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { failed: false };

  static getDerivedStateFromError(): ErrorBoundaryState {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // The stack stays in the developer console; the admin sees a plain sentence.
    console.error('Page failed to render', error, info.componentStack);
  }

  override componentDidUpdate(previous: { resetKey?: string }): void {
    if (this.state.failed && previous.resetKey !== this.props.resetKey) this.setState({ failed: false });
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <Alert color="red" variant="light" icon={<IconAlertTriangle />} title="This page could not be shown" role="alert">
        <Stack gap="sm">
          <Text size="sm">
            Something on this page failed. Nothing was changed in your tenants. Try again, or open another page from the
            navigation.
          </Text>
          <Text size="sm">
            If it keeps happening, restart Consentry; the <Code>Activity</Code> page lists what the console did.
          </Text>
          <Button variant="light" color="red" w="fit-content" onClick={() => this.setState({ failed: false })}>
            Try again
          </Button>
        </Stack>
      </Alert>
    );
  }
}
