import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/client.ts';
import { AuthError, HttpError } from '../../src/http/errors.ts';
import type { HttpClient, HttpClientOptions } from '../../src/http/types.ts';
import { json, recordingSleep, startServer } from './server.ts';
import type { Handler, TestServer } from './server.ts';

let server: TestServer | undefined;
let client: HttpClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
});

async function setup(handler: Handler, opts: Partial<HttpClientOptions> = {}) {
  server = await startServer(handler);
  const { sleep, asked } = recordingSleep();
  const logs: string[] = [];
  client = createHttpClient({
    baseUrl: server.url,
    readOnly: false,
    sleep,
    random: () => 0.5,
    log: (m) => logs.push(m),
    ...opts,
  });
  return { server, client, asked, logs };
}

/** Answers the n-th request (0-based) with `fail`, later ones with 200 `{ok: true}`. */
function failFirst(n: number, fail: Handler): Handler {
  let seen = 0;
  return (req, res, raw) => (seen++ < n ? fail(req, res, raw) : json(res, 200, { ok: true }));
}

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('createHttpClient', () => {
  it('retries a 500 with jittered backoff, then succeeds', async () => {
    const { client, server, asked, logs } = await setup(failFirst(2, (_q, res) => json(res, 500, {})));
    expect(await client.getJson('/rest/api/2/serverInfo')).toEqual({ ok: true });
    expect(server.requests).toHaveLength(3);
    expect(asked).toEqual([250, 500]); // random 0.5 × 500·2^n
    expect(logs[0]).toBe('GET /rest/api/2/serverInfo: 500, retry 1 of 4 in 250 ms');
    expect(client.stats()).toMatchObject({ requests: 3, retries: 2, errors: 0, byStatus: { 500: 2, 200: 1 } });
  });

  it('gives up after the retry budget with the last status', async () => {
    const { client, server } = await setup((_q, res) => json(res, 502, { message: 'bad gateway' }), {
      retries: 2,
    });
    const err = await caught(client.get('/x'));
    expect(err.message).toBe('GET /x: 502 Bad Gateway: bad gateway');
    expect(server.requests).toHaveLength(3);
    expect(client.stats()).toMatchObject({ retries: 2, errors: 1 });
  });

  it('does not retry a 400 and reports the Atlassian message as the activity', async () => {
    const { client, server, asked } = await setup((_q, res) =>
      json(res, 400, { errorMessages: ['The user does not exist'], errors: { username: 'unknown' } }),
    );
    const err = await caught(client.get('/rest/api/2/user', { username: 'ghost' }));
    expect(err).toBeInstanceOf(HttpError);
    expect(err.message).toBe('GET /rest/api/2/user: 400 Bad Request: The user does not exist; username: unknown');
    expect((err as HttpError).status).toBe(400);
    expect(server.requests).toHaveLength(1);
    expect(asked).toEqual([]);
  });

  it('waits out a 429 Retry-After given in seconds', async () => {
    const { client, asked } = await setup(
      failFirst(1, (_q, res) => json(res, 429, {}, { 'retry-after': '2' })),
    );
    await client.get('/rest/api/2/user/search');
    expect(asked).toEqual([2000]);
    expect(client.stats()).toMatchObject({ throttled: 1, throttledMs: 2000, retries: 0 });
  });

  it('waits out a 503 Retry-After given as an HTTP-date, on the injected clock', async () => {
    const now = Date.UTC(2025, 0, 6, 12, 0, 0);
    const until = new Date(now + 5000).toUTCString();
    const { client, asked } = await setup(
      failFirst(1, (_q, res) => json(res, 503, {}, { 'retry-after': until })),
      { now: () => now },
    );
    await client.get('/rest/api/1.0/admin/users');
    expect(asked).toEqual([5000]);
  });

  it('fails at once when Retry-After exceeds the limit, and after too many waits', async () => {
    const { client, asked } = await setup((_q, res) =>
      json(res, 429, { message: 'Rate limited' }, { 'retry-after': '3600' }),
    );
    const err = await caught(client.get('/a'));
    expect(err.message).toBe('GET /a: 429 Too Many Requests: Rate limited; Retry-After 3600 s exceeds the 60 s limit');
    expect(asked).toEqual([]);

    const again = await setup((_q, res) => json(res, 429, {}, { 'retry-after': '1' }), { maxThrottleWaits: 2 });
    const err2 = await caught(again.client.get('/b'));
    expect(err2.message).toBe('GET /b: 429 Too Many Requests: still throttled after 2 waits');
    expect(again.asked).toEqual([1000, 1000]);
  });

  it('holds every request of the client while a throttle wait runs', async () => {
    let release = () => {};
    let waiting = () => {};
    const gateClosed = new Promise<void>((resolve) => (waiting = resolve));
    const order: string[] = [];
    const { client } = await setup(
      (req, res) => {
        order.push(req.url);
        if (order.length === 1) return json(res, 429, {}, { 'retry-after': '1' });
        json(res, 200, {});
      },
      {
        sleep: () => {
          waiting();
          return new Promise<void>((resolve) => (release = resolve));
        },
      },
    );
    const first = client.get('/first');
    await gateClosed;
    const second = client.get('/second');
    await new Promise((r) => setTimeout(r, 50)); // ample opportunity for /second to be sent, were it not held
    expect(order).toEqual(['/first']);
    release();
    await Promise.all([first, second]);
    expect(order.slice(1).sort()).toEqual(['/first', '/second']);
  });

  it('treats 503 without Retry-After as a 5xx retry', async () => {
    const { client, asked } = await setup(failFirst(1, (_q, res) => json(res, 503, {})));
    await client.get('/x');
    expect(asked).toEqual([250]);
    expect(client.stats()).toMatchObject({ retries: 1, throttled: 0 });
  });

  it('retries a connection reset for GET, not for POST', async () => {
    const reset: Handler = (_q, _res, raw) => void raw.socket.resetAndDestroy();
    const { client, server } = await setup(failFirst(1, reset));
    expect(await client.getJson('/rest/api/2/group/member')).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);

    const post = await setup(reset);
    const err = await caught(post.client.post('/rest/api/2/group/user', { body: { name: 'alice' } }));
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBeUndefined();
    expect(err.message).toMatch(/^POST \/rest\/api\/2\/group\/user: (ECONNRESET|UND_ERR_SOCKET)/);
    expect(post.server.requests).toHaveLength(1);
  });

  it('does not retry a 500 on a POST', async () => {
    const { client, server } = await setup((_q, res) => json(res, 500, { message: 'boom' }));
    await expect(client.post('/rest/api/2/group/user', { body: {} })).rejects.toThrow(
      'POST /rest/api/2/group/user: 500 Internal Server Error: boom',
    );
    expect(server.requests).toHaveLength(1);
  });

  it('reads a 200 with X-Seraph-LoginReason AUTHENTICATED_FAILED as dead credentials', async () => {
    const { client, server } = await setup((_q, res) =>
      json(res, 200, [], { 'x-seraph-loginreason': 'AUTHENTICATED_FAILED' }),
    );
    const err = await caught(client.getJson('/rest/api/2/user/search'));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toBe(
      'GET /rest/api/2/user/search: 200 OK: credentials rejected (X-Seraph-LoginReason: AUTHENTICATED_FAILED)',
    );
    expect(server.requests).toHaveLength(1);
  });

  it('turns a 401 into an AuthError without retrying', async () => {
    const { client, server } = await setup((_q, res) => json(res, 401, { message: 'Client must be authenticated' }));
    const err = await caught(client.get('/rest/api/2/myself'));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toBe('GET /rest/api/2/myself: 401 Unauthorized: Client must be authenticated');
    expect(server.requests).toHaveLength(1);
  });

  it('never puts credentials into errors or logs, even when the server echoes them', async () => {
    const echo: Handler = (req, res) => json(res, 403, { message: `denied: ${req.headers.authorization}` });
    for (const auth of [
      { type: 'bearer', token: 'pat-SECRET-123' },
      { type: 'basic', username: 'admin', password: 'hunter2-SECRET' },
    ] as const) {
      const { client, server, logs } = await setup(echo, { auth });
      const err = await caught(client.get('/rest/api/2/user'));
      const sent = server.requests[0]?.headers.authorization ?? '';
      expect(sent).toMatch(/^(Bearer|Basic) /);
      const secret = sent.split(' ')[1] ?? '';
      const views = [err.message, String(err), inspect(err, { depth: 5 }), JSON.stringify(err), ...logs];
      for (const view of views) {
        expect(view).not.toContain(secret);
        expect(view).not.toContain('SECRET');
      }
      expect(err.message).toContain('denied: ');
      await client.close();
      await server.close();
    }
  });

  it('bounds the requests in flight to the concurrency', async () => {
    const { client, server } = await setup(
      (_q, res) => void setTimeout(() => json(res, 200, {}), 15),
      { concurrency: 3 },
    );
    await Promise.all(Array.from({ length: 20 }, (_, i) => client.get(`/item/${i}`)));
    expect(server.requests).toHaveLength(20);
    expect(server.maxInFlight()).toBe(3);
  });

  it('sends to the context path with auth, query, JSON body and the write headers', async () => {
    server = await startServer((_q, res) => json(res, 201, { created: true }));
    client = createHttpClient({
      baseUrl: `${server.url}/jira/`,
      readOnly: false,
      auth: { type: 'basic', username: 'admin', password: 'pw' },
      userAgent: 'aup-test',
    });
    const res = await client.post('/rest/api/2/group/user', {
      query: { groupname: 'jira admins', ids: ['a', 'b'], skip: undefined },
      body: { name: 'alice' },
    });
    expect(res).toMatchObject({ status: 201, body: { created: true } });
    const [req] = server.requests;
    expect(req?.url).toBe('/jira/rest/api/2/group/user?groupname=jira+admins&ids=a&ids=b');
    expect(req?.headers).toMatchObject({
      authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}`,
      'content-type': 'application/json',
      'x-atlassian-token': 'no-check',
      'user-agent': 'aup-test',
    });
    expect(JSON.parse(req?.body ?? '')).toEqual({ name: 'alice' });
    await client.post('/rest/empty-post');
    expect(server.requests[1]?.body).toBe('{}');
    expect(client.baseUrl).toBe(`${server.url}/jira`);
  });

  it('refuses a non-JSON 2xx in getJson and does not follow redirects', async () => {
    const { client } = await setup((req, res) => {
      if (req.url === '/html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login');
      res.writeHead(302, { location: 'https://sso.example.com/login' }).end();
    });
    await expect(client.getJson('/html')).rejects.toThrow('GET /html: 200 OK: expected a JSON body, got text/html');
    await expect(client.get('/moved')).rejects.toThrow(
      'GET /moved: 302 Found: redirected to https://sso.example.com/login; check the base URL',
    );
  });

  it('rejects credentials in the base URL', () => {
    expect(() => createHttpClient({ baseUrl: 'https://u:p@host/jira', readOnly: true })).toThrow(
      'baseUrl must not carry credentials',
    );
  });
});
