// startSandbox: a real node:http server on 127.0.0.1 that speaks the Jira DC REST API subset the adapters
// use, over an in-memory store seeded from a scenario or the generator. Records every request.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Authenticator, type Credentials } from './auth.ts';
import {
  FaultInjector,
  RateLimiter,
  type FailNextOptions,
  type FaultOptions,
  type FaultStatus,
  type RateLimitOptions,
} from './knobs.ts';
import { handleRequest, type PipelineState } from './pipeline.ts';
import { loadScenarioFile, type Scenario } from './scenario.ts';
import { generateScenario, type GeneratorOptions } from './seed.ts';
import { ADMIN_GROUP, SandboxStore, SOFTWARE_GROUP } from './store.ts';
import { traits, type JiraVersion } from './versions.ts';

export interface SandboxOptions {
  /** Which Jira DC to be (default '10.3'): paging styles, caps, lastLoginTime, basic auth default. */
  version?: JiraVersion;
  /** Default 0 = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** e.g. '/jira'; default none. */
  contextPath?: string;
  /** Start state: a scenario object, a JSON file, or generator options (`now` defaults to the sandbox's). */
  scenario?: Scenario;
  scenarioFile?: string;
  generate?: Omit<GeneratorOptions, 'now'> & { now?: Date };
  /** "Today" for generated data and new users; default: the clock. */
  now?: Date;
  /** Milliseconds since epoch, for rate limiting, login times and serverTime; default Date.now. */
  clock?: () => number;
  /** Overrides of the accepted credentials (defaults: admin / admin, random token and app password). */
  credentials?: Partial<Credentials>;
  /** Basic auth with passwords; default on, except 11.3 (Jira 11 turns it off). PATs always work. */
  basicAuth?: boolean;
  /** Jira as a Crowd server (/rest/usermanagement/1) accepts the application credentials; default true. */
  crowdApplication?: boolean;
  rateLimit?: RateLimitOptions;
  faults?: FaultOptions;
  /** Lowers every paged endpoint's page-size cap (user/search, user/list, group/member). */
  maxPageSize?: number;
  /** Jira's CAPTCHA after N failed Basic logins of one username; off by default. */
  captchaAfterFailures?: number;
}

export interface RecordedRequest {
  seq: number;
  /** ISO time from the sandbox clock. */
  at: string;
  method: string;
  /** Path below the context path, e.g. /rest/api/2/group/user. */
  path: string;
  query: Record<string, string | string[]>;
  /** Parsed JSON body, the raw text when it is not JSON, or null. */
  body: unknown;
  /** HTTP status answered; 0 when the connection was reset. */
  status: number;
  /** Username the request ran as, or null. */
  user: string | null;
}

export interface SandboxHandle {
  /** Base URL including the context path, no trailing slash. */
  url: string;
  version: JiraVersion;
  store: SandboxStore;
  /** Every mutating (non-GET/HEAD) request, in order. */
  requests: RecordedRequest[];
  /** Every request, in order. */
  allRequests: RecordedRequest[];
  credentials: Credentials;
  /** Fails the next request(s) whose path (below the context path) starts with pathPrefix. */
  failNext(pathPrefix: string, status: FaultStatus, opts?: FailNextOptions): void;
  /** Changes knobs on a running sandbox. `rateLimit: null` switches rate limiting off. */
  configure(knobs: {
    faults?: FaultOptions;
    rateLimit?: RateLimitOptions | null;
    maxPageSize?: number;
  }): void;
  close(): Promise<void>;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function initialScenario(options: SandboxOptions, now: Date): Promise<Scenario> {
  if (options.scenario) return options.scenario;
  if (options.scenarioFile) return loadScenarioFile(options.scenarioFile);
  if (options.generate) return generateScenario({ now, ...options.generate });
  return { users: [] };
}

function ensureAccount(store: SandboxStore, creds: Credentials, now: Date): void {
  let user = store.userByName(creds.username);
  if (!user) {
    user = store.addUser({
      name: creds.username,
      // The account that set the instance up is its oldest: keyed by its name, like pre-8.4 users.
      ...(store.userByKey(creds.username) ? {} : { key: creds.username.toLowerCase() }),
      displayName: 'Administrator',
      email: `${creds.username}@example.com`,
      created: new Date(now.getTime() - 5 * 365 * 86_400_000).toISOString(),
    });
    store.addMember(ADMIN_GROUP, user);
    store.addMember(SOFTWARE_GROUP, user);
  }
  store.update(user, { password: creds.password });
  store.setTokens(user, [...user.tokens.filter((t) => t !== creds.token), creds.token]);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function queryRecord(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const all = query.getAll(key);
    out[key] = all.length === 1 ? (all[0] as string) : all;
  }
  return out;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const version = options.version ?? '10.3';
  const clock = options.clock ?? Date.now;
  const now = options.now ?? new Date(clock());
  const store = new SandboxStore(await initialScenario(options, now), now);
  const credentials: Credentials = {
    username: 'admin',
    password: 'admin',
    token: randomBytes(33).toString('base64'),
    appName: 'aup-sandbox',
    appPassword: randomBytes(12).toString('hex'),
    ...options.credentials,
  };
  ensureAccount(store, credentials, now);
  const contextPath = (options.contextPath ?? '').replace(/\/+$/, '');
  const state: PipelineState = {
    store,
    version,
    contextPath: contextPath && !contextPath.startsWith('/') ? `/${contextPath}` : contextPath,
    origin: '',
    credentials,
    auth: new Authenticator(store, {
      basicAuth: options.basicAuth ?? traits(version).basicAuthByDefault,
      ...(options.captchaAfterFailures !== undefined
        ? { captchaAfterFailures: options.captchaAfterFailures }
        : {}),
    }),
    crowdEnabled: options.crowdApplication ?? true,
    clock,
    faults: new FaultInjector(options.faults),
    rateLimiter: options.rateLimit ? new RateLimiter(options.rateLimit, clock) : null,
    maxPageSize: options.maxPageSize,
  };
  const requests: RecordedRequest[] = [];
  const allRequests: RecordedRequest[] = [];

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const bodyText = await readBody(req);
    const outcome = await handleRequest(state, req, bodyText);
    const reply = outcome.reply;
    const record: RecordedRequest = {
      seq: allRequests.length + 1,
      at: new Date(clock()).toISOString(),
      method: (req.method ?? 'GET').toUpperCase(),
      path: outcome.path,
      query: queryRecord(outcome.query),
      body: outcome.body,
      status: reply === 'reset' ? 0 : reply.status,
      user: outcome.caller?.name ?? null,
    };
    allRequests.push(record);
    if (!READ_METHODS.has(record.method)) requests.push(record);
    if (reply === 'reset') {
      req.socket.resetAndDestroy();
      return;
    }
    const hasJson = reply.raw === undefined && reply.body !== undefined;
    const payload = reply.raw ?? (hasJson ? JSON.stringify(reply.body) : '');
    res.writeHead(reply.status, {
      'X-AREQUESTID': `${record.seq}x${Math.floor(clock() / 1000) % 100000}x1`,
      'Cache-Control': 'no-cache, no-store, no-transform',
      ...(payload ? { 'Content-Type': reply.contentType ?? 'application/json;charset=UTF-8' } : {}),
      ...reply.headers,
    });
    res.end(payload);
  };

  const server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      // A sandbox bug must be loud, not a hang: answer 500 naming it.
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json;charset=UTF-8' });
      res.end(JSON.stringify({ errorMessages: [`sandbox error: ${(err as Error).message}`], errors: {} }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  state.origin = `http://${host}:${address.port}`;

  return {
    url: `${state.origin}${state.contextPath}`,
    version,
    store,
    requests,
    allRequests,
    credentials,
    failNext: (prefix, status, opts) => state.faults.failNext(prefix, status, opts),
    configure(knobs) {
      if (knobs.faults) state.faults.configure(knobs.faults);
      if (knobs.rateLimit !== undefined) {
        state.rateLimiter = knobs.rateLimit ? new RateLimiter(knobs.rateLimit, clock) : null;
      }
      if (knobs.maxPageSize !== undefined) state.maxPageSize = knobs.maxPageSize;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
