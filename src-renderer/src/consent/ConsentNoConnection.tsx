import { NoConnectionPrompt } from '../components/NoConnectionPrompt';

/** Nothing connected: the way to Connections, where a tenant or the sample workspace is added. */
export function ConsentNoConnection() {
  return (
    <NoConnectionPrompt
      testId="consent-no-connection"
      description="Consent settings, requests and tenant-wide consents are read from a connected tenant. Connect Microsoft Entra ID, Google Workspace or Okta on the Connections page, or open the sample workspace there to try this page on simulated tenants."
    />
  );
}
