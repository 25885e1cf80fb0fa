/**
 * An offboarding run against the simulator, for the crash test and the benchmark: both tenants
 * connected with offboarding allowed, the list as an admin pastes it, each departed person's access
 * as the tenant holds it (app passwords, app tokens, backup codes, delegated grants, app role
 * assignments, account status), and from it the state changes the simulator's request log must
 * show exactly once (`simulator.calls[i].effects`).
 */
import { randomUUID } from 'node:crypto';
import type { ConsoleServices } from '../../../src-main/app-services';
import type { SampleUser } from '../../../src-main/sample/sample-tenant';
import type { SimulatedTenant } from '../../../src-main/sample/simulator/simulated-tenant';
import { ownGoogleClient, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import type { ConnectionView } from '../../../src-shared/contract/connections';

/**
 * Connects the simulator's Google Workspace (the admin's own client, which stays connected across
 * restarts) and Entra tenant, then allows offboarding on each as the plan's button does.
 */
export async function connectTenants(services: ConsoleServices, sim: TenantSimulator): Promise<ConnectionView[]> {
  const google = await services.connections.connect(randomUUID(), {
    provider: 'google',
    label: 'Acme Google',
    clientId: ownGoogleClient.clientId,
    clientSecret: ownGoogleClient.clientSecret,
    settings: { issuer: sim.google.issuer, authorizationEndpoint: sim.google.authorizationEndpoint, tokenEndpoint: sim.google.tokenEndpoint, revocationEndpoint: sim.google.revocationEndpoint, apiBaseUrl: sim.google.apiRoot },
    capabilities: [],
  });
  const microsoft = await services.connections.connect(randomUUID(), {
    provider: 'microsoft',
    label: 'Acme Microsoft 365',
    clientId: sim.microsoft.clientId,
    settings: { issuer: sim.microsoft.authority, apiBaseUrl: sim.microsoft.graphBaseUrl },
    capabilities: [],
  });
  const allowed: ConnectionView[] = [];
  for (const connection of [google, microsoft]) allowed.push(await services.connections.enableCapability(connection.id, randomUUID(), 'offboarding'));
  return allowed;
}

export interface PersonStock {
  email: string;
  googleId: string;
  graphId: string;
  asps: number[];
  /** Clients the person issued Google tokens to (one delete removes every token of a client). */
  tokenClients: string[];
  backupCodes: boolean;
  signedOut: boolean;
  /** The person's own delegated grants (consentType Principal). */
  grants: string[];
  assignments: string[];
  suspended: boolean;
  accountEnabled: boolean;
}

export function takeStock(tenant: SimulatedTenant, users: readonly SampleUser[]): PersonStock[] {
  return users.map((user) => ({
    email: user.primaryEmail.toLowerCase(),
    googleId: user.googleId,
    graphId: user.graphId,
    asps: tenant.asps.filter((asp) => asp.userGoogleId === user.googleId).map((asp) => asp.codeId),
    tokenClients: [...new Set(tenant.googleTokens.filter((token) => token.userGoogleId === user.googleId).map((token) => token.clientId))],
    backupCodes: tenant.twoStepEnrolledGoogleUsers.has(user.googleId) && !tenant.invalidatedBackupCodeGoogleUsers.has(user.googleId),
    signedOut: tenant.signedOutGoogleUsers.has(user.googleId),
    grants: tenant.permissionGrants.filter((grant) => grant.consentType === 'Principal' && grant.principalId === user.graphId).map((grant) => grant.id),
    assignments: tenant.appRoleAssignments.filter((assignment) => assignment.principalId === user.graphId).map((assignment) => assignment.id),
    suspended: user.suspended,
    accountEnabled: tenant.entraAccountEnabled.get(user.graphId) ?? true,
  }));
}

export interface ExpectedEffects {
  /** Each must be in the log exactly once. */
  once: Set<string>;
}

/** The changes a run with suspension and these transfers makes, from the stock taken before it. */
export function expectedEffects(stock: readonly PersonStock[], transfers: ReadonlyMap<SampleUser, SampleUser>): ExpectedEffects {
  const once = new Set<string>();
  for (const person of stock) {
    for (const codeId of person.asps) once.add(`google.asp.delete:${person.googleId}:${codeId}`);
    for (const clientId of person.tokenClients) once.add(`google.token.delete:${person.googleId}:${clientId}`);
    if (person.backupCodes) once.add(`google.verificationCodes.invalidate:${person.googleId}`);
    if (!person.signedOut) once.add(`google.user.signOut:${person.googleId}`);
    if (!person.suspended) once.add(`google.user.suspend:${person.googleId}`);
    once.add(`microsoft.sessions.revoke:${person.graphId}`);
    for (const id of person.grants) once.add(`microsoft.delegated_grant.delete:${person.graphId}:${id}`);
    for (const id of person.assignments) once.add(`microsoft.app_role_assignment.delete:${person.graphId}:${id}`);
    if (person.accountEnabled) once.add(`microsoft.user.account_enabled:${person.graphId}:false`);
  }
  for (const [user, target] of transfers) once.add(`google.transfer.insert:${user.googleId}:${target.googleId}`);
  return { once };
}

/** The list as an admin pastes it from a spreadsheet: `email;transfer-to`, CRLF. */
export function offboardingList(users: readonly SampleUser[], transfers: ReadonlyMap<SampleUser, SampleUser>): string {
  return `email;transfer-to\r\n${users.map((user) => `${user.primaryEmail};${transfers.get(user)?.primaryEmail ?? ''}`).join('\r\n')}\r\n`;
}
