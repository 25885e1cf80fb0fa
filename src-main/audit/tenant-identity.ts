/**
 * Which tenant a connection reads, independent of the connection: removing a connection and
 * connecting the same tenant again (a new connection id) must not make every grant "new".
 */
import type { ConnectionView } from '../../src-shared/contract/connections';

/**
 * The provider and the tenant it reported at sign-in (Google's hosted domain, Entra's tenant id…);
 * else the tenant named in the connection's settings, else the signed-in account; the connection
 * id only when nothing names the tenant.
 */
export function tenantKeyOf(connection: Pick<ConnectionView, 'id' | 'provider' | 'tenant' | 'account' | 'settings'>): string {
  const { settings } = connection;
  const named = connection.tenant ?? settings.tenant ?? settings.myDomain ?? settings.orgUrl ?? settings.subdomain ?? settings.issuer ?? connection.account;
  return named ? `${connection.provider}:${named.trim().toLowerCase()}` : `${connection.provider}:connection:${connection.id}`;
}
