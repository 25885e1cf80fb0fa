/**
 * Plays the person in the browser against oidc-provider's development interactions, over plain
 * HTTP with a cookie jar: sign in, consent (or abort), then deliver the final response to the
 * loopback redirect URI the way a browser would (a redirect, or a form_post page submitted).
 */

export interface DriveOptions {
  login?: string;
  /** Press "abort" at the login prompt: the server answers access_denied. */
  abort?: boolean;
  /** Rewrite the final redirect before the "browser" follows it (tampering tests). */
  tamper?: (url: URL) => URL;
}

export interface DriveResult {
  /** Where the final response went, with its parameters. */
  callback: URL;
  /** What the loopback listener answered the browser. */
  status: number;
  headers: Headers;
  body: string;
}

class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header(): string | undefined {
    return this.#cookies.size === 0 ? undefined : [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

const decodeEntities = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function formPost(html: string): { action: string; fields: URLSearchParams } | null {
  const action = /<form[^>]*\baction="([^"]*)"/i.exec(html)?.[1];
  if (!action) return null;
  const fields = new URLSearchParams();
  for (const match of html.matchAll(/<input[^>]*type="hidden"[^>]*>/gi)) {
    const name = /\bname="([^"]*)"/i.exec(match[0])?.[1];
    if (name) fields.append(decodeEntities(name), decodeEntities(/\bvalue="([^"]*)"/i.exec(match[0])?.[1] ?? ''));
  }
  return { action: decodeEntities(action), fields };
}

async function delivered(callback: URL, response: Response): Promise<DriveResult> {
  return { callback, status: response.status, headers: response.headers, body: await response.text() };
}

export async function driveAuthorization(authorizationUrl: string, options: DriveOptions = {}): Promise<DriveResult> {
  const jar = new CookieJar();
  const origin = new URL(authorizationUrl).origin;
  const go = async (url: string, init: RequestInit = {}) => {
    const cookie = jar.header();
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    jar.store(response);
    return response;
  };
  const submit = (fields: Record<string, string>): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

  let response = await go(authorizationUrl);
  for (let hop = 0; hop < 15; hop += 1) {
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.arrayBuffer();
      const next = new URL(location, origin);
      if (next.origin !== origin) {
        const callback = options.tamper ? options.tamper(next) : next;
        return delivered(callback, await fetch(callback, { redirect: 'manual' }));
      }
      if (/^\/interaction\/[^/]+$/.test(next.pathname)) {
        const page = await (await go(next.href)).text();
        if (options.abort) {
          response = await go(`${next.href}/abort`);
          continue;
        }
        const prompt = page.includes('value="login"') ? 'login' : 'consent';
        response = await go(next.href, submit(prompt === 'login' ? { prompt, login: options.login ?? 'alice', password: 'any' } : { prompt }));
        continue;
      }
      response = await go(next.href);
      continue;
    }
    const html = await response.text();
    const form = formPost(html);
    if (form) {
      const callback = new URL(form.action);
      return delivered(callback, await fetch(callback, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.fields.toString() }));
    }
    throw new Error(`The authorization server answered ${response.status} unexpectedly: ${html.slice(0, 300)}`);
  }
  throw new Error('Too many redirects while driving the authorization.');
}
