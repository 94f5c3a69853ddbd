// The HTTP layer: one client per target instance, errors, and the pagination helpers.
export { createHttpClient } from './client.ts';
export { AuthError, HttpError, ReadOnlyViolation, extractAtlassianMessage } from './errors.ts';
export type { HttpErrorInit } from './errors.ts';
export {
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
} from './pagination.ts';
export type { JsonPoster, JsonReader, PageOptions } from './pagination.ts';
export { backoffDelay, parseRetryAfter } from './retry.ts';
export type * from './types.ts';
