import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/client.ts';
import { HttpError } from '../../src/http/errors.ts';
import { caught, closeAll, failFirst, setup, track } from './harness.ts';
import { json, startServer } from './server.ts';

afterEach(closeAll);

describe('createHttpClient', () => {
  it('retries a 500 with jittered backoff, then succeeds', async () => {
    const { client, server, asked, logs } = await setup(failFirst(2, (_q, res) => json(res, 500, {})));
    expect(await client.getJson('/rest/api/2/serverInfo')).toEqual({ ok: true });
    expect(server.requests).toHaveLength(3);
    expect(asked).toEqual([250, 500]); // random 0.5 × 500·2^n
    expect(logs[0]).toBe('GET /rest/api/2/serverInfo: 500, retry 1 of 4 in 250 ms');
    expect(client.stats()).toMatchObject({
      requests: 3,
      retries: 2,
      errors: 0,
      byStatus: { 500: 2, 200: 1 },
    });
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
    expect(err.message).toBe(
      'GET /rest/api/2/user: 400 Bad Request: The user does not exist; username: unknown',
    );
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
    expect(err.message).toBe(
      'GET /a: 429 Too Many Requests: Rate limited; Retry-After 3600 s exceeds the 60 s limit',
    );
    expect(asked).toEqual([]);

    const again = await setup((_q, res) => json(res, 429, {}, { 'retry-after': '1' }), {
      maxThrottleWaits: 2,
    });
    const err2 = await caught(again.client.get('/b'));
    expect(err2.message).toBe('GET /b: 429 Too Many Requests: still throttled after 2 waits');
    expect(again.asked).toEqual([1000, 1000]);

    const one = await setup((_q, res) => json(res, 429, {}, { 'retry-after': '1' }), { maxThrottleWaits: 1 });
    expect((await caught(one.client.get('/c'))).message).toBe(
      'GET /c: 429 Too Many Requests: still throttled after 1 wait',
    );
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

  it('does not retry a 500 on a POST', async () => {
    const { client, server } = await setup((_q, res) => json(res, 500, { message: 'boom' }));
    await expect(client.post('/rest/api/2/group/user', { body: {} })).rejects.toThrow(
      'POST /rest/api/2/group/user: 500 Internal Server Error: boom',
    );
    expect(server.requests).toHaveLength(1);
  });

  it('sends to the context path with auth, query, JSON body and the write headers', async () => {
    const server = track(await startServer((_q, res) => json(res, 201, { created: true })));
    const client = track(
      createHttpClient({
        baseUrl: `${server.url}/jira/`,
        readOnly: false,
        auth: { type: 'basic', username: 'admin', password: 'pw' },
        userAgent: 'aup-test',
      }),
    );
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
      if (req.url === '/html')
        return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login');
      res.writeHead(302, { location: 'https://sso.example.com/login' }).end();
    });
    await expect(client.getJson('/html')).rejects.toThrow(
      'GET /html: 200 OK: expected a JSON body, got text/html',
    );
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
