/**
 * Builds the console's services and its bridge router from ports. The Electron composition root
 * (index.ts) and the browser bridge used by tests and demos both call this, so they run the same
 * code and differ only in the adapters and the transport they pass.
 */
import { join } from 'node:path';
import type { AppDescription } from '../src-shared/contract/app';
import { ActivityLog } from './activity/activity-log';
import { ActivityService } from './activity/activity-service';
import { activityApi } from './api/activity-api';
import { consentApi } from './api/consent-api';
import { credentialsApi } from './api/credentials-api';
import { credentialRotationApi } from './api/credential-rotation-api';
import { grantsApi } from './api/grants-api';
import { BackgroundScans } from './audit/background-scans';
import { GrantAuditService } from './audit/grant-audit-service';
import { SnapshotStore } from './audit/snapshot-store';
import { jobsApi } from './api/jobs-api';
import { offboardingApi } from './api/offboarding-api';
import { TenantGateway } from './connections/tenant-gateway';
import { ConsentService } from './consent/consent-service';
import { GoogleAppDecisions } from './consent/google-app-decisions';
import { GrantRescanQueue } from './consent/grant-rescan-queue';
import { CredentialsService } from './credentials/credentials-service';
import { rotationsFolder } from './credentials/rotation-journal';
import { RotationRunner } from './credentials/rotation-runner';
import { JobKernel } from './jobs/job-kernel';
import type { HttpFetch } from './net/http-fetch';
import { OffboardingService } from './offboarding/offboarding-service';
import { pinnedCertificateFetch } from './net/pinned-certificate-fetch';
import { TenantSchedulers } from './net/tenant-schedulers';
import { ProviderRegistry } from './providers/provider-registry';
import { appApi } from './api/app-api';
import { connectionsApi } from './api/connections-api';
import { sampleApi } from './api/sample-api';
import { createRouter, type Dispatch } from './api/router';
import { settingsApi } from './api/settings-api';
import type { SenderPolicy } from './api/sender-policy';
import { ConnectionStore } from './connections/connection-record';
import { ConnectionService, type DesktopNotifier } from './connections/connection-service';
import { EventHub } from './events/event-hub';
import { createGenericOAuthClient } from './oauth/generic-oauth-client';
import { createGoogleOAuthClient } from './oauth/google-oauth-client';
import { createMicrosoftOAuthClient } from './oauth/microsoft-oauth-client';
import type { OAuthClient } from './oauth/oauth-client';
import type { ClientFamily } from '../src-shared/contract/connections';
import { SampleWorkspace, sampleWorkspaceSeed, sampleWorkspaceUsers } from './sample/sample-workspace';
import { startTenantSimulator, type TenantSimulator } from './sample/simulator/tenant-simulator';
import type { SecretCipher } from './vault/secret-cipher';
import { SecretVault } from './vault/secret-vault';
import { SettingsService } from './settings/settings-service';
import { profileApi } from './api/profile-api';
import { unsavedAtStartProblem, type ProfileFolder } from './storage/profile-file-opening';
import { cloudProjectsFile, connectionsFile, credentialAlertsFile, googleAppDecisionsFile, offboardingConfirmationsFile, offboardingListFile, settingsFile, vaultFile } from './storage/profile-files';
import { ProfileProblems } from './storage/profile-problems';
import { ensureProfileFolder, grantSnapshotsFolder, jobsFolder } from './storage/profile-subfolder';

export interface ConsoleAdapters {
  /** The app's data folder (Electron: userData). */
  dataDirectory: string;
  /**
   * Where the settings, connections and vault store files are opened (conf or electron-store): a
   * damaged one is set aside and reported, never a reason not to start.
   */
  profile: ProfileFolder;
  /** safeStorage in the app; AES-256-GCM with a test key in tests and the browser bridge. */
  cipher: SecretCipher;
  /** The guarded opener: the system browser, for provider pages only. */
  openExternal: (url: string, context?: { trustedHosts?: readonly string[] }) => Promise<void>;
  notify: DesktopNotifier;
  /**
   * Outbound HTTP for token, discovery and revocation requests and provider API calls: Electron's
   * network stack in the app (system proxy, OS trust store), Node's fetch in tests and the bridge.
   */
  fetch: HttpFetch;
  /** The OAuth client families; tests may narrow them, the app uses the real ones. */
  oauthClients?: Record<ClientFamily, OAuthClient>;
  authorizationTimeoutMs?: number;
  description: Omit<AppDescription, 'dataDirectory'>;
  isTrustedSender: SenderPolicy;
  reportUnexpected: (context: string, error: unknown) => void;
  clock?: () => Date;
  /**
   * Starts the sample workspace's simulator; the sample seed and size when left out. Tests and
   * benchmarks pass their own to read its request log (the state changes each call applied).
   */
  startSimulator?: () => Promise<TenantSimulator>;
}

export interface ConsoleServices {
  events: EventHub;
  activity: ActivityService;
  settings: SettingsService;
  connections: ConnectionService;
  sample: SampleWorkspace;
  grants: GrantAuditService;
  consent: ConsentService;
  credentials: CredentialsService;
  rotations: RotationRunner;
  offboarding: OffboardingService;
  jobs: JobKernel;
  vault: SecretVault;
  dispatch: Dispatch;
  close(): Promise<void>;
}

/** A vault file set aside at start is why its connections have no tokens: they say so. */
function vaultLossReason(problems: ProfileProblems): { missingTokensReason?: string } {
  const damaged = problems.all().find((problem) => problem.file === `${vaultFile.name}.json`);
  if (!damaged) return {};
  return { missingTokensReason: `Its tokens were in ${damaged.file}, which was found damaged when Consentry started.` };
}

export async function startConsoleServices(adapters: ConsoleAdapters): Promise<ConsoleServices> {
  const clock = adapters.clock ?? (() => new Date());
  const events = new EventHub();
  const settingsStore = adapters.profile.open(settingsFile);
  const connectionStore = adapters.profile.open(connectionsFile);
  const vaultStore = adapters.profile.open(vaultFile);
  const googleDecisionsStore = adapters.profile.open(googleAppDecisionsFile);
  const cloudProjectsStore = adapters.profile.open(cloudProjectsFile);
  const credentialAlertsStore = adapters.profile.open(credentialAlertsFile);
  const offboardingListStore = adapters.profile.open(offboardingListFile);
  const offboardingConfirmationsStore = adapters.profile.open(offboardingConfirmationsFile);
  const profileProblems = new ProfileProblems(adapters.profile.problems);
  // The vault before the activity log: the log seals its chain with a key the vault keeps.
  const vault = new SecretVault(vaultStore, adapters.cipher);
  const activityLog = await ActivityLog.open(join(adapters.dataDirectory, 'activity'), { clock, key: await vault.keyFor('activity-log') });
  // The log sets a damaged file of its own aside and says so in its first entry: shown here, not logged twice.
  for (const problem of activityLog.setAsideFiles()) profileProblems.add(problem, { recorded: true });
  const activity = new ActivityService(activityLog, events, { clock, exportDirectory: join(adapters.dataDirectory, 'exports') });
  await profileProblems.recordIn((entry) => activity.record(entry));
  const settings = new SettingsService(settingsStore, activity, events);
  // The sample workspace is built after the connections it uses; outbound requests ask it for the
  // certificate of the sample's Entra and Graph through this late-bound lookup.
  const sampleCertificate: { lookup?: (url: URL) => string | undefined } = {};
  // The sample's Entra and Graph present a certificate made at start: trusted for them alone.
  const outbound = pinnedCertificateFetch((url) => sampleCertificate.lookup?.(url), adapters.fetch);
  const providers = new ProviderRegistry();
  const definitions = providers.definitions();
  const connections = new ConnectionService({
    store: new ConnectionStore(connectionStore, definitions),
    definitions,
    vault,
    clients: adapters.oauthClients ?? {
      google: createGoogleOAuthClient({ fetch: outbound }),
      microsoft: createMicrosoftOAuthClient({ fetch: outbound }),
      generic: createGenericOAuthClient({ fetch: outbound }),
    },
    openBrowser: adapters.openExternal,
    notify: adapters.notify,
    activity,
    events,
    clock,
    ...(adapters.authorizationTimeoutMs ? { authorizationTimeoutMs: adapters.authorizationTimeoutMs } : {}),
    ...vaultLossReason(profileProblems),
  });
  // A connections file that cannot be saved (a full disk) must not stop the start either.
  await connections.start().catch((error: unknown) => profileProblems.add(unsavedAtStartProblem(connectionsFile, error, clock())));
  const sample = new SampleWorkspace({
    connections,
    activity,
    startSimulator: adapters.startSimulator ?? (() => startTenantSimulator({ seed: sampleWorkspaceSeed, users: sampleWorkspaceUsers })),
  });
  sampleCertificate.lookup = (url) => sample.certificateFor(url);
  const gateway = new TenantGateway({
    connections,
    definitions,
    schedulers: new TenantSchedulers(providers.traffic()),
    fetch: outbound,
    events,
  });
  // Something else where a store's folder should be is set aside and named: never a reason not to start.
  for (const folder of [jobsFolder, grantSnapshotsFolder, rotationsFolder]) {
    const problem = ensureProfileFolder(join(adapters.dataDirectory, folder.name), { consequence: folder.consequence, clock });
    if (problem) profileProblems.add(problem);
  }
  const jobs = new JobKernel({ directory: join(adapters.dataDirectory, jobsFolder.name), activity, events, clock });
  const grants = new GrantAuditService({
    connections,
    audits: providers.grantAudits(),
    noGrantListings: providers.noGrantListings(),
    gateway,
    jobs,
    store: await SnapshotStore.open(join(adapters.dataDirectory, grantSnapshotsFolder.name)),
    events,
    activity,
    reportUnexpected: adapters.reportUnexpected,
    clock,
  });
  // A grant adds a tenant-wide consent: the Grants page reads the tenant again to show it, after any scan under way.
  const rescans = new GrantRescanQueue({ grants, events });
  // Registers its kinds of job: before the journals are replayed.
  const consent = new ConsentService({
    consents: providers.consents(),
    connections,
    gateway,
    jobs,
    activity,
    events,
    googleDecisions: new GoogleAppDecisions(googleDecisionsStore, clock),
    openExternal: adapters.openExternal,
    rescan: (connectionIds) => rescans.rescan(connectionIds),
    reportUnexpected: adapters.reportUnexpected,
    clock,
  });
  // Registers its kind of job (revoking credentials): before the journals are replayed.
  const credentials = new CredentialsService({
    adapters: providers.credentials(),
    connections,
    gateway,
    jobs,
    activity,
    events,
    settings,
    cloudProjectsStore,
    alertsStore: credentialAlertsStore,
    notify: adapters.notify,
    reportUnexpected: adapters.reportUnexpected,
    clock,
  });
  // Rotations: their own journals, resumed at start; the inventory shows which credential has one under way.
  const rotations = new RotationRunner({
    directory: join(adapters.dataDirectory, rotationsFolder.name),
    inventory: credentials,
    credentials: providers.credentials(),
    gateway,
    connections,
    settings,
    activity,
    events,
    reportUnexpected: adapters.reportUnexpected,
    clock,
  });
  credentials.useRotations(rotations);
  // Revoke now stops the rotations of what it revoked: an old credential gone is only read back, a successor gone ends its rotation.
  credentials.onRevoked((keys) => void rotations.credentialsRevoked(keys));
  sample.onGoogleConnected((connectionId, projects) => credentials.nameDefaultCloudProjects(connectionId, projects));
  // Registers its kind of job (offboarding steps): before the journals are replayed.
  const offboarding = new OffboardingService({
    adapters: providers.offboarding(),
    connections,
    gateway,
    jobs,
    activity,
    events,
    listStore: offboardingListStore,
    confirmationsStore: offboardingConfirmationsStore,
    reportUnexpected: adapters.reportUnexpected,
    clock,
  });
  const grantsLoaded = grants.start();
  grantsLoaded.catch((error: unknown) => adapters.reportUnexpected('reading the last grant scan', error));
  // Journals are replayed once every kind of job is registered; what a stop left unfinished is repaired.
  await jobs.start();
  // A consent decision whose job ended just before a stop may lack its entry: written now, once.
  const consentStarted = consent.start().catch((error: unknown) => adapters.reportUnexpected('recording consent decisions that ended before a stop', error));
  // An offboarding run that ended just before a stop may lack its summary entry: written now, once.
  const offboardingStarted = offboarding.start().catch((error: unknown) => adapters.reportUnexpected('recording offboarding runs that ended before a stop', error));
  // Every tenant's credentials read now and daily; expiring ones are announced once read.
  credentials.start().catch((error: unknown) => adapters.reportUnexpected('reading the credentials at start', error));
  await rotations.start();
  for (const damaged of rotations.damagedJournals()) {
    profileProblems.add({
      file: `${rotationsFolder.name}/${damaged.rotationId}.journal.ndjson`,
      problem: damaged.problem,
      keptAs: damaged.keptAs,
      consequence: 'That rotation is not listed and cannot be resumed; what it did is in the activity log. Check the credential at the provider.',
      foundAt: clock().toISOString(),
    });
  }
  for (const damaged of jobs.damagedJournals()) {
    profileProblems.add(
      {
        file: `jobs/${damaged.jobId}.journal.ndjson`,
        problem: damaged.problem,
        keptAs: damaged.keptAs,
        consequence: 'That job is not listed and cannot be resumed; what it did is in the activity log.',
        foundAt: clock().toISOString(),
      },
      { recorded: true },
    );
  }
  const backgroundScans = new BackgroundScans({ grants, settings, events, notify: adapters.notify, clock, reportUnexpected: adapters.reportUnexpected });
  backgroundScans.start();
  const dispatch = createRouter({
    handlers: {
      ...appApi({ ...adapters.description, dataDirectory: adapters.dataDirectory }, adapters.openExternal),
      ...profileApi(profileProblems),
      ...connectionsApi(connections),
      ...sampleApi(sample),
      ...grantsApi(grants),
      ...consentApi(consent),
      ...credentialsApi(credentials),
      ...credentialRotationApi(rotations),
      ...offboardingApi(offboarding),
      ...jobsApi(jobs),
      ...settingsApi(settings),
      ...activityApi(activity),
    },
    isTrustedSender: adapters.isTrustedSender,
    activity,
    reportUnexpected: adapters.reportUnexpected,
  });
  return {
    events,
    activity,
    settings,
    connections,
    sample,
    grants,
    consent,
    credentials,
    rotations,
    offboarding,
    jobs,
    vault,
    dispatch,
    close: async () => {
      backgroundScans.close();
      credentials.close();
      rescans.close();
      offboarding.close();
      await jobs.close();
      await rotations.close();
      // Its search of the log must end before the log closes.
      await consentStarted;
      await offboardingStarted;
      await grants.close();
      gateway.close();
      connections.close();
      await sample.close();
      await activityLog.close();
    },
  };
}
