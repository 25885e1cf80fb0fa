/**
 * Microsoft's clouds (global and national) with their sign-in, Graph and portal hosts. The Microsoft
 * client family signs in through them (the MSAL authority), so they sit with the OAuth clients;
 * the Microsoft preset and Graph calls read them from here.
 */
import type { ConnectionSettings, MicrosoftCloud } from '../../src-shared/contract/connections';

const microsoftClouds: Record<MicrosoftCloud, { label: string; login: string; graph: string; portal: string }> = {
  global: { label: 'Global (login.microsoftonline.com)', login: 'login.microsoftonline.com', graph: 'https://graph.microsoft.com', portal: 'https://entra.microsoft.com' },
  usgov: { label: 'US Government (login.microsoftonline.us)', login: 'login.microsoftonline.us', graph: 'https://graph.microsoft.us', portal: 'https://portal.azure.us' },
  china: { label: 'China, operated by 21Vianet (login.chinacloudapi.cn)', login: 'login.chinacloudapi.cn', graph: 'https://microsoftgraph.chinacloudapi.cn', portal: 'https://portal.azure.cn' },
};

export function microsoftCloud(settings: ConnectionSettings) {
  return microsoftClouds[settings.cloud ?? 'global'];
}

/** The clouds an admin chooses from, as the connect wizard lists them. */
export const microsoftCloudChoices: { id: MicrosoftCloud; label: string }[] = (Object.entries(microsoftClouds) as [MicrosoftCloud, { label: string }][]).map(([id, cloud]) => ({ id, label: cloud.label }));

export function isMicrosoftLoginHost(hostname: string): boolean {
  return Object.values(microsoftClouds).some((cloud) => cloud.login === hostname);
}

/** The MSAL authority: the cloud's login host and the tenant, or the issuer override (tests). */
export function microsoftAuthority(settings: ConnectionSettings): string {
  return settings.issuer ?? `https://${microsoftCloud(settings).login}/${settings.tenant ?? 'organizations'}`;
}
