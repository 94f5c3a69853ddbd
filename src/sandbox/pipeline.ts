// One request through the sandbox: context path, injected faults, route lookup, authentication, rate
// limit, access check, then the route. The product supplies the routes and how each refusal reads;
// the order of the checks is the core's. Returns the reply (or 'reset') and who the caller was.
import type { IncomingMessage } from 'node:http';
import { seraphHeaders, type Authenticator } from './auth.ts';
import { faultReply, type FaultInjector, type RateLimiter } from './knobs.ts';
import type { ProductRuntime, Refusal } from './product.ts';
import type { Reply, Route, RouteContext } from './reply.ts';
import type { SandboxStore, UserRecord } from './store.ts';

export interface PipelineState {
  store: SandboxStore;
  product: ProductRuntime;
  version: string;
  contextPath: string;
  origin: string;
  auth: Authenticator;
  clock: () => number;
  faults: FaultInjector;
  sleep: (ms: number) => Promise<void>;
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
  /** The route changed what the instance holds (SandboxStore.effects moved while it ran). */
  changed?: boolean;
}

function findRoute(routes: readonly Route[], method: string, path: string): Route | undefined {
  return routes.find(
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

/** The sandbox's own answer for routes it does not model: loud, naming method and path. */
function notModelled(product: ProductRuntime, method: string, path: string): Reply {
  const reply = product.error(501, `The Atlassian sandbox does not model ${method} ${path}`);
  return { ...reply, body: { ...(reply.body as object), method, path } };
}

/** The rate-limit headers in the product's own words (Cloud: an ISO-8601 reset), else Data Center's. */
function rateHeaders(
  product: ProductRuntime,
  taken: ReturnType<RateLimiter['take']>,
): Record<string, string> {
  return product.rateLimitHeaders ? product.rateLimitHeaders(taken.state) : taken.headers;
}

const limited = (reply: Reply, headers: Record<string, string>): Reply => ({
  ...reply,
  headers: { ...headers, ...reply.headers },
});

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
  const product = state.product;
  const path = product.normalisePath(url.pathname.slice(cp.length)) || '/';
  const out = { ...base, path };

  const delay = state.faults.latency();
  if (delay > 0) await state.sleep(delay);
  const fault = state.faults.decide(method, path);
  if (fault.kind === 'reset') return { ...out, reply: 'reset' };
  if (fault.kind === 'status') {
    return { ...out, reply: faultReply(fault.status, (s, m) => product.error(s, m)) };
  }

  const route = findRoute(product.routes, method, path);
  if (!route) return { ...out, reply: notModelled(product, method, path) };
  const ctx: RouteContext = {
    req,
    method,
    path,
    query,
    body: out.body,
    bodyText,
    caller: null,
    base: `${state.origin}${cp}`,
    contextPath: cp,
    version: state.version,
    store: state.store,
    now: state.clock(),
    maxPageSize: state.maxPageSize,
  };
  if (route.available && !route.available(state.version)) {
    return { ...out, reply: product.refuse('version-lacks-route', ctx) };
  }

  if (route.access === 'application') {
    const app = product.application;
    if (!app) return { ...out, reply: notModelled(product, method, path) };
    if (!app.authenticate(req.headers.authorization)) return { ...out, reply: app.failed() };
    const refused = app.refuseAddress?.(req.socket.remoteAddress ?? '');
    if (refused) return { ...out, reply: refused };
    if (state.rateLimiter && app.rateLimitKey !== undefined) {
      const taken = state.rateLimiter.take(app.rateLimitKey);
      const headers = rateHeaders(product, taken);
      if (!taken.allowed) return { ...out, reply: limited(product.refuse('rate-limited', ctx), headers) };
      const before = state.store.effects;
      const reply = limited(route.handle(ctx), headers);
      return { ...out, reply, changed: state.store.effects !== before };
    }
    const before = state.store.effects;
    const reply = route.handle(ctx);
    return { ...out, reply, changed: state.store.effects !== before };
  }

  const auth = state.auth.authenticate(req.headers.authorization);
  const headers: Record<string, string> = (product.authHeaders ?? seraphHeaders)(auth);
  const withHeaders = (reply: Reply): Reply => ({ ...reply, headers: { ...headers, ...reply.headers } });
  const refuse = (why: Refusal, detail?: string): Outcome => ({
    ...out,
    reply: withHeaders(product.refuse(why, ctx, detail)),
  });
  if (auth.kind === 'basic-disabled') return refuse('basic-disabled');
  if (auth.kind === 'failed' && auth.reason === 'AUTHENTICATION_DENIED') return refuse('captcha');
  if (auth.kind === 'failed' && auth.scheme === 'basic' && product.failedBasic === 'reject') {
    return refuse('bad-basic');
  }
  if (auth.kind === 'failed' && auth.scheme === 'bearer' && product.failedBearer === 'reject') {
    return refuse('bad-basic');
  }
  const caller = auth.kind === 'user' ? auth.user : null;
  ctx.caller = caller;
  out.caller = caller;
  if (caller) {
    // Every Basic/Bearer request is a login: it moves the last login time and the login count.
    state.store.recordLogin(caller, new Date(ctx.now).toISOString());
    if (state.rateLimiter) {
      const taken = state.rateLimiter.take(caller.name);
      Object.assign(headers, rateHeaders(product, taken));
      if (!taken.allowed) return refuse('rate-limited');
    }
  }
  if (route.access !== 'anonymous' && !caller) return refuse('unauthenticated');
  if (route.access === 'admin' && caller && !product.isAdmin(caller)) return refuse('not-admin');
  if (route.access === 'user' && caller && !product.mayUse(caller)) return refuse('not-licensed');
  if (!parsed.ok) return refuse('bad-json', parsed.message);
  const before = state.store.effects;
  const reply = withHeaders(route.handle(ctx));
  return { ...out, reply, changed: state.store.effects !== before };
}
