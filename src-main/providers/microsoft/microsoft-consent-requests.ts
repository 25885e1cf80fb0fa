/**
 * Microsoft's admin consent request queue: the apps users asked an admin to consent to
 * (appConsentRequests), who asked (userConsentRequests), and recording an admin's decision on each
 * request's approval stages. Also resolves reviewers named by the admin to Graph user queries.
 */
import type { ConsentCallOutcome, ConsentRequestReading, ConsentStageReading } from '../../consent/consent-port';
import type { ProviderCallContext } from '../../net/provider-call-context';
import { failedOutcome, graphPath, readingWith, statusOf, succeeded } from './microsoft-consent-failure';
import { graphEndpoint, graphPages, graphRequest, isAbort, type GraphEndpoint } from './graph-request';

interface AppConsentRequest {
  id: string;
  appId?: string | null;
  appDisplayName?: string | null;
  pendingScopes?: { displayName?: string | null }[] | null;
}

interface ApprovalStage {
  id: string;
  status?: string | null;
  reviewResult?: string | null;
  reviewedBy?: { id?: string | null; displayName?: string | null; userPrincipalName?: string | null } | null;
  reviewedDateTime?: string | null;
}

interface UserConsentRequest {
  id: string;
  status?: string | null;
  reason?: string | null;
  createdDateTime?: string | null;
  createdBy?: { user?: { id?: string | null; displayName?: string | null; userPrincipalName?: string | null } | null } | null;
  approval?: { stages?: ApprovalStage[] | null } | null;
}

const readPermission = 'ConsentRequest.Read.All';
const decidePermission = 'ConsentRequest.ReadWrite.All';
const appConsentRequestsPath = '/identityGovernance/appConsent/appConsentRequests';
const inProgress = 'InProgress';

const userRequestsPath = (requestId: string) => `${appConsentRequestsPath}/${encodeURIComponent(requestId)}/userConsentRequests`;
const stagesPath = (requestId: string, userRequestId: string) => `${userRequestsPath(requestId)}/${encodeURIComponent(userRequestId)}/approval/stages`;

/** Looks up each reference (UPN or object id) as a user; the ones Entra does not know are named back. */
export async function resolveMicrosoftReviewers(context: ProviderCallContext, references: readonly string[]): Promise<{ found: { query: string; displayName: string }[]; notFound: string[] }> {
  const graph = graphEndpoint(context);
  const found: { query: string; displayName: string }[] = [];
  const notFound: string[] = [];
  for (const reference of references) {
    try {
      const user = await readingWith('looking up a reviewer', 'User.ReadBasic.All', () => graphRequest<{ id: string; displayName?: string | null; userPrincipalName?: string | null }>(graph, 'GET', `${graphPath('users', reference.trim())}?$select=id,displayName,userPrincipalName`));
      // The policy names reviewers by object id, which survives a rename.
      found.push({ query: `/users/${user.id}`, displayName: user.displayName ?? user.userPrincipalName ?? reference });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      notFound.push(reference);
    }
  }
  return { found, notFound };
}

/** The user request's stages: those listed with it, or else read from its approval. */
async function stagesOf(graph: GraphEndpoint, requestId: string, userRequest: UserConsentRequest): Promise<ApprovalStage[]> {
  const listed = userRequest.approval?.stages;
  if (listed) return listed;
  const stages: ApprovalStage[] = [];
  for await (const page of graphPages<ApprovalStage>(graph, stagesPath(requestId, userRequest.id))) stages.push(...page);
  return stages;
}

/** Every user request of the app's request, filtered by the caller: Graph documents only `eq` filters on this collection. */
async function userRequestsOf(graph: GraphEndpoint, requestId: string): Promise<UserConsentRequest[]> {
  const listed: UserConsentRequest[] = [];
  for await (const page of graphPages<UserConsentRequest>(graph, userRequestsPath(requestId))) listed.push(...page);
  return listed;
}

async function readRequest(graph: GraphEndpoint, request: AppConsentRequest): Promise<ConsentRequestReading> {
  const listed = await userRequestsOf(graph, request.id);
  const userRequests = await Promise.all(
    listed.map(async (userRequest) => {
      const status = userRequest.status ?? inProgress;
      const user = userRequest.createdBy?.user;
      return {
        id: userRequest.id,
        stageIds: status === inProgress ? (await stagesOf(graph, request.id, userRequest)).filter((stage) => stage.status !== 'Completed').map((stage) => stage.id) : [],
        requestedBy: user?.userPrincipalName || user?.displayName || user?.id || 'an unknown user',
        reason: userRequest.reason ?? null,
        createdAt: userRequest.createdDateTime ?? '',
        status,
      };
    }),
  );
  return {
    id: request.id,
    appId: request.appId ?? '',
    appDisplayName: request.appDisplayName ?? request.appId ?? 'an app',
    pendingScopes: (request.pendingScopes ?? []).flatMap((scope) => (scope.displayName ? [scope.displayName] : [])),
    userRequests,
  };
}

/** Every app with at least one user request still in progress, with those requests and their open stages. */
export async function readMicrosoftConsentRequests(context: ProviderCallContext): Promise<ConsentRequestReading[]> {
  const graph = graphEndpoint(context);
  return readingWith('reading the admin consent requests', readPermission, async () => {
    const requests: AppConsentRequest[] = [];
    const filter = encodeURIComponent(`userConsentRequests/any(u:u/status eq '${inProgress}')`);
    for await (const page of graphPages<AppConsentRequest>(graph, `${appConsentRequestsPath}?$filter=${filter}`)) requests.push(...page);
    return Promise.all(requests.map((request) => readRequest(graph, request)));
  });
}

/** Graph's reviewedBy of a stage nobody reviewed: the empty identity. */
const nobody = '00000000-0000-0000-0000-000000000000';

/** Every stage of the request, closed ones too (they stay readable after the decision), with who decided what. */
export async function readMicrosoftRequestDecisions(context: ProviderCallContext, requestId: string): Promise<ConsentStageReading[]> {
  const graph = graphEndpoint(context);
  return readingWith('reading the decisions on the consent request', readPermission, async () => {
    const userRequests = await userRequestsOf(graph, requestId);
    const stages = await Promise.all(
      userRequests.map(async (userRequest) =>
        (await stagesOf(graph, requestId, userRequest)).map((stage): ConsentStageReading => {
          const reviewer = stage.reviewedBy;
          const reviewed = reviewer && (reviewer.userPrincipalName || reviewer.displayName || (reviewer.id && reviewer.id !== nobody));
          return {
            userRequestId: userRequest.id,
            userRequestStatus: userRequest.status ?? inProgress,
            stageId: stage.id,
            status: stage.status ?? inProgress,
            reviewResult: stage.reviewResult ?? null,
            reviewedBy: reviewed ? { id: reviewer.id ?? null, displayName: reviewer.displayName ?? null, userPrincipalName: reviewer.userPrincipalName ?? null } : null,
            reviewedAt: stage.reviewedDateTime ?? null,
          };
        }),
      ),
    );
    return withReviewerNames(graph, stages.flat());
  });
}

/**
 * Graph's reference types `reviewedBy` as an identity (id and display name): the sign-in name the
 * connection knows its admin by is looked up by id where a stage lacks it, so the admin's own
 * earlier decision is recognised. A reviewer that cannot be looked up keeps what Graph gave.
 */
async function withReviewerNames(graph: GraphEndpoint, stages: ConsentStageReading[]): Promise<ConsentStageReading[]> {
  const ids = [...new Set(stages.flatMap((stage) => (stage.reviewedBy?.id && !stage.reviewedBy.userPrincipalName ? [stage.reviewedBy.id] : [])))];
  const names = new Map<string, string>();
  await Promise.all(
    ids.map(async (id) => {
      try {
        const user = await graphRequest<{ userPrincipalName?: string | null }>(graph, 'GET', `${graphPath('users', id)}?$select=userPrincipalName`);
        if (user.userPrincipalName) names.set(id, user.userPrincipalName);
      } catch (error) {
        if (isAbort(error, graph)) throw error;
      }
    }),
  );
  return stages.map((stage) => (stage.reviewedBy?.id && names.has(stage.reviewedBy.id) ? { ...stage, reviewedBy: { ...stage.reviewedBy, userPrincipalName: names.get(stage.reviewedBy.id)! } } : stage));
}

/** Who decided a stage someone else closed, when Graph says. */
async function decidedBy(graph: GraphEndpoint, path: string): Promise<string | null> {
  try {
    const stage = await graphRequest<ApprovalStage>(graph, 'GET', path);
    const who = stage.reviewedBy?.displayName || stage.reviewedBy?.userPrincipalName;
    const result = stage.reviewResult && stage.reviewResult !== 'NotReviewed' ? ` (${stage.reviewResult})` : '';
    return who ? `${who}${result}` : null;
  } catch (error) {
    if (isAbort(error, graph)) throw error;
    return null;
  }
}

/** Records Approve or Deny on every open stage of the request's user requests. */
export async function decideMicrosoftConsentRequest(context: ProviderCallContext, request: ConsentRequestReading, decision: 'Approve' | 'Deny', justification: string): Promise<ConsentCallOutcome> {
  const graph = graphEndpoint(context);
  const stages = request.userRequests.filter((userRequest) => userRequest.status === inProgress).flatMap((userRequest) => userRequest.stageIds.map((stageId) => `${stagesPath(request.id, userRequest.id)}/${encodeURIComponent(stageId)}`));
  let recorded = 0;
  const decidedElsewhere: (string | null)[] = [];
  for (const path of stages) {
    try {
      await graphRequest(graph, 'PATCH', path, { reviewResult: decision, justification });
      recorded += 1;
    } catch (error) {
      // 409: another reviewer decided this stage first.
      if (statusOf(error) !== 409) return failedOutcome(graph, error, 'recording the decision on the consent request', decidePermission);
      decidedElsewhere.push(await decidedBy(graph, path));
    }
  }
  const verb = decision === 'Approve' ? 'approval' : 'denial';
  if (recorded > 0) return succeeded('updated', `Recorded the ${verb} on ${recorded} ${recorded === 1 ? 'request' : 'requests'} in Microsoft Entra.`);
  if (decidedElsewhere.length > 0) {
    const names = [...new Set(decidedElsewhere.filter((name): name is string => name !== null))];
    return { ok: false, code: 'already_decided', message: names.length > 0 ? `Someone else already decided this request: ${names.join(', ')}.` : 'Someone else already decided this request.', errorCode: null };
  }
  return { ok: false, code: 'already_decided', message: 'This request has no open approval left in Microsoft Entra.', errorCode: null };
}
