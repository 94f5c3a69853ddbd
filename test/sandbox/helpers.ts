// Small HTTP helpers for the sandbox tests: real requests with global fetch, no mocks.
import type { SandboxHandle } from '../../src/sandbox/index.ts';

export const NOW = new Date('2025-06-01T12:00:00.000Z');

export function basic(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

export function adminBasic(sb: SandboxHandle): string {
  return basic(sb.credentials.username, sb.credentials.password);
}

export function bearer(sb: SandboxHandle): string {
  return `Bearer ${sb.credentials.token}`;
}

export function appBasic(sb: SandboxHandle): string {
  return basic(sb.credentials.appName, sb.credentials.appPassword);
}

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** One request; the body is parsed as JSON when it is JSON. */
export async function call<T = unknown>(
  sb: SandboxHandle,
  method: string,
  path: string,
  opts: { auth?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  // A personal access token works on every version (Basic auth is off by default on 11.3).
  const auth = opts.auth === undefined ? bearer(sb) : opts.auth;
  if (auth) headers.authorization = auth;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: body as T, text };
}

export const get = <T = unknown>(sb: SandboxHandle, path: string, auth?: string | null): Promise<Answer<T>> =>
  call<T>(sb, 'GET', path, { auth });

export interface UserBean {
  key: string;
  name: string;
  active: boolean;
  emailAddress: string;
  displayName: string;
  lastLoginTime?: string;
}

export interface MemberPage {
  self: string;
  nextPage?: string;
  maxResults: number;
  startAt: number;
  total: number;
  isLast: boolean;
  values: UserBean[];
}

export interface StreamPage {
  self: string;
  values: UserBean[];
  isLast: boolean;
  nextCursor?: string;
  nextPage?: string;
  maxResults: number;
}
