/** Who sent a request, as the transport saw it. */
export interface SenderIdentity {
  /** URL of the frame that sent the request. */
  url: string | undefined;
  /** False for iframes: only the app's own top-level document may talk to main. */
  isMainFrame: boolean;
}

export type SenderPolicy = (sender: SenderIdentity) => boolean;

/** `scheme://host[:port]`, which also works for custom schemes such as app:// whose URL origin is "null". */
export function schemeAndHost(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return undefined;
  }
}

/** True for URLs whose scheme and host are those of one of `origins`. */
export function originMatcher(origins: readonly (string | undefined)[]): (url: string) => boolean {
  const allowed = new Set(origins.map((origin) => (origin ? schemeAndHost(origin) : undefined)).filter((origin) => origin !== undefined));
  return (url) => {
    const origin = schemeAndHost(url);
    return origin !== undefined && allowed.has(origin);
  };
}

/** Trusts the main frame of a document served from one of `origins` (e.g. `app://consentry`). */
export function trustOrigins(origins: readonly string[]): SenderPolicy {
  const isTrustedUrl = originMatcher(origins);
  return (sender) => sender.isMainFrame && sender.url !== undefined && isTrustedUrl(sender.url);
}
