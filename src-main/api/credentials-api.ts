import type { CredentialsService } from '../credentials/credentials-service';
import type { ChannelHandlers } from './router';

/** The rotation channels are the rotation runner's (credential-rotation-api.ts). */
type CredentialsChannels = Exclude<Extract<keyof ChannelHandlers, `credentials.${string}`>, 'credentials.rotations' | 'credentials.startRotation' | 'credentials.advanceRotation' | 'credentials.revealSecret'>;

export function credentialsApi(credentials: CredentialsService): Pick<ChannelHandlers, CredentialsChannels> {
  return {
    'credentials.inventory': () => credentials.inventory(),
    'credentials.read': ({ connectionIds }) => credentials.read(connectionIds),
    'credentials.history': ({ key }) => credentials.history(key),
    'credentials.exportCsv': () => credentials.exportCsv(),
    'credentials.cloudProjects': () => credentials.cloudProjects(),
    'credentials.setCloudProjects': (request) => credentials.setCloudProjects(request),
    'credentials.planRevoke': (request) => credentials.planRevoke(request),
    'credentials.revoke': (request) => credentials.revoke(request),
    'credentials.revokeReport': ({ jobId }) => credentials.revokeReport(jobId),
    'credentials.pendingAlerts': () => credentials.pendingAlerts(),
    'credentials.dismissAlerts': ({ credentialKeys }) => credentials.dismissAlerts(credentialKeys),
  };
}
