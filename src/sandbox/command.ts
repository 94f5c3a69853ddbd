// `aup sandbox`: starts the sandbox as the chosen product (`--platform`, default jira-dc), prints its URL
// and credentials, serves until SIGINT, SIGTERM or SIGHUP (or the given signal aborts, or the npm that
// started it is gone). Takes parsed options; the CLI owns argument parsing, this module checks the
// platform and the version against that product's list.
import type { Credentials } from './auth.ts';
import type { FaultOptions, RateLimitOptions } from './knobs.ts';
import type { SandboxHandle, SandboxOptions, SandboxVersion } from './options.ts';
import type { DeleteTaskOptions } from './product.ts';
import { PLATFORMS, isPlatform, PRODUCTS } from './products/registry.ts';
import { startSandbox } from './server.ts';

export interface SandboxCommandOptions {
  /** jira-dc (default), confluence-dc or bitbucket-dc; anything else is refused with the list. */
  platform?: string;
  /** One of the platform's versions; anything else is refused with that product's list. */
  version?: string;
  port?: number;
  host?: string;
  contextPath?: string;
  /** A scenario JSON file. Without it and without `users`, the product's demo organisation is served. */
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
  anonymousAccess?: boolean;
  deleteTasks?: DeleteTaskOptions;
}

export interface SandboxCommandIO {
  /** Where the banner goes; default console.log. */
  out?: (line: string) => void;
  /** Stops the sandbox when aborted (besides SIGINT, SIGTERM and SIGHUP). */
  signal?: AbortSignal;
  /** Called once the sandbox listens (tests use it to reach the handle). */
  onReady?: (handle: SandboxHandle) => void;
  /**
   * Stop when the parent process goes away. Default: when started by npm (`npm run`, `npx`), whose shell
   * between npm and this process dies of a SIGTERM sent to npm without passing it on.
   */
  watchParent?: boolean;
}

/** Signals that stop the sandbox: Ctrl+C, kill, and the terminal closing. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const PARENT_POLL_MS = 250;

/** Resolves `stopped` on a stop signal, an abort, or (when watched) the parent process going away. */
function untilStopped(io: SandboxCommandIO): { stopped: Promise<void>; cancel: () => void } {
  const watchParent = io.watchParent ?? Boolean(process.env.npm_command || process.env.npm_lifecycle_event);
  let stop = (): void => {};
  const stopped = new Promise<void>((resolve) => {
    const parent = process.ppid;
    const poll = watchParent
      ? setInterval(() => {
          if (process.ppid !== parent) stop();
        }, PARENT_POLL_MS)
      : undefined;
    stop = (): void => {
      for (const signal of STOP_SIGNALS) process.off(signal, stop);
      io.signal?.removeEventListener('abort', stop);
      clearInterval(poll);
      resolve();
    };
    for (const signal of STOP_SIGNALS) process.once(signal, stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener('abort', stop);
  });
  return { stopped, cancel: () => stop() };
}

/** The sandbox options of a command line, or an error naming the bad --platform / --version value. */
export function sandboxOptionsFrom(opts: SandboxCommandOptions): SandboxOptions {
  const platform = opts.platform ?? 'jira-dc';
  if (!isPlatform(platform)) {
    throw new Error(`--platform: expected ${PLATFORMS.join(' | ')}, got ${JSON.stringify(platform)}`);
  }
  const product = PRODUCTS[platform];
  if (opts.version !== undefined && !product.versions.includes(opts.version)) {
    throw new Error(
      `--version: ${product.name} (${platform}) versions are ${product.versions.join(' | ')}, got ${JSON.stringify(opts.version)}`,
    );
  }
  const now = opts.now ?? new Date();
  const seeding: Pick<SandboxOptions, 'scenario' | 'scenarioFile' | 'generate'> = opts.scenarioFile
    ? { scenarioFile: opts.scenarioFile }
    : opts.users !== undefined
      ? { generate: { users: opts.users, groups: opts.groups ?? 5, seed: opts.seed ?? 1, now } }
      : { scenario: product.demoScenario(now) };
  return {
    ...seeding,
    platform,
    now,
    ...(opts.version ? { version: opts.version as SandboxVersion } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.host ? { host: opts.host } : {}),
    ...(opts.contextPath ? { contextPath: opts.contextPath } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...(opts.basicAuth !== undefined ? { basicAuth: opts.basicAuth } : {}),
    ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(opts.maxPageSize !== undefined ? { maxPageSize: opts.maxPageSize } : {}),
    ...(opts.anonymousAccess !== undefined ? { anonymousAccess: opts.anonymousAccess } : {}),
    ...(opts.deleteTasks ? { deleteTasks: opts.deleteTasks } : {}),
  };
}

export async function runSandboxCommand(
  opts: SandboxCommandOptions,
  io: SandboxCommandIO = {},
): Promise<void> {
  const out = io.out ?? ((line: string) => console.log(line));
  const options = sandboxOptionsFrom(opts);
  // Listen for the stop signals before the banner invites them: a handler added later can lose the race.
  const stopping = untilStopped(io);
  const handle = await startSandbox(options).catch((e: unknown) => {
    stopping.cancel();
    throw e;
  });
  for (const line of handle.bannerLines()) out(line);
  io.onReady?.(handle);
  await stopping.stopped;
  await handle.close();
  out('Sandbox stopped.');
}
