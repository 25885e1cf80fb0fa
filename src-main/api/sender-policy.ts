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

/** Trusts the main frame of a document served from one of `origins` (e.g. `app://consentry`). */
export function trustOrigins(origins: readonly string[]): SenderPolicy {
  const allowed = new Set(origins.map((origin) => schemeAndHost(origin)).filter((origin) => origin !== undefined));
  return (sender) => {
    if (!sender.isMainFrame || sender.url === undefined) return false;
    const origin = schemeAndHost(sender.url);
    return origin !== undefined && allowed.has(origin);
  };
}
