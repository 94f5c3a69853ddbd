import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/client.ts';
import { HttpError } from '../../src/http/errors.ts';
import {
  PaginationError,
  collect,
  paginateArray,
  paginateBitbucket,
  paginateCloud,
  paginateCloudSearch,
  paginateConfluence,
  paginateCrowd,
  paginateCursor,
  paginateStartAt,
} from '../../src/http/pagination.ts';
import type { JsonReader, PageOptions } from '../../src/http/pagination.ts';
import type { HttpClient } from '../../src/http/types.ts';
import { json, recordingSleep, startServer } from './server.ts';
import type { Handler, TestServer } from './server.ts';

const ITEMS = Array.from({ length: 250 }, (_, i) => ({ id: i }));
const CAP = 100; // the server returns at most this many per page, whatever was asked
const FAIL_AT = 100; // offset of the page that fails under /fail/…

/** Serves ITEMS in every paging style at /<style>, and at /fail/<style> with the page at FAIL_AT failing. */
const pages: Handler = (req, res) => {
  const url = new URL(req.url, 'http://x');
  const q = url.searchParams;
  const failing = url.pathname.startsWith('/fail/');
  const style = url.pathname.replace(/^\/(fail\/)?/, '');
  const cursor = q.get('cursor');
  const start = Number(q.get('startAt') ?? q.get('start') ?? q.get('start-index') ?? cursor?.slice(1) ?? 0);
  const asked = Number(q.get('maxResults') ?? q.get('limit') ?? q.get('max-results') ?? 50);
  if (failing && start === FAIL_AT) return json(res, 500, { errorMessages: ['page failed'] });
  const size = Math.min(asked, CAP);
  const values = ITEMS.slice(start, start + size);
  const end = start + values.length;
  const last = end >= ITEMS.length;
  const next = last ? undefined : `c${end}`;
  const bodies: Record<string, unknown> = {
    startAt: { startAt: start, maxResults: size, total: ITEMS.length, isLast: last, values },
    array: values,
    cursor: { values, isLast: last, nextCursor: next, maxResults: size },
    cloud: { data: values, links: { self: 'x', next } },
    bitbucket: {
      size: values.length,
      limit: size,
      start,
      isLastPage: last,
      nextPageStart: last ? null : end,
      values,
    },
    confluence: {
      results: values,
      start,
      limit: size,
      size: values.length,
      _links: { base: 'http://x', context: '', next: last ? undefined : `/rest/api/user/list?start=${end}` },
    },
    crowd: { expand: 'user', users: values },
    stuck: { size: 0, limit: size, start, isLastPage: false, nextPageStart: start, values: [] },
    shapeless: { items: values },
  };
  json(res, 200, bodies[style] ?? { message: `no route ${style}` });
};

type Paginator = (client: JsonReader, path: string, opts?: PageOptions) => AsyncGenerator<{ id: number }>;

const STYLES: [string, Paginator, number][] = [
  ['startAt', paginateStartAt, 3],
  ['array', paginateArray, 4], // ends on an empty page
  ['cursor', paginateCursor, 3],
  ['cloud', paginateCloud, 3],
  ['bitbucket', paginateBitbucket, 3],
  ['confluence', paginateConfluence, 3],
  ['crowd', paginateCrowd, 4], // ends on an empty page
];

let server: TestServer;
let client: HttpClient;

beforeAll(async () => {
  server = await startServer(pages);
  client = createHttpClient({
    baseUrl: server.url,
    readOnly: true,
    retries: 1,
    sleep: recordingSleep().sleep,
  });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

describe.each(STYLES)('%s paging', (style, paginate, requests) => {
  it('reads all 250 items across capped pages, passing the filter query on every page', async () => {
    const before = server.requests.length;
    const items = await collect(paginate(client, `/${style}`, { pageSize: 1000, query: { filter: 'x' } }));
    expect(items).toEqual(ITEMS);
    const seen = server.requests.slice(before);
    expect(seen).toHaveLength(requests);
    for (const req of seen) expect(req.url).toContain('filter=x');
  });

  it('throws when a middle page fails, after yielding the pages before it', async () => {
    const got: number[] = [];
    const reading = (async () => {
      for await (const item of paginate(client, `/fail/${style}`, { pageSize: 1000 })) got.push(item.id);
    })();
    const err = await reading.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).message).toBe(`GET /fail/${style}: 500 Internal Server Error: page failed`);
    expect(got).toHaveLength(FAIL_AT);
  });
});

describe('paging fails closed', () => {
  it('throws on a page without the items array', async () => {
    await expect(collect(paginateStartAt(client, '/shapeless'))).rejects.toThrow(
      'GET /shapeless (startAt=0, maxResults=50): the page has no "values" array',
    );
    await expect(collect(paginateArray(client, '/shapeless'))).rejects.toBeInstanceOf(PaginationError);
  });

  it('throws on a page that is not the last but does not advance', async () => {
    await expect(collect(paginateBitbucket(client, '/stuck'))).rejects.toThrow(
      'GET /stuck (start=0, limit=1000): the page is not the last one but does not advance',
    );
  });

  it('throws when a listing does not end within maxPages', async () => {
    await expect(collect(paginateStartAt(client, '/startAt', { pageSize: 10, maxPages: 5 }))).rejects.toThrow(
      'paging did not end after 5 pages',
    );
  });

  it('throws on a cursor page that is not last but has no cursor', async () => {
    await expect(collect(paginateCursor(client, '/bitbucket'))).rejects.toThrow(
      'isLast is not true but nextCursor is missing',
    );
  });
});

describe('Cloud search paging (POST, the filter and the cursor in the body)', () => {
  let search: TestServer;
  let poster: HttpClient;
  beforeAll(async () => {
    search = await startServer((req, res) => {
      const body = JSON.parse(req.body || '{}') as { cursor?: string; limit?: number; stuck?: boolean };
      const start = Number(body.cursor?.slice(1) ?? 0);
      if (req.url === '/fail' && start === FAIL_AT) return json(res, 500, { message: 'page failed' });
      const values = ITEMS.slice(start, start + Math.min(body.limit ?? 50, CAP));
      const end = start + values.length;
      const next = body.stuck ? `c${start}` : end < ITEMS.length ? `c${end}` : null;
      json(res, 200, { data: values, links: { self: null, prev: null, next } });
    });
    poster = createHttpClient({
      baseUrl: search.url,
      readOnly: true,
      readOnlyAllow: [/^\/(search|fail)$/],
      retries: 0,
      sleep: recordingSleep().sleep,
    });
  });
  afterAll(async () => {
    await poster.close();
    await search.close();
  });

  it('reads every page, sending the filter with each cursor as JSON', async () => {
    const items = await collect(
      paginateCloudSearch(poster, '/search', { pageSize: 100, body: { groupIds: ['g1'] } }),
    );
    expect(items).toEqual(ITEMS);
    const sent = search.requests.map((r) => [r.method, r.headers['content-type'], JSON.parse(r.body)]);
    expect(sent).toEqual([
      ['POST', 'application/json', { groupIds: ['g1'], limit: 100 }],
      ['POST', 'application/json', { groupIds: ['g1'], limit: 100, cursor: 'c100' }],
      ['POST', 'application/json', { groupIds: ['g1'], limit: 100, cursor: 'c200' }],
    ]);
  });

  it('fails closed: a failing page throws, a cursor that does not advance throws', async () => {
    await expect(collect(paginateCloudSearch(poster, '/fail', { pageSize: 100 }))).rejects.toThrow(
      'POST /fail: 500 Internal Server Error: page failed',
    );
    await expect(collect(paginateCloudSearch(poster, '/search', { body: { stuck: true } }))).rejects.toThrow(
      'POST /search (cursor=c0, limit=100): the page is not the last one but does not advance',
    );
  });
});
