/**
 * The OAuth client families as the browser bridge and the tests build them: over Node's fetch, the
 * outbound HTTP port outside the desktop app.
 */
import { createGenericOAuthClient } from '../../src-main/oauth/generic-oauth-client';
import { createGoogleOAuthClient } from '../../src-main/oauth/google-oauth-client';
import { createMicrosoftOAuthClient } from '../../src-main/oauth/microsoft-oauth-client';

export const googleOAuthClient = createGoogleOAuthClient({ fetch });
export const microsoftOAuthClient = createMicrosoftOAuthClient({ fetch });
export const genericOAuthClient = createGenericOAuthClient({ fetch });
