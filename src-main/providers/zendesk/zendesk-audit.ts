/** Zendesk's part of the grant audit: every user's OAuth tokens in, token deletion out. */
import type { ProviderAudit } from '../../audit/provider-audit';
import { describeZendeskRevocation, revokeZendeskGrant } from './zendesk-grant-revoker';
import { scanZendeskGrants } from './zendesk-grant-scanner';

export const zendeskGrantAudit: ProviderAudit = {
  unit: 'result pages',
  scan: scanZendeskGrants,
  describeRevocation: describeZendeskRevocation,
  revoke: revokeZendeskGrant,
};
