// What a route answers, as data: the server writes it and records it. Helpers build Jira's error shapes.
import type { IncomingMessage } from 'node:http';
import type { JiraVersion } from './versions.ts';
import type { SandboxStore, UserRecord } from './store.ts';

export interface Reply {
  status: number;
  /** JSON-serialised unless `raw` is set. undefined = no body. */
  body?: unknown;
  /** Sent as is, with `contentType`. */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Everything a route needs to answer one request. */
export interface RouteContext {
  req: IncomingMessage;
  method: string;
  /** Path below the context path, e.g. /rest/api/2/user. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** Raw request body text (for content-type checks and recording). */
  bodyText: string;
  /** The authenticated account, or null for anonymous / failed credentials. */
  caller: UserRecord | null;
  /** Absolute base URL including the context path, no trailing slash. */
  base: string;
  version: JiraVersion;
  store: SandboxStore;
  /** ms since epoch, from the sandbox clock. */
  now: number;
  maxPageSize: number | undefined;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body,
  ...(headers ? { headers } : {}),
});

/** Jira's ErrorCollection: {"errorMessages":[…],"errors":{…}}. */
export function jiraError(status: number, messages: string[], errors: Record<string, string> = {}): Reply {
  return json(status, { errorMessages: messages, errors });
}

/** What atlassian-rest answers for a resource the product does not have (e.g. user/list on 9.x). */
export function restNotFound(ctx: RouteContext): Reply {
  return json(404, {
    message: `null for uri: ${ctx.base}${ctx.path}${queryString(ctx.query)}`,
    'status-code': 404,
  });
}

/** The sandbox's own answer for routes it does not model: loud, naming method and path. */
export function notModelled(method: string, path: string): Reply {
  return json(501, {
    errorMessages: [`The Atlassian sandbox does not model ${method} ${path}`],
    errors: {},
    method,
    path,
  });
}

export function queryString(query: URLSearchParams): string {
  const s = query.toString();
  return s ? `?${s}` : '';
}

/** Jersey reads booleans case-insensitively; anything else is false. */
export function boolParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const v = query.get(name);
  return v === null ? fallback : v.toLowerCase() === 'true';
}

export function intParam(query: URLSearchParams, name: string, fallback: number): number {
  const v = query.get(name);
  if (v === null || v.trim() === '') return fallback;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : fallback;
}

/** The page size a route will use: the requested one, clamped to the route's cap and the sandbox knob. */
export function pageSize(ctx: RouteContext, requested: number, routeCap: number): number {
  const cap = Math.min(routeCap, ctx.maxPageSize ?? Number.POSITIVE_INFINITY);
  return Math.max(0, Math.min(requested, cap));
}

/** Jira's date-time format in REST beans: 2024-05-01T10:20:30.000+0000. */
export function jiraDateTime(isoOrMs: string | number): string {
  return new Date(isoOrMs).toISOString().replace('Z', '+0000');
}

/** JSON bodies are required where Jira's resources @Consumes(application/json). */
export function requireJson(ctx: RouteContext): Reply | null {
  const type = ctx.req.headers['content-type'] ?? '';
  if (!type.toLowerCase().includes('application/json')) {
    return { status: 415, raw: 'Unsupported Media Type', contentType: 'text/plain;charset=UTF-8' };
  }
  return null;
}
