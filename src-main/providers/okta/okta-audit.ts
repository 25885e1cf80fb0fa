/** Okta's part of the grant audit: users' consent grants in, grant revocation out. */
import type { ProviderAudit } from '../../audit/provider-audit';
import { describeOktaRevocation, revokeOktaGrant } from './okta-grant-revoker';
import { scanOktaGrants } from './okta-grant-scanner';

export const oktaGrantAudit: ProviderAudit = {
  unit: 'users',
  scan: scanOktaGrants,
  describeRevocation: describeOktaRevocation,
  revoke: revokeOktaGrant,
};
