/**
 * An app's risk: its worst scope, raised by what makes it worse — an unverified or anonymous
 * publisher, tenant-wide consent, application (not delegated) access, many users — with every
 * reason listed. Apps not used for 90 days are flagged as candidates for removal.
 */
import { riskLevels, worstLevel, type RiskLevel, type ScopeRating } from './scope-catalog';

export interface AppRiskInput {
  scopes: readonly ScopeRating[];
  /** Null when the provider does not say: then it is no factor either way. */
  verifiedPublisher: boolean | null;
  anonymous: boolean;
  /** Holds application permissions (app-only access). */
  application: boolean;
  tenantWideConsent: boolean;
  users: number;
  /** Null when the provider does not report use. */
  lastUsed: Date | null;
  now: Date;
}

export interface RiskFactor {
  code: 'unverified_publisher' | 'anonymous_client' | 'application_permission' | 'tenant_wide_consent' | 'many_users' | 'unused_90_days';
  /** One sentence the admin can read. */
  text: string;
  /** This factor raised the rating by one level. */
  raises: boolean;
}

export interface AppRisk {
  level: RiskLevel;
  /** The worst scope's level before factors. */
  scopeLevel: RiskLevel;
  factors: RiskFactor[];
}

const manyUsers = 50;
const staleDays = 90;

function raise(level: RiskLevel): RiskLevel {
  return riskLevels[Math.min(riskLevels.length - 1, riskLevels.indexOf(level) + 1)]!;
}

export function rateApp(input: AppRiskInput): AppRisk {
  const scopeLevel = worstLevel(input.scopes.map((scope) => scope.level));
  const factors: RiskFactor[] = [];
  // Factors only raise apps that can reach data; a sign-in-only app stays low whoever publishes it.
  const reachesData = scopeLevel !== 'low';
  if (input.anonymous) factors.push({ code: 'anonymous_client', text: 'The client is not registered with the provider: nobody stands behind it.', raises: reachesData });
  else if (input.verifiedPublisher === false) factors.push({ code: 'unverified_publisher', text: 'The publisher is not verified.', raises: reachesData });
  if (input.application) factors.push({ code: 'application_permission', text: 'It holds application permissions: it acts without any user signed in.', raises: false });
  if (input.tenantWideConsent) factors.push({ code: 'tenant_wide_consent', text: 'An admin consented for everyone in the organisation.', raises: reachesData });
  if (input.users >= manyUsers) factors.push({ code: 'many_users', text: `${input.users} users granted it.`, raises: false });
  if (input.lastUsed && input.now.getTime() - input.lastUsed.getTime() > staleDays * 86_400_000) {
    factors.push({ code: 'unused_90_days', text: `Not used for more than ${staleDays} days: a candidate for revocation.`, raises: false });
  }
  // At most one level up from factors: two weak signals do not make a Low app Critical.
  const level = factors.some((factor) => factor.raises) ? raise(scopeLevel) : scopeLevel;
  return { level, scopeLevel, factors };
}
