// The retry policy as pure functions: who owns a status code, which failures may be repeated, how long to wait.
// One owner per status code:
//   401, or a failed X-Seraph-LoginReason  -> auth     (AuthError, never retried)
//   429, 503 with Retry-After              -> throttle (wait Retry-After, capped; own budget)
//   500, 502, 503 without Retry-After, 504 -> retry    (exponential backoff, full jitter; idempotent only)
//   network errors and timeouts            -> retry    (idempotent only, or before the request was sent)
//   anything else >= 300                   -> fail     (HttpError at once)

export type Owner = 'ok' | 'auth' | 'throttle' | 'retry' | 'fail';

export function ownerOf(status: number, retryAfter: string | undefined): Owner {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 401) return 'auth';
  if (status === 429 || (status === 503 && retryAfter !== undefined)) return 'throttle';
  if (status === 500 || status === 502 || status === 503 || status === 504) return 'retry';
  return 'fail';
}

/** Methods whose repetition cannot do harm: the server's state after N identical calls equals that after one. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/** The code a transport failure gets when an attempt outlived its deadline (client.ts `deadlineMs`). */
export const DEADLINE = 'AUP_DEADLINE';

/**
 * Transport failures worth another attempt. Connection-level failures that happen before any byte of the
 * request left (refused, connect timeout, DNS hiccup) are safe for every method, POST included.
 */
const RETRYABLE_NETWORK = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  DEADLINE,
]);

/** True for the abort of an attempt by its deadline (AbortSignal.timeout). */
export function isDeadline(err: unknown): boolean {
  return err instanceof Error && err.name === 'TimeoutError';
}

const BEFORE_SEND = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN']);

/**
 * May this method be repeated after a 5xx or a network error? POST is not idempotent on Atlassian
 * (group add, user create, Bitbucket add-groups): a lost response may hide a change that happened, and the
 * executor's rerun converges instead. A POST that only reads (allowlisted search) is treated as idempotent.
 */
export function mayRepeat(method: string, readOnlyPost: boolean): boolean {
  return IDEMPOTENT.has(method) || (method === 'POST' && readOnlyPost);
}

export function isRetryableNetworkError(code: string | undefined, repeatable: boolean): boolean {
  if (code === undefined) return false;
  return BEFORE_SEND.has(code) || (repeatable && RETRYABLE_NETWORK.has(code));
}

/** The first error code in an error's cause chain (undici wraps socket errors). */
export function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3), relative to `now`.
 * Undefined when absent or unparseable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** "Full jitter" backoff: uniform in [0, min(cap, base * 2^attempt)), attempt counted from 0. */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}
