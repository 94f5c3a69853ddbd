// Authentication as the Data Center products do it (Seraph): Basic (username:password) or a personal access
// token (Bearer). A bad token does not stop the request: Seraph carries on as anonymous and says so in the
// X-Seraph-LoginReason header, so anonymously reachable resources answer 200 (atlassian-api.md §1.2, §2.1).
// What a bad Basic password gets is the product's call (Jira: anonymous too; Confluence: 401), see product.ts.
// Jira's embedded Crowd (/rest/usermanagement/1) authenticates *applications*, not users.
import { timingSafeEqual } from 'node:crypto';
import type { SandboxStore, UserRecord } from './store.ts';

export interface Credentials {
  /** The administrator account the sandbox accepts. */
  username: string;
  password: string;
  /** Personal access token of that account (Authorization: Bearer …). */
  token: string;
  /** Application name/password for Jira's embedded Crowd REST API (unused by other products). */
  appName: string;
  appPassword: string;
}

export type AuthOutcome =
  | { kind: 'anonymous' }
  | { kind: 'user'; user: UserRecord; scheme: 'basic' | 'bearer' }
  | { kind: 'failed'; reason: 'AUTHENTICATED_FAILED' | 'AUTHENTICATION_DENIED'; scheme: 'basic' | 'bearer' }
  /** Basic auth with a password while the instance has it switched off (Jira 11 default). */
  | { kind: 'basic-disabled' };

export interface AuthOptions {
  basicAuth: boolean;
  /** After this many consecutive failed Basic logins of one username Seraph demands a CAPTCHA (off when unset). */
  captchaAfterFailures?: number;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function decodeBasic(value: string): { user: string; pass: string } | null {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

export class Authenticator {
  private readonly store: SandboxStore;
  private readonly options: AuthOptions;
  private readonly failures = new Map<string, number>();

  constructor(store: SandboxStore, options: AuthOptions) {
    this.store = store;
    this.options = options;
  }

  authenticate(header: string | undefined): AuthOutcome {
    if (!header) return { kind: 'anonymous' };
    const [scheme = '', value = ''] = header.trim().split(/\s+/, 2);
    if (scheme.toLowerCase() === 'bearer') {
      const user = this.store.userByToken(value);
      return user && user.active
        ? { kind: 'user', user, scheme: 'bearer' }
        : { kind: 'failed', reason: 'AUTHENTICATED_FAILED', scheme: 'bearer' };
    }
    if (scheme.toLowerCase() !== 'basic') return { kind: 'anonymous' };
    if (!this.options.basicAuth) return { kind: 'basic-disabled' };
    const basic = decodeBasic(value);
    if (!basic) return { kind: 'failed', reason: 'AUTHENTICATED_FAILED', scheme: 'basic' };
    const key = basic.user.toLowerCase();
    const limit = this.options.captchaAfterFailures;
    if (limit !== undefined && (this.failures.get(key) ?? 0) >= limit) {
      return { kind: 'failed', reason: 'AUTHENTICATION_DENIED', scheme: 'basic' };
    }
    const user = this.store.userByName(basic.user);
    if (user && user.active && user.password !== null && same(user.password, basic.pass)) {
      this.failures.delete(key);
      return { kind: 'user', user, scheme: 'basic' };
    }
    this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
    return { kind: 'failed', reason: 'AUTHENTICATED_FAILED', scheme: 'basic' };
  }
}

/** The headers Seraph adds about who the request ran as. */
export function seraphHeaders(outcome: AuthOutcome): Record<string, string> {
  switch (outcome.kind) {
    case 'user':
      return { 'X-AUSERNAME': outcome.user.name, 'X-Seraph-LoginReason': 'OK' };
    case 'failed':
      return { 'X-AUSERNAME': 'anonymous', 'X-Seraph-LoginReason': outcome.reason };
    default:
      return { 'X-AUSERNAME': 'anonymous' };
  }
}

/** Crowd application authentication: Basic with the application's name and password. */
export function authenticateApplication(
  header: string | undefined,
  creds: Credentials,
  enabled: boolean,
): boolean {
  if (!enabled || !header) return false;
  const [scheme = '', value = ''] = header.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() !== 'basic') return false;
  const basic = decodeBasic(value);
  return basic !== null && same(basic.user, creds.appName) && same(basic.pass, creds.appPassword);
}
