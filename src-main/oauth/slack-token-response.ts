import type { CustomFetch } from 'openid-client';

/**
 * Slack's `oauth.v2.access` is not shaped like RFC 6749: errors come back as HTTP 200 with
 * `ok: false`, and a user-scope grant puts the user token under `authed_user`. This wraps the
 * outbound fetch and rewrites the response into the standard shape before openid-client checks it.
 */
export function slackTokenFetch(fetch: CustomFetch): CustomFetch {
  return async (url, options) => normaliseSlackTokenResponse(await fetch(url, options));
}

async function normaliseSlackTokenResponse(response: Response): Promise<Response> {
  const body = (await response.clone().json().catch(() => null)) as Record<string, unknown> | null;
  if (!body || typeof body !== 'object' || !('ok' in body)) return response;
  const json = (status: number, value: Record<string, unknown>) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
  if (body.ok !== true) {
    const error = typeof body.error === 'string' ? body.error : 'server_error';
    // Slack's own names for the standard errors.
    const standard = error === 'invalid_code' || error === 'invalid_refresh_token' || error === 'code_already_used' ? 'invalid_grant' : error === 'invalid_client_id' || error === 'bad_client_secret' ? 'invalid_client' : error === 'bad_redirect_uri' ? 'redirect_uri_mismatch' : error;
    return json(400, { error: standard });
  }
  const user = (body.authed_user ?? {}) as Record<string, unknown>;
  const team = (body.enterprise ?? body.team ?? {}) as Record<string, unknown>;
  const source = typeof user.access_token === 'string' ? user : body;
  return json(200, {
    access_token: source.access_token,
    token_type: 'bearer',
    ...(typeof source.refresh_token === 'string' ? { refresh_token: source.refresh_token } : {}),
    ...(typeof source.expires_in === 'number' ? { expires_in: source.expires_in } : {}),
    ...(typeof source.scope === 'string' ? { scope: source.scope } : {}),
    team: { name: typeof team.name === 'string' ? team.name : null },
    authed_user_id: typeof user.id === 'string' ? user.id : null,
  });
}
