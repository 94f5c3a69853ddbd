// `aup sandbox`: starts the sandbox, prints its URL and credentials, serves until SIGINT/SIGTERM (or the
// given signal aborts). Takes parsed options; the CLI owns argument parsing.
import type { Credentials } from './auth.ts';
import type { FaultOptions, RateLimitOptions } from './knobs.ts';
import { demoScenario } from './seed.ts';
import { startSandbox, type SandboxHandle, type SandboxOptions } from './server.ts';
import { traits, type JiraVersion } from './versions.ts';

export interface SandboxCommandOptions {
  version?: JiraVersion;
  port?: number;
  host?: string;
  contextPath?: string;
  /** A scenario JSON file. Without it and without `users`, the demo organisation is served. */
  scenarioFile?: string;
  /** Generate this many users (with `groups` and `seed`) instead of the demo organisation. */
  users?: number;
  groups?: number;
  seed?: number;
  /** "Today" for generated data; default now. */
  now?: Date;
  credentials?: Partial<Credentials>;
  basicAuth?: boolean;
  rateLimit?: RateLimitOptions;
  faults?: FaultOptions;
  maxPageSize?: number;
}

export interface SandboxCommandIO {
  /** Where the banner goes; default console.log. */
  out?: (line: string) => void;
  /** Stops the sandbox when aborted (besides SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Called once the sandbox listens (tests use it to reach the handle). */
  onReady?: (handle: SandboxHandle) => void;
}

export function sandboxOptionsFrom(opts: SandboxCommandOptions): SandboxOptions {
  const now = opts.now ?? new Date();
  const seeding: Pick<SandboxOptions, 'scenario' | 'scenarioFile' | 'generate'> = opts.scenarioFile
    ? { scenarioFile: opts.scenarioFile }
    : opts.users !== undefined
      ? { generate: { users: opts.users, groups: opts.groups ?? 5, seed: opts.seed ?? 1, now } }
      : { scenario: demoScenario(now) };
  return {
    ...seeding,
    now,
    ...(opts.version ? { version: opts.version } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.host ? { host: opts.host } : {}),
    ...(opts.contextPath ? { contextPath: opts.contextPath } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...(opts.basicAuth !== undefined ? { basicAuth: opts.basicAuth } : {}),
    ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(opts.maxPageSize !== undefined ? { maxPageSize: opts.maxPageSize } : {}),
  };
}

export function banner(handle: SandboxHandle, basicAuth: boolean): string[] {
  const { store, credentials: c } = handle;
  const dirs = store.directories.map((d) => `${d.name}${d.readOnly ? ' (read-only)' : ''}`).join(', ');
  return [
    `Atlassian sandbox: Jira Data Center ${traits(handle.version).full} at ${handle.url}`,
    `  ${store.users().length} users, ${store.groups().length} groups; directories: ${dirs}`,
    `  username: ${c.username}`,
    `  password: ${c.password}${basicAuth ? '' : ' (Basic auth is off on this version: use the token)'}`,
    `  token:    ${c.token}   (Authorization: Bearer …)`,
    `  Crowd application (/rest/usermanagement/1): ${c.appName} / ${c.appPassword}`,
    'Press Ctrl+C to stop.',
  ];
}

export async function runSandboxCommand(
  opts: SandboxCommandOptions,
  io: SandboxCommandIO = {},
): Promise<void> {
  const out = io.out ?? ((line: string) => console.log(line));
  const options = sandboxOptionsFrom(opts);
  const handle = await startSandbox(options);
  const basicAuth = options.basicAuth ?? traits(handle.version).basicAuthByDefault;
  for (const line of banner(handle, basicAuth)) out(line);
  io.onReady?.(handle);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener('abort', stop);
  });
  await handle.close();
  out('Sandbox stopped.');
}
