// The plan-mode guard (STYLE 4, decision 8): a read-only client sends GETs and allowlisted read-only POSTs only.
// Checked before any I/O, so a write that slips into planning code fails loudly instead of changing an instance.
import { ReadOnlyViolation } from './errors.ts';

export interface ReadOnlyGuard {
  /** True for a POST whose path is allowlisted as a read (search endpoints that take a JSON query). */
  isReadOnlyPost(method: string, path: string): boolean;
  /** Throws ReadOnlyViolation for a write in read-only mode. */
  check(method: string, path: string): void;
}

export function createReadOnlyGuard(readOnly: boolean, allow: readonly RegExp[] = []): ReadOnlyGuard {
  const isReadOnlyPost = (method: string, path: string): boolean =>
    method === 'POST' && !DOT_SEGMENT.test(path) && allow.some((pattern) => stateless(pattern).test(path));
  return {
    isReadOnlyPost,
    check(method, path) {
      if (!readOnly || method === 'GET' || method === 'HEAD') return;
      if (isReadOnlyPost(method, path)) return;
      throw new ReadOnlyViolation(method, path);
    },
  };
}

/** `/rest/search/../group/user` would match a loose pattern and be normalised by the server into a write. */
const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|$|\?)/i;

/** `g`/`y` flags make RegExp#test remember positions between calls; test with a stateless copy. */
function stateless(pattern: RegExp): RegExp {
  return pattern.global || pattern.sticky
    ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''))
    : pattern;
}
