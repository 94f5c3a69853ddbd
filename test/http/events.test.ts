// The client's progress hook (onEvent): every answer with the page's item count, every throttle wait and
// every retry, as they happen — against a real local server.
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpEvent } from '../../src/http/types.ts';
import { closeAll, setup } from './harness.ts';
import { json } from './server.ts';

afterEach(closeAll);

describe('HttpClientOptions.onEvent', () => {
  it('reports answers with their page sizes, throttle waits and retries', async () => {
    const events: HttpEvent[] = [];
    let n = 0;
    const { client } = await setup(
      (req, res) => {
        n++;
        if (n === 1) return json(res, 429, { message: 'slow down' }, { 'retry-after': '2' });
        if (n === 2) return json(res, 503, { message: 'busy' });
        if (req.url?.startsWith('/rest/api/2/user/list'))
          return json(res, 200, { values: [1, 2, 3], isLast: true });
        return json(res, 200, [{ a: 1 }, { a: 2 }]);
      },
      { onEvent: (e) => events.push(e) },
    );
    await client.getJson('/rest/api/2/user/list', { maxResults: 3 });
    await client.getJson('/rest/api/2/user/search');
    await client.getJson('/rest/api/2/serverInfo');
    expect(events).toEqual([
      { type: 'response', method: 'GET', path: '/rest/api/2/user/list', status: 429 },
      { type: 'throttle', method: 'GET', path: '/rest/api/2/user/list', waitMs: 2000 },
      { type: 'response', method: 'GET', path: '/rest/api/2/user/list', status: 503 },
      {
        type: 'retry',
        method: 'GET',
        path: '/rest/api/2/user/list',
        waitMs: expect.any(Number),
        reason: '503',
      },
      {
        type: 'response',
        method: 'GET',
        path: '/rest/api/2/user/list',
        status: 200,
        items: 3,
        itemsField: 'values',
      },
      {
        type: 'response',
        method: 'GET',
        path: '/rest/api/2/user/search',
        status: 200,
        items: 2,
        itemsField: '',
      },
      {
        type: 'response',
        method: 'GET',
        path: '/rest/api/2/serverInfo',
        status: 200,
        items: 2,
        itemsField: '',
      },
    ]);
  });
});
