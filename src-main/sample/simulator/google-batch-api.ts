/**
 * Google's batch endpoint for the Directory API: one `multipart/mixed` POST to
 * `/batch/admin/directory/v1` carrying up to 1,000 `application/http` calls, answered part by part
 * in the same order with `response-` Content-IDs. Every inner call is routed, checked, faulted,
 * logged and counted against the quota like a call of its own.
 */
import { randomBytes } from 'node:crypto';
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import type { ApiResponse, ApiRoute, InnerRequest } from './api-router';

export const maxGoogleBatchCalls = 1_000;

const batchError = (message: string): ApiResponse => ({ status: 400, body: { error: { code: 400, message, errors: [{ message, domain: 'global', reason: 'badRequest' }], status: 'INVALID_ARGUMENT' } } });

interface BatchPart {
  contentId: string | null;
  request: InnerRequest;
}

/** Splits a multipart/mixed body into its application/http requests. */
export function parseBatch(contentType: string | undefined, body: string): BatchPart[] | string {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!contentType?.toLowerCase().startsWith('multipart/mixed') || !boundary) return 'A batch request must be multipart/mixed with a boundary.';
  const sections = body.split(`--${boundary}`).slice(1);
  const parts: BatchPart[] = [];
  for (const section of sections) {
    if (section.startsWith('--')) break;
    const text = section.replace(/^\r?\n/, '');
    const [outerHead = '', ...restParts] = text.split(/\r?\n\r?\n/);
    const rest = restParts.join('\n\n');
    const contentId = /^content-id:\s*(.+)$/im.exec(outerHead)?.[1]?.trim() ?? null;
    const [innerHead = '', ...innerBodyParts] = rest.split(/\r?\n\r?\n/);
    const [requestLine = '', ...headerLines] = innerHead.split(/\r?\n/);
    const match = /^(GET|POST|PATCH|PUT|DELETE)\s+(\S+)(\s+HTTP\/1\.1)?$/i.exec(requestLine.trim());
    if (!match) return `A batch part has no valid request line: ${requestLine.slice(0, 80)}`;
    const headers: IncomingHttpHeaders = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const target = match[2]!.startsWith('http') ? new URL(match[2]!).pathname + new URL(match[2]!).search : match[2]!;
    parts.push({ contentId, request: { method: match[1]!.toUpperCase(), target, headers, bodyText: innerBodyParts.join('\n\n').replace(/\r?\n$/, '') } });
  }
  return parts;
}

function renderPart(contentId: string | null, response: ApiResponse): string {
  const body = response.rawBody ?? (response.body === undefined ? '' : JSON.stringify(response.body));
  const headers = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trim()];
  if (body !== '') headers.push('Content-Type: application/json; charset=UTF-8', `Content-Length: ${Buffer.byteLength(body)}`);
  for (const [name, value] of Object.entries(response.headers ?? {})) headers.push(`${name}: ${value}`);
  const id = contentId ? `Content-ID: <response-${contentId.replace(/^<|>$/g, '')}>\r\n` : '';
  return `Content-Type: application/http\r\n${id}\r\n${headers.join('\r\n')}\r\n\r\n${body}`;
}

export function googleBatchRoutes(anyOfScopes: readonly string[]): ApiRoute[] {
  return [
    {
      method: 'POST',
      pattern: /^\/batch\/admin\/directory\/v1$/,
      anyOfScopes,
      name: 'batch.directory',
      bodyFormat: 'text',
      container: true,
      async handle(request) {
        const parts = parseBatch(String(request.headers['content-type'] ?? ''), String(request.body ?? ''));
        if (typeof parts === 'string') return batchError(parts);
        if (parts.length === 0) return batchError('A batch request must contain at least one call.');
        if (parts.length > maxGoogleBatchCalls) return batchError(`A batch request can contain at most ${maxGoogleBatchCalls} calls.`);
        // Google works on the calls of a batch together; each still meets its own quota and faults.
        const answers = await Promise.all(parts.map((part) => request.dispatch(part.request)));
        const boundary = `batch_${randomBytes(12).toString('base64url')}`;
        const rawBody = `${parts.map((part, index) => `--${boundary}\r\n${renderPart(part.contentId, answers[index]!)}\r\n`).join('')}--${boundary}--\r\n`;
        return { status: 200, rawBody, headers: { 'content-type': `multipart/mixed; boundary=${boundary}` } };
      },
    },
  ];
}
