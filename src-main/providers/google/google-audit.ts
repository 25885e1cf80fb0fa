/** Google Workspace's side of the grant audit: the Directory and Reports scan, and revocation. */
import type { ProviderAudit } from '../../audit/provider-audit';
import { describeGoogleFailure } from './google-failure';
import { describeGoogleRevocation, googleRevocationErrorCode, revokeGoogleGrant } from './google-grant-revoker';
import { scanGoogleGrants } from './google-grant-scanner';

export const googleGrantAudit: ProviderAudit = {
  unit: 'users',
  scan: (context) => scanGoogleGrants(context),
  describeRevocation: describeGoogleRevocation,
  revoke: revokeGoogleGrant,
  describeFailure: (error) => ({ code: googleRevocationErrorCode(error), message: describeGoogleFailure(error) }),
};
