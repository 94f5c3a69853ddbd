// The organisation API's two error bodies (atlassian-api.md §10): the spec's `{errors: [{id, status, code,
// title, detail}]}` from the admin API itself, and the gateway's `{timestamp, path, status, error, message,
// requestId}` (seen on 401 and 403: a bad key, a key whose scopes do not allow the request). Codes and
// wording beyond the shapes are assumed.
import { STATUS_CODES } from 'node:http';
import { randomUUID } from 'node:crypto';
import { json, type Reply } from '../../reply.ts';

export function specError(status: number, detail: string, code = `ADMIN-${status}`): Reply {
  return json(status, {
    errors: [
      { id: randomUUID(), status: String(status), code, title: STATUS_CODES[status] ?? 'Error', detail },
    ],
  });
}

export function gatewayError(status: number, path: string, message: string, now: number): Reply {
  return json(status, {
    timestamp: new Date(now).toISOString(),
    path,
    status,
    error: STATUS_CODES[status] ?? 'Error',
    message,
    requestId: randomUUID(),
  });
}

/** What a retired endpoint answers once its date has passed (the status is assumed: 410 Gone). */
export function retired(replacement: string): Reply {
  return specError(
    410,
    `This endpoint is deprecated and no longer available after its retirement date; use ${replacement} instead.`,
    'ADMIN-410-RETIRED',
  );
}
