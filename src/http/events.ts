// Helpers of the client's progress events (HttpClientOptions.onEvent).

/** Envelope fields that hold a page's items in the Atlassian paging styles (pagination.ts). */
const ITEM_FIELDS = ['values', 'users', 'results', 'data', 'groups'];

/** A page body's item count and the envelope field holding them ('' for a bare array); {} for other bodies. */
export function pageItems(body: unknown): { items?: number; itemsField?: string } {
  if (Array.isArray(body)) return { items: body.length, itemsField: '' };
  if (typeof body !== 'object' || body === null) return {};
  for (const field of ITEM_FIELDS) {
    const items = (body as Record<string, unknown>)[field];
    if (Array.isArray(items)) return { items: items.length, itemsField: field };
  }
  return {};
}
