// startSandbox: a real node:http server on 127.0.0.1 that speaks one product's REST API subset (Jira DC by
// default, or Confluence DC) over an in-memory store seeded from a scenario or the generator. Records every
// request. The product comes from products/registry.ts; everything else here is shared.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Authenticator, type Credentials } from './auth.ts';
import { generateScenario } from './generator.ts';
import { FaultInjector, RateLimiter } from './knobs.ts';
import type { RecordedRequest, SandboxHandle, SandboxOptions, SandboxVersion } from './options.ts';
import { handleRequest, type PipelineState } from './pipeline.ts';
import type { Product } from './product.ts';
import { checkVersion, productFor } from './products/registry.ts';
import { loadScenarioFile, type Scenario } from './scenario.ts';
import { SandboxStore } from './store.ts';
import { plural } from '../plural.ts';

export type {
  RecordedRequest,
  RuntimeKnobs,
  SandboxHandle,
  SandboxOptions,
  SandboxVersion,
} from './options.ts';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function initialScenario(options: SandboxOptions, product: Product, now: Date): Promise<Scenario> {
  if (options.scenario) return options.scenario;
  if (options.scenarioFile) return loadScenarioFile(options.scenarioFile);
  if (options.generate) {
    return generateScenario({ ...product.generatorDefaults, now, ...options.generate });
  }
  return { users: [] };
}

/** The account behind the sandbox's credentials: an administrator with product access. */
function ensureAccount(store: SandboxStore, product: Product, creds: Credentials, now: Date): void {
  let user = store.userByName(creds.username);
  if (!user) {
    const key = product.adminKey(creds.username);
    user = store.addUser({
      name: creds.username,
      ...(key !== undefined && !store.userByKey(key) ? { key } : {}),
      displayName: 'Administrator',
      email: `${creds.username}@example.com`,
      created: new Date(now.getTime() - 5 * 365 * 86_400_000).toISOString(),
    });
    for (const group of [...product.adminGroups.slice(0, 1), ...product.accessGroups.slice(0, 1)]) {
      store.addMember(group, user);
    }
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
  const product = productFor(options.platform ?? 'jira-dc');
  const version = checkVersion(product, options.version) as SandboxVersion;
  const clock = options.clock ?? Date.now;
  const now = options.now ?? new Date(clock());
  const scenario = await initialScenario(options, product, now);
  const store = new SandboxStore(scenario, now, product.directory);
  const credentials: Credentials = {
    username: 'admin',
    password: 'admin',
    token: randomBytes(33).toString('base64'),
    appName: 'aup-sandbox',
    appPassword: randomBytes(12).toString('hex'),
    ...options.credentials,
  };
  ensureAccount(store, product, credentials, now);
  const runtime = product.start({ version, store, scenario, credentials, clock, knobs: options });
  const contextPath = (options.contextPath ?? '').replace(/\/+$/, '');
  const state: PipelineState = {
    store,
    product: runtime,
    version,
    contextPath: contextPath && !contextPath.startsWith('/') ? `/${contextPath}` : contextPath,
    origin: '',
    auth: new Authenticator(store, {
      basicAuth: runtime.basicAuth,
      ...(options.captchaAfterFailures !== undefined
        ? { captchaAfterFailures: options.captchaAfterFailures }
        : {}),
    }),
    clock,
    faults: new FaultInjector(options.faults),
    sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
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
      changed: outcome.changed ?? false,
    };
    allRequests.push(record);
    if (!READ_METHODS.has(record.method)) requests.push(record);
    await options.beforeReply?.(record);
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
      // As the servlet containers do: a known length, so an empty 200 reads as empty, not as truncated JSON
      // (204 and 304 carry no Content-Length).
      ...(reply.status === 204 || reply.status === 304
        ? {}
        : { 'Content-Length': String(Buffer.byteLength(payload)) }),
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
  const url = `${state.origin}${state.contextPath}`;

  return {
    url,
    platform: product.id,
    version,
    store,
    requests,
    allRequests,
    credentials,
    failNext: (prefix, status, opts) => state.faults.failNext(prefix, status, opts),
    faultCounts: () => state.faults.counts(),
    configure(knobs) {
      if (knobs.faults) state.faults.configure(knobs.faults);
      if (knobs.rateLimit !== undefined) {
        state.rateLimiter = knobs.rateLimit ? new RateLimiter(knobs.rateLimit, clock) : null;
      }
      if (knobs.maxPageSize !== undefined) state.maxPageSize = knobs.maxPageSize;
      runtime.configure(knobs);
    },
    bannerLines() {
      const dirs = store.directories.map((d) => `${d.name}${d.readOnly ? ' (read-only)' : ''}`).join(', ');
      return [
        `Atlassian sandbox: ${product.name} ${product.fullVersion(version)} at ${url}`,
        `  ${plural(store.users().length, 'user')}, ${plural(store.groups().length, 'group')}; directories: ${dirs}`,
        ...runtime.bannerLines(credentials),
        'Press Ctrl+C to stop.',
      ];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
