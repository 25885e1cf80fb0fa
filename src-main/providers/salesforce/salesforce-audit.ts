/** Salesforce's part of the grant audit: OauthToken rows in, DeleteToken revocation out. */
import type { ProviderAudit } from '../../audit/provider-audit';
import { describeSalesforceRevocation, revokeSalesforceGrant } from './salesforce-grant-revoker';
import { scanSalesforceGrants } from './salesforce-grant-scanner';

export const salesforceGrantAudit: ProviderAudit = {
  unit: 'result pages',
  scan: scanSalesforceGrants,
  describeRevocation: describeSalesforceRevocation,
  revoke: revokeSalesforceGrant,
};
