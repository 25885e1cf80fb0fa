/**
 * Revokes one Okta grant (a user's consent to one client, one Okta grant per scope): DELETE
 * /api/v1/users/{userId}/grants/{grantId} for each (404 = already gone), then GET each back
 * (404 = verified gone). Tokens already issued on the consent are not revoked by this.
 */
import type { ProviderCallContext } from '../../net/provider-call-context';
import type { RevocationOutcome, RevocationTarget } from '../../audit/provider-audit';
import { oktaRequest } from './okta-api-client';
import { OktaApiError, oktaErrorCode, oktaFailureMessage } from './okta-failure';
import type { OktaRevocationHandle } from './okta-grant-scanner';

const isNotFound = (error: unknown) => error instanceof OktaApiError && error.status === 404;

function readHandle(text: string): OktaRevocationHandle | null {
  try {
    const handle = JSON.parse(text) as Partial<OktaRevocationHandle>;
    if (typeof handle.userId !== 'string' || handle.userId === '' || !Array.isArray(handle.grantIds)) return null;
    const grantIds = handle.grantIds.filter((id): id is string => typeof id === 'string' && id !== '');
    return grantIds.length > 0 ? { userId: handle.userId, grantIds } : null;
  } catch {
    return null;
  }
}

export function describeOktaRevocation(target: RevocationTarget): string {
  return `Revoke this user’s consent grants for this app (DELETE /api/v1/users/{id}/grants/{grantId}, one per scope): ${target.app.name} must ask ${target.grant.user ?? 'the user'} for consent again; tokens it already holds live until they expire.`;
}

export async function revokeOktaGrant(context: ProviderCallContext, target: RevocationTarget): Promise<RevocationOutcome> {
  const handle = readHandle(target.grant.revocationHandle);
  if (!handle) return { outcome: 'failed', verified: false, message: 'The scan kept nothing to revoke this grant with: rescan and try again.', errorCode: 'invalid_request' };
  const grantPath = (grantId: string) => `/api/v1/users/${encodeURIComponent(handle.userId)}/grants/${encodeURIComponent(grantId)}`;

  const results = await Promise.all(
    handle.grantIds.map((grantId) =>
      oktaRequest(context, grantPath(grantId), 'DELETE').then(
        () => 'revoked' as const,
        (error: unknown) => (isNotFound(error) ? ('gone' as const) : { error }),
      ),
    ),
  );
  const revoked = results.filter((result) => result === 'revoked').length;
  const failure = results.find((result): result is { error: unknown } => typeof result === 'object');
  if (failure) {
    const done = revoked > 0 ? ` (${revoked} of ${handle.grantIds.length} scope grants were revoked)` : '';
    return { outcome: 'failed', verified: false, message: `${oktaFailureMessage(failure.error)}${done}`, errorCode: oktaErrorCode(failure.error) };
  }
  const outcome = revoked > 0 ? 'revoked' : 'already_gone';
  const done = revoked > 0 ? 'Revoked the user’s consent for this app' : 'Okta no longer had this consent';

  const readBack = await Promise.all(
    handle.grantIds.map((grantId) =>
      oktaRequest(context, grantPath(grantId)).then(
        () => 'present' as const,
        (error: unknown) => (isNotFound(error) ? ('gone' as const) : ('unknown' as const)),
      ),
    ),
  );
  if (readBack.every((state) => state === 'gone')) return { outcome, verified: true, message: `${done}; a read-back confirmed it is gone.`, errorCode: null };
  if (readBack.includes('present')) return { outcome, verified: false, message: `${done}, but Okta still shows a grant: rescan and check again.`, errorCode: null };
  return { outcome, verified: false, message: `${done}, but the read-back could not confirm it: rescan to check.`, errorCode: null };
}
