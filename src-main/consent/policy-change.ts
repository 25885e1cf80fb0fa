/**
 * A Microsoft consent setting change in words (before, after, the call, what it means for users)
 * and whether a read-back shows it applied. Pure.
 */
import type { MicrosoftConsentSettings, PolicyChange, PolicyChangePlan } from '../../src-shared/contract/consent';
import type { ResolvedPolicyChange } from './consent-port';

const userConsentWords: Record<MicrosoftConsentSettings['userConsent'], string> = {
  none: 'Users cannot consent to apps',
  low_risk: 'Users may consent to low-risk permissions of verified publishers’ apps',
  legacy: 'Users may consent to any app',
  custom: 'A custom consent policy',
};

function workflowWords(workflow: { isEnabled: boolean; reviewers: readonly unknown[]; notifyReviewers: boolean; requestDurationInDays: number } | null, names?: readonly string[]): string {
  if (!workflow) return 'Could not be read';
  if (!workflow.isEnabled) return 'Off';
  const who = names && names.length > 0 ? names.join(', ') : `${workflow.reviewers.length} reviewer${workflow.reviewers.length === 1 ? '' : 's'}`;
  return `On: ${who}; ${workflow.notifyReviewers ? 'notified' : 'not notified'}; requests expire after ${workflow.requestDurationInDays} days`;
}

export function describePolicyChange(settings: MicrosoftConsentSettings, change: PolicyChange, reviewerNames: readonly string[]): Pick<PolicyChangePlan, 'setting' | 'before' | 'after' | 'call' | 'effect'> {
  const authorizationPolicy = 'PATCH /policies/authorizationPolicy';
  switch (change.kind) {
    case 'user_consent':
      return {
        setting: 'Who may consent to apps',
        before: userConsentWords[settings.userConsent],
        after: userConsentWords[change.value],
        call: authorizationPolicy,
        effect:
          change.value === 'none'
            ? 'Users can no longer grant apps access to their data; they ask an administrator instead (through the admin consent workflow when it is on). Consents already given stay.'
            : 'Users may still consent, but only to low-risk permissions of apps from verified publishers. Consents already given stay.',
      };
    case 'group_owner_consent':
      return {
        setting: 'Whether group owners may consent for their groups',
        before: settings.groupOwnerConsent ? 'Group owners may consent' : 'Group owners cannot consent',
        after: change.allowed ? 'Group owners may consent' : 'Group owners cannot consent',
        call: authorizationPolicy,
        effect: change.allowed ? 'Group and team owners may let apps access their groups’ data.' : 'Group and team owners can no longer let apps access their groups’ data; consents already given stay.',
      };
    case 'app_registration':
      return {
        setting: 'Who may register applications',
        before: settings.allowedToCreateApps ? 'Every user' : 'Only administrators',
        after: change.allowed ? 'Every user' : 'Only administrators',
        call: authorizationPolicy,
        effect: change.allowed ? 'Every user may register applications in the tenant.' : 'Only administrators (and the Application Developer role) can register applications; apps already registered stay.',
      };
    case 'admin_consent_workflow':
      return {
        setting: 'Admin consent workflow',
        before: workflowWords(settings.workflow),
        after: workflowWords(change, reviewerNames),
        call: 'PUT /policies/adminConsentRequestPolicy',
        effect: change.isEnabled
          ? 'Users who cannot consent can ask for an app with a reason; the reviewers decide in the Entra admin center or here.'
          : 'Users who cannot consent have no way left to ask for an app.',
      };
  }
}

const sameQueries = (a: readonly { query: string }[], b: readonly { query: string }[]) =>
  a.length === b.length && a.every((reviewer) => b.some((other) => other.query.toLowerCase() === reviewer.query.toLowerCase()));

/** The read-back shows the setting as the change asked. */
export function policyChangeApplied(settings: MicrosoftConsentSettings, change: ResolvedPolicyChange): boolean {
  switch (change.kind) {
    case 'user_consent':
      return settings.userConsent === change.value;
    case 'group_owner_consent':
      return settings.groupOwnerConsent === change.allowed;
    case 'app_registration':
      return settings.allowedToCreateApps === change.allowed;
    case 'admin_consent_workflow': {
      const workflow = settings.workflow;
      if (!workflow || workflow.isEnabled !== change.isEnabled) return false;
      if (!change.isEnabled) return true;
      return sameQueries(workflow.reviewers, change.reviewers) && workflow.notifyReviewers === change.notifyReviewers && workflow.remindersEnabled === change.remindersEnabled && workflow.requestDurationInDays === change.requestDurationInDays;
    }
  }
}
