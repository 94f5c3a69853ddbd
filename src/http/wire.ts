// The wire format of one request: auth header, query string, request headers and body, response decoding.
import type { Auth, Query } from './types.ts';

export const INVALID_JSON = Symbol('invalid JSON');

export function buildRequest(
  method: string,
  body: unknown,
  authorization: string | undefined,
  userAgent = 'atlassian-user-policy',
): { headers: Record<string, string>; payload: string | undefined } {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': userAgent };
  if (authorization) headers.authorization = authorization;
  // Atlassian's XSRF check: harmless on JSON requests to DC, required by some Cloud write endpoints.
  if (method !== 'GET') headers['x-atlassian-token'] = 'no-check';
  if (body === undefined && method !== 'POST') return { headers, payload: undefined };
  headers['content-type'] = 'application/json';
  return { headers, payload: JSON.stringify(body ?? {}) };
}

export function withQuery(path: string, query: Query | undefined): string {
  const qs = queryString(query);
  return path + (qs && path.includes('?') ? `&${qs.slice(1)}` : qs);
}

export function authHeader(auth: Auth | undefined): { authorization?: string; secrets: string[] } {
  if (!auth || auth.type === 'none') return { secrets: [] };
  if (auth.type === 'bearer') {
    return { authorization: `Bearer ${auth.token}`, secrets: secretsOf(auth.token) };
  }
  const encoded = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
  return { authorization: `Basic ${encoded}`, secrets: secretsOf(encoded, auth.password) };
}

/** Values scrubbed from server-supplied text; very short ones would mangle messages and reveal little. */
function secretsOf(...values: string[]): string[] {
  return values.filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
}

export function decode(
  bytes: Uint8Array,
  contentType: string | string[] | undefined,
): { body: unknown; json: boolean } {
  if (bytes.byteLength === 0) return { body: undefined, json: false };
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (!/[/+]json\b/i.test(firstHeader(contentType) ?? '')) return { body: text, json: false };
  try {
    return { body: JSON.parse(text), json: true };
  } catch {
    return { body: INVALID_JSON, json: false };
  }
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const values: readonly (string | number | boolean)[] = Array.isArray(value) ? value : [value];
    for (const v of values) params.append(key, String(v));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
