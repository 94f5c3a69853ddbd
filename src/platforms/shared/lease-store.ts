// The pieces every platform's lease store shares: a 404 on delete is a group already gone, and a listing is
// filtered to the prefix case-insensitively (search endpoints match substrings or ignore case).
import { HttpError } from '../../http/errors.ts';

export function startsWithFolded(name: string, prefix: string): boolean {
  return name.toLowerCase().startsWith(prefix.toLowerCase());
}

/** Runs a delete; a 404 (already gone) is fine. */
export async function removeGone(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (e instanceof HttpError && e.status === 404) return;
    throw e;
  }
}
