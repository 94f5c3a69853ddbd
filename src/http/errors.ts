// Errors of the HTTP layer. Each message reads like the activity that broke —
// "GET /rest/api/2/user/search: 403 Forbidden: <Atlassian message>" — and never carries credentials:
// no headers, no base-URL user info, and known secret values are scrubbed from server-supplied text.
import { STATUS_CODES } from 'node:http';

export interface HttpErrorInit {
  method: string;
  /** The request path relative to the base URL, without query string. */
  path: string;
  /** Undefined when no response arrived (network error, timeout). */
  status?: number;
  /** The Atlassian error message from the body, or the transport error's code and message. */
  detail?: string;
  cause?: unknown;
}

/** A request that ended without a usable response: a non-2xx status after retries, or a network error. */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly detail: string | undefined;

  constructor(init: HttpErrorInit) {
    super(formatMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.detail = init.detail;
  }
}

/**
 * Credentials were rejected: a 401, or any response (even a 200) whose `X-Seraph-LoginReason` says the login
 * failed. Never retried — a dead token must fail the run, not read as an empty instance (decision 7).
 */
export class AuthError extends HttpError {
  override name = 'AuthError';
  /** The `X-Seraph-LoginReason` value, when the server sent one. */
  readonly loginReason: string | undefined;

  constructor(init: HttpErrorInit & { loginReason?: string }) {
    super(init);
    this.loginReason = init.loginReason;
  }
}

/** A write attempted through a read-only (plan mode) client. Raised before any byte is sent. */
export class ReadOnlyViolation extends Error {
  override name = 'ReadOnlyViolation';
  readonly method: string;
  readonly path: string;

  constructor(method: string, path: string) {
    super(
      `${method} ${path}: refused in plan mode: the client is read-only and sends only GET requests ` +
        'and allowlisted read-only POSTs',
    );
    this.method = method;
    this.path = path;
  }
}

function formatMessage(init: HttpErrorInit): string {
  const parts = [`${init.method} ${init.path}`];
  if (init.status !== undefined)
    parts.push(`${init.status} ${STATUS_CODES[init.status] ?? 'Unknown Status'}`);
  if (init.detail) parts.push(init.detail);
  return parts.join(': ');
}

/** `X-Seraph-LoginReason` values that mean the presented credentials were not accepted. */
const LOGIN_FAILURES = new Set(['AUTHENTICATED_FAILED', 'AUTHENTICATION_DENIED']);

/** The failing login reason from an `X-Seraph-LoginReason` header, if any (the header may list several). */
export function failedLoginReason(header: string | string[] | undefined): string | undefined {
  const values = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
  return values.map((v) => v.trim().toUpperCase()).find((v) => LOGIN_FAILURES.has(v));
}

export function describeLoginReason(reason: string): string {
  const hint =
    reason === 'AUTHENTICATION_DENIED'
      ? ' (CAPTCHA required after failed logins: log in once in a browser to clear it)'
      : '';
  return `credentials rejected (X-Seraph-LoginReason: ${reason})${hint}`;
}

const MAX_DETAIL = 500;

/**
 * The human message of an Atlassian error body: Jira `errorMessages[]` + `errors{field: msg}`,
 * Bitbucket `errors[{message}]`, Confluence/Crowd/Cloud `message`, Cloud `errors[{title, detail}]`.
 * Plain-text bodies are used as they are when short and not HTML.
 */
export function extractAtlassianMessage(body: unknown): string | undefined {
  if (typeof body === 'string') {
    const text = body.trim();
    if (!text || /^<(!doctype|html)/i.test(text)) return undefined;
    return truncate(text);
  }
  if (!isRecord(body)) return undefined;
  const messages: string[] = [];
  if (Array.isArray(body.errorMessages)) messages.push(...body.errorMessages.filter(isText));
  const errors = body.errors;
  if (Array.isArray(errors)) {
    for (const e of errors) {
      if (isText(e)) messages.push(e);
      else if (isRecord(e)) {
        const text = [e.message, e.title, e.detail].filter(isText).join(': ');
        if (text) messages.push(isText(e.context) ? `${e.context}: ${text}` : text);
      }
    }
  } else if (isRecord(errors)) {
    for (const [field, msg] of Object.entries(errors)) if (isText(msg)) messages.push(`${field}: ${msg}`);
  }
  if (messages.length === 0) {
    for (const key of ['message', 'reason', 'error']) {
      const value = body[key];
      if (isText(value)) {
        messages.push(value);
        break;
      }
    }
  }
  return messages.length > 0 ? truncate(messages.join('; ')) : undefined;
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text;
}

function isText(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length > 0;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
