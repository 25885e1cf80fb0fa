import { IconPlugConnected } from '@tabler/icons-react';
import { LinkedEmptyState } from './LinkedEmptyState';

/** A page that reads from a tenant, with none connected: what it would read, and the way to Connections. */
export function NoConnectionPrompt({ description, testId }: { description: string; testId: string }) {
  return <LinkedEmptyState testId={testId} icon={IconPlugConnected} size="lg" title="No tenant connected" description={description} to="/connections" linkLabel="Open Connections" />;
}
