/**
 * The offboarding capability's Microsoft Graph adapter: Entra's users and its Global
 * Administrators (the directory check), the ordered steps with their places in the Microsoft
 * Entra admin center, and each step's measure and apply (microsoft-offboarding-steps.ts). Reading
 * needs only the audit's Directory.Read.All; every call goes through the tenant's scheduler.
 */
import type { ConnectionSettings } from '../../../src-shared/contract/connections';
import type { StepDefinition } from '../../../src-shared/contract/offboarding';
import type { ProviderCallContext } from '../../net/provider-call-context';
import type { RequestScheduler } from '../../net/request-scheduler';
import type { DirectoryPerson, DirectoryReading, OffboardingChoices, ProviderOffboarding } from '../../offboarding/offboarding-port';
import { microsoftCloud } from '../../oauth/microsoft-clouds';
import { graphEndpoint, graphPages, graphRequest, isAbort, type GraphEndpoint, type GraphPage } from './graph-request';
import { applyMicrosoftStep, measureMicrosoftStep, microsoftStepKinds, offboardingFailure, statusOf } from './microsoft-offboarding-steps';

/** The Global Administrator role's template id, the same in every tenant (Entra built-in roles reference). */
export const globalAdministratorTemplateId = '62e90394-69f5-4237-9190-012177145e10';

// proxyAddresses comes only when selected (the user reference).
const userSelect = '$select=id,userPrincipalName,mail,proxyAddresses,displayName,accountEnabled';

interface GraphUser {
  id: string;
  userPrincipalName?: string | null;
  mail?: string | null;
  /** `SMTP:` the primary address, `smtp:` each alias; other prefixes (`SIP:`, `X500:`) are not mail addresses. */
  proxyAddresses?: string[] | null;
  displayName?: string | null;
  accountEnabled?: boolean | null;
}

/** Every address a list may name the person by: mail, sign-in name and each SMTP proxy address. */
function addressesOf(user: GraphUser): string[] {
  const proxies = (user.proxyAddresses ?? []).filter((proxy) => /^smtp:/i.test(proxy)).map((proxy) => proxy.slice('smtp:'.length));
  return [...new Set([user.mail, user.userPrincipalName, ...proxies].filter((address): address is string => Boolean(address)).map((address) => address.trim().toLowerCase()))];
}

/** The people a departure list names are addressed by mail; an account without a mailbox by its sign-in name. */
function toPerson(user: GraphUser, globalAdministrators: ReadonlySet<string> | null): DirectoryPerson {
  return {
    id: user.id,
    email: (user.mail ?? user.userPrincipalName ?? '').toLowerCase(),
    addresses: addressesOf(user),
    displayName: user.displayName ?? null,
    suspended: user.accountEnabled === false,
    superAdmin: globalAdministrators?.has(user.id.toLowerCase()) ?? false,
  };
}

/**
 * The object ids of the Global Administrators; null when Graph refuses to say (neither
 * RoleManagement.Read.Directory nor Directory.Read.All held), never a guess.
 */
async function readGlobalAdministrators(graph: GraphEndpoint): Promise<Set<string> | null> {
  const members = new Set<string>();
  try {
    for await (const page of graphPages<{ id: string }>(graph, `/directoryRoles(roleTemplateId='${globalAdministratorTemplateId}')/members?$select=id`)) {
      for (const member of page) members.add(member.id.toLowerCase());
    }
  } catch (error) {
    if (isAbort(error, graph)) throw error;
    // 403: neither permission held; 404: the role is not activated, which Graph cannot mean for this one.
    if (statusOf(error) === 403 || statusOf(error) === 404) return null;
    throw offboardingFailure(graph, error, 'reading who the Global Administrators are', 'RoleManagement.Read.Directory');
  }
  return members;
}

/**
 * A dry run or run resolves each person on its own; the Global Administrators are read once per
 * tenant for a short while rather than once per person.
 */
const administratorsTtlMs = 30_000;
const recentAdministrators = new WeakMap<RequestScheduler, { at: number; members: Promise<Set<string> | null> }>();

function globalAdministrators(context: ProviderCallContext, graph: GraphEndpoint): Promise<Set<string> | null> {
  const cached = recentAdministrators.get(context.scheduler);
  if (cached && Date.now() - cached.at < administratorsTtlMs) return cached.members;
  const entry = { at: Date.now(), members: readGlobalAdministrators(graph) };
  recentAdministrators.set(context.scheduler, entry);
  // A failed read is not kept: the next person asks again.
  entry.members.catch(() => {
    if (recentAdministrators.get(context.scheduler) === entry) recentAdministrators.delete(context.scheduler);
  });
  return entry.members;
}

async function readDirectory(context: ProviderCallContext): Promise<DirectoryReading> {
  const graph = graphEndpoint(context);
  const users: GraphUser[] = [];
  try {
    for await (const page of graphPages<GraphUser>(graph, `/users?${userSelect}&$top=999`)) users.push(...page);
  } catch (error) {
    throw offboardingFailure(graph, error, 'listing the users', 'Directory.Read.All');
  }
  const administrators = await readGlobalAdministrators(graph);
  return { people: users.map((user) => toPerson(user, administrators)), superAdminsKnown: administrators !== null };
}

async function findPerson(context: ProviderCallContext, email: string): Promise<DirectoryPerson | null> {
  const graph = graphEndpoint(context);
  const literal = email.trim().toLowerCase().replace(/'/g, "''");
  // Plain filters one after another, as `or` across properties needs Graph's advanced queries: the
  // sign-in name, the mail, then any alias (a multi-valued property is filtered with `any`).
  const filters = [`userPrincipalName eq '${literal}'`, `mail eq '${literal}'`, `proxyAddresses/any(p:p eq 'smtp:${literal}')`];
  for (const filter of filters) {
    let page: GraphPage<GraphUser>;
    try {
      page = await graphRequest<GraphPage<GraphUser>>(graph, 'GET', `/users?$filter=${encodeURIComponent(filter)}&${userSelect}`);
    } catch (error) {
      throw offboardingFailure(graph, error, 'looking the person up', 'Directory.Read.All');
    }
    const user = page.value?.[0];
    if (user) return toPerson(user, await globalAdministrators(context, graph));
  }
  return null;
}

/** The run's abort ends the read-back waits and the calls not yet sent. */
function endpointFor(context: ProviderCallContext, signal?: AbortSignal): GraphEndpoint {
  const graph = graphEndpoint(context);
  if (!signal) return graph;
  return { ...graph, signal: graph.signal ? AbortSignal.any([graph.signal, signal]) : signal };
}

function steps(choices: OffboardingChoices, settings: ConnectionSettings): StepDefinition[] {
  const portal = microsoftCloud(settings).portal;
  const allUsers = `${portal}/#view/Microsoft_AAD_UsersAndTenants/UserManagementMenuBlade/~/AllUsers`;
  const enterpriseApps = `${portal}/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview`;
  const defined: StepDefinition[] = [
    {
      kind: microsoftStepKinds.revokeSessions,
      title: 'Revoke sign-in sessions',
      mode: 'api',
      why: 'First, so the refresh tokens and browser sessions the person already holds stop working everywhere (revokeSignInSessions); Microsoft may take a few minutes to end them all.',
      where: { label: 'Microsoft Entra admin center › Users › All users › (the person) › Revoke sessions', url: allUsers },
    },
    {
      kind: microsoftStepKinds.delegatedGrants,
      title: 'Remove delegated permission grants',
      mode: 'api',
      why: "Apps the person consented to can no longer get tokens in the person's name (their oauth2PermissionGrants); grants consented for the whole organisation stay.",
      where: { label: 'Microsoft Entra admin center › Enterprise applications › (each app) › Permissions › User consent', url: enterpriseApps },
    },
    {
      kind: microsoftStepKinds.appRoleAssignments,
      title: 'Remove app role assignments',
      mode: 'api',
      why: "Takes the person off the apps they were assigned to, with their roles in them; assignments through a group stay with the group.",
      where: { label: 'Microsoft Entra admin center › Users › All users › (the person) › Applications', url: allUsers },
    },
  ];
  if (choices.suspend) {
    defined.push({
      kind: microsoftStepKinds.disable,
      title: 'Disable the account',
      mode: 'api',
      why: 'Last, once access is removed: the account can no longer sign in, and it and its data stay for a transfer or a return.',
      where: { label: 'Microsoft Entra admin center › Users › All users › (the person) › Edit properties › Settings › Account enabled', url: allUsers },
    });
  }
  return defined;
}

export const microsoftOffboarding: ProviderOffboarding = {
  directory: 'api',
  readDirectory,
  findPerson,
  steps,
  // Every step applies to every account Graph returns; disabling one already disabled is simply already done.
  skipReason: () => null,
  measure: (context, kind, target) => measureMicrosoftStep(graphEndpoint(context), kind, target.person.id),
  apply: (context, kind, target, signal) => applyMicrosoftStep(endpointFor(context, signal), kind, target),
};
