/**
 * A tenant's consent settings checked against the baselines auditors know: CISA ScubaGear
 * (MS.AAD.5.x) and ScubaGoggles (GWS.COMMONCONTROLS.10.x) with the CIS benchmark item each maps to,
 * and the high-risk grants control for Okta. Pure: a reading in, one check per setting out. A setting
 * that could not be read is an `error` that names the permission it needs, never a pass.
 */
import type { GoogleApiControls, MicrosoftConsentSettings, OktaAppGrants, PolicyCheck, PolicyFix } from '../../src-shared/contract/consent';
import { rateScope } from '../audit/scope-catalog';
import type { ConsentPolicyReading } from './consent-port';

type MicrosoftReading = Extract<ConsentPolicyReading, { provider: 'microsoft' }>;
type GoogleReading = Extract<ConsentPolicyReading, { provider: 'google' }>;
type OktaReading = Extract<ConsentPolicyReading, { provider: 'okta' }>;

/** Admin console › Security › API controls: where every Google check is fixed. */
export const googleApiControlsUrl = 'https://admin.google.com/ac/owl';
const googleConsoleFix: PolicyFix = { kind: 'console', where: 'Admin console › Security › API controls (Google has no API to change it)', url: googleApiControlsUrl };

const selfConsentPrefix = 'managepermissiongrantsforself.';
const ownedResourcePrefix = 'managepermissiongrantsforownedresource.';

/**
 * Who may consent, from the default user role's permission grant policies: none without a
 * `ManagePermissionGrantsForSelf.*` entry, low_risk with only Microsoft's low-risk policy, legacy when
 * Microsoft's legacy (anything goes) policy is among them, custom otherwise.
 */
export function userConsentOf(assigned: readonly string[]): MicrosoftConsentSettings['userConsent'] {
  const self = assigned.map((id) => id.toLowerCase()).filter((id) => id.startsWith(selfConsentPrefix));
  if (self.length === 0) return 'none';
  if (self.some((id) => id.endsWith('.microsoft-user-default-legacy'))) return 'legacy';
  if (self.every((id) => id.endsWith('.microsoft-user-default-low'))) return 'low_risk';
  return 'custom';
}

/**
 * Group and team owners may consent for the data of what they own while any owned-resource policy
 * (`ManagePermissionGrantsForOwnedResource.*`, Teams' and chats' included) is assigned.
 */
export function groupOwnerConsentOf(assigned: readonly string[]): boolean {
  return assigned.some((id) => id.toLowerCase().startsWith(ownedResourcePrefix));
}

export function microsoftSettingsOf(reading: MicrosoftReading): MicrosoftConsentSettings {
  return {
    userConsent: userConsentOf(reading.permissionGrantPoliciesAssigned),
    permissionGrantPoliciesAssigned: reading.permissionGrantPoliciesAssigned,
    groupOwnerConsent: groupOwnerConsentOf(reading.permissionGrantPoliciesAssigned),
    allowedToCreateApps: reading.allowedToCreateApps,
    workflow: reading.workflow,
  };
}

export function googleControlsOf(reading: GoogleReading): GoogleApiControls {
  return { ...reading.controls, appAccessUrl: googleApiControlsUrl };
}

export function oktaAppsOf(reading: OktaReading): OktaAppGrants[] {
  return reading.apps.map((app) => ({ ...app, grants: app.grants.map((grant) => ({ ...grant, ...levelOf(grant.scopeId) })) }));
}

function levelOf(scope: string): { level: OktaAppGrants['grants'][number]['level']; reason: string } {
  const rating = rateScope(scope, 'okta');
  return { level: rating.level, reason: rating.reason };
}

const userConsentWords: Record<MicrosoftConsentSettings['userConsent'], string> = {
  none: 'Users cannot consent to apps; an administrator decides',
  low_risk: 'Users may consent to low-risk permissions of apps from verified publishers',
  legacy: 'Users may consent to any app asking for any permission that needs no admin consent',
  custom: 'A custom consent policy decides what users may consent to',
};

function microsoftChecks(reading: MicrosoftReading): PolicyCheck[] {
  const settings = microsoftSettingsOf(reading);
  const userConsentFix: PolicyFix = { kind: 'change', change: 'user_consent', label: 'Let users consent to no app' };
  const userConsent = ((): Pick<PolicyCheck, 'result' | 'reason' | 'fix'> => {
    switch (settings.userConsent) {
      case 'none':
        return { result: 'pass', reason: 'Only administrators grant consent.', fix: null };
      case 'low_risk':
        return { result: 'pass', reason: 'Consent is limited to low-risk permissions of verified publishers; letting users consent to nothing is stricter still.', fix: null };
      case 'legacy':
        return { result: 'fail', reason: 'Any user can give any app access to their mail, files and profile; consent phishing needs one click.', fix: userConsentFix };
      case 'custom': {
        const custom = reading.permissionGrantPoliciesAssigned.filter((id) => id.toLowerCase().startsWith(selfConsentPrefix)).join(', ');
        return { result: 'manual', reason: `Consentry cannot tell what the custom policy ${custom} allows; review its conditions in the Entra admin center.`, fix: userConsentFix };
      }
    }
  })();
  return [
    {
      id: 'microsoft.app_registration',
      controlId: 'MS.AAD.5.1v1',
      cis: 'CIS M365 5.1.2.2',
      criticality: 'shall',
      setting: 'Who may register applications',
      value: settings.allowedToCreateApps ? 'Every user may register applications' : 'Only administrators may register applications',
      expected: 'Only administrators may register applications',
      why: 'An app any user registers looks internal and can ask colleagues for consent to their data.',
      result: settings.allowedToCreateApps ? 'fail' : 'pass',
      reason: settings.allowedToCreateApps ? 'Users can register apps (allowedToCreateApps is true).' : 'Users cannot register apps.',
      fix: settings.allowedToCreateApps ? { kind: 'change', change: 'app_registration', label: 'Allow only administrators to register apps' } : null,
    },
    {
      id: 'microsoft.user_consent',
      controlId: 'MS.AAD.5.2v1',
      cis: 'CIS M365 5.1.5.1',
      criticality: 'shall',
      setting: 'Who may consent to apps',
      value: userConsentWords[settings.userConsent],
      expected: 'Users cannot consent to apps; an administrator decides',
      why: 'Consent phishing works by getting one user to grant a malicious app access to their data.',
      ...userConsent,
    },
    {
      id: 'microsoft.group_owner_consent',
      // ScubaGear's group owner control, a Shall of its own beside MS.AAD.5.2v1.
      controlId: 'MS.AAD.5.4v1',
      cis: 'CIS M365 5.1.5.3',
      criticality: 'shall',
      setting: 'Whether group owners may consent for their groups',
      value: settings.groupOwnerConsent ? 'Group owners may let apps access their groups’ data' : 'Group owners cannot consent to apps',
      expected: 'Group owners cannot consent to apps',
      why: 'A group or team owner could give an app every message and file of the group without review.',
      result: settings.groupOwnerConsent ? 'fail' : 'pass',
      reason: settings.groupOwnerConsent ? 'An owned-resource consent policy is assigned to the default user role.' : 'No owned-resource consent policy is assigned.',
      fix: settings.groupOwnerConsent ? { kind: 'change', change: 'group_owner_consent', label: 'Stop group owners from consenting' } : null,
    },
    workflowCheck(reading),
  ];
}

function workflowCheck(reading: MicrosoftReading): PolicyCheck {
  const base = {
    id: 'microsoft.admin_consent_workflow',
    controlId: 'MS.AAD.5.3v1',
    cis: 'CIS M365 5.1.5.2',
    // ScubaGear: "An admin consent workflow SHALL be configured for applications."
    criticality: 'shall' as const,
    setting: 'Admin consent workflow',
    expected: 'On, with at least one reviewer who is notified',
    why: 'With user consent off, users need a way to ask for an app; the workflow routes the request to a reviewer instead of a workaround.',
  };
  const fix: PolicyFix = { kind: 'change', change: 'admin_consent_workflow', label: 'Turn on the admin consent workflow' };
  const workflow = reading.workflow;
  if (!workflow) {
    const problem = reading.workflowProblem?.message ?? 'The admin consent request policy could not be read.';
    return { ...base, value: 'Could not be read', result: 'error', reason: `${problem} Reading it needs Policy.Read.All.`, fix: null };
  }
  const reviewers = workflow.reviewers.length;
  const value = workflow.isEnabled
    ? `On, ${reviewers} reviewer${reviewers === 1 ? '' : 's'}, reviewers ${workflow.notifyReviewers ? 'notified' : 'not notified'}`
    : 'Off';
  if (!workflow.isEnabled) return { ...base, value, result: 'fail', reason: 'Users who need an app have no way to ask an administrator for it.', fix };
  if (reviewers === 0) return { ...base, value, result: 'fail', reason: 'The workflow is on but names no reviewer, so nobody can act on a request.', fix };
  if (!workflow.notifyReviewers) return { ...base, value, result: 'warn', reason: 'Reviewers are not emailed about new requests; requests may wait unseen.', fix };
  return { ...base, value, result: 'pass', reason: 'Requests reach a named reviewer who is notified.', fix: null };
}

function googleChecks(reading: GoogleReading): PolicyCheck[] {
  const { controls } = reading;
  const google = { criticality: 'shall' as const };
  const unrestricted = controls.services.filter((service) => !service.restricted).map((service) => service.service);
  const servicesCheck: PolicyCheck = {
    ...google,
    id: 'google.services_restricted',
    controlId: 'GWS.COMMONCONTROLS.10.1v1',
    cis: 'CIS GWS 4.2.1.1',
    setting: 'Access to Google services by third-party apps',
    value:
      controls.services.length === 0
        ? 'No Google service is restricted'
        : unrestricted.length === 0
          ? `All ${controls.services.length} services restricted to trusted apps`
          : `Unrestricted: ${unrestricted.join(', ')}`,
    expected: 'Every Google service restricted: only trusted apps may reach it',
    why: 'An app that is not trusted can otherwise read mail and files as soon as one user consents.',
    result: controls.services.length > 0 && unrestricted.length === 0 ? 'pass' : 'fail',
    reason:
      controls.services.length === 0
        ? 'The Policy API returns no service restriction, so every service is open to every app.'
        : unrestricted.length === 0
          ? 'Only trusted apps reach Google services.'
          : `${unrestricted.length} service${unrestricted.length === 1 ? ' is' : 's are'} open to apps that are not trusted.`,
    fix: null,
  };
  servicesCheck.fix = servicesCheck.result === 'pass' ? null : googleConsoleFix;
  const internal = controls.trustInternalApps;
  const access = controls.unconfiguredThirdPartyApps;
  return [
    servicesCheck,
    {
      ...google,
      id: 'google.low_risk_scopes',
      controlId: 'GWS.COMMONCONTROLS.10.2v1',
      cis: 'CIS GWS 4.2.1.2',
      setting: 'Users may give untrusted apps scopes that are not high-risk',
      value: 'Not available through the Policy API',
      expected: 'Off for every restricted service',
      why: 'Even low-risk scopes let an app nobody reviewed in without being trusted.',
      result: 'manual',
      reason: 'Google’s Policy API does not return this checkbox: check it under Manage Google Services › Change access.',
      fix: googleConsoleFix,
    },
    {
      ...google,
      id: 'google.internal_apps',
      controlId: 'GWS.COMMONCONTROLS.10.3v1',
      cis: 'CIS GWS 4.2.1.3',
      setting: 'Trust internal apps',
      value: internal === null ? 'Not set by any policy' : internal ? 'Internal apps are trusted' : 'Internal apps are not trusted',
      expected: 'Internal apps are not trusted until configured',
      why: 'An internal app may be made by a compromised account and would reach every user’s data unchecked.',
      result: internal === null ? 'manual' : internal ? 'fail' : 'pass',
      reason: internal === null ? 'The Policy API returns no policy for it; check the setting in the console.' : internal ? 'Every app your organisation owns is trusted without review.' : 'Internal apps need to be configured before they are trusted.',
      fix: internal === false ? null : googleConsoleFix,
    },
    {
      ...google,
      id: 'google.unconfigured_apps',
      controlId: 'GWS.COMMONCONTROLS.10.4v1',
      cis: 'CIS GWS 4.2.1.4',
      setting: 'Unconfigured third-party apps',
      value: access === null ? 'Not set by any policy' : access === 'BLOCK_ALL_SCOPES' ? 'Users cannot access unconfigured third-party apps' : `Users may access them (${access})`,
      expected: 'Users cannot access any third-party app you have not configured',
      why: 'An app nobody reviewed can otherwise ask users for access to their data.',
      result: access === null ? 'manual' : access === 'BLOCK_ALL_SCOPES' ? 'pass' : 'fail',
      reason: access === null ? 'The Policy API returns no policy for it; check the setting in the console.' : access === 'BLOCK_ALL_SCOPES' ? 'Only apps you configured can be used.' : 'Users can sign in to and authorize apps you have not reviewed.',
      fix: access === 'BLOCK_ALL_SCOPES' ? null : googleConsoleFix,
    },
  ];
}

/** Okta's admin scopes that change the org: `okta.users.manage`, `okta.apps.manage`… */
const oktaManageScope = /^okta\.[A-Za-z]+\.manage$/;

function oktaChecks(reading: OktaReading, consoleUrl: string | null): PolicyCheck {
  const holders = reading.apps.filter((app) => app.grants.some((grant) => grant.status === 'ACTIVE' && oktaManageScope.test(grant.scopeId)));
  const names = holders.map((app) => `${app.label} (${app.grants.filter((grant) => oktaManageScope.test(grant.scopeId)).map((grant) => grant.scopeId).join(', ')})`);
  return {
    id: 'okta.high_risk_grants',
    controlId: 'High-risk grants',
    cis: null,
    criticality: 'should',
    setting: 'Okta API scopes that change the org, granted to apps',
    value: holders.length === 0 ? 'No app holds a *.manage scope' : names.join('; '),
    expected: 'No app holds a *.manage scope without an explicit approval',
    why: 'A *.manage scope lets the app change users, apps or policies of the whole org.',
    result: holders.length === 0 ? 'pass' : 'warn',
    reason: holders.length === 0 ? 'No app can change the org through the Okta API.' : `${holders.length} app${holders.length === 1 ? ' holds' : 's hold'} scopes that change the org; confirm each was approved.`,
    fix: holders.length === 0 || !consoleUrl ? null : { kind: 'console', where: 'Okta Admin Console › Applications › the app › Okta API Scopes', url: consoleUrl },
  };
}

/** Every check of one reading; `oktaConsoleUrl` is the org's Admin Console, for the Okta fix. */
export function checkConsentPolicy(reading: ConsentPolicyReading, links: { oktaConsoleUrl?: string | null } = {}): PolicyCheck[] {
  switch (reading.provider) {
    case 'microsoft':
      return microsoftChecks(reading);
    case 'google':
      return googleChecks(reading);
    case 'okta':
      return [oktaChecks(reading, links.oktaConsoleUrl ?? null)];
  }
}
