// Running `aup` in-process against a contract fixture's sandbox: the credentials the fixture names, as the
// environment variables the CLI reads.
import { vi } from 'vitest';
import { CREDENTIAL_SOURCES } from '../../src/platforms/credentials.ts';
import type { Credentials } from '../../src/platforms/registry.ts';

export { aup } from '../cli/capture.ts';

/** Sets ATLASSIAN_URL and every credential variable (unset ones empty, so the machine's own never leak in). */
export function stubCredentials(url: string, c: Credentials): void {
  vi.stubEnv('ATLASSIAN_URL', url);
  for (const [key, source] of Object.entries(CREDENTIAL_SOURCES))
    vi.stubEnv(source.env, c[key as keyof Credentials] ?? '');
}
