import type { ConnectionService } from '../connections/connection-service';
import type { ChannelHandlers } from './router';

type ConnectionChannels =
  | 'connections.catalog'
  | 'connections.list'
  | 'connections.preview'
  | 'connections.connect'
  | 'connections.cancelAttempt'
  | 'connections.reconnect'
  | 'connections.enableCapability'
  | 'connections.disableCapability'
  | 'connections.refresh'
  | 'connections.disconnect'
  | 'connections.remove'
  | 'connections.setApiQuota'
  | 'vault.useSessionOnly';

export function connectionsApi(connections: ConnectionService): Pick<ChannelHandlers, ConnectionChannels> {
  return {
    'connections.catalog': () => connections.catalog(),
    'connections.list': () => connections.list(),
    'connections.preview': (draft) => connections.preview(draft),
    'connections.connect': ({ attemptId, draft }) => connections.connect(attemptId, draft),
    'connections.cancelAttempt': ({ attemptId }) => ({ cancelled: connections.cancelAttempt(attemptId) }),
    'connections.reconnect': ({ id, attemptId }) => connections.reconnect(id, attemptId),
    'connections.enableCapability': ({ connectionId, attemptId, capability }) => connections.enableCapability(connectionId, attemptId, capability),
    'connections.disableCapability': ({ connectionId, capability }) => connections.disableCapability(connectionId, capability),
    'connections.refresh': ({ id }) => connections.refresh(id),
    'connections.disconnect': ({ id }) => connections.disconnect(id),
    'connections.remove': async ({ id }) => {
      await connections.remove(id);
      return { removed: true as const };
    },
    'connections.setApiQuota': ({ id, quotaPerMinute }) => connections.setApiQuota(id, quotaPerMinute),
    'vault.useSessionOnly': ({ enabled }) => connections.useSessionOnly(enabled),
  };
}
