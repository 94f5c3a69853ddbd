// One HTTP client per target instance: undici `request` over a keep-alive Pool (connections = concurrency,
// undici's connect/headers/body timeouts), with our own small retry loop on top. undici's RetryAgent is not
// used: it shares one budget across 429, 5xx and network errors, sleeps with its own setTimeout and Date.now,
// holds the pooled connection paused while it waits, adds no jitter and drops the error body we need for
// Atlassian messages. See retry.ts for who owns which status code.
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import { AuthError, HttpError, extractAtlassianMessage } from './errors.ts';
import { pageItems } from './events.ts';
import { createReadOnlyGuard } from './read-only-guard.ts';
import {
  backoffDelay,
  DEADLINE,
  errorCode,
  isDeadline,
  isRetryableNetworkError,
  mayRepeat,
  ownerOf,
  parseRetryAfter,
} from './retry.ts';
import type {
  HttpClient,
  HttpClientOptions,
  HttpResponse,
  HttpStats,
  Query,
  RequestOptions,
  ResponseHeaders,
} from './types.ts';
import { INVALID_JSON, authHeader, buildRequest, decode, firstHeader, withQuery } from './wire.ts';
import { plural } from '../plural.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface Received {
  status: number;
  headers: ResponseHeaders;
  body: unknown;
  json: boolean;
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const base = new URL(options.baseUrl);
  if (base.username || base.password) {
    throw new TypeError('baseUrl must not carry credentials; pass them as `auth`');
  }
  if (base.search || base.hash) throw new TypeError('baseUrl must not carry a query or fragment');
  const basePath = base.pathname.replace(/\/+$/, '');
  const baseUrl = base.origin + basePath;

  const concurrency = options.concurrency ?? 8;
  const timeoutMs = options.timeoutMs ?? 30_000;
  // undici's timeouts are per phase (connect, headers, between body chunks): a server trickling a byte
  // every few seconds would hold a request forever. Each attempt also has a deadline for the whole exchange.
  const deadlineMs = options.deadlineMs ?? Math.max(120_000, 4 * timeoutMs);
  const maxRetries = options.retries ?? 4;
  const maxWaits = options.maxThrottleWaits ?? 5;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const backoffBase = options.backoffBaseMs ?? 500;
  const backoffMax = options.backoffMaxMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const emit = options.onEvent ?? (() => {});
  const guard = createReadOnlyGuard(options.readOnly, options.readOnlyAllow);
  const { authorization, secrets } = authHeader(options.auth);
  const scrub = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), text);

  const pool = new Pool(base.origin, {
    connections: concurrency,
    pipelining: 1,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect: { timeout: timeoutMs },
  });

  const counters: HttpStats = emptyStats();
  // Shared by every request of this client: a 429 means the per-user token bucket is empty for all of them.
  let throttleGate: Promise<unknown> = Promise.resolve();
  const holdAll = (ms: number): Promise<unknown> =>
    (throttleGate = Promise.all([throttleGate, sleep(ms)]).catch(() => undefined));

  async function send(
    method: Method,
    path: string,
    query?: Query,
    body?: unknown,
    idempotent = false,
  ): Promise<Received> {
    if (!path.startsWith('/')) throw new TypeError(`${method} ${path}: path must start with "/"`);
    const route = path.split('?')[0] ?? path;
    try {
      guard.check(method, route);
    } catch (err) {
      counters.refused++;
      throw err;
    }
    const repeatable = idempotent || mayRepeat(method, guard.isReadOnlyPost(method, route));
    const { headers, payload } = buildRequest(method, body, authorization, options.userAgent);
    const target = basePath + withQuery(path, query);
    const fail = (err: HttpError): never => {
      counters.errors++;
      throw err;
    };

    for (let retries = 0, waits = 0; ;) {
      await throttleGate;
      counters.requests++;
      counters.byMethod[method] = (counters.byMethod[method] ?? 0) + 1;
      let received: Received;
      try {
        const signal = AbortSignal.timeout(deadlineMs);
        const res = await pool.request({ method, path: target, headers, body: payload, signal });
        const bytes = await res.body.bytes();
        counters.bytesReceived += bytes.byteLength;
        received = {
          status: res.statusCode,
          headers: res.headers,
          ...decode(bytes, res.headers['content-type']),
        };
      } catch (err) {
        const code = isDeadline(err) ? DEADLINE : errorCode(err);
        if (isRetryableNetworkError(code, repeatable) && retries < maxRetries) {
          const ms = backoffDelay(retries++, backoffBase, backoffMax, random);
          counters.retries++;
          log(`${method} ${route}: ${code}, retry ${retries} of ${maxRetries} in ${ms} ms`);
          emit({ type: 'retry', method, path: route, waitMs: ms, reason: code ?? 'network error' });
          await sleep(ms);
          continue;
        }
        const message = isDeadline(err)
          ? `no complete answer within ${Math.ceil(deadlineMs / 1000)} s`
          : err instanceof Error
            ? err.message
            : String(err);
        const what = code && code !== DEADLINE && !message.includes(code) ? `${code}: ${message}` : message;
        const after = retries > 0 ? ` (after ${retries} ${retries === 1 ? 'retry' : 'retries'})` : '';
        return fail(new HttpError({ method, path: route, detail: scrub(what + after), cause: err }));
      }

      const { status } = received;
      counters.byStatus[status] = (counters.byStatus[status] ?? 0) + 1;
      emit({ type: 'response', method, path: route, status, ...pageItems(received.body) });
      // A platform's way of saying the credentials were not accepted on an otherwise fine answer (Data
      // Center's X-Seraph-LoginReason on a 200): a dead credential must fail, never read as empty data.
      const login = options.loginFailure?.(received.headers);
      if (login) {
        return fail(
          new AuthError({ method, path: route, status, detail: login.detail, loginReason: login.reason }),
        );
      }
      const detail = (): string | undefined => {
        const message = extractAtlassianMessage(received.body);
        return message === undefined ? undefined : scrub(message);
      };
      const retryAfter = firstHeader(received.headers['retry-after']);
      const owner = ownerOf(status, retryAfter);
      if (owner === 'ok') {
        if (received.body === INVALID_JSON) {
          return fail(
            new HttpError({ method, path: route, status, detail: 'response body is not valid JSON' }),
          );
        }
        return received;
      }
      if (owner === 'auth') return fail(new AuthError({ method, path: route, status, detail: detail() }));
      if (owner === 'throttle') {
        const asked = parseRetryAfter(retryAfter, now());
        const ms = asked ? asked : backoffDelay(waits, backoffBase, backoffMax, random);
        if (waits >= maxWaits || ms > maxRetryAfterMs) {
          const why =
            waits >= maxWaits
              ? `still throttled after ${plural(waits, 'wait')}`
              : `Retry-After ${Math.ceil(ms / 1000)} s exceeds the ${Math.ceil(maxRetryAfterMs / 1000)} s limit`;
          const text = [detail(), why].filter(Boolean).join('; ');
          return fail(new HttpError({ method, path: route, status, detail: text }));
        }
        waits++;
        counters.throttled++;
        counters.throttledMs += ms;
        log(
          `${method} ${route}: ${status}, waiting ${ms} ms (${asked ? 'Retry-After' : 'backoff'}), wait ${waits} of ${maxWaits}`,
        );
        emit({ type: 'throttle', method, path: route, waitMs: ms });
        await holdAll(ms);
        continue;
      }
      if (owner === 'retry' && repeatable && retries < maxRetries) {
        const ms = backoffDelay(retries++, backoffBase, backoffMax, random);
        counters.retries++;
        log(`${method} ${route}: ${status}, retry ${retries} of ${maxRetries} in ${ms} ms`);
        emit({ type: 'retry', method, path: route, waitMs: ms, reason: String(status) });
        await sleep(ms);
        continue;
      }
      const location = firstHeader(received.headers.location);
      const text =
        status >= 300 && status < 400
          ? `redirected to ${location ?? '(no location)'}; check the base URL (redirects are not followed)`
          : detail();
      return fail(new HttpError({ method, path: route, status, detail: text }));
    }
  }

  const respond = async <T>(method: Method, path: string, opts: RequestOptions = {}) => {
    const { status, headers, body } = await send(method, path, opts.query, opts.body, opts.idempotent);
    return { status, headers, body: body as T } satisfies HttpResponse<T>;
  };

  return {
    baseUrl,
    readOnly: options.readOnly,
    get: (path, query) => respond('GET', path, { query }),
    async getJson<T>(path: string, query?: Query): Promise<T> {
      const received = await send('GET', path, query);
      if (!received.json) {
        const type = firstHeader(received.headers['content-type']) ?? 'no content type';
        counters.errors++;
        const route = path.split('?')[0] ?? path;
        throw new HttpError({
          method: 'GET',
          path: route,
          status: received.status,
          detail: `expected a JSON body, got ${received.body === undefined ? 'an empty body' : type}`,
        });
      }
      return received.body as T;
    },
    post: (path, opts) => respond('POST', path, opts),
    put: (path, opts) => respond('PUT', path, opts),
    delete: (path, opts) => respond('DELETE', path, opts),
    stats: () => structuredClone(counters),
    close: () => (pool.closed ? Promise.resolve() : pool.close()),
  };
}

function emptyStats(): HttpStats {
  return {
    requests: 0,
    byMethod: {},
    byStatus: {},
    retries: 0,
    throttled: 0,
    throttledMs: 0,
    errors: 0,
    refused: 0,
    bytesReceived: 0,
  };
}
