import { NoConnectionPrompt } from '../components/NoConnectionPrompt';

/** Nothing to scan: the way to Connections. */
export function GrantsNoConnection() {
  return (
    <NoConnectionPrompt
      testId="grants-no-connection"
      description="Grants are read from a connected tenant: Google Workspace, Microsoft Entra ID or a SaaS provider. Connect one with the read-only audit profile, then scan it here."
    />
  );
}
