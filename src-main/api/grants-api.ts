import type { GrantAuditService } from '../audit/grant-audit-service';
import type { ChannelHandlers } from './router';

type GrantChannels = 'grants.status' | 'grants.scan' | 'grants.cancelScan' | 'grants.apps' | 'grants.list' | 'grants.app' | 'grants.changes' | 'grants.exportCsv' | 'grants.planRevocation' | 'grants.revoke' | 'grants.revocationReport' | 'grants.revocationCsv' | 'grants.useNewerRead';

export function grantsApi(audit: GrantAuditService): Pick<ChannelHandlers, GrantChannels> {
  return {
    'grants.status': () => audit.status(),
    'grants.scan': ({ connectionIds }) => audit.startScan(connectionIds),
    'grants.cancelScan': ({ scanId }) => ({ cancelled: audit.cancelScan(scanId) }),
    'grants.apps': (query) => audit.apps(query),
    'grants.list': (query) => audit.grants(query),
    'grants.app': ({ key }) => audit.app(key),
    'grants.changes': () => audit.changes(),
    'grants.useNewerRead': ({ connectionId }) => audit.useNewerRead(connectionId),
    'grants.exportCsv': ({ view, filter }) => audit.exportCsv(view, filter),
    'grants.planRevocation': (selection) => audit.planRevocation(selection),
    'grants.revoke': (request) => audit.revoke(request),
    'grants.revocationReport': ({ jobId }) => audit.revocationReport(jobId),
    'grants.revocationCsv': ({ jobId }) => audit.revocationCsv(jobId),
  };
}
