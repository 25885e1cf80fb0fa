/**
 * The third-party (and one in-house) apps of the sample workspace, with scope mixes from harmless
 * sign-in to full mailbox and directory write. Names and publishers are invented; the scopes and
 * permissions are the real Google and Microsoft Graph names.
 */
const g = (scope: string) => `https://www.googleapis.com/auth/${scope}`;

export interface SampleAppDefinition {
  key: string;
  name: string;
  publisher: string;
  /** Verified publisher (Graph verifiedPublisher; Google app verification). */
  verified: boolean;
  /** Google: the client is not registered with Google (token `anonymous: true`). */
  anonymous: boolean;
  nativeApp: boolean;
  /** Built by the sample company itself. */
  internal: boolean;
  /** Share of users who granted it (0–1). */
  popularity: number;
  googleScopes: string[];
  graphDelegated: string[];
  /** Application permissions: app-only access, granted by an admin. */
  graphApplication: string[];
  /** Delegated consent given by an admin for the whole tenant (AllPrincipals). */
  tenantWideConsent: boolean;
}

export const sampleApps: readonly SampleAppDefinition[] = [
  { key: 'meetslot', name: 'MeetSlot Scheduler', publisher: 'MeetSlot Inc.', verified: true, anonymous: false, nativeApp: false, internal: false, popularity: 0.35, googleScopes: ['openid', g('userinfo.email'), g('userinfo.profile'), g('calendar.events')], graphDelegated: ['User.Read', 'Calendars.ReadWrite'], graphApplication: [], tenantWideConsent: false },
  { key: 'papertrail', name: 'PaperTrail PDF Signer', publisher: 'PaperTrail Software Ltd', verified: true, anonymous: false, nativeApp: false, internal: false, popularity: 0.22, googleScopes: [g('drive.file'), g('userinfo.email')], graphDelegated: ['User.Read', 'Files.ReadWrite'], graphApplication: [], tenantWideConsent: false },
  { key: 'inboxzen', name: 'InboxZen Mail Assistant', publisher: 'InboxZen', verified: false, anonymous: false, nativeApp: false, internal: false, popularity: 0.08, googleScopes: ['https://mail.google.com/', g('userinfo.email')], graphDelegated: ['User.Read', 'Mail.ReadWrite', 'offline_access'], graphApplication: [], tenantWideConsent: false },
  { key: 'quicknotes', name: 'QuickNotes Sync', publisher: 'unknown', verified: false, anonymous: true, nativeApp: true, internal: false, popularity: 0.05, googleScopes: [g('drive.readonly')], graphDelegated: [], graphApplication: [], tenantWideConsent: false },
  { key: 'slidedeck', name: 'SlideDeck AI', publisher: 'SlideDeck Labs', verified: true, anonymous: false, nativeApp: false, internal: false, popularity: 0.12, googleScopes: [g('drive'), g('presentations')], graphDelegated: ['User.Read', 'Files.ReadWrite.All'], graphApplication: [], tenantWideConsent: false },
  { key: 'hrsync', name: 'HR Sync Connector', publisher: 'Sample Company IT', verified: true, anonymous: false, nativeApp: false, internal: true, popularity: 0, googleScopes: [], graphDelegated: [], graphApplication: ['User.Read.All', 'Directory.ReadWrite.All'], tenantWideConsent: false },
  { key: 'backupvault', name: 'Backup Vault Cloud', publisher: 'BackupVault GmbH', verified: true, anonymous: false, nativeApp: false, internal: false, popularity: 0, googleScopes: [], graphDelegated: [], graphApplication: ['Mail.ReadWrite', 'Files.ReadWrite.All', 'Sites.ReadWrite.All'], tenantWideConsent: false },
  { key: 'teamchat', name: 'TeamChat', publisher: 'TeamChat Corp.', verified: true, anonymous: false, nativeApp: false, internal: false, popularity: 0.6, googleScopes: ['openid', g('userinfo.email'), g('userinfo.profile')], graphDelegated: ['openid', 'profile', 'email', 'User.Read'], graphApplication: [], tenantWideConsent: true },
  { key: 'expensesnap', name: 'Expense Snap', publisher: 'Snapware', verified: false, anonymous: false, nativeApp: false, internal: false, popularity: 0.1, googleScopes: [g('gmail.readonly'), g('userinfo.email')], graphDelegated: ['User.Read', 'Mail.Read'], graphApplication: [], tenantWideConsent: false },
  { key: 'contactmapper', name: 'Contact Mapper', publisher: 'Mapster', verified: false, anonymous: false, nativeApp: false, internal: false, popularity: 0.06, googleScopes: [g('contacts'), g('contacts.other.readonly')], graphDelegated: ['User.Read', 'Contacts.ReadWrite'], graphApplication: [], tenantWideConsent: false },
  { key: 'mailmerge', name: 'Legacy Mail Merge', publisher: 'unknown', verified: false, anonymous: true, nativeApp: false, internal: false, popularity: 0.04, googleScopes: [g('gmail.send'), g('spreadsheets')], graphDelegated: [], graphApplication: [], tenantWideConsent: false },
  { key: 'posture', name: 'Security Posture Scanner', publisher: 'PostureWorks', verified: true, anonymous: false, nativeApp: false, internal: false, popularity: 0, googleScopes: [], graphDelegated: [], graphApplication: ['RoleManagement.ReadWrite.Directory', 'AppRoleAssignment.ReadWrite.All', 'Policy.Read.All'], tenantWideConsent: false },
  { key: 'meetingbridge', name: 'MeetingBridge', publisher: 'MeetingBridge Communications', verified: true, anonymous: false, nativeApp: false, internal: false, popularity: 0.25, googleScopes: [g('calendar'), g('userinfo.email')], graphDelegated: ['User.Read', 'Calendars.Read', 'OnlineMeetings.ReadWrite'], graphApplication: [], tenantWideConsent: true },
  { key: 'grammar', name: 'Grammar Helper', publisher: 'WriteRight', verified: true, anonymous: false, nativeApp: false, internal: false, popularity: 0.18, googleScopes: [g('documents')], graphDelegated: ['User.Read', 'Files.Read'], graphApplication: [], tenantWideConsent: false },
];

/** Microsoft Graph's own service principal, the resource of every Graph permission. */
export const microsoftGraphAppId = '00000003-0000-0000-c000-000000000000';

/**
 * Multi-tenant apps registered in other tenants that the sample company has no service principal
 * for yet: what `POST /servicePrincipals {appId}` and the admin-consent prompt can add. Each declares
 * the Microsoft Graph permissions its registration asks for (what `.default` stands for).
 */
export interface PublishedAppDefinition {
  key: string;
  name: string;
  publisher: string;
  verified: boolean;
  graphDelegated: string[];
  graphApplication: string[];
}

export const publishedApps: readonly PublishedAppDefinition[] = [
  { key: 'boardnotes', name: 'Board Notes', publisher: 'Notable Software', verified: true, graphDelegated: ['User.Read', 'Calendars.Read', 'Mail.Read', 'Files.Read.All'], graphApplication: [] },
  { key: 'surveyhub', name: 'Survey Hub', publisher: 'Survey Hub', verified: false, graphDelegated: ['User.Read', 'Mail.Send'], graphApplication: [] },
  { key: 'timesheetpro', name: 'Timesheet Pro', publisher: 'Timesheet Pro Ltd', verified: true, graphDelegated: ['User.Read', 'Calendars.ReadWrite'], graphApplication: ['User.Read.All'] },
];
