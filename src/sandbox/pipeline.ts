// One request through the sandbox: context path, injected faults, route lookup, authentication, rate
// limit, access check, then the route. Returns the reply (or 'reset') and who the caller was.
import type { IncomingMessage } from 'node:http';
import { Authenticator, authenticateApplication, seraphHeaders, type Credentials } from './auth.ts';
import { faultReply, type FaultInjector, type RateLimiter } from './knobs.ts';
import { jiraError, notModelled, restNotFound, type Reply, type RouteContext } from './reply.ts';
import { applicationAuthFailed, CROWD_ROUTES } from './routes/crowd.ts';
import { JIRA_ROUTES, type Route } from './routes/jira.ts';
import { ADMIN_GROUP, type SandboxStore, type UserRecord } from './store.ts';
import { traits, type JiraVersion } from './versions.ts';

export interface PipelineState {
  store: SandboxStore;
  version: JiraVersion;
  contextPath: string;
  origin: string;
  credentials: Credentials;
  auth: Authenticator;
  crowdEnabled: boolean;
  clock: () => number;
  faults: FaultInjector;
  rateLimiter: RateLimiter | null;
  maxPageSize: number | undefined;
}

export interface Outcome {
  reply: Reply | 'reset';
  /** Path below the context path (what failNext and the recorded requests use). */
  path: string;
  query: URLSearchParams;
  body: unknown;
  caller: UserRecord | null;
}

const ROUTES: Route[] = [...JIRA_ROUTES, ...CROWD_ROUTES];

function findRoute(method: string, path: string): Route | undefined {
  return ROUTES.find(
    (r) => r.method === method && (typeof r.path === 'string' ? r.path === path : r.path.test(path)),
  );
}

function parseBody(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

function isAdmin(store: SandboxStore, user: UserRecord): boolean {
  return store.groupsOf(user, { nested: true }).some((g) => g.toLowerCase() === ADMIN_GROUP);
}

export async function handleRequest(
  state: PipelineState,
  req: IncomingMessage,
  bodyText: string,
): Promise<Outcome> {
  const url = new URL(req.url ?? '/', state.origin);
  const method = (req.method ?? 'GET').toUpperCase();
  const query = url.searchParams;
  const isJson = (req.headers['content-type'] ?? '').toLowerCase().includes('json');
  const parsed = isJson ? parseBody(bodyText) : ({ ok: true, value: bodyText || null } as const);
  const base: Omit<Outcome, 'reply'> = {
    path: url.pathname,
    query,
    body: parsed.ok ? parsed.value : bodyText,
    caller: null,
  };
  const cp = state.contextPath;
  if (cp && url.pathname !== cp && !url.pathname.startsWith(`${cp}/`)) {
    return {
      ...base,
      reply: { status: 404, raw: `Not Found: ${url.pathname} is outside ${cp}`, contentType: 'text/plain' },
    };
  }
  const path = url.pathname.slice(cp.length).replace(/^\/rest\/api\/latest\//, '/rest/api/2/') || '/';
  const out = { ...base, path };

  const delay = state.faults.latency();
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  const fault = state.faults.decide(method, path);
  if (fault.kind === 'reset') return { ...out, reply: 'reset' };
  if (fault.kind === 'status') return { ...out, reply: faultReply(fault.status) };

  const route = findRoute(method, path);
  if (!route) return { ...out, reply: notModelled(method, path) };
  const ctx: RouteContext = {
    req,
    method,
    path,
    query,
    body: out.body,
    bodyText,
    caller: null,
    base: `${state.origin}${cp}`,
    version: state.version,
    store: state.store,
    now: state.clock(),
    maxPageSize: state.maxPageSize,
  };
  if (route.available && !route.available(traits(state.version))) return { ...out, reply: restNotFound(ctx) };

  if (route.access === 'application') {
    const ok = authenticateApplication(req.headers.authorization, state.credentials, state.crowdEnabled);
    return { ...out, reply: ok ? route.handle(ctx) : applicationAuthFailed() };
  }

  const auth = state.auth.authenticate(req.headers.authorization);
  const headers: Record<string, string> = seraphHeaders(auth);
  const withHeaders = (reply: Reply): Reply => ({ ...reply, headers: { ...headers, ...reply.headers } });
  if (auth.kind === 'basic-disabled') {
    return {
      ...out,
      reply: withHeaders({
        status: 403,
        body: { message: 'Basic Authentication has been disabled on this instance.' },
      }),
    };
  }
  if (auth.kind === 'failed' && auth.reason === 'AUTHENTICATION_DENIED') {
    headers['X-Authentication-Denied-Reason'] = `CAPTCHA_CHALLENGE; login-url=${ctx.base}/login.jsp`;
    return { ...out, reply: withHeaders(jiraError(403, ['CAPTCHA_CHALLENGE'])) };
  }
  const caller = auth.kind === 'user' ? auth.user : null;
  ctx.caller = caller;
  out.caller = caller;
  if (caller) {
    // Every Basic/Bearer request is a login to Jira: it moves login.lastLoginMillis and login.count.
    state.store.recordLogin(caller, new Date(ctx.now).toISOString());
    if (state.rateLimiter) {
      const taken = state.rateLimiter.take(caller.name);
      Object.assign(headers, taken.headers);
      if (!taken.allowed) return { ...out, reply: withHeaders(jiraError(429, ['Rate limit exceeded.'])) };
    }
  }
  if (route.access !== 'anonymous' && !caller) {
    headers['WWW-Authenticate'] = `OAuth realm="${ctx.base}"`;
    return {
      ...out,
      reply: withHeaders(
        jiraError(401, ['You are not authenticated. Authentication required to perform this operation.']),
      ),
    };
  }
  if (route.access === 'admin' && caller && !isAdmin(state.store, caller)) {
    return {
      ...out,
      reply: withHeaders(
        jiraError(403, [
          'You are not authorized to perform this action. Administrator privileges are required.',
        ]),
      ),
    };
  }
  if (!parsed.ok)
    return {
      ...out,
      reply: withHeaders(jiraError(400, [`Unexpected character in JSON body: ${parsed.message}`])),
    };
  return { ...out, reply: withHeaders(route.handle(ctx)) };
}
