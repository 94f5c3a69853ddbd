// The version of a Confluence instance, read once: the application-links manifest answers anonymously on
// every version (JSON when asked for it), /rest/api/server-information (9.1+) needs a user. Dead
// credentials still fail here: the login hook sees X-Seraph-LoginReason on the anonymous answer.
import { AuthError, HttpError } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';

interface VersionBody {
  version?: unknown;
}

function parse(body: VersionBody, where: string): number[] {
  const text = typeof body.version === 'string' ? body.version : '';
  const nums = text.split('.').map((n) => Number.parseInt(n, 10));
  if (!text || nums.some((n) => Number.isNaN(n)))
    throw new Error(`${where}: no version in ${JSON.stringify(body).slice(0, 200)}`);
  return nums;
}

export async function readConfluenceVersion(http: HttpClient): Promise<number[]> {
  try {
    return parse(
      await http.getJson<VersionBody>('/rest/applinks/1.0/manifest'),
      'reading the version from GET /rest/applinks/1.0/manifest',
    );
  } catch (first) {
    if (first instanceof AuthError || !(first instanceof HttpError)) throw first;
    try {
      return parse(
        await http.getJson<VersionBody>('/rest/api/server-information'),
        'reading the version from GET /rest/api/server-information',
      );
    } catch (second) {
      if (second instanceof AuthError || !(second instanceof HttpError)) throw second;
      throw new Error(
        `reading the Confluence version: ${first.message}; and ${second.message}. Is the URL a Confluence base URL (with its context path, e.g. /confluence)?`,
        { cause: second },
      );
    }
  }
}
