import { randomBytes } from 'node:crypto';

export interface CallbackPageContent {
  outcome: 'connected' | 'failed';
  title: string;
  message: string;
  nextStep?: string;
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => entities[character]!);
}

/**
 * The page the browser shows after the redirect. It loads nothing from anywhere, escapes every
 * string it shows, and replaces the callback URL (which holds the code) with a clean one.
 */
export function renderCallbackPage(content: CallbackPageContent): { html: string; headers: Record<string, string> } {
  const nonce = randomBytes(16).toString('base64');
  const accent = content.outcome === 'connected' ? '#2f9e44' : '#e03131';
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(content.title)} — Consentry</title>
<style nonce="${nonce}">
  :root { color-scheme: light dark; }
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
  main { max-width: 34rem; padding: 2rem; border-radius: 12px; border: 1px solid color-mix(in srgb, CanvasText 15%, transparent); }
  h1 { font-size: 1.4rem; margin: 0 0 .75rem; display: flex; gap: .6rem; align-items: center; }
  h1::before { content: ""; width: .8rem; height: .8rem; border-radius: 50%; background: ${accent}; flex: none; }
  p { line-height: 1.5; margin: .5rem 0; }
  .next { opacity: .85; }
  .brand { font-size: .85rem; opacity: .6; margin-top: 1.5rem; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(content.title)}</h1>
<p>${escapeHtml(content.message)}</p>
${content.nextStep ? `<p class="next">${escapeHtml(content.nextStep)}</p>` : ''}
<p class="brand">Consentry · you can close this tab and return to the app.</p>
</main>
<script nonce="${nonce}">history.replaceState(null, "", "/");</script>
</body>
</html>`;
  return {
    html,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    },
  };
}
