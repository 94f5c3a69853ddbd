// Running `aup` in-process against a contract fixture's sandbox: the credentials the fixture names, as the
// environment variables the CLI reads, and the CLI's output captured.
import { vi } from 'vitest';
import { main } from '../../src/cli.ts';
import type { Io } from '../../src/commands/plan.ts';
import { CREDENTIAL_SOURCES } from '../../src/platforms/credentials.ts';
import type { Credentials } from '../../src/platforms/registry.ts';

/** Sets ATLASSIAN_URL and every credential variable (unset ones empty, so the machine's own never leak in). */
export function stubCredentials(url: string, c: Credentials): void {
  vi.stubEnv('ATLASSIAN_URL', url);
  for (const [key, source] of Object.entries(CREDENTIAL_SOURCES))
    vi.stubEnv(source.env, c[key as keyof Credentials] ?? '');
}

export interface AupRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function aup(argv: string[], o: { columns?: number } = {}): Promise<AupRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = {
    color: false,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    ...(o.columns ? { columns: o.columns } : {}),
  };
  const code = await main(argv, io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}
