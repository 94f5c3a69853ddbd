// Pagination helpers for the paging styles of atlassian-api.md §0, as async generators over `getJson`.
// They fail closed (STYLE 8): a failed page throws, a page of the wrong shape throws, a page that claims more
// but does not advance throws, and a listing that never ends throws after `maxPages`. None of them ever ends
// early and silently. Items are yielded page by page; a consumer sees the throw before any "done".
//
// Styles without an end marker (plain arrays of Jira `user/search`, Crowd `start-index`) stop on an EMPTY page,
// not on a page shorter than asked: servers cap page sizes below what was asked (Jira's cap varies by version
// and configuration; Crowd's is undocumented), and a short-page rule would then end after the first page.
// The price is one extra request per listing.
import type { Query } from './types.ts';

/** What the paginators need from a client: `HttpClient` fits. */
export interface JsonReader {
  getJson<T>(path: string, query?: Query): Promise<T>;
}

export interface PageOptions {
  /** Extra query parameters sent with every page (filters, expand). */
  query?: Query;
  /** Items asked per page; the server may return fewer. */
  pageSize?: number;
  /** The array field of the page envelope, where the style has one. */
  itemsKey?: string;
  /** Safety stop: a listing that has not ended after this many pages throws. Default 10 000. */
  maxPages?: number;
}

export class PaginationError extends Error {
  override name = 'PaginationError';
}

interface Step<T> {
  items: readonly T[];
  /** Query changes for the next page; undefined at the end. */
  next?: Query;
}

type Page = Record<string, unknown>;
type Reader<T> = (page: unknown, asked: Query, where: string) => Step<T>;

/** Fetches one page with these parameters (a GET's query, or a search POST's body). */
type Fetch = (params: Query) => Promise<unknown>;

async function* walk<T>(client: JsonReader, path: string, opts: PageOptions, first: Query, read: Reader<T>) {
  yield* walkWith<T>('GET', (q) => client.getJson<unknown>(path, q), path, opts, first, read);
}

async function* walkWith<T>(
  method: string,
  fetch: Fetch,
  path: string,
  opts: PageOptions,
  first: Query,
  read: Reader<T>,
) {
  const maxPages = opts.maxPages ?? 10_000;
  let query: Query = { ...opts.query, ...first };
  for (let pages = 1; ; pages++) {
    const where = `${method} ${path} (${Object.keys(first)
      .map((k) => `${k}=${String(query[k] ?? '')}`)
      .join(', ')})`;
    if (pages > maxPages) throw new PaginationError(`${where}: paging did not end after ${maxPages} pages`);
    const page = await fetch(query);
    const { items, next } = read(page, query, where);
    yield* items;
    if (!next) return;
    const advanced = { ...query, ...next };
    if (Object.keys(next).every((k) => advanced[k] === query[k])) {
      throw new PaginationError(`${where}: the page is not the last one but does not advance`);
    }
    query = advanced;
  }
}

/** Jira envelope `{startAt, maxResults, total, isLast, values}` (group members): `startAt/maxResults`. */
export function paginateStartAt<T>(
  client: JsonReader,
  path: string,
  opts: PageOptions = {},
): AsyncGenerator<T> {
  const first = { startAt: 0, maxResults: opts.pageSize ?? 50 };
  return walk<T>(client, path, opts, first, (raw, asked, where) => {
    const page = envelope(raw, where);
    const values = itemsOf<T>(page, opts.itemsKey ?? 'values', where);
    const start = typeof page.startAt === 'number' ? page.startAt : Number(asked.startAt);
    const nextStart = start + values.length;
    const last =
      page.isLast === true ||
      (page.isLast === undefined &&
        (typeof page.total === 'number' ? nextStart >= page.total : !values.length));
    return { items: values, next: last ? undefined : { startAt: nextStart } };
  });
}

/** Plain array pages with `startAt/maxResults` (Jira ≤9 `user/search?username=.`); ends on an empty page. */
export function paginateArray<T>(
  client: JsonReader,
  path: string,
  opts: PageOptions = {},
): AsyncGenerator<T> {
  const first = { startAt: 0, maxResults: opts.pageSize ?? 1000 };
  return walk<T>(client, path, opts, first, (raw, asked, where) => {
    if (!Array.isArray(raw)) throw new PaginationError(`${where}: expected a JSON array page`);
    const values = raw as T[];
    return {
      items: values,
      next: values.length ? { startAt: Number(asked.startAt) + values.length } : undefined,
    };
  });
}

/** Jira 10.3+/11 `user/list`: `cursor/maxResults` → `{values, isLast, nextCursor}`. */
export function paginateCursor<T>(
  client: JsonReader,
  path: string,
  opts: PageOptions = {},
): AsyncGenerator<T> {
  const first = { cursor: undefined, maxResults: opts.pageSize ?? 1000 };
  return walk<T>(client, path, opts, first, (raw, _asked, where) => {
    const page = envelope(raw, where);
    const values = itemsOf<T>(page, opts.itemsKey ?? 'values', where);
    if (page.isLast === true) return { items: values };
    return {
      items: values,
      next: { cursor: token(page.nextCursor, 'isLast is not true but nextCursor', where) },
    };
  });
}

/** Cloud Organizations API: `cursor/limit` → `{data, links: {next}}`; `links.next` goes back as `cursor`. */
export function paginateCloud<T>(
  client: JsonReader,
  path: string,
  opts: PageOptions = {},
): AsyncGenerator<T> {
  const first = { cursor: undefined, limit: opts.pageSize ?? 100 };
  return walk<T>(client, path, opts, first, (raw, _asked, where) => {
    const page = envelope(raw, where);
    const values = itemsOf<T>(page, opts.itemsKey ?? 'data', where);
    const next = linksOf(page, 'links', where)?.next;
    if (next === undefined || next === null || next === '') return { items: values };
    return { items: values, next: { cursor: token(next, 'links.next', where) } };
  });
}

/** What the search paginator needs from a client: `HttpClient` fits. */
export interface JsonPoster {
  post<T>(path: string, options?: { body?: unknown }): Promise<{ body: T }>;
}

/**
 * Cloud Organizations API searches (`POST …/users/search`, `…/groups/search`): the filter is the JSON body
 * (`opts.body`), paged by `cursor`/`limit` in the body → `{data, links: {next}}`; `links.next` goes back as
 * `cursor`. The client must allowlist the path as a read (plan mode).
 */
export function paginateCloudSearch<T>(
  client: JsonPoster,
  path: string,
  opts: PageOptions & { body?: Record<string, unknown> } = {},
): AsyncGenerator<T> {
  const first = { cursor: undefined, limit: opts.pageSize ?? 100 };
  const fetch: Fetch = async (params) =>
    (await client.post<unknown>(path, { body: { ...opts.body, ...params } })).body;
  return walkWith<T>('POST', fetch, path, opts, first, (raw, _asked, where) => {
    const page = envelope(raw, where);
    const values = itemsOf<T>(page, opts.itemsKey ?? 'data', where);
    const next = linksOf(page, 'links', where)?.next;
    if (next === undefined || next === null || next === '') return { items: values };
    return { items: values, next: { cursor: token(next, 'links.next', where) } };
  });
}

/** Bitbucket DC `start/limit` → `{values, isLastPage, nextPageStart}`. */
export function paginateBitbucket<T>(
  client: JsonReader,
  path: string,
  opts: PageOptions = {},
): AsyncGenerator<T> {
  const first = { start: 0, limit: opts.pageSize ?? 1000 };
  return walk<T>(client, path, opts, first, (raw, _asked, where) => {
    const page = envelope(raw, where);
    const values = itemsOf<T>(page, opts.itemsKey ?? 'values', where);
    if (page.isLastPage === true) return { items: values };
    if (typeof page.nextPageStart !== 'number') {
      throw new PaginationError(`${where}: isLastPage is not true but nextPageStart is missing`);
    }
    return { items: values, next: { start: page.nextPageStart } };
  });
}

/** Confluence DC `start/limit` → `{results, start, _links: {next}}`; more pages while `_links.next` is present. */
export function paginateConfluence<T>(
  client: JsonReader,
  path: string,
  opts: PageOptions = {},
): AsyncGenerator<T> {
  const first = { start: 0, limit: opts.pageSize ?? 100 };
  return walk<T>(client, path, opts, first, (raw, asked, where) => {
    const page = envelope(raw, where);
    const values = itemsOf<T>(page, opts.itemsKey ?? 'results', where);
    // A `_links` or `next` of another type is a broken answer, not the last page: fail, never read fewer users.
    const links = linksOf(page, '_links', where);
    if (!links || links.next === undefined || links.next === null) return { items: values };
    if (typeof links.next !== 'string' || links.next === '')
      throw new PaginationError(`${where}: _links.next is not a link`);
    const start = typeof page.start === 'number' ? page.start : Number(asked.start);
    return { items: values, next: { start: start + values.length } };
  });
}

/** Crowd `start-index/max-results` → `{users: […]}` (or `groups`, via itemsKey); ends on an empty page. */
export function paginateCrowd<T>(
  client: JsonReader,
  path: string,
  opts: PageOptions = {},
): AsyncGenerator<T> {
  const first = { 'start-index': 0, 'max-results': opts.pageSize ?? 1000 };
  return walk<T>(client, path, opts, first, (raw, asked, where) => {
    const values = itemsOf<T>(envelope(raw, where), opts.itemsKey ?? 'users', where);
    if (!values.length) return { items: values };
    return { items: values, next: { 'start-index': Number(asked['start-index']) + values.length } };
  });
}

/** Drains a paginator into an array (still failing closed). */
export async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of pages) items.push(item);
  return items;
}

function envelope(raw: unknown, where: string): Page {
  if (!isRecord(raw)) throw new PaginationError(`${where}: expected a JSON object page`);
  return raw;
}

function itemsOf<T>(page: Page, key: string, where: string): T[] {
  const items = page[key];
  if (!Array.isArray(items)) throw new PaginationError(`${where}: the page has no "${key}" array`);
  return items as T[];
}

/** The links object of a page: absent is fine (no more pages), another type than an object is an error. */
function linksOf(page: Page, key: string, where: string): Record<string, unknown> | undefined {
  const links = page[key];
  if (links === undefined || links === null) return undefined;
  if (!isRecord(links)) throw new PaginationError(`${where}: "${key}" is not an object`);
  return links;
}

function token(value: unknown, what: string, where: string): string {
  if ((typeof value === 'string' && value !== '') || typeof value === 'number') return String(value);
  throw new PaginationError(`${where}: ${what} is missing`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
