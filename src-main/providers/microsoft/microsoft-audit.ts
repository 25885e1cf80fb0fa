/** Microsoft Entra's side of the grant audit: the Graph scan, revocation and sign-out. */
import type { ProviderAudit, RevocationTarget } from '../../audit/provider-audit';
import { describeGraphFailure, graphFailureCode } from './graph-failure';
import { parseMicrosoftHandle, revokeMicrosoftGrant, revokeMicrosoftSignInSessions } from './microsoft-grant-revoker';
import { scanMicrosoftGrants } from './microsoft-grant-scanner';

function describeRevocation({ app, grant }: RevocationTarget): string {
  const handle = parseMicrosoftHandle(grant.revocationHandle);
  if (handle?.kind === 'application') {
    const count = handle.assignments.length;
    return `Remove ${count === 1 ? '1 application permission (app role assignment)' : `${count} application permissions (app role assignments)`} of ${app.name}.`;
  }
  return grant.consent === 'tenant'
    ? `Delete the delegated grant (oauth2PermissionGrant) of ${app.name} for everyone in the organisation (tenant-wide).`
    : `Delete the delegated grant (oauth2PermissionGrant) of ${app.name} for ${grant.user ?? 'this user'}.`;
}

export const microsoftGrantAudit: ProviderAudit = {
  unit: 'service principals',
  scan: scanMicrosoftGrants,
  describeRevocation,
  revocationNote: 'Microsoft: removing a grant stops new tokens only. Access tokens already issued stay valid until they expire (up to about an hour) unless you also sign the users out.',
  revoke: revokeMicrosoftGrant,
  revokeSignInSessions: revokeMicrosoftSignInSessions,
  describeFailure: (error) => ({ code: graphFailureCode(error), message: describeGraphFailure(error) }),
};
