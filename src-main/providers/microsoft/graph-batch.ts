/**
 * Microsoft Graph JSON batching: POST {service root}/$batch with at most 20 requests. Graph may
 * answer the items in any order (matched here by id) and throttles each item on its own, so a
 * batch can succeed while some of its items are answered 429. Each batch is one scheduled call;
 * when items come back throttled or failing transiently, that call fails with the item's
 * Retry-After and the scheduler sends those items again, so none is lost. Results come back in
 * the order the requests were given.
 */
import { classifyGraphFailure, GraphRequestError, graphErrorFromAnswer } from './graph-failure';
import { isAbort, resolveGraphUrl, sendGraphRequest, type GraphEndpoint, type GraphMethod } from './graph-request';

/** Graph's documented limit of requests in one batch. */
export const maxGraphBatchRequests = 20;

export interface GraphBatchRequest {
  method: GraphMethod;
  /** Relative to the service root, e.g. `/servicePrincipals/{id}/appRoleAssignments`. */
  url: string;
  body?: unknown;
}

export type GraphBatchResult = { ok: true; status: number; body: unknown } | { ok: false; error: GraphRequestError };

interface BatchAnswer {
  id?: unknown;
  status?: unknown;
  headers?: Record<string, string>;
  body?: unknown;
}

/** The worst of the retryable item failures: a rate limit (longest Retry-After) before a transient one. */
function retrySignal(errors: readonly GraphRequestError[]): GraphRequestError {
  const limited = errors.filter((error) => classifyGraphFailure(error).kind === 'rate_limited');
  if (limited.length === 0) return errors[0]!;
  return limited.reduce((longest, error) => ((error.retryAfterSeconds ?? -1) > (longest.retryAfterSeconds ?? -1) ? error : longest));
}

/**
 * Runs the requests in batches of 20 through the scheduler; one result per request, in order.
 * `onSettled` hears how many requests have a final result each time a batch is done.
 */
export async function runGraphBatch(endpoint: GraphEndpoint, requests: readonly GraphBatchRequest[], onSettled?: (settled: number) => void): Promise<GraphBatchResult[]> {
  const results = new Array<GraphBatchResult>(requests.length);
  const batchUrl = resolveGraphUrl(endpoint, '$batch');
  const chunks: number[][] = [];
  for (let start = 0; start < requests.length; start += maxGraphBatchRequests) {
    chunks.push(Array.from({ length: Math.min(maxGraphBatchRequests, requests.length - start) }, (_, offset) => start + offset));
  }

  let settled = 0;
  await Promise.all(
    chunks.map(async (chunk) => {
      // Request indexes still without a result, and the last failure of each retried one.
      let pending = chunk;
      let itemErrors = new Map<number, GraphRequestError>();
      const attempt = async () => {
        itemErrors = new Map();
        const payload = {
          requests: pending.map((index) => {
            const request = requests[index]!;
            return { id: String(index), method: request.method, url: request.url, ...(request.body === undefined ? {} : { body: request.body, headers: { 'content-type': 'application/json' } }) };
          }),
        };
        const answer = (await sendGraphRequest(endpoint, 'POST', batchUrl, payload)) as { responses?: BatchAnswer[] } | undefined;
        const byId = new Map((answer?.responses ?? []).map((item) => [String(item.id), item]));
        const retry: number[] = [];
        for (const index of pending) {
          const item = byId.get(String(index));
          const status = typeof item?.status === 'number' ? item.status : undefined;
          if (status !== undefined && status >= 200 && status < 300) {
            results[index] = { ok: true, status, body: item!.body };
            continue;
          }
          const error = status === undefined ? new GraphRequestError({ code: 'BatchItemUnanswered' }) : graphErrorFromAnswer(status, item!.headers, item!.body);
          if (classifyGraphFailure(error).kind === 'final') {
            results[index] = { ok: false, error };
          } else {
            retry.push(index);
            itemErrors.set(index, error);
          }
        }
        pending = retry;
        if (retry.length > 0) throw retrySignal([...itemErrors.values()]);
      };
      try {
        await endpoint.scheduler.schedule(attempt, endpoint.signal ? { signal: endpoint.signal } : {});
      } catch (error) {
        if (isAbort(error, endpoint)) throw error;
        const batchError = error instanceof GraphRequestError ? error : new GraphRequestError({}, { cause: error });
        for (const index of pending) results[index] = { ok: false, error: itemErrors.get(index) ?? batchError };
      }
      settled += chunk.length;
      onSettled?.(settled);
    }),
  );
  return results;
}
