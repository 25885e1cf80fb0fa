/**
 * A subset of Google's Admin SDK Data Transfer API: applications.list (Drive and Calendar with
 * their transfer parameters) and transfers insert, get and list (by old owner, new owner and
 * status, paged), whose status moves from `inProgress` to `completed` after a while, as a real
 * transfer does. An insert names its change in `effects`, for the request log.
 */
import type { ApiResponse, ApiRoute } from './api-router';
import { googlePageToken, offsetOfGooglePageToken } from './google-page-token';
import type { SimulatedDataTransfer, SimulatedTenant } from './simulated-tenant';

const transferScopes = ['https://www.googleapis.com/auth/admin.datatransfer', 'https://www.googleapis.com/auth/admin.datatransfer.readonly'];
const writeScopes = ['https://www.googleapis.com/auth/admin.datatransfer'];

/** The application ids Google documents for Calendar and Drive and Docs. */
const applications = [
  { kind: 'admin#datatransfer#ApplicationResource', id: '435070579839', name: 'Calendar', transferParams: [{ key: 'RELEASE_RESOURCES', value: ['TRUE'] }] },
  { kind: 'admin#datatransfer#ApplicationResource', id: '55656082996', name: 'Drive and Docs', transferParams: [{ key: 'PRIVACY_LEVEL', value: ['PRIVATE', 'SHARED'] }] },
];

const error = (code: number, status: string, message: string, reason: string): ApiResponse => ({ status: code, body: { error: { code, message, errors: [{ message, domain: 'global', reason }], status } } });

export interface DataTransferOptions {
  /** How long a transfer stays in progress. */
  transferDurationMs?: number;
  clock?: () => number;
}

export function googleDataTransferRoutes(tenant: SimulatedTenant, options: DataTransferOptions = {}): ApiRoute[] {
  const clock = options.clock ?? Date.now;
  const duration = options.transferDurationMs ?? 3_000;
  const resource = (transfer: SimulatedDataTransfer) => {
    const done = clock() >= transfer.completesAt;
    return {
      kind: 'admin#datatransfer#DataTransfer',
      id: transfer.id,
      oldOwnerUserId: transfer.oldOwnerUserId,
      newOwnerUserId: transfer.newOwnerUserId,
      overallTransferStatusCode: done ? 'completed' : 'inProgress',
      requestTime: transfer.requestTime,
      applicationDataTransfers: transfer.applicationDataTransfers.map((item) => ({ ...item, applicationTransferStatus: done ? 'completed' : 'inProgress' })),
      etag: `"${transfer.id}-${done ? 'c' : 'p'}"`,
    };
  };
  return [
    {
      method: 'GET',
      pattern: /^\/admin\/datatransfer\/v1\/applications$/,
      anyOfScopes: transferScopes,
      name: 'datatransfer.applications.list',
      handle: () => ({ status: 200, body: { kind: 'admin#datatransfer#applicationsList', etag: '"applications"', applications } }),
    },
    {
      method: 'POST',
      pattern: /^\/admin\/datatransfer\/v1\/transfers$/,
      anyOfScopes: writeScopes,
      name: 'datatransfer.transfers.insert',
      handle(request) {
        const body = (request.body ?? {}) as Partial<SimulatedDataTransfer>;
        const known = (id: unknown) => tenant.users.some((user) => user.googleId === id);
        if (!known(body.oldOwnerUserId) || !known(body.newOwnerUserId) || body.oldOwnerUserId === body.newOwnerUserId) return error(400, 'INVALID_ARGUMENT', 'Invalid Input: user id', 'invalid');
        if (!Array.isArray(body.applicationDataTransfers) || body.applicationDataTransfers.some((item) => !applications.some((application) => application.id === String(item.applicationId)))) {
          return error(400, 'INVALID_ARGUMENT', 'Invalid Input: applicationId', 'invalid');
        }
        const transfer: SimulatedDataTransfer = {
          id: `AKrEtIb${String(tenant.dataTransfers.length + 1).padStart(8, '0')}`,
          oldOwnerUserId: String(body.oldOwnerUserId),
          newOwnerUserId: String(body.newOwnerUserId),
          applicationDataTransfers: body.applicationDataTransfers.map((item) => ({ applicationId: String(item.applicationId), ...(item.applicationTransferParams ? { applicationTransferParams: item.applicationTransferParams } : {}) })),
          requestTime: new Date(clock()).toISOString(),
          completesAt: clock() + duration,
        };
        tenant.dataTransfers.push(transfer);
        return { status: 200, body: resource(transfer), effects: [`google.transfer.insert:${transfer.oldOwnerUserId}:${transfer.newOwnerUserId}`] };
      },
    },
    {
      method: 'GET',
      pattern: /^\/admin\/datatransfer\/v1\/transfers$/,
      anyOfScopes: transferScopes,
      name: 'datatransfer.transfers.list',
      handle(request) {
        const customerId = request.query.get('customerId');
        if (customerId !== null && customerId !== tenant.googleCustomerId) return error(400, 'INVALID_ARGUMENT', 'Invalid Input: customerId', 'invalid');
        // The reference's default is 100; its discovery document caps a page at 500.
        const maxResults = Number(request.query.get('maxResults') ?? 100);
        if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 500) return error(400, 'INVALID_ARGUMENT', 'Invalid value for maxResults', 'invalid');
        const offset = offsetOfGooglePageToken(request.query.get('pageToken'));
        if (offset === null) return error(400, 'INVALID_ARGUMENT', 'Invalid Input: pageToken', 'invalid');
        const filters = (['oldOwnerUserId', 'newOwnerUserId'] as const).map((field) => [field, request.query.get(field)] as const);
        const status = request.query.get('status');
        const matching = tenant.dataTransfers
          .map(resource)
          .filter((transfer) => filters.every(([field, value]) => value === null || transfer[field] === value) && (status === null || transfer.overallTransferStatusCode === status));
        const page = matching.slice(offset, offset + maxResults);
        const next = offset + maxResults < matching.length ? googlePageToken(offset + maxResults) : undefined;
        return { status: 200, body: { kind: 'admin#datatransfer#dataTransfersList', etag: `"transfers-${offset}-${page.length}"`, dataTransfers: page, ...(next ? { nextPageToken: next } : {}) } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/admin\/datatransfer\/v1\/transfers\/(?<id>[^/]+)$/,
      anyOfScopes: transferScopes,
      name: 'datatransfer.transfers.get',
      handle(_request, params) {
        const transfer = tenant.dataTransfers.find((candidate) => candidate.id === params.id);
        return transfer ? { status: 200, body: resource(transfer) } : error(404, 'NOT_FOUND', 'Resource Not Found: dataTransferId', 'notFound');
      },
    },
  ];
}
