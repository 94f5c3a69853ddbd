// What a route answers, as data (the server writes it and records it), what a route gets to answer with,
// and the small helpers every product's routes share: paging parameters, page caps, JSON bodies.
import type { IncomingMessage } from 'node:http';
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
  /** The context path alone ('' or e.g. '/confluence'). */
  contextPath: string;
  /** The product version being emulated (one of the product's versions). */
  version: string;
  store: SandboxStore;
  /** ms since epoch, from the sandbox clock. */
  now: number;
  maxPageSize: number | undefined;
}

/**
 * anonymous: anyone (bad credentials included, where the product lets them through); user: a logged-in
 * account the product lets in (Confluence: one with "Can use"); admin: the product's administrators;
 * application: Crowd application credentials (Jira's embedded Crowd).
 */
export type Access = 'anonymous' | 'user' | 'admin' | 'application';

export interface Route {
  method: string;
  path: string | RegExp;
  access: Access;
  /** false = the emulated version has no such resource (answered 404 as the product does). */
  available?: (version: string) => boolean;
  handle: (ctx: RouteContext) => Reply;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body,
  ...(headers ? { headers } : {}),
});

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

/** JSON bodies are required where a resource @Consumes(application/json). */
export function requireJson(ctx: RouteContext): Reply | null {
  const type = ctx.req.headers['content-type'] ?? '';
  if (!type.toLowerCase().includes('application/json')) {
    return { status: 415, raw: 'Unsupported Media Type', contentType: 'text/plain;charset=UTF-8' };
  }
  return null;
}

/** A path segment captured by `pattern`, URL-decoded (e.g. the username in /rest/api/admin/user/{u}). */
export function pathParam(path: string, pattern: RegExp, index = 1): string {
  const m = pattern.exec(path);
  const raw = m?.[index] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
