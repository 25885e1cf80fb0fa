/**
 * How much a scope or permission lets an app do, Critical to Low, with a one-line reason. Google's
 * restricted Gmail and Drive scopes are at least High, full mailbox or Drive write Critical; Graph
 * application permissions that reach every mailbox, file or the directory are Critical (CISA
 * ScubaGear's ratings were the cross-check). Salesforce's `full` and `api`, Zendesk's `write` and
 * `impersonate` and Okta's `*.manage` admin scopes reach everything the user can, so they rate like
 * full Drive access. Scopes not listed are rated by their shape and marked unrated.
 */
export const riskLevels = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof riskLevels)[number];

export type ScopeFamily = 'google' | 'graph-delegated' | 'graph-application' | 'salesforce' | 'zendesk' | 'okta';

export interface ScopeRating {
  level: RiskLevel;
  reason: string;
  /** Rated from the scope's shape, not from the catalog. */
  unrated: boolean;
}

const g = (name: string) => `https://www.googleapis.com/auth/${name}`;
type Entry = readonly [RiskLevel, string];

const google = new Map<string, Entry>([
  ['https://mail.google.com/', ['critical', 'Full access to the mailbox: read, send and permanently delete all mail.']],
  [g('gmail.modify'), ['critical', 'Reads, changes and sends mail, and moves it to the trash.']],
  [g('gmail.compose'), ['high', 'Drafts and sends mail as the user.']],
  [g('gmail.insert'), ['high', 'Puts messages into the mailbox that look delivered.']],
  [g('gmail.send'), ['high', 'Sends mail as the user.']],
  [g('gmail.readonly'), ['high', 'Reads every message and its attachments (restricted scope).']],
  [g('gmail.metadata'), ['high', 'Reads headers and labels of every message: who writes to whom (restricted scope).']],
  [g('gmail.settings.basic'), ['high', 'Changes mail settings such as filters (restricted scope).']],
  [g('gmail.settings.sharing'), ['critical', 'Adds forwarding addresses and delegates: mail can leave silently.']],
  [g('drive'), ['critical', 'Reads, changes and deletes every file in Drive.']],
  [g('drive.readonly'), ['high', 'Reads every file in Drive (restricted scope).']],
  [g('drive.metadata'), ['high', 'Reads and changes the metadata of every file (restricted scope).']],
  [g('drive.metadata.readonly'), ['high', 'Lists every file in Drive with its sharing (restricted scope).']],
  [g('drive.activity'), ['high', 'Reads the activity history of every file (restricted scope).']],
  [g('drive.activity.readonly'), ['high', 'Reads the activity history of every file (restricted scope).']],
  [g('drive.scripts'), ['high', 'Changes Apps Script projects (restricted scope).']],
  [g('drive.file'), ['medium', 'Reads and changes only the files the app created or the user opened with it.']],
  [g('documents'), ['high', 'Reads and changes every Google Doc.']],
  [g('spreadsheets'), ['high', 'Reads and changes every Google Sheet.']],
  [g('presentations'), ['high', 'Reads and changes every Google Slides deck.']],
  [g('calendar'), ['medium', 'Reads and changes every calendar the user can reach.']],
  [g('calendar.events'), ['medium', 'Reads and changes events on the user’s calendars.']],
  [g('calendar.readonly'), ['medium', 'Reads every calendar the user can reach.']],
  [g('contacts'), ['medium', 'Reads and changes the user’s contacts.']],
  [g('contacts.readonly'), ['medium', 'Reads the user’s contacts.']],
  [g('contacts.other.readonly'), ['medium', 'Reads everyone the user has emailed.']],
  [g('admin.directory.user'), ['critical', 'Creates, changes and deletes users of the whole organisation.']],
  [g('admin.directory.user.security'), ['critical', 'Reads and revokes every user’s app tokens and signs users out.']],
  [g('admin.directory.user.readonly'), ['medium', 'Lists every user of the organisation.']],
  [g('admin.reports.audit.readonly'), ['medium', 'Reads the organisation’s audit logs.']],
  [g('admin.datatransfer'), ['high', 'Moves a user’s Drive and Calendar data to someone else.']],
  [g('cloud-platform'), ['critical', 'Full access to Google Cloud resources the user can reach, keys included.']],
  [g('cloud-platform.read-only'), ['medium', 'Reads Google Cloud resources the user can reach.']],
  [g('userinfo.email'), ['low', 'Reads the user’s email address.']],
  [g('userinfo.profile'), ['low', 'Reads the user’s name and photo.']],
  ['openid', ['low', 'Signs the user in.']],
  ['email', ['low', 'Reads the user’s email address.']],
  ['profile', ['low', 'Reads the user’s name and photo.']],
]);

/** Delegated: what the app may do as the signed-in user, within that user's own rights. */
const graphDelegated = new Map<string, Entry>([
  ['openid', ['low', 'Signs the user in.']],
  ['profile', ['low', 'Reads the user’s basic profile.']],
  ['email', ['low', 'Reads the user’s email address.']],
  ['offline_access', ['low', 'Keeps access while the user is away (refresh tokens).']],
  ['User.Read', ['low', 'Reads the signed-in user’s profile.']],
  ['Mail.Read', ['high', 'Reads the user’s mail.']],
  ['Mail.ReadWrite', ['high', 'Reads, changes and deletes the user’s mail.']],
  ['Mail.Send', ['high', 'Sends mail as the user.']],
  ['Files.Read', ['medium', 'Reads the user’s files.']],
  ['Files.ReadWrite', ['medium', 'Reads and changes the user’s files.']],
  ['Files.Read.All', ['high', 'Reads every file the user can reach, shared ones included.']],
  ['Files.ReadWrite.All', ['high', 'Reads and changes every file the user can reach.']],
  ['Sites.ReadWrite.All', ['high', 'Reads and changes every SharePoint site the user can reach.']],
  ['Calendars.Read', ['medium', 'Reads the user’s calendars.']],
  ['Calendars.ReadWrite', ['medium', 'Reads and changes the user’s calendars.']],
  ['Contacts.ReadWrite', ['medium', 'Reads and changes the user’s contacts.']],
  ['OnlineMeetings.ReadWrite', ['medium', 'Creates and changes the user’s online meetings.']],
  ['Directory.Read.All', ['medium', 'Reads the whole directory as the user.']],
  ['Directory.ReadWrite.All', ['critical', 'Changes the directory with the user’s rights: an admin’s consent gives it admin power.']],
  ['User.ReadWrite.All', ['high', 'Changes every user profile the user may change.']],
]);

/** Application permissions: app-only access to the whole tenant, no user needed. */
const graphApplication = new Map<string, Entry>([
  ['Mail.ReadWrite', ['critical', 'Reads and changes every mailbox in the organisation, with no user signed in.']],
  ['Mail.Read', ['high', 'Reads every mailbox in the organisation.']],
  ['Mail.Send', ['critical', 'Sends mail as anyone in the organisation.']],
  ['Files.ReadWrite.All', ['critical', 'Reads and changes every file in the organisation.']],
  ['Files.Read.All', ['high', 'Reads every file in the organisation.']],
  ['Sites.ReadWrite.All', ['critical', 'Reads and changes every SharePoint site.']],
  ['Sites.FullControl.All', ['critical', 'Full control of every SharePoint site.']],
  ['Directory.ReadWrite.All', ['critical', 'Changes anything in the directory.']],
  ['RoleManagement.ReadWrite.Directory', ['critical', 'Assigns any directory role, Global Administrator included.']],
  ['AppRoleAssignment.ReadWrite.All', ['critical', 'Grants itself or any app any application permission.']],
  ['Application.ReadWrite.All', ['critical', 'Adds secrets to any app and acts as it.']],
  ['DelegatedPermissionGrant.ReadWrite.All', ['critical', 'Grants any app delegated access for any user.']],
  ['User.ReadWrite.All', ['critical', 'Changes every user account.']],
  ['UserAuthenticationMethod.ReadWrite.All', ['critical', 'Changes anyone’s sign-in methods: takes over accounts.']],
  ['User.Read.All', ['medium', 'Reads every user profile.']],
  ['Directory.Read.All', ['medium', 'Reads the whole directory.']],
  ['Policy.Read.All', ['low', 'Reads the organisation’s policies.']],
]);

/** Salesforce connected-app scopes: what a token may do as the user, within the user's own rights. */
const salesforce = new Map<string, Entry>([
  ['full', ['critical', 'Everything the user can reach, in every API and the web UI; includes all other scopes.']],
  ['api', ['critical', 'Reads, changes and deletes every record the user can reach through the REST, SOAP and Bulk APIs.']],
  ['web', ['high', 'Opens Salesforce in a browser as the user, with the user’s rights.']],
  ['visualforce', ['high', 'Opens Visualforce pages as the user; they can read and change records.']],
  ['lightning', ['high', 'Opens Lightning pages as the user.']],
  ['chatter_api', ['high', 'Reads and posts Chatter feeds, groups and files as the user (Connect REST API).']],
  ['wave_api', ['high', 'Reads and changes CRM Analytics datasets, lenses and dashboards.']],
  ['pardot_api', ['high', 'Manages Account Engagement (Pardot) prospects, lists and campaigns.']],
  ['cdp_query_api', ['high', 'Runs SQL queries over the org’s Data Cloud data.']],
  ['cdp_profile_api', ['high', 'Reads and changes Data Cloud profile records.']],
  ['cdp_ingest_api', ['high', 'Loads data into Data Cloud.']],
  ['eclair_api', ['medium', 'Reads map charts and geodata of CRM Analytics.']],
  ['content', ['medium', 'Reads content such as images and files served by the org.']],
  ['custom_permissions', ['low', 'Reads which custom permissions the user holds.']],
  ['refresh_token', ['low', 'Keeps access while the user is away (refresh token).']],
  ['offline_access', ['low', 'Keeps access while the user is away (refresh token).']],
  ['id', ['low', 'Reads the user’s identity: name, email and profile URL.']],
  ['openid', ['low', 'Signs the user in.']],
  ['profile', ['low', 'Reads the user’s basic profile.']],
  ['email', ['low', 'Reads the user’s email address.']],
  ['address', ['low', 'Reads the user’s postal address.']],
  ['phone', ['low', 'Reads the user’s phone number.']],
]);

/**
 * Zendesk scopes: `read` and `write` reach every resource the user can, `resource:read|write` one
 * resource; a resource named without an access level means both (rated as write).
 */
const zendesk = new Map<string, Entry>([
  ['read', ['high', 'Reads everything the user can see: tickets, users, organisations, Help Center.']],
  ['write', ['critical', 'Creates, changes and deletes anything the user can: tickets, users, settings.']],
  ['impersonate', ['critical', 'Lets an admin’s token act as any end user.']],
  ['tickets:read', ['high', 'Reads every ticket the user can see, with customers’ messages and attachments.']],
  ['tickets:write', ['high', 'Creates, changes and deletes tickets.']],
  ['users:read', ['medium', 'Lists users with their contact details.']],
  ['users:write', ['high', 'Creates, changes and deletes users, roles included when the user is an admin.']],
  ['organizations:read', ['medium', 'Lists organisations and their details.']],
  ['organizations:write', ['medium', 'Creates, changes and deletes organisations.']],
  ['requests:read', ['medium', 'Reads the requests (tickets) the user raised.']],
  ['requests:write', ['medium', 'Raises and updates requests as the user.']],
  ['hc:read', ['medium', 'Reads Help Center content, internal articles included.']],
  ['hc:write', ['high', 'Publishes and changes Help Center content.']],
  ['apps:read', ['low', 'Lists installed Zendesk apps.']],
  ['apps:write', ['high', 'Installs and configures apps that run in agents’ browsers.']],
  ['triggers:read', ['low', 'Reads ticket triggers.']],
  ['triggers:write', ['high', 'Changes ticket triggers: can send ticket data anywhere.']],
  ['automations:read', ['low', 'Reads automations.']],
  ['automations:write', ['high', 'Changes automations: can act on every ticket on a schedule.']],
  ['targets:read', ['medium', 'Reads targets, their URLs included.']],
  ['targets:write', ['high', 'Adds targets that send ticket data to outside URLs.']],
  ['webhooks:read', ['medium', 'Reads webhooks, their endpoints included.']],
  ['webhooks:write', ['high', 'Adds webhooks that send data to outside URLs.']],
  ['macros:read', ['low', 'Reads macros.']],
  ['macros:write', ['medium', 'Changes macros agents apply to tickets.']],
  ['satisfaction_ratings:read', ['medium', 'Reads customers’ satisfaction ratings and comments.']],
  ['satisfaction_ratings:write', ['medium', 'Creates satisfaction ratings.']],
  ['dynamic_content:read', ['low', 'Reads dynamic content items.']],
  ['dynamic_content:write', ['medium', 'Changes dynamic content shown in tickets and Help Center.']],
  ['auditlogs:read', ['medium', 'Reads the account’s audit log.']],
]);

/** Okta: OpenID Connect scopes and the org authorization server's okta.* Management API scopes. */
const okta = new Map<string, Entry>([
  ['openid', ['low', 'Signs the user in.']],
  ['profile', ['low', 'Reads the user’s basic profile.']],
  ['email', ['low', 'Reads the user’s email address.']],
  ['address', ['low', 'Reads the user’s postal address.']],
  ['phone', ['low', 'Reads the user’s phone number.']],
  ['offline_access', ['low', 'Keeps access while the user is away (refresh tokens).']],
  ['groups', ['low', 'Reads the user’s group memberships.']],
  ['device_sso', ['medium', 'Signs the user in to native apps on the same device with one token.']],
  ['okta.users.read', ['medium', 'Reads every user profile in the org.']],
  ['okta.users.manage', ['critical', 'Creates, changes, suspends and deletes users and resets their credentials.']],
  ['okta.groups.read', ['medium', 'Reads every group and its members.']],
  ['okta.groups.manage', ['critical', 'Changes group membership, and with it app access and group-based admin roles.']],
  ['okta.apps.read', ['medium', 'Reads every app integration and its assignments.']],
  ['okta.apps.manage', ['critical', 'Changes app integrations’ sign-on settings and assignments.']],
  ['okta.roles.read', ['medium', 'Reads who holds which admin role.']],
  ['okta.roles.manage', ['critical', 'Assigns admin roles, Super Administrator included.']],
  ['okta.policies.read', ['medium', 'Reads sign-on, password and MFA policies.']],
  ['okta.policies.manage', ['critical', 'Changes sign-on, password and MFA policies.']],
  ['okta.factors.read', ['medium', 'Reads users’ enrolled MFA factors.']],
  ['okta.factors.manage', ['critical', 'Enrols and resets users’ MFA factors: takes over accounts.']],
  ['okta.idps.manage', ['critical', 'Adds identity providers that can sign anyone in.']],
  ['okta.authorizationServers.manage', ['critical', 'Changes how tokens are issued for every API the org protects.']],
  ['okta.clients.manage', ['critical', 'Creates OAuth clients and their secrets.']],
  ['okta.clients.register', ['high', 'Registers new OAuth clients.']],
  ['okta.logs.read', ['medium', 'Reads the System Log.']],
]);

const catalogs: Record<ScopeFamily, Map<string, Entry>> = {
  google,
  'graph-delegated': graphDelegated,
  'graph-application': graphApplication,
  salesforce,
  zendesk,
  okta,
};

/** For scopes not in the catalog: writing, full and all-tenant access above reading. */
function ratedByShape(scope: string, family: ScopeFamily): ScopeRating {
  const text = scope.toLowerCase();
  // A name that says read-only reads; anything else may change data.
  const readOnly = /(readonly|\.read(\.|$)|\.read\.all$|:read$|list|view)/.test(text) && !/(write|manage|modify|send|delete|full)/.test(text);
  const writes = !readOnly;
  // App-only access reaches the whole tenant: one level above the same delegated access.
  const level: RiskLevel = family === 'graph-application' ? (writes ? 'critical' : 'high') : writes ? 'high' : 'medium';
  return { level, reason: writes ? 'Not in the catalog; its name suggests it can change data.' : 'Not in the catalog; its name suggests it reads data.', unrated: true };
}

export function rateScope(scope: string, family: ScopeFamily): ScopeRating {
  const table = catalogs[family];
  // Graph scopes may come fully qualified (https://graph.microsoft.com/Mail.Read).
  const key = family === 'graph-delegated' || family === 'graph-application' ? scope.replace(/^https:\/\/[^/]+\//, '') : scope;
  // A Zendesk resource scope without an access level (`tickets`) means read and write.
  const entry = table.get(key) ?? (family === 'zendesk' && !key.includes(':') ? table.get(`${key}:write`) : undefined);
  if (entry) return { level: entry[0], reason: entry[1], unrated: false };
  if (family === 'graph-application' && key.startsWith('Policy.ReadWrite.')) return { level: 'critical', reason: 'Changes the organisation’s security policies.', unrated: false };
  return ratedByShape(key, family);
}

export function worstLevel(levels: readonly RiskLevel[]): RiskLevel {
  return levels.reduce<RiskLevel>((worst, level) => (riskLevels.indexOf(level) > riskLevels.indexOf(worst) ? level : worst), 'low');
}
