/**
 * Revokes one Salesforce grant (a user's tokens for one connected app): each token's DeleteToken is
 * POSTed to /services/oauth2/revoke, which deletes that OauthToken row (a refresh token takes its
 * access tokens with it); then SOQL reads the user's rows for the app back. Salesforce answers an
 * unknown DeleteToken with 400 invalid_token, which counts as already gone.
 */
import type { ProviderCallContext } from '../../net/provider-call-context';
import type { RevocationOutcome, RevocationTarget } from '../../audit/provider-audit';
import { SalesforceApiError, salesforceErrorCode, salesforceFailureMessage } from './salesforce-failure';
import type { SalesforceRevocationHandle } from './salesforce-grant-scanner';
import { salesforceRequest, soqlQuery, soqlString } from './salesforce-rest-client';

const salesforceIdPattern = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

function readHandle(text: string): SalesforceRevocationHandle | null {
  try {
    const handle = JSON.parse(text) as Partial<SalesforceRevocationHandle>;
    if (!Array.isArray(handle.deleteTokens) || typeof handle.userId !== 'string') return null;
    return { appName: typeof handle.appName === 'string' ? handle.appName : null, userId: handle.userId, deleteTokens: handle.deleteTokens.filter((token) => typeof token === 'string') };
  } catch {
    return null;
  }
}

export function describeSalesforceRevocation(target: RevocationTarget): string {
  return `Revoke this user’s OAuth tokens for this connected app (POST /services/oauth2/revoke with each token’s DeleteToken): ${target.app.name} must be authorized again to reach ${target.grant.user ?? 'the user'}’s Salesforce data.`;
}

export async function revokeSalesforceGrant(context: ProviderCallContext, target: RevocationTarget): Promise<RevocationOutcome> {
  const handle = readHandle(target.grant.revocationHandle);
  if (!handle || handle.deleteTokens.length === 0) {
    return { outcome: 'failed', verified: false, message: 'The scan kept nothing to revoke this grant with: rescan and try again.', errorCode: 'invalid_request' };
  }
  const results = await Promise.all(
    handle.deleteTokens.map((token) =>
      salesforceRequest(context, '/services/oauth2/revoke', { method: 'POST', form: { token } }).then(
        () => 'revoked' as const,
        (error: unknown) => (error instanceof SalesforceApiError && error.status === 400 && error.errorCode === 'invalid_token' ? ('gone' as const) : { error }),
      ),
    ),
  );
  const revoked = results.filter((result) => result === 'revoked').length;
  const failure = results.find((result): result is { error: unknown } => typeof result === 'object');
  if (failure) {
    const done = revoked > 0 ? ` (${revoked} of ${handle.deleteTokens.length} tokens were revoked)` : '';
    return { outcome: 'failed', verified: false, message: `${salesforceFailureMessage(failure.error)}${done}`, errorCode: salesforceErrorCode(failure.error) };
  }
  const outcome = revoked > 0 ? 'revoked' : 'already_gone';
  const done = revoked > 0 ? `Revoked the user’s ${revoked === 1 ? 'token' : `${revoked} tokens`} for this app` : 'Salesforce no longer had these tokens';
  if (!salesforceIdPattern.test(handle.userId)) return { outcome, verified: false, message: `${done}; it could not be read back.`, errorCode: null };

  try {
    const appFilter = handle.appName === null ? 'AppName = null' : `AppName = ${soqlString(handle.appName)}`;
    const left = await soqlQuery<{ DeleteToken: string | null }>(context, `SELECT DeleteToken FROM OauthToken WHERE ${appFilter} AND UserId = '${handle.userId}'`);
    if (left.totalSize === 0) return { outcome, verified: true, message: `${done}; a read-back confirmed none is left.`, errorCode: null };
    const ours = new Set(handle.deleteTokens);
    if (left.records.some((row) => row.DeleteToken !== null && ours.has(row.DeleteToken))) {
      return { outcome, verified: false, message: `${done}, but Salesforce still lists a token for it: rescan and check the grant again.`, errorCode: null };
    }
    return { outcome, verified: false, message: `${done}, but the user has authorized the app again since the scan: rescan to review the new grant.`, errorCode: null };
  } catch {
    return { outcome, verified: false, message: `${done}, but the read-back could not confirm it: rescan to check.`, errorCode: null };
  }
}
