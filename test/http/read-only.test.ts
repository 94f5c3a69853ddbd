import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/client.ts';
import { ReadOnlyViolation } from '../../src/http/errors.ts';
import { closeAll, track } from './harness.ts';
import { json, recordingSleep, startServer } from './server.ts';
import type { Handler } from './server.ts';

afterEach(closeAll);

const CROWD_SEARCH = /^\/rest\/admin\/1\.0\/users\/search$/;

async function planModeClient(handler: Handler = (_q, res) => json(res, 200, { ok: true })) {
  const server = await startServer(handler);
  const client = createHttpClient({
    baseUrl: `${server.url}/crowd`,
    readOnly: true,
    readOnlyAllow: [CROWD_SEARCH],
    sleep: recordingSleep().sleep,
    random: () => 0,
  });
  track(server);
  track(client);
  return { server, client };
}

describe('read-only guard (plan mode)', () => {
  it('refuses writes before any request reaches the server', async () => {
    const { server, client } = await planModeClient();
    const writes = [
      client.post('/rest/api/2/group/user', { body: { name: 'alice' } }),
      client.put('/rest/api/2/user', { query: { username: 'alice' }, body: { active: false } }),
      client.delete('/rest/api/2/user', { query: { username: 'alice' } }),
    ];
    for (const write of writes) await expect(write).rejects.toBeInstanceOf(ReadOnlyViolation);
    await expect(client.delete('/rest/api/2/user')).rejects.toThrow(
      'DELETE /rest/api/2/user: refused in plan mode: the client is read-only',
    );
    expect(server.requests).toEqual([]);
    expect(client.stats()).toMatchObject({ requests: 0, refused: 4, errors: 0 });
  });

  it('lets GETs and allowlisted read-only POSTs through', async () => {
    const { server, client } = await planModeClient();
    await client.get('/rest/usermanagement/1/search', { 'entity-type': 'user' });
    await client.post('/rest/admin/1.0/users/search', { query: { start: 0 }, body: { active: true } });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /crowd/rest/usermanagement/1/search?entity-type=user',
      'POST /crowd/rest/admin/1.0/users/search?start=0',
    ]);
  });

  it('matches the allowlist on the path only, and refuses dot segments that would escape it', async () => {
    const { server, client } = await planModeClient();
    const loose = createHttpClient({
      baseUrl: server.url,
      readOnly: true,
      readOnlyAllow: [/\/users\/search/g],
    });
    track(loose);
    await expect(loose.post('/rest/admin/1.0/users/search/../../group/user')).rejects.toBeInstanceOf(
      ReadOnlyViolation,
    );
    await expect(loose.post('/rest/admin/1.0/users/search/%2e%2e/delete')).rejects.toBeInstanceOf(
      ReadOnlyViolation,
    );
    await expect(client.post('/rest/admin/1.0/users/search/extra')).rejects.toBeInstanceOf(ReadOnlyViolation);
    // a global-flag pattern is not stateful between calls
    await loose.post('/rest/admin/1.0/users/search');
    await loose.post('/rest/admin/1.0/users/search');
    expect(server.requests).toHaveLength(2);
  });

  it('retries an allowlisted POST on a 5xx: it only reads', async () => {
    let n = 0;
    const { server, client } = await planModeClient((_q, res) =>
      n++ === 0 ? json(res, 502, {}) : json(res, 200, { users: [] }),
    );
    await client.post('/rest/admin/1.0/users/search', { body: {} });
    expect(server.requests).toHaveLength(2);
  });

  it('sends writes when the client is not read-only', async () => {
    const server = await startServer((_q, res) => void res.writeHead(204).end());
    const client = createHttpClient({ baseUrl: server.url, readOnly: false });
    track(server);
    track(client);
    const res = await client.put('/rest/api/admin/user/alice/disable');
    expect(res).toMatchObject({ status: 204, body: undefined });
    expect(server.requests[0]?.method).toBe('PUT');
  });
});
