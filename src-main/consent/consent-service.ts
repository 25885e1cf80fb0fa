/**
 * The Consent page's service: each tenant's consent settings checked against the baselines, the
 * admin-consent request queue, reviewing and granting tenant-wide consent for exactly the kept
 * scopes, blocking an app, changing a policy, and the Google app decisions. It names no provider:
 * the adapters come from the registry; every change is a confirmed plan carried out as a job, read
 * back, and recorded as one decision in the activity log besides the job's per-call entries (by the
 * ConsentDecisionLog, when the job ends: also after a stop and a resume).
 */
import type { ParsedRequestOf } from '../../src-shared/contract/channels';
import type {
  BlockPlan,
  BlockResult,
  ConsentDecisionResult,
  ConsentGrantPlan,
  ConsentGrantResult,
  ConsentPolicies,
  ConsentRequest,
  ConsentRequestList,
  ConsentReview,
  GoogleAppDecision,
  GrantedConsent,
  MicrosoftConsentSettings,
  PolicyChangePlan,
  PolicyChangeResult,
  TenantConsentPolicy,
} from '../../src-shared/contract/consent';
import type { ConnectionView } from '../../src-shared/contract/connections';
import type { JobSummary } from '../../src-shared/contract/jobs';
import type { ProviderId } from '../../src-shared/domain/ids';
import type { ActivityService } from '../activity/activity-service';
import { rateScope, worstLevel } from '../audit/scope-catalog';
import type { ConnectionService } from '../connections/connection-service';
import { holdsCapability, missingCapabilityScopes } from '../connections/connection-views';
import type { TenantGateway } from '../connections/tenant-gateway';
import { AppError } from '../errors/app-error';
import type { EventHub } from '../events/event-hub';
import type { JobKernel } from '../jobs/job-kernel';
import type { JobItem } from '../jobs/job-model';
import { PlanStore } from '../jobs/plan-store';
import type { ProviderCallContext } from '../net/provider-call-context';
import { checkConsentPolicy, googleApiControlsUrl, googleControlsOf, microsoftSettingsOf, oktaAppsOf } from './consent-baseline';
import { consentJobKinds, consentJobs, type BlockPayload, type DenyPayload, type GrantDecision, type GrantPayload, type GrantStep, type PolicyPayload } from './consent-jobs';
import type { AppConsentState, ConsentPolicyReading, ConsentRequestReading, ProviderConsent, ResolvedPolicyChange } from './consent-port';
import type { GoogleAppDecisions } from './google-app-decisions';
import { ConsentDecisionLog } from './consent-decision-log';
import { describePolicyChange, policyChangeApplied } from './policy-change';
import { reachConsent } from './consent-reach';
import { designGrant, reviewPermissions, type PermissionReview } from './scope-review';

const planLifetimeMs = 15 * 60_000;

export interface ConsentServiceOptions {
  consents: Partial<Record<ProviderId, ProviderConsent>>;
  connections: Pick<ConnectionService, 'view' | 'list'>;
  gateway: Pick<TenantGateway, 'context'>;
  jobs: JobKernel;
  activity: Pick<ActivityService, 'record' | 'list'>;
  events: Pick<EventHub, 'publish' | 'subscribe'>;
  googleDecisions: GoogleAppDecisions;
  /** The guarded opener: the system browser, for provider pages only. */
  openExternal: (url: string, context?: { trustedHosts?: readonly string[] }) => Promise<void>;
  /** Reads the tenant's grants again, so the Grants page shows a new tenant-wide consent. */
  rescan: (connectionIds: readonly string[]) => Promise<unknown>;
  reportUnexpected: (context: string, error: unknown) => void;
  clock?: () => Date;
}

interface StoredReview {
  connectionId: string;
  app: AppConsentState;
  request: ConsentRequestReading | null;
  review: PermissionReview;
}

interface GrantPlanContent {
  plan: ConsentGrantPlan;
  decision: GrantDecision;
  items: GrantStep[];
  /** What the app held when planned: a grant on changed data is refused. */
  fingerprint: string;
}

interface PolicyPlanContent {
  plan: PolicyChangePlan;
  change: ResolvedPolicyChange;
  fingerprint: string;
}

interface BlockPlanContent {
  plan: BlockPlan;
  payload: BlockPayload;
  fingerprint: string;
}

/** The consent capability's scopes the connection does not hold. */
const missingConsentScopes = (view: ConnectionView) => missingCapabilityScopes(view, 'consent');
const holdsConsent = (view: ConnectionView) => holdsCapability(view, 'consent');

function fingerprintOf(app: AppConsentState): string {
  return JSON.stringify([app.servicePrincipalId, [...(app.tenantWideGrant?.scopes ?? [])].sort(), app.appRoles.map((role) => role.assignmentId).sort(), app.accountEnabled, app.appRoleAssignmentRequired]);
}

function signInWords(accountEnabled: boolean | null, assignmentRequired: boolean | null): string {
  if (accountEnabled === false) return 'Nobody can sign in to it';
  return assignmentRequired ? 'Only users and groups assigned to it can sign in' : 'Every user can sign in to it';
}

/** The hosts the admin configured for signing in to this connection: the sample's are on this computer. */
function signInHosts(view: ConnectionView): string[] {
  return [view.settings.authorizationEndpoint, view.settings.issuer].flatMap((url) => {
    if (!url) return [];
    try {
      return [new URL(url).host];
    } catch {
      return [];
    }
  });
}

/** Okta's Admin Console of the org the connection reaches (`acme.okta.com` → `acme-admin.okta.com`). */
function oktaConsoleOf(view: ConnectionView): string | null {
  const org = view.settings.orgUrl;
  if (!org) return null;
  try {
    const url = new URL(org);
    const [name, ...rest] = url.hostname.split('.');
    return `${url.protocol}//${name}-admin.${rest.join('.')}/admin/apps/active`;
  } catch {
    return null;
  }
}

export class ConsentService {
  readonly #options: ConsentServiceOptions;
  readonly #clock: () => Date;
  readonly #reviews: PlanStore<StoredReview>;
  readonly #grantPlans: PlanStore<GrantPlanContent>;
  readonly #policyPlans: PlanStore<PolicyPlanContent>;
  readonly #blockPlans: PlanStore<BlockPlanContent>;
  readonly #decisionLog: ConsentDecisionLog;

  constructor(options: ConsentServiceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
    const planOptions = { lifetimeMs: planLifetimeMs, ...(options.clock ? { clock: options.clock } : {}) };
    this.#reviews = new PlanStore(planOptions);
    this.#grantPlans = new PlanStore(planOptions);
    this.#policyPlans = new PlanStore(planOptions);
    this.#blockPlans = new PlanStore(planOptions);
    const kinds = consentJobs({ consents: options.consents, gateway: options.gateway });
    options.jobs.register(kinds.grant);
    options.jobs.register(kinds.policy);
    options.jobs.register(kinds.block);
    options.jobs.register(kinds.deny);
    this.#decisionLog = new ConsentDecisionLog(options);
  }

  /** Once the kernel has replayed its journals: a decision whose job ended just before a stop gets its entry. */
  start(): Promise<void> {
    return this.#decisionLog.recordMissed();
  }

  // ---------- policies ----------

  /** Every connection's consent settings, read in parallel; one that fails says why and leaves the others be. */
  async policies(connectionIds?: readonly string[]): Promise<ConsentPolicies> {
    const { connections } = await this.#options.connections.list();
    const chosen = connectionIds ? connections.filter((view) => connectionIds.includes(view.id)) : connections;
    const unsupported: ConsentPolicies['unsupported'] = [];
    const readable: ConnectionView[] = [];
    for (const view of chosen) {
      if (this.#options.consents[view.provider]) readable.push(view);
      else unsupported.push({ connectionId: view.id, label: view.label, provider: view.provider, why: `${view.providerLabel} offers no API for its consent settings; review them in its admin console.` });
    }
    return { tenants: await Promise.all(readable.map((view) => this.#policyOf(view))), unsupported };
  }

  async #policyOf(view: ConnectionView): Promise<TenantConsentPolicy> {
    const adapter = this.#options.consents[view.provider]!;
    const base: TenantConsentPolicy = {
      connectionId: view.id,
      label: view.label,
      provider: view.provider,
      state: 'read',
      readAt: null,
      failure: null,
      missingScopes: [],
      canChange: holdsConsent(view) && adapter.changePolicy !== undefined,
      checks: [],
      microsoft: null,
      google: null,
      okta: null,
    };
    const missing = adapter.readScopes.filter((scope) => !view.scopesGranted.includes(scope));
    if (missing.length > 0) return { ...base, state: 'needs_capability', missingScopes: missing };
    let reading: ConsentPolicyReading;
    try {
      reading = await adapter.readPolicy(this.#options.gateway.context(view.id));
    } catch (error) {
      return { ...base, state: 'failed', failure: adapter.describeFailure(error) };
    }
    return {
      ...base,
      readAt: this.#clock().toISOString(),
      checks: checkConsentPolicy(reading, { oktaConsoleUrl: oktaConsoleOf(view) }),
      microsoft: reading.provider === 'microsoft' ? microsoftSettingsOf(reading) : null,
      google: reading.provider === 'google' ? googleControlsOf(reading) : null,
      okta: reading.provider === 'okta' ? oktaAppsOf(reading) : null,
    };
  }

  async planPolicyChange({ connectionId, change }: ParsedRequestOf<'consent.planPolicyChange'>): Promise<PolicyChangePlan> {
    const { view, context, adapter } = this.#reach(connectionId, ['changePolicy']);
    const settings = await this.#microsoftSettings(adapter, context);
    let resolved: ResolvedPolicyChange;
    if (change.kind === 'admin_consent_workflow') {
      const { reviewers, ...rest } = change;
      // Reviewers the workflow has now (a group or a role too) are kept by their Graph query as they are;
      // a new one is named by user principal name or object id and looked up.
      const current = settings.workflow?.reviewers ?? [];
      const queries = reviewers.filter((reviewer) => reviewer.startsWith('/'));
      const strangers = queries.filter((query) => !current.some((reviewer) => reviewer.query === query));
      if (strangers.length > 0) {
        throw new AppError('invalid_request', `${strangers.join(', ')} is not one of the workflow’s reviewers now.`, { nextStep: 'Name a new reviewer by user principal name (name@domain) or object id. Nothing was changed.' });
      }
      const toLookUp = reviewers.filter((reviewer) => !reviewer.startsWith('/'));
      const found = toLookUp.length === 0 ? { found: [], notFound: [] } : adapter.resolveReviewers ? await adapter.resolveReviewers(context, toLookUp) : null;
      if (!found) throw new AppError('not_supported', `${view.providerLabel} cannot look reviewers up.`);
      if (found.notFound.length > 0) {
        throw new AppError('invalid_request', `Microsoft Entra has no user named ${found.notFound.join(', ')}.`, { nextStep: 'Enter each reviewer’s user principal name (name@domain) or object id. Nothing was changed.' });
      }
      resolved = { ...rest, reviewers: [...queries.map((query) => ({ query })), ...found.found.map((reviewer) => ({ query: reviewer.query }))] };
      const names = [...queries.map((query) => current.find((reviewer) => reviewer.query === query)?.displayName ?? query), ...found.found.map((reviewer) => reviewer.displayName)];
      const words = describePolicyChange(settings, change, names);
      return this.#addPolicyPlan(view, resolved, settings, words);
    }
    resolved = change;
    return this.#addPolicyPlan(view, resolved, settings, describePolicyChange(settings, change, []));
  }

  #addPolicyPlan(view: ConnectionView, change: ResolvedPolicyChange, settings: MicrosoftConsentSettings, words: Pick<PolicyChangePlan, 'setting' | 'before' | 'after' | 'call' | 'effect'>): PolicyChangePlan {
    const { content } = this.#policyPlans.addWith('', null, (planId) => ({
      plan: { planId, connectionId: view.id, connectionLabel: view.label, ...words, missingScopes: missingConsentScopes(view) },
      change,
      fingerprint: JSON.stringify(settings),
    }));
    return content.plan;
  }

  /** Applies a planned change as a one-item job, waits for it, and reads the policy back. */
  async changePolicy(request: ParsedRequestOf<'consent.changePolicy'>): Promise<PolicyChangeResult> {
    const stored = this.#policyPlans.check(request.planId, request.confirmation, '');
    const { plan, change } = stored.content;
    const { view, context, adapter } = this.#reach(plan.connectionId, ['changePolicy']);
    this.#requireConsent(view, 'Changing the policy');
    const before = await this.#microsoftSettings(adapter, context);
    if (JSON.stringify(before) !== stored.content.fingerprint) {
      this.#policyPlans.take(stored.id);
      throw new AppError('plan_expired', `${plan.setting} changed on ${view.label} since the plan was made.`, { nextStep: 'Plan the change again from the current setting. Nothing was changed.' });
    }
    this.#policyPlans.take(stored.id);
    const job = await this.#options.jobs.create<PolicyPayload>({
      kind: consentJobKinds.policy,
      title: `Change ${plan.setting.toLowerCase()} on ${view.label}`,
      subject: view.label,
      items: [{ key: `${view.id}:${change.kind}`, label: `${plan.setting}: ${plan.before} → ${plan.after} (${view.label})`, phase: 0, payload: { connectionId: view.id, change, setting: plan.setting, before: plan.before, after: plan.after } }],
    });
    const outcome = await this.#settledOutcome(job.id);
    const policy = await this.#policyOf(this.#options.connections.view(view.id));
    const applied = policy.microsoft !== null && policyChangeApplied(policy.microsoft, change);
    const message = applied ? `${plan.setting} is now: ${plan.after}. Read back from ${view.label}.` : `${outcome?.message ?? 'The change did not complete.'} Read back, ${plan.setting.toLowerCase()} is not as asked.`;
    return { applied, message, policy };
  }

  async #microsoftSettings(adapter: ProviderConsent, context: ProviderCallContext): Promise<MicrosoftConsentSettings> {
    const reading = await this.#read(adapter, () => adapter.readPolicy(context));
    if (reading.provider !== 'microsoft') throw new AppError('not_supported', 'Only Microsoft consent settings can be changed from Consentry.');
    return microsoftSettingsOf(reading);
  }

  // ---------- requests ----------

  async requests(): Promise<ConsentRequestList> {
    const { connections } = await this.#options.connections.list();
    const withQueue = connections.filter((view) => this.#options.consents[view.provider]?.pendingRequests);
    const requests: ConsentRequest[] = [];
    const unavailable: ConsentRequestList['unavailable'] = [];
    await Promise.all(
      withQueue.map(async (view) => {
        const adapter = this.#options.consents[view.provider]!;
        try {
          const context = this.#options.gateway.context(view.id);
          const pending = await adapter.pendingRequests!(context);
          const apps = await Promise.all(pending.map((reading) => this.#requestedApp(adapter, context, reading)));
          requests.push(...pending.map((reading, n) => this.#requestView(view, reading, apps[n]!)));
        } catch (error) {
          const failure = adapter.describeFailure(error);
          unavailable.push({ connectionId: view.id, label: view.label, ...failure });
        }
      }),
    );
    requests.sort((a, b) => (b.lastRequestedAt ?? '').localeCompare(a.lastRequestedAt ?? ''));
    return { requests, unavailable };
  }

  /**
   * The requested app as the tenant holds it, for its publisher; null when the adapter cannot read
   * it or the read fails (the request is still listed: its publisher just is not shown).
   */
  async #requestedApp(adapter: ProviderConsent, context: ProviderCallContext, reading: ConsentRequestReading): Promise<AppConsentState | null> {
    if (!adapter.appState) return null;
    try {
      return await adapter.appState(context, reading.appId.toLowerCase());
    } catch {
      return null;
    }
  }

  /** A request; its publisher is known only once the app has a service principal in the tenant. */
  #requestView(view: ConnectionView, reading: ConsentRequestReading, app: AppConsentState | null): ConsentRequest {
    const inTenant = app?.servicePrincipalId ? app : null;
    const scopes = reading.pendingScopes.map((scope) => ({ scope, ...rateScope(scope, 'graph-delegated') }));
    const dates = reading.userRequests.map((user) => user.createdAt).sort();
    return {
      connectionId: view.id,
      connectionLabel: view.label,
      id: reading.id,
      appId: reading.appId,
      appName: reading.appDisplayName,
      publisher: inTenant?.publisher ?? null,
      verifiedPublisher: inTenant?.verifiedPublisher ?? null,
      inTenant: app ? app.servicePrincipalId !== null : null,
      scopes,
      risk: worstLevel(scopes.map((scope) => scope.level)),
      requests: reading.userRequests.map((user) => ({ id: user.id, requestedBy: user.requestedBy, reason: user.reason, createdAt: user.createdAt, status: user.status })),
      firstRequestedAt: dates[0] ?? null,
      lastRequestedAt: dates.at(-1) ?? null,
    };
  }

  /** Denies a pending request with the admin's reason, as a one-item job; the log keeps the reason. */
  async deny({ connectionId, requestId, reason }: ParsedRequestOf<'consent.deny'>): Promise<ConsentDecisionResult> {
    const { view, context, adapter } = this.#reach(connectionId, ['pendingRequests']);
    this.#requireConsent(view, 'Denying a request');
    const request = (await this.#read(adapter, () => adapter.pendingRequests!(context))).find((pending) => pending.id === requestId);
    if (!request) throw new AppError('not_found', 'This request is no longer pending: someone decided it already, or it expired.', { nextStep: 'Reload the request queue.' });
    const job = await this.#options.jobs.create<DenyPayload>({
      kind: consentJobKinds.deny,
      title: `Deny ${request.appDisplayName} on ${view.label}`,
      subject: view.label,
      items: [{ key: `${view.id}:${requestId}`, label: `Request for ${request.appDisplayName} (${view.label})`, phase: 0, payload: { connectionId, requestId, appName: request.appDisplayName, scopes: request.pendingScopes, reason } }],
    });
    const outcome = await this.#settledOutcome(job.id);
    if (!outcome || outcome.result === 'failed') throw new AppError(outcome?.errorCode ?? 'provider_error', outcome?.message ?? 'The denial could not be recorded.', { nextStep: 'Reload the request queue and try again.' });
    if (outcome.result === 'skipped') throw new AppError(outcome.errorCode ?? 'invalid_request', outcome.message, { nextStep: 'Reload the request queue: it shows who decided.' });
    if (outcome.code === 'local_only') return { atProvider: 'local_only', message: `Denied in Consentry’s log. ${view.providerLabel} keeps the request open: it has no call to record a denial.` };
    return { atProvider: 'recorded', message: `Denied: ${request.appDisplayName}. The requesters see the decision with your reason.` };
  }

  // ---------- review and grant ----------

  async review(request: ParsedRequestOf<'consent.review'>): Promise<ConsentReview> {
    const { view, context, adapter } = this.#reach(request.connectionId, ['appState', 'resourcePermissions']);
    const appId = request.appId.toLowerCase();
    const [app, resource, pending] = await this.#read(adapter, () =>
      Promise.all([adapter.appState!(context, appId), adapter.resourcePermissions!(context), request.requestId && adapter.pendingRequests ? adapter.pendingRequests(context) : Promise.resolve(null)]),
    );
    let fromRequest: ConsentRequestReading | null = null;
    if (request.requestId) {
      fromRequest = pending?.find((reading) => reading.id === request.requestId) ?? null;
      if (!fromRequest) throw new AppError('not_found', 'This request is no longer pending: someone decided it already, or it expired.', { nextStep: 'Reload the request queue.' });
      if (fromRequest.appId.toLowerCase() !== appId) throw new AppError('invalid_request', 'That request is for another app.', { nextStep: 'Start the review from the request itself.' });
    }
    const review = reviewPermissions({ app, request: fromRequest, adminDelegated: request.delegated, adminApplication: request.application, resource });
    const stored = this.#reviews.add('', null, { connectionId: view.id, app, request: fromRequest, review });
    return {
      reviewId: stored.id,
      connectionId: view.id,
      connectionLabel: view.label,
      appId,
      appName: review.appName,
      publisher: app.publisher,
      verifiedPublisher: app.verifiedPublisher,
      servicePrincipalId: app.servicePrincipalId,
      accountEnabled: app.accountEnabled,
      appRoleAssignmentRequired: app.appRoleAssignmentRequired,
      requestId: fromRequest?.id ?? null,
      delegated: review.delegated,
      application: review.application,
      warnings: review.warnings,
    };
  }

  planGrant(request: ParsedRequestOf<'consent.planGrant'>): ConsentGrantPlan {
    const { content } = this.#reviews.check(request.reviewId, '', '');
    const view = this.#options.connections.view(content.connectionId);
    const design = designGrant(content.app, content.review, request, content.request !== null);
    const decision: GrantDecision = {
      connectionId: view.id,
      appId: content.app.appId,
      appName: content.review.appName,
      requestId: content.request?.id ?? null,
      keptDelegated: design.keptDelegated,
      keptApplication: design.keptApplication,
      droppedDelegated: design.droppedDelegated,
      droppedApplication: design.droppedApplication,
    };
    const items: GrantStep[] = [
      ...(content.app.servicePrincipalId ? [] : [{ step: 'create_service_principal' as const }]),
      ...(design.setDelegated ? [{ step: 'set_delegated' as const, scopes: design.setDelegated }] : []),
      ...design.addRoles.map((permission) => ({ step: 'assign_role' as const, permission })),
      ...design.removeRoles.map((role) => ({ step: 'remove_role' as const, permission: role.permission, assignmentId: role.assignmentId })),
      ...(content.request ? [{ step: 'approve_request' as const }] : []),
    ];
    const { content: stored } = this.#grantPlans.addWith('', design.confirmationText, (planId) => ({
      plan: {
        planId,
        connectionId: view.id,
        connectionLabel: view.label,
        appId: decision.appId,
        appName: decision.appName,
        method: request.method,
        steps: design.steps,
        keptDelegated: design.keptDelegated,
        keptApplication: design.keptApplication,
        droppedDelegated: design.droppedDelegated,
        droppedApplication: design.droppedApplication,
        warnings: design.warnings,
        missingScopes: request.method === 'graph' ? missingConsentScopes(view) : [],
        confirmationText: design.confirmationText,
      },
      decision,
      items,
      fingerprint: fingerprintOf(content.app),
    }));
    return stored.plan;
  }

  /** Checks the confirmation and what the app holds now, then starts the grant job. */
  async grant(request: ParsedRequestOf<'consent.grant'>): Promise<JobSummary> {
    const stored = this.#grantPlans.check(request.planId, request.confirmation, '');
    const { plan, decision, items } = stored.content;
    if (plan.method !== 'graph') throw new AppError('invalid_request', 'This plan grants in Microsoft’s prompt in your browser.', { nextStep: 'Open the prompt instead, or plan again to grant through Graph.' });
    const { view, context, adapter } = this.#reach(plan.connectionId, ['appState', 'createServicePrincipal', 'setTenantWideScopes', 'assignAppRole', 'removeAppRole']);
    this.#requireConsent(view, 'Granting consent');
    const now = await this.#read(adapter, () => adapter.appState!(context, decision.appId));
    this.#grantPlans.take(stored.id);
    if (fingerprintOf(now) !== stored.content.fingerprint) {
      throw new AppError('plan_expired', `What ${decision.appName} holds on ${view.label} changed since you reviewed it.`, { nextStep: 'Review the app again and plan the grant from what it holds now. Nothing was granted.' });
    }
    if (items.length === 0) throw new AppError('invalid_request', `${decision.appName} already holds exactly these permissions.`, { nextStep: 'Nothing needs granting.' });
    // An app granted by client id has no name in the tenant yet, so the title and the labels may show
    // the id; its decision entry names it as the tenant knows it after the grant (ConsentDecisionLog).
    const labels: Record<GrantStep['step'], (step: GrantStep) => string> = {
      create_service_principal: () => `Create the service principal of ${decision.appName}`,
      set_delegated: (step) => `Tenant-wide consent for ${decision.appName}: ${(step as Extract<GrantStep, { step: 'set_delegated' }>).scopes.join(' ') || 'none'}`,
      assign_role: (step) => `Assign ${(step as Extract<GrantStep, { step: 'assign_role' }>).permission} to ${decision.appName}`,
      remove_role: (step) => `Remove ${(step as Extract<GrantStep, { step: 'remove_role' }>).permission} from ${decision.appName}`,
      approve_request: () => `Approve the consent request for ${decision.appName}`,
    };
    const phases: Record<GrantStep['step'], number> = { create_service_principal: 0, set_delegated: 1, assign_role: 1, remove_role: 1, approve_request: 2 };
    const job = await this.#options.jobs.create<GrantPayload>({
      kind: consentJobKinds.grant,
      title: `Grant consent to ${decision.appName} on ${view.label}`,
      subject: view.label,
      items: items.map((step, n): Omit<JobItem<GrantPayload>, 'n'> => ({ key: `${view.id}:${decision.appId}:${n}`, label: `${labels[step.step](step)} (${view.label})`, phase: phases[step.step], payload: { ...step, decision } })),
    });
    // The decision is logged, the pages told and the grants read again when the job ends (ConsentDecisionLog).
    return job;
  }

  /** The steps of a grant job with their outcome and, once it has stopped, what the tenant holds. */
  async grantResult(jobId: string): Promise<ConsentGrantResult> {
    const job = this.#options.jobs.summary(jobId);
    if (job.kind !== consentJobKinds.grant) throw new AppError('not_found', 'That job is not a consent grant.', { nextStep: 'Open it from the Jobs page.' });
    const items = this.#options.jobs.items(jobId);
    const steps = items.map(({ item, status, outcome }) => ({
      label: item.label,
      outcome: status === 'pending' || status === 'running' ? ('not_started' as const) : status,
      message: outcome?.message ?? (status === 'in_doubt' ? 'Sent just before Consentry stopped; its answer was not recorded. Resume the job to find out.' : status === 'running' ? 'Under way.' : 'Not started.'),
    }));
    const decision = (items[0]?.item.payload as GrantPayload | undefined)?.decision;
    const running = job.state === 'running' || job.state === 'pausing' || job.state === 'cancelling';
    const granted = !decision || running ? null : await this.#readBack(decision);
    return { jobId, job, steps, granted };
  }

  /** Opens Microsoft's admin-consent prompt for the kept scopes in the system browser. */
  async openConsentPrompt(planId: string): Promise<{ opened: boolean }> {
    const { content } = this.#grantPlans.check(planId, '', '');
    const { decision } = content;
    const { view, context, adapter } = this.#reach(decision.connectionId, ['adminConsentUrl']);
    // Application permissions cannot be named in the prompt: `.default` stands for those the app's registration lists.
    const url = adapter.adminConsentUrl!(context, decision.appId, decision.keptApplication.length > 0 ? [...decision.keptDelegated, '.default'] : decision.keptDelegated);
    await this.#options.openExternal(url, { trustedHosts: signInHosts(view) });
    await this.#options.activity.record({
      action: 'consent.prompt_opened',
      target: `${decision.appName} (${view.label})`,
      result: 'succeeded',
      detail: `Microsoft’s admin-consent prompt opened in the browser for: ${[...decision.keptDelegated, ...decision.keptApplication].join(' ')}. What the tenant holds is read back after.`,
    });
    return { opened: true };
  }

  async readBack(planId: string): Promise<GrantedConsent> {
    const { content } = this.#grantPlans.check(planId, '', '');
    const granted = await this.#readBack(content.decision);
    this.#changed(content.decision.connectionId);
    return granted;
  }

  async #readBack(decision: GrantDecision): Promise<GrantedConsent> {
    const { context, adapter } = this.#reach(decision.connectionId, ['appState']);
    const app = await this.#read(adapter, () => adapter.appState!(context, decision.appId));
    const delegated = app.tenantWideGrant?.scopes ?? [];
    const application = app.appRoles.map((role) => role.permission);
    const asked = [...decision.keptDelegated, ...decision.keptApplication];
    const held = [...delegated, ...application];
    const missing = asked.filter((scope) => !held.includes(scope));
    const extra = held.filter((scope) => !asked.includes(scope));
    return {
      connectionId: decision.connectionId,
      appId: decision.appId,
      appName: decision.appName,
      readAt: this.#clock().toISOString(),
      delegated,
      application,
      askedDelegated: decision.keptDelegated,
      askedApplication: decision.keptApplication,
      missing,
      extra,
      matches: missing.length === 0 && extra.length === 0,
    };
  }

  // ---------- block ----------

  async planBlock({ connectionId, appId, mode }: ParsedRequestOf<'consent.planBlock'>): Promise<BlockPlan> {
    const { view, context, adapter } = this.#reach(connectionId, ['appState', 'setSignIn']);
    const app = await this.#read(adapter, () => adapter.appState!(context, appId.toLowerCase()));
    const appName = app.displayName ?? appId;
    if (!app.servicePrincipalId) {
      throw new AppError('not_found', `${appName} has no service principal in ${view.label}: nobody can sign in to it there yet.`, { nextStep: 'Check the client id; an app that was never consented to needs no block.' });
    }
    const change = mode === 'disable_sign_in' ? { accountEnabled: false } : mode === 'require_assignment' ? { appRoleAssignmentRequired: true } : { accountEnabled: true, appRoleAssignmentRequired: false };
    const after = signInWords(change.accountEnabled ?? app.accountEnabled, change.appRoleAssignmentRequired ?? app.appRoleAssignmentRequired);
    const effects: Record<typeof mode, string> = {
      disable_sign_in: `Nobody can sign in to ${appName} and it gets no new tokens; the consent it holds stays, so allowing sign-in again restores it.`,
      require_assignment: `Only users and groups assigned to ${appName} in Entra can sign in; everyone else is refused at sign-in.`,
      allow_sign_in: `Every user can sign in to ${appName} again with the consent it holds.`,
    };
    const confirmationText = mode === 'disable_sign_in' ? appName : null;
    const before = signInWords(app.accountEnabled, app.appRoleAssignmentRequired);
    const payload: BlockPayload = { connectionId: view.id, appId: app.appId, appName, servicePrincipalId: app.servicePrincipalId, change, before, after };
    const { content } = this.#blockPlans.addWith('', confirmationText, (planId) => ({
      plan: {
        planId,
        connectionId: view.id,
        appId: app.appId,
        appName,
        mode,
        before,
        after,
        effect: effects[mode],
        missingScopes: missingConsentScopes(view),
        confirmationText,
      },
      payload,
      fingerprint: fingerprintOf(app),
    }));
    return content.plan;
  }

  async block(request: ParsedRequestOf<'consent.block'>): Promise<BlockResult> {
    const stored = this.#blockPlans.check(request.planId, request.confirmation, '');
    const { plan, payload } = stored.content;
    const { view, context, adapter } = this.#reach(plan.connectionId, ['appState', 'setSignIn']);
    this.#requireConsent(view, 'Blocking an app');
    const before = await this.#read(adapter, () => adapter.appState!(context, plan.appId));
    this.#blockPlans.take(stored.id);
    if (fingerprintOf(before) !== stored.content.fingerprint) {
      throw new AppError('plan_expired', `${plan.appName} changed on ${view.label} since the plan was made.`, { nextStep: 'Plan the block again. Nothing was changed.' });
    }
    const job = await this.#options.jobs.create<BlockPayload>({
      kind: consentJobKinds.block,
      title: `${plan.after}: ${plan.appName} on ${view.label}`,
      subject: view.label,
      items: [{ key: `${view.id}:${plan.appId}:sign-in`, label: `${plan.appName}: ${plan.before} → ${plan.after} (${view.label})`, phase: 0, payload }],
    });
    const outcome = await this.#settledOutcome(job.id);
    const after = await this.#read(adapter, () => adapter.appState!(context, plan.appId));
    const applied =
      (payload.change.accountEnabled === undefined || after.accountEnabled === payload.change.accountEnabled) &&
      (payload.change.appRoleAssignmentRequired === undefined || after.appRoleAssignmentRequired === payload.change.appRoleAssignmentRequired);
    const message = applied ? `${plan.appName}: ${plan.after}. Read back from ${view.label}.` : `${outcome?.message ?? 'The change did not complete.'} Read back: ${signInWords(after.accountEnabled, after.appRoleAssignmentRequired)}.`;
    return { applied, accountEnabled: after.accountEnabled, appRoleAssignmentRequired: after.appRoleAssignmentRequired, message };
  }

  // ---------- Google app decisions ----------

  googleDecisions(): { decisions: GoogleAppDecision[]; adminConsoleUrl: string } {
    return { decisions: this.#options.googleDecisions.list(), adminConsoleUrl: googleApiControlsUrl };
  }

  async decideGoogleApp(request: ParsedRequestOf<'consent.decideGoogleApp'>): Promise<{ decisions: GoogleAppDecision[]; adminConsoleUrl: string }> {
    const view = this.#options.connections.view(request.connectionId);
    if (view.provider !== 'google') throw new AppError('invalid_request', 'App access decisions are kept for Google Workspace connections only.');
    const { before, after } = this.#options.googleDecisions.decide({ connectionId: view.id, clientId: request.clientId, appName: request.appName, decision: request.decision, note: request.note ?? null });
    await this.#options.activity.record({
      action: 'consent.google_decision',
      target: `${after?.appName ?? before?.appName ?? request.clientId} (${view.label})`,
      result: 'succeeded',
      detail: `${before?.decision ?? 'undecided'} → ${after?.decision ?? 'undecided'} for client id ${request.clientId}${request.note ? `. Note: ${request.note}` : ''}. Kept in Consentry: set it in the Admin console (Google has no API for it).`,
    });
    this.#changed(view.id);
    return this.googleDecisions();
  }

  exportGoogleList(decision: ParsedRequestOf<'consent.exportGoogleList'>['decision']): { fileName: string; content: string; count: number } {
    const ids = this.#options.googleDecisions.clientIds(decision);
    return { fileName: `consentry-google-${decision}-client-ids.txt`, content: ids.map((id) => `${id}\n`).join(''), count: ids.length };
  }

  // ---------- shared ----------

  #reach(connectionId: string, methods: readonly (keyof ProviderConsent)[]) {
    return reachConsent(this.#options, connectionId, methods);
  }

  #requireConsent(view: ConnectionView, what: string): void {
    const missing = missingConsentScopes(view);
    if (holdsConsent(view)) return;
    throw new AppError('remediation_required', `${what} needs the consent permission on ${view.label}${missing.length ? ` (${missing.join(', ')})` : ''}.`, {
      nextStep: 'Allow “consent” for that connection on the Connections page (a sign-in that asks only for those scopes), then confirm again. Nothing was changed.',
    });
  }

  /** A read at the provider; its failure becomes the adapter's sentence, never the provider's raw text. */
  async #read<T>(adapter: ProviderConsent, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof AppError) throw error;
      const failure = adapter.describeFailure(error);
      throw new AppError(failure.code, failure.message, failure.nextStep ? { nextStep: failure.nextStep } : {});
    }
  }

  /**
   * Waits for a one-item job and gives its item's outcome (undefined when it did not end), once the
   * decision's entry is in the log: the page that asked then finds it in the history.
   */
  async #settledOutcome(jobId: string) {
    await this.#options.jobs.settled(jobId);
    await this.#decisionLog.written(jobId);
    return this.#options.jobs.items(jobId)[0]?.outcome;
  }

  #changed(connectionId: string): void {
    this.#options.events.publish('consent.changed', { connectionId });
  }
}
