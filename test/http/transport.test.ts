import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, HttpError } from '../../src/http/errors.ts';
import { caught, closeAll, failFirst, setup } from './harness.ts';
import { seraphLoginFailure } from '../../src/platforms/shared/dc-login.ts';
import { json } from './server.ts';
import type { Handler } from './server.ts';

afterEach(closeAll);

describe('transport: resets, timeouts, concurrency', () => {
  it('retries a connection reset for GET, not for POST', async () => {
    const reset: Handler = (_q, _res, raw) => void raw.socket.resetAndDestroy();
    const { client, server } = await setup(failFirst(1, reset));
    expect(await client.getJson('/rest/api/2/group/member')).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);

    const post = await setup(reset);
    const err = await caught(post.client.post('/rest/api/2/group/user', { body: { name: 'alice' } }));
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBeUndefined();
    expect(err.message).toMatch(/^POST \/rest\/api\/2\/group\/user: .*(ECONNRESET|UND_ERR_SOCKET)/);
    expect(post.server.requests).toHaveLength(1);
  });

  it('retries a GET whose response headers time out', async () => {
    const hang: Handler = () => {}; // never answers; the client's headers timeout fires
    const { client, server } = await setup(failFirst(1, hang), { timeoutMs: 100 });
    expect(await client.getJson('/rest/api/2/user/list')).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
    expect(client.stats()).toMatchObject({ retries: 1, requests: 2 });
  });

  it('bounds the requests in flight to the concurrency', async () => {
    const { client, server } = await setup((_q, res) => void setTimeout(() => json(res, 200, {}), 15), {
      concurrency: 3,
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => client.get(`/item/${i}`)));
    expect(server.requests).toHaveLength(20);
    expect(server.maxInFlight()).toBe(3);
  });
});

describe('credentials', () => {
  it('reads a 200 with X-Seraph-LoginReason AUTHENTICATED_FAILED as dead credentials', async () => {
    const { client, server } = await setup(
      (_q, res) => json(res, 200, [], { 'x-seraph-loginreason': 'AUTHENTICATED_FAILED' }),
      { loginFailure: seraphLoginFailure },
    );
    const err = await caught(client.getJson('/rest/api/2/user/search'));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toBe(
      'GET /rest/api/2/user/search: 200 OK: credentials rejected (X-Seraph-LoginReason: AUTHENTICATED_FAILED)',
    );
    expect(server.requests).toHaveLength(1);
  });

  it('turns a 401 into an AuthError without retrying', async () => {
    const { client, server } = await setup((_q, res) =>
      json(res, 401, { message: 'Client must be authenticated' }),
    );
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
    }
  });
});
