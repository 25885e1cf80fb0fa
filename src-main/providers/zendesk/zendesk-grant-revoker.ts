/**
 * Revokes one Zendesk grant (a user's tokens for one OAuth client): DELETE /api/v2/oauth/tokens/{id}
 * for each token the scan found (404 = already gone), then GET each back (404 = verified gone).
 */
import type { ProviderCallContext } from '../../net/provider-call-context';
import type { RevocationOutcome, RevocationTarget } from '../../audit/provider-audit';
import { zendeskRequest } from './zendesk-api-client';
import { ZendeskApiError, zendeskErrorCode, zendeskFailureMessage } from './zendesk-failure';
import type { ZendeskRevocationHandle } from './zendesk-grant-scanner';

const isNotFound = (error: unknown) => error instanceof ZendeskApiError && error.status === 404;

function readHandle(text: string): number[] {
  try {
    const handle = JSON.parse(text) as Partial<ZendeskRevocationHandle>;
    return Array.isArray(handle.tokenIds) ? handle.tokenIds.filter((id) => Number.isSafeInteger(id) && id > 0) : [];
  } catch {
    return [];
  }
}

export function describeZendeskRevocation(target: RevocationTarget): string {
  return `Delete this user’s OAuth tokens for this client (DELETE /api/v2/oauth/tokens/{id}): ${target.app.name} can no longer reach Zendesk as ${target.grant.user ?? 'the user'} until authorized again.`;
}

export async function revokeZendeskGrant(context: ProviderCallContext, target: RevocationTarget): Promise<RevocationOutcome> {
  const tokenIds = readHandle(target.grant.revocationHandle);
  if (tokenIds.length === 0) return { outcome: 'failed', verified: false, message: 'The scan kept nothing to revoke this grant with: rescan and try again.', errorCode: 'invalid_request' };

  const results = await Promise.all(
    tokenIds.map((id) =>
      zendeskRequest(context, `/api/v2/oauth/tokens/${id}`, 'DELETE').then(
        () => 'revoked' as const,
        (error: unknown) => (isNotFound(error) ? ('gone' as const) : { error }),
      ),
    ),
  );
  const revoked = results.filter((result) => result === 'revoked').length;
  const failure = results.find((result): result is { error: unknown } => typeof result === 'object');
  if (failure) {
    const done = revoked > 0 ? ` (${revoked} of ${tokenIds.length} tokens were deleted)` : '';
    return { outcome: 'failed', verified: false, message: `${zendeskFailureMessage(failure.error)}${done}`, errorCode: zendeskErrorCode(failure.error) };
  }
  const outcome = revoked > 0 ? 'revoked' : 'already_gone';
  const done = revoked > 0 ? `Deleted the user’s ${revoked === 1 ? 'token' : `${revoked} tokens`} for this client` : 'Zendesk no longer had these tokens';

  const readBack = await Promise.all(
    tokenIds.map((id) =>
      zendeskRequest(context, `/api/v2/oauth/tokens/${id}`).then(
        () => 'present' as const,
        (error: unknown) => (isNotFound(error) ? ('gone' as const) : ('unknown' as const)),
      ),
    ),
  );
  if (readBack.every((state) => state === 'gone')) return { outcome, verified: true, message: `${done}; a read-back confirmed they are gone.`, errorCode: null };
  if (readBack.includes('present')) return { outcome, verified: false, message: `${done}, but Zendesk still shows a token: rescan and check the grant again.`, errorCode: null };
  return { outcome, verified: false, message: `${done}, but the read-back could not confirm it: rescan to check.`, errorCode: null };
}
