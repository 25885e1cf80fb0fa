/**
 * The sample workspace's tenant, built deterministically from a seed: the same seed and reference
 * time always give the same users, apps, grants and credentials. One model feeds the simulated
 * Google Workspace and Microsoft Entra of the same fictional company.
 */
import { createHash } from 'node:crypto';
import { publishedApps, sampleApps, type PublishedAppDefinition, type SampleAppDefinition } from './sample-apps';
import { SeededRandom } from './seeded-random';

export interface SampleUser {
  /** Google: numeric id. */
  googleId: string;
  /** Entra: object id. */
  graphId: string;
  primaryEmail: string;
  givenName: string;
  familyName: string;
  isAdmin: boolean;
  suspended: boolean;
  /** Left the company but still active: the offboarding list. */
  departed: boolean;
  creationTime: string;
  lastLoginTime: string;
}

export interface SampleApp extends SampleAppDefinition {
  /** Google OAuth client id (`{projectNumber}-{id}.apps.googleusercontent.com`). */
  googleClientId: string;
  /** Entra application (client) id. */
  appId: string;
  /** Entra service principal object id in this tenant. */
  servicePrincipalId: string;
  /** The tenant that owns the app registration. */
  appOwnerOrganizationId: string;
}

export interface SampleGoogleToken {
  userGoogleId: string;
  clientId: string;
  displayText: string;
  scopes: string[];
  anonymous: boolean;
  nativeApp: boolean;
}

export interface SampleAsp {
  userGoogleId: string;
  codeId: number;
  name: string;
  creationTime: string;
  lastTimeUsed: string;
}

export interface SamplePermissionGrant {
  id: string;
  clientId: string;
  consentType: 'AllPrincipals' | 'Principal';
  principalId: string | null;
  resourceId: string;
  scope: string;
}

export interface SampleAppRoleAssignment {
  id: string;
  principalId: string;
  principalDisplayName: string;
  resourceId: string;
  resourceDisplayName: string;
  appRoleId: string;
  permission: string;
  createdDateTime: string;
}

export interface SampleCredential {
  keyId: string;
  displayName: string;
  startDateTime: string;
  endDateTime: string;
  /** A password's hint, the first three characters of its secret; absent for seeds (the simulator derives one). */
  hint?: string;
  /** A certificate's customKeyIdentifier (base64 of its SHA-1 thumbprint); absent for seeds (derived from keyId). */
  customKeyIdentifier?: string;
  /** A certificate's public certificate, base64 DER; absent for seeds, which carry no real certificate. */
  key?: string;
  /** A certificate's use: `Verify` (public key), or `Sign` for the private half of a SAML token-signing certificate. */
  usage?: 'Sign' | 'Verify';
}

export interface SampleAppRegistration {
  id: string;
  appId: string;
  displayName: string;
  /** Graph's signInAudience: an app that also takes personal Microsoft accounts holds at most two secrets. */
  signInAudience: 'AzureADMyOrg' | 'AzureADMultipleOrgs' | 'AzureADandPersonalMicrosoftAccount' | 'PersonalMicrosoftAccount';
  passwordCredentials: SampleCredential[];
  keyCredentials: SampleCredential[];
}

/**
 * A service principal's own credentials: a SAML app's token-signing certificate (its Sign and
 * Verify halves and the password of the PFX, all with one customKeyIdentifier), or a password.
 */
export interface SampleServicePrincipalCredentials {
  servicePrincipalId: string;
  passwordCredentials: SampleCredential[];
  keyCredentials: SampleCredential[];
  /** Upper-case hex thumbprint of the certificate that signs SAML tokens; null when none. */
  preferredTokenSigningKeyThumbprint: string | null;
}

/** A Google Cloud project of the sample company (the first is `cloudProjectId`). */
export interface SampleCloudProject {
  projectId: string;
  projectNumber: string;
  /** IAM permissions the company's admins were not granted on this project: Google refuses those calls. */
  adminLacks: string[];
}

export interface SampleServiceAccount {
  projectId: string;
  email: string;
  /** IAM's numeric id of the account. */
  uniqueId: string;
  displayName: string;
}

export interface SampleServiceAccountKey {
  serviceAccountEmail: string;
  keyId: string;
  keyType: 'USER_MANAGED' | 'SYSTEM_MANAGED';
  validAfterTime: string;
  validBeforeTime: string;
  disabled: boolean;
  /** The key's last authentication as Policy Analyzer reports it; null when it never authenticated. */
  lastAuthenticatedTime: string | null;
}

/** API Keys v2 `restrictions`, in Google's shape: at most one kind of application restriction, plus API targets. */
export interface SampleApiKeyRestrictions {
  browserKeyRestrictions?: { allowedReferrers?: string[] };
  serverKeyRestrictions?: { allowedIps?: string[] };
  androidKeyRestrictions?: { allowedApplications?: { sha1Fingerprint?: string; packageName?: string }[] };
  iosKeyRestrictions?: { allowedBundleIds?: string[] };
  apiTargets?: { service?: string; methods?: string[] }[];
}

export interface SampleApiKey {
  projectId: string;
  uid: string;
  displayName: string;
  createTime: string;
  /** Null: an unrestricted key. */
  restrictions: SampleApiKeyRestrictions | null;
}

/** A multi-tenant app published elsewhere, with no service principal in this tenant yet. */
export interface SamplePublishedApp extends PublishedAppDefinition {
  appId: string;
  appOwnerOrganizationId: string;
}

/** One stage of the approval behind a user's consent request (Graph approvalStage). */
export interface SampleApprovalStage {
  id: string;
  status: 'InProgress' | 'Completed';
  reviewResult: 'NotReviewed' | 'Approve' | 'Deny';
  justification: string | null;
  reviewedBy: { id: string; displayName: string; userPrincipalName: string } | null;
  reviewedDateTime: string | null;
}

/** A user's request for admin consent (Graph userConsentRequest); its approval id is its own id. */
export interface SampleUserConsentRequest {
  id: string;
  userGraphId: string;
  reason: string;
  status: 'InProgress' | 'Completed' | 'Expired';
  createdDateTime: string;
  completedDateTime: string | null;
  stages: SampleApprovalStage[];
}

/** An app users asked an admin to consent to (Graph appConsentRequest). */
export interface SampleAppConsentRequest {
  id: string;
  appId: string;
  appDisplayName: string;
  /** Delegated Microsoft Graph scopes waiting for approval. */
  pendingScopes: string[];
  userConsentRequests: SampleUserConsentRequest[];
}

/** Entra adminConsentRequestPolicy: the admin consent workflow. */
export interface SampleAdminConsentRequestPolicy {
  isEnabled: boolean;
  notifyReviewers: boolean;
  remindersEnabled: boolean;
  requestDurationInDays: number;
  reviewers: { query: string; queryType: string; queryRoot: string | null }[];
  version: number;
}

export interface SampleTenant {
  seed: number;
  referenceTime: string;
  domain: string;
  googleCustomerId: string;
  entraTenantId: string;
  cloudProjectId: string;
  cloudProjectNumber: string;
  /** Every Cloud project of the company, `cloudProjectId` first; any other project is out of the admin's reach. */
  cloudProjects: SampleCloudProject[];
  users: SampleUser[];
  apps: SampleApp[];
  googleTokens: SampleGoogleToken[];
  asps: SampleAsp[];
  graphServicePrincipalId: string;
  permissionGrants: SamplePermissionGrant[];
  appRoleAssignments: SampleAppRoleAssignment[];
  appRegistrations: SampleAppRegistration[];
  servicePrincipalCredentials: SampleServicePrincipalCredentials[];
  serviceAccounts: SampleServiceAccount[];
  serviceAccountKeys: SampleServiceAccountKey[];
  apiKeys: SampleApiKey[];
  /**
   * Entra authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned: the
   * user-consent policy (legacy = users may consent to anything) and group-owner consent.
   */
  userConsentPolicies: string[];
  /** authorizationPolicy.defaultUserRolePermissions.allowedToCreateApps. */
  allowedToCreateApps: boolean;
  adminConsentRequestPolicy: SampleAdminConsentRequestPolicy;
  /** Multi-tenant apps published in other tenants (no service principal here yet). */
  publishedApps: SamplePublishedApp[];
  appConsentRequests: SampleAppConsentRequest[];
}

export interface SampleTenantOptions {
  seed: number;
  users: number;
  /** Ages and expiries are relative to this instant. */
  referenceTime: Date;
}

/** Graph application permissions (app roles) by name, with the ids Microsoft publishes for them. */
export const graphAppRoleIds: Record<string, string> = {
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
  'Directory.ReadWrite.All': '19dbc75e-c2e2-444c-a770-ec69d8559fc7',
  'Mail.ReadWrite': 'e2a3a72e-5f79-4c64-b1b1-878b674786c9',
  'Files.ReadWrite.All': '75359482-378d-4052-8f01-80520e7db3cd',
  'Sites.ReadWrite.All': '9492366f-7969-46a4-8d15-ed1a20078fff',
  'RoleManagement.ReadWrite.Directory': '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8',
  'AppRoleAssignment.ReadWrite.All': '06b708a9-e830-4db3-a914-8e69da51d44f',
  'Policy.Read.All': '246dd0d5-5bd0-4def-940b-0421030a5b68',
};

const givenNames = ['Ada', 'Ben', 'Chloé', 'Dmitri', 'Elif', 'Farah', 'Gustav', 'Hana', 'Ivan', 'Jonas', 'Keiko', 'Lars', 'Maya', 'Nadia', 'Omar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tomás', 'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zoë'];
const familyNames = ['Andersen', 'Bianchi', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Hoffmann', 'Ibrahim', 'Jensen', 'Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quinn', 'Rossi', 'Schmidt', 'Tanaka', 'Ueda', 'Varga', 'Weber', 'Xu', 'Yilmaz', 'Zimmermann'];
const aspNames = ['Outlook 2016 on OFFICE-PC', 'Thunderbird at home', 'iPhone Mail', 'Printer scan-to-mail'];

const day = 86_400_000;

function ascii(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function buildSampleTenant(options: SampleTenantOptions): SampleTenant {
  const random = new SeededRandom(options.seed);
  const now = options.referenceTime.getTime();
  const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();
  const domain = 'sample-company.example';
  const entraTenantId = random.guid();
  const cloudProjectNumber = random.digits(12);

  const taken = new Set<string>();
  const users: SampleUser[] = [];
  const adminCount = Math.max(2, Math.round(options.users * 0.04));
  for (let index = 0; index < options.users; index += 1) {
    const givenName = random.pick(givenNames);
    const familyName = random.pick(familyNames);
    let local = `${ascii(givenName)}.${ascii(familyName)}`;
    for (let suffix = 2; taken.has(local); suffix += 1) local = `${ascii(givenName)}.${ascii(familyName)}${suffix}`;
    taken.add(local);
    const isAdmin = index < adminCount;
    const suspended = !isAdmin && random.chance(0.04);
    users.push({
      googleId: random.digits(21),
      graphId: random.guid(),
      primaryEmail: `${local}@${domain}`,
      givenName,
      familyName,
      isAdmin,
      suspended,
      departed: !isAdmin && !suspended && random.chance(0.03),
      creationTime: at(-random.int(30, 2_000) * day),
      lastLoginTime: at(-random.int(0, suspended ? 400 : 60) * day),
    });
  }

  const apps: SampleApp[] = sampleApps.map((definition) => ({
    ...definition,
    googleClientId: `${definition.internal ? cloudProjectNumber : random.digits(12)}-${random.hex(32)}.apps.googleusercontent.com`,
    appId: random.guid(),
    servicePrincipalId: random.guid(),
    appOwnerOrganizationId: definition.internal ? entraTenantId : random.guid(),
  }));
  const graphServicePrincipalId = random.guid();

  const googleTokens: SampleGoogleToken[] = [];
  const permissionGrants: SamplePermissionGrant[] = [];
  for (const app of apps) {
    if (app.tenantWideConsent && app.graphDelegated.length > 0) {
      permissionGrants.push({ id: random.hex(43), clientId: app.servicePrincipalId, consentType: 'AllPrincipals', principalId: null, resourceId: graphServicePrincipalId, scope: app.graphDelegated.join(' ') });
    }
  }
  for (const user of users) {
    for (const app of apps) {
      if (app.popularity === 0 || !random.chance(app.popularity)) continue;
      if (app.googleScopes.length > 0) {
        googleTokens.push({ userGoogleId: user.googleId, clientId: app.googleClientId, displayText: app.name, scopes: [...app.googleScopes], anonymous: app.anonymous, nativeApp: app.nativeApp });
      }
      if (app.graphDelegated.length > 0 && !app.tenantWideConsent) {
        permissionGrants.push({ id: random.hex(43), clientId: app.servicePrincipalId, consentType: 'Principal', principalId: user.graphId, resourceId: graphServicePrincipalId, scope: app.graphDelegated.join(' ') });
      }
    }
  }

  const asps: SampleAsp[] = users
    .filter(() => random.chance(0.03))
    .map((user, index) => ({ userGoogleId: user.googleId, codeId: 100 + index, name: random.pick(aspNames), creationTime: at(-random.int(60, 900) * day), lastTimeUsed: at(-random.int(0, 200) * day) }));

  const appRoleAssignments: SampleAppRoleAssignment[] = apps.flatMap((app) =>
    app.graphApplication.map((permission) => ({
      id: random.hex(43),
      principalId: app.servicePrincipalId,
      principalDisplayName: app.name,
      resourceId: graphServicePrincipalId,
      resourceDisplayName: 'Microsoft Graph',
      appRoleId: graphAppRoleIds[permission]!,
      permission,
      createdDateTime: at(-random.int(20, 700) * day),
    })),
  );

  // App registrations of the company itself: secrets expired, expiring within 30 days, and fine.
  const secretExpiries = [-12, 9, 24, 180, 400, -90, 29, 700];
  const appRegistrations: SampleAppRegistration[] = ['HR Sync Connector', 'Intranet SSO', 'Finance Reporting Bot', 'Build Pipeline', 'Mailroom Automation', 'Legacy Timesheets', 'Data Warehouse Loader', 'Helpdesk Integration'].map(
    (displayName, index) => {
      const ends = secretExpiries[index]!;
      return {
        id: random.guid(),
        appId: displayName === 'HR Sync Connector' ? apps.find((app) => app.key === 'hrsync')!.appId : random.guid(),
        displayName,
        signInAudience: 'AzureADMyOrg' as const,
        passwordCredentials: [{ keyId: random.guid(), displayName: `${displayName} secret`, startDateTime: at((ends - 730) * day), endDateTime: at(ends * day) }],
        keyCredentials: index % 3 === 0 ? [{ keyId: random.guid(), displayName: `CN=${ascii(displayName).replace(/\s+/g, '-')}`, startDateTime: at(-random.int(100, 300) * day), endDateTime: at(random.int(-20, 365) * day) }] : [],
      };
    },
  );

  // Google Cloud keys of every age and use. The first project's keys draw from the tenant's sequence
  // as they always did; the seeds added since (a second project, accounts, a never-used key) draw
  // from their own, so every id drawn after them stays as it was.
  const cloudProjectId = `sample-company-${options.seed}`;
  const cloudRandom = new SeededRandom(options.seed + 7_919);
  const cloudProjects: SampleCloudProject[] = [
    { projectId: cloudProjectId, projectNumber: cloudProjectNumber, adminLacks: [] },
    // Nobody gave the admins Activity Analysis Viewer on the data project: no last use of its keys.
    { projectId: `sample-data-${options.seed}`, projectNumber: cloudRandom.digits(12), adminLacks: ['policyanalyzer.serviceAccountKeyLastAuthenticationActivities.query', 'policyanalyzer.serviceAccountLastAuthenticationActivities.query'] },
  ];
  const noExpiry = '9999-12-31T23:59:59Z';
  /** A user-managed key: age and last authentication in days before the reference time (null: never). */
  const userKey = (email: string, keyId: string, age: number, usedDaysAgo: number | null, disabled = false): SampleServiceAccountKey => ({
    serviceAccountEmail: email,
    keyId,
    keyType: 'USER_MANAGED',
    validAfterTime: at(-age * day),
    validBeforeTime: noExpiry,
    disabled,
    lastAuthenticatedTime: usedDaysAgo === null ? null : at(-usedDaysAgo * day),
  });
  const systemKey = (email: string, source: SeededRandom): SampleServiceAccountKey => ({
    serviceAccountEmail: email,
    keyId: source.hex(40),
    keyType: 'SYSTEM_MANAGED',
    validAfterTime: at(-source.int(1, 14) * day),
    validBeforeTime: at(source.int(14, 90) * day),
    disabled: false,
    lastAuthenticatedTime: null,
  });
  const accountEmail = (name: string, projectId: string) => `${name}@${projectId}.iam.gserviceaccount.com`;
  // deploy: fresh and used; backup: old but used, and old and unused for 150 days; analytics: used;
  // legacy-export: disabled, last used 500 days ago (before Policy Analyzer's window).
  const firstProjectKeys: [number, number | null, boolean][][] = [[[12, 3, false]], [[95, 2, false], [400, 150, false]], [[30, 5, false]], [[800, 500, true]]];
  const serviceAccountKeys: SampleServiceAccountKey[] = ['deploy', 'backup', 'analytics', 'legacy-export'].flatMap((account, index) => {
    const email = accountEmail(account, cloudProjectId);
    return [...firstProjectKeys[index]!.map(([age, used, disabled]) => userKey(email, random.hex(40), age, used, disabled)), systemKey(email, random)];
  });
  const etlLoader = accountEmail('etl-loader', cloudProjects[1]!.projectId);
  serviceAccountKeys.push(
    // Made for a migration 210 days ago and never used since.
    userKey(accountEmail('analytics', cloudProjectId), cloudRandom.hex(40), 210, null),
    userKey(etlLoader, cloudRandom.hex(40), 60, 3),
    systemKey(etlLoader, cloudRandom),
  );
  const serviceAccounts: SampleServiceAccount[] = [
    ['deploy', 'Deployment pipeline', cloudProjectId],
    ['backup', 'Nightly backup', cloudProjectId],
    ['analytics', 'Analytics export', cloudProjectId],
    ['legacy-export', 'Legacy export (retired)', cloudProjectId],
    // An account with no keys at all: it signs in through workload identity.
    ['ci-runner', 'CI runner', cloudProjectId],
    ['etl-loader', 'Warehouse loader', cloudProjects[1]!.projectId],
  ].map(([name, displayName, projectId]) => ({ projectId: projectId!, email: accountEmail(name!, projectId!), uniqueId: cloudRandom.digits(21), displayName: displayName! }));

  const mapsRestrictions: SampleApiKeyRestrictions = {
    browserKeyRestrictions: { allowedReferrers: ['https://www.sample-company.example/*', 'https://intranet.sample-company.example/*'] },
    apiTargets: [{ service: 'maps-backend.googleapis.com' }, { service: 'places-backend.googleapis.com' }],
  };
  const apiKeys: SampleApiKey[] = [
    { displayName: 'Maps on the website', age: 40, restrictions: mapsRestrictions },
    { displayName: 'Old mobile app key', age: 600, restrictions: null },
    { displayName: 'Translation batch job', age: 120, restrictions: null },
  ].map((key) => ({ projectId: cloudProjectId, uid: random.guid(), displayName: key.displayName, createTime: at(-key.age * day), restrictions: key.restrictions }));
  apiKeys.push({
    projectId: cloudProjects[1]!.projectId,
    uid: cloudRandom.guid(),
    displayName: 'Warehouse export server key',
    createTime: at(-75 * day),
    restrictions: { serverKeyRestrictions: { allowedIps: ['203.0.113.10', '198.51.100.0/24'] }, apiTargets: [{ service: 'bigquery.googleapis.com', methods: ['Get*', 'List*'] }] },
  });

  // Drawn before the consent seeds, so the tenants seeded before them keep their ids.
  const googleCustomerId = `C0${random.hex(7)}`;
  const published: SamplePublishedApp[] = publishedApps.map((definition) => ({ ...definition, appId: random.guid(), appOwnerOrganizationId: random.guid() }));
  const appConsentRequests = seedConsentRequests(random, users, [...published, ...apps], at);
  // Drawn from a stream of their own, so every tenant seeded before them keeps its ids.
  const entraCredentials = seedEntraCredentials(new SeededRandom(options.seed * 7_919 + 12), apps, at);
  appRegistrations.push(...entraCredentials.appRegistrations);
  // Last, and without a draw, so every id and choice above stays as the seed made it.
  seedOffboardingCohort({ users, apps, googleTokens, asps, permissionGrants, graphServicePrincipalId, at });

  return {
    seed: options.seed,
    referenceTime: options.referenceTime.toISOString(),
    domain,
    googleCustomerId,
    entraTenantId,
    cloudProjectId,
    cloudProjectNumber,
    cloudProjects,
    users,
    apps,
    googleTokens,
    asps,
    graphServicePrincipalId,
    permissionGrants,
    appRoleAssignments,
    appRegistrations,
    servicePrincipalCredentials: entraCredentials.servicePrincipalCredentials,
    serviceAccounts,
    serviceAccountKeys,
    apiKeys,
    // The legacy policy lets users consent to any app, users may register apps and group owners may
    // consent for their teams: the baseline checks fail on purpose.
    userConsentPolicies: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy', 'ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team'],
    allowedToCreateApps: true,
    // The admin consent workflow is off: nobody reviews the requests below.
    adminConsentRequestPolicy: { isEnabled: false, notifyReviewers: false, remindersEnabled: false, requestDurationInDays: 30, reviewers: [], version: 0 },
    publishedApps: published,
    appConsentRequests,
  };
}

/** At least this share of the users left the company (21 of the sample workspace's 300): enough for a day's offboarding list. */
const departedShare = 0.07;
/** Google tokens each departed user holds at least, so offboarding has tokens to remove. */
const departedTokens = 2;

/**
 * The people on the offboarding list, with access left to remove: more users marked departed
 * (spread evenly over those still active, never an admin or a suspended user) until the share is
 * reached, and every departed user given an app password and at least two Google tokens — each
 * with the app's delegated Graph grant, as one person using one app has both. Nothing here draws
 * from the seed's sequence: ids come from a hash of the user and the app.
 */
function seedOffboardingCohort(seed: {
  users: SampleUser[];
  apps: readonly SampleApp[];
  googleTokens: SampleGoogleToken[];
  asps: SampleAsp[];
  permissionGrants: SamplePermissionGrant[];
  graphServicePrincipalId: string;
  at: (offsetMs: number) => string;
}): void {
  const { users, apps, googleTokens, asps, permissionGrants, at } = seed;
  const active = users.filter((user) => !user.isAdmin && !user.suspended && !user.departed);
  const missing = Math.min(active.length, Math.max(0, Math.round(users.length * departedShare) - users.filter((user) => user.departed).length));
  for (let index = 0; index < missing; index += 1) {
    active[Math.floor(((index + 0.5) * active.length) / missing)]!.departed = true;
  }
  const hashed = (text: string) => createHash('sha256').update(text).digest();
  const googleApps = apps.filter((app) => app.googleScopes.length > 0 && app.popularity > 0);
  users
    .filter((user) => user.departed)
    .forEach((user, index) => {
      if (!asps.some((asp) => asp.userGoogleId === user.googleId)) {
        const ages = hashed(`asp:${user.googleId}`);
        asps.push({ userGoogleId: user.googleId, codeId: 100 + asps.length, name: aspNames[index % aspNames.length]!, creationTime: at(-(60 + (ages.readUInt16BE(0) % 840)) * day), lastTimeUsed: at(-(ages.readUInt16BE(2) % 60) * day) });
      }
      for (const app of googleApps) {
        const held = googleTokens.filter((token) => token.userGoogleId === user.googleId);
        if (held.length >= departedTokens) break;
        if (held.some((token) => token.clientId === app.googleClientId)) continue;
        googleTokens.push({ userGoogleId: user.googleId, clientId: app.googleClientId, displayText: app.name, scopes: [...app.googleScopes], anonymous: app.anonymous, nativeApp: app.nativeApp });
        if (app.graphDelegated.length > 0 && !app.tenantWideConsent) {
          permissionGrants.push({ id: hashed(`grant:${user.graphId}:${app.appId}`).toString('base64url').slice(0, 43), clientId: app.servicePrincipalId, consentType: 'Principal', principalId: user.graphId, resourceId: seed.graphServicePrincipalId, scope: app.graphDelegated.join(' ') });
        }
      }
    });
}

/** The pending requests: two apps without a service principal here, and more scopes for one that has. */
const consentRequestSeeds: { appKey: string; scopes: string[]; asks: { daysAgo: number; reason: string }[] }[] = [
  {
    appKey: 'boardnotes',
    scopes: ['User.Read', 'Calendars.Read', 'Mail.Read', 'Files.Read.All'],
    asks: [
      { daysAgo: 3, reason: 'The board pack is in Board Notes now; I need it to prepare the quarterly meeting.' },
      { daysAgo: 1, reason: 'Our chair shares the minutes through Board Notes.' },
    ],
  },
  { appKey: 'surveyhub', scopes: ['User.Read', 'Mail.Send'], asks: [{ daysAgo: 6, reason: 'For the staff engagement survey.' }, { daysAgo: 2, reason: 'HR asked us to send the survey from our own mailboxes.' }] },
  { appKey: 'grammar', scopes: ['Files.ReadWrite.All'], asks: [{ daysAgo: 4, reason: 'Grammar Helper wants to correct shared documents too.' }] },
];

function seedConsentRequests(random: SeededRandom, users: readonly SampleUser[], apps: readonly { key: string; name: string; appId: string }[], at: (offsetMs: number) => string): SampleAppConsentRequest[] {
  // People who can still sign in ask; admins do not need to.
  const askers = users.filter((user) => !user.isAdmin && !user.suspended);
  let next = 0;
  return consentRequestSeeds.map((seed) => {
    const app = apps.find((candidate) => candidate.key === seed.appKey)!;
    return {
      id: random.guid(),
      appId: app.appId,
      appDisplayName: app.name,
      pendingScopes: [...seed.scopes],
      userConsentRequests: seed.asks.map((ask) => {
        const user = askers[(next += 3) % askers.length]!;
        return {
          id: random.guid(),
          userGraphId: user.graphId,
          reason: ask.reason,
          status: 'InProgress' as const,
          createdDateTime: at(-ask.daysAgo * day),
          completedDateTime: null,
          stages: [{ id: random.guid(), status: 'InProgress' as const, reviewResult: 'NotReviewed' as const, justification: null, reviewedBy: null, reviewedDateTime: null }],
        };
      }),
    };
  });
}

/**
 * The Entra credentials the credentials inventory is tried on, beyond the secrets above: Payroll
 * Sync's only secret expires exactly 10 days after the reference time (the E2E rotates it); Partner
 * Portal also takes personal Microsoft accounts and already holds the two secrets Entra allows such
 * an app; TeamChat signs its SAML tokens with a certificate of its service principal; Backup Vault's
 * service principal holds a password of its own.
 */
function seedEntraCredentials(
  random: SeededRandom,
  apps: readonly SampleApp[],
  at: (offsetMs: number) => string,
): { appRegistrations: SampleAppRegistration[]; servicePrincipalCredentials: SampleServicePrincipalCredentials[] } {
  const secret = (displayName: string, startDays: number, endDays: number): SampleCredential => ({ keyId: random.guid(), displayName, startDateTime: at(startDays * day), endDateTime: at(endDays * day) });
  const appRegistrations: SampleAppRegistration[] = [
    { id: random.guid(), appId: random.guid(), displayName: 'Payroll Sync', signInAudience: 'AzureADMyOrg', passwordCredentials: [secret('Payroll Sync production', -355, 10)], keyCredentials: [] },
    {
      id: random.guid(),
      appId: random.guid(),
      displayName: 'Partner Portal',
      signInAudience: 'AzureADandPersonalMicrosoftAccount',
      passwordCredentials: [secret('Partner Portal primary', -160, 20), secret('Partner Portal standby', -40, 325)],
      keyCredentials: [],
    },
  ];
  const thumbprint = random.hex(40).toUpperCase();
  const saml = { displayName: 'CN=Microsoft Azure Federated SSO Certificate', startDateTime: at(-1_050 * day), endDateTime: at(45 * day), customKeyIdentifier: Buffer.from(thumbprint, 'hex').toString('base64') };
  const signingKeyId = random.guid();
  const servicePrincipalOf = (key: string) => apps.find((app) => app.key === key)!.servicePrincipalId;
  const servicePrincipalCredentials: SampleServicePrincipalCredentials[] = [
    {
      servicePrincipalId: servicePrincipalOf('teamchat'),
      // The PFX password shares the private key's keyId, as addTokenSigningCertificate makes them.
      passwordCredentials: [{ ...saml, keyId: signingKeyId }],
      keyCredentials: [
        { ...saml, keyId: signingKeyId, usage: 'Sign' },
        { ...saml, keyId: random.guid(), usage: 'Verify' },
      ],
      preferredTokenSigningKeyThumbprint: thumbprint,
    },
    { servicePrincipalId: servicePrincipalOf('backupvault'), passwordCredentials: [secret('Backup Vault connector', -200, 165)], keyCredentials: [], preferredTokenSigningKeyThumbprint: null },
  ];
  return { appRegistrations, servicePrincipalCredentials };
}
