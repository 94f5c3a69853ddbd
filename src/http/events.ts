// Helpers of the client's progress events (HttpClientOptions.onEvent).

/** Envelope fields that hold a page's items in the Atlassian paging styles (pagination.ts). */
const ITEM_FIELDS = ['values', 'users', 'results', 'data', 'groups'];

/** The number of items of a page body: an array, or an object with one of the paging styles' item arrays. */
export function pageItems(body: unknown): number | undefined {
  if (Array.isArray(body)) return body.length;
  if (typeof body !== 'object' || body === null) return undefined;
  for (const field of ITEM_FIELDS) {
    const items = (body as Record<string, unknown>)[field];
    if (Array.isArray(items)) return items.length;
  }
  return undefined;
}
