// Confluence's error body (atlassian-api.md §10): {statusCode, data:{authorized, valid,
// allowedInReadOnlyMode, errors[], successful}, message, reason}, as its ServiceException mapper writes it,
// and its date-time format in REST beans.
import { json, type Reply } from '../../reply.ts';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function confluenceError(status: number, message: string): Reply {
  return json(status, {
    statusCode: status,
    data: {
      authorized: false,
      valid: status !== 400,
      allowedInReadOnlyMode: true,
      errors: [],
      successful: false,
    },
    message,
    reason: REASONS[status] ?? 'Error',
  });
}

/** Confluence's date-time in REST beans: 2024-10-04T13:49:53.970+00:00 (offset with a colon). */
export function confluenceDateTime(isoOrMs: string | number): string {
  return new Date(isoOrMs).toISOString().replace('Z', '+00:00');
}
