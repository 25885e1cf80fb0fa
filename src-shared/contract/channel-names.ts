/**
 * The names of the bridge's channels and events, and nothing else: the sandboxed preload checks
 * names against these lists, so its bundle carries no schema library. `channels.ts` holds the
 * schemas and proves at compile time that these lists name exactly its channels and events.
 */

export const channelNameList = [
  'app.describe',
  'settings.get',
  'settings.update',
  'activity.list',
  'activity.exportCsv',
  'app.openExternal',
  'app.profileProblems',
  'app.dismissProfileProblems',
  'connections.catalog',
  'connections.list',
  'connections.preview',
  'connections.connect',
  'connections.cancelAttempt',
  'connections.reconnect',
  'connections.enableCapability',
  'connections.disableCapability',
  'connections.refresh',
  'connections.disconnect',
  'connections.remove',
  'connections.setApiQuota',
  'sample.status',
  'sample.connect',
  'sample.remove',
  'vault.useSessionOnly',
  'grants.status',
  'grants.scan',
  'grants.cancelScan',
  'grants.apps',
  'grants.list',
  'grants.app',
  'grants.changes',
  'grants.useNewerRead',
  'grants.exportCsv',
  'grants.planRevocation',
  'grants.revoke',
  'grants.revocationReport',
  'grants.revocationCsv',
  'consent.policies',
  'consent.planPolicyChange',
  'consent.changePolicy',
  'consent.requests',
  'consent.deny',
  'consent.review',
  'consent.planGrant',
  'consent.grant',
  'consent.grantResult',
  'consent.openConsentPrompt',
  'consent.readBack',
  'consent.planBlock',
  'consent.block',
  'consent.googleDecisions',
  'consent.decideGoogleApp',
  'consent.exportGoogleList',
  'credentials.inventory',
  'credentials.read',
  'credentials.history',
  'credentials.exportCsv',
  'credentials.cloudProjects',
  'credentials.setCloudProjects',
  'credentials.rotations',
  'credentials.startRotation',
  'credentials.advanceRotation',
  'credentials.revealSecret',
  'credentials.planRevoke',
  'credentials.revoke',
  'credentials.revokeReport',
  'credentials.pendingAlerts',
  'credentials.dismissAlerts',
  'jobs.list',
  'jobs.pause',
  'jobs.resume',
  'jobs.cancel',
  'offboarding.list',
  'offboarding.importList',
  'offboarding.editRow',
  'offboarding.dropRows',
  'offboarding.clearList',
  'offboarding.checkList',
  'offboarding.plan',
  'offboarding.currentPlan',
  'offboarding.dryRun',
  'offboarding.cancelDryRun',
  'offboarding.start',
  'offboarding.runs',
  'offboarding.run',
  'offboarding.confirmManualStep',
  'offboarding.exportEvidence',
] as const;

export const eventNameList = [
  'activity.appended',
  'settings.changed',
  'connections.changed',
  'connections.attempt',
  'connections.alert',
  'grants.scanProgress',
  'grants.changed',
  'grants.alert',
  'jobs.progress',
  'consent.changed',
  'credentials.changed',
  'credentials.rotationChanged',
  'credentials.alert',
  'offboarding.changed',
] as const;

export type ChannelName = (typeof channelNameList)[number];
export type EventName = (typeof eventNameList)[number];

const channelSet: ReadonlySet<string> = new Set(channelNameList);
const eventSet: ReadonlySet<string> = new Set(eventNameList);

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && channelSet.has(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && eventSet.has(value);
}

/** The IPC channel names the preload and the shell agree on. */
export const ipcChannels = {
  invoke: 'consentry:invoke',
  event: 'consentry:event',
} as const;
