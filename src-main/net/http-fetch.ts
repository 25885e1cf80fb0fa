/**
 * The port every outbound HTTP request of the console goes through: token, discovery and
 * revocation calls of the OAuth clients, and provider API calls. Shaped like `fetch` so the
 * libraries take it as it is (openid-client's customFetch, gaxios' fetchImplementation, an msal
 * network client). The desktop app passes Electron's network stack, so the system proxy and the
 * OS trust store (a TLS-inspecting corporate proxy's CA) apply; tests and the browser bridge pass
 * Node's fetch.
 */
export type HttpFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
