// What every command that reads an instance shares: the settings of a live run, opening the connection the
// policy names (credentials from the environment, progress on stderr, failures described), and the HTTP line.
import type { CliValues } from '../cli.ts';
import { withPlatformDefaults } from '../app/plan-run.ts';
import type { Snapshot } from '../model.ts';
import { loadSnapshot } from '../snapshot/load.ts';
import {
  type CredentialNames,
  credentialNamesOf,
  credentialsFromEnv,
  credentialsFromNames,
  DEFAULT_CREDENTIAL_NAMES,
} from '../platforms/credentials.ts';
import type { Credentials } from '../platforms/registry.ts';
import { type Connection, connect, driverFor } from '../platforms/registry.ts';
import type { ResolvedPolicy } from '../policy/resolved.ts';
import { plural } from '../plural.ts';
import { describeConnectionFailure } from './failure.ts';
import { instanceUrlFrom } from './instance-url.ts';
import { CliError, type Io, type OutputFormat } from './plan.ts';
import { type Progress, startProgress } from './progress.ts';
import type { InstanceReport } from '../report/instances.ts';

export interface Env {
  [name: string]: string | undefined;
}

export { credentialsFromEnv };

export interface LiveArgs {
  policy: string;
  url?: string;
  now: Date;
  outDir?: string;
  format: OutputFormat;
  detailedExitcode: boolean;
  /** Also write the plan as JSON here (`--plan-out`). */
  planOut?: string;
  env: Env;
  clock: () => Date;
  /** refused.csv of an earlier apply: changes the instance refused as read-only are planned as skipped. */
  refusals?: string;
  /** The previous run's inventory.csv: drift since. */
  since?: string;
  /** audit.csv of earlier applies: the planner's memory (cooldown, welcome back). */
  history?: string;
  /** Told what became of the instance (several policies: the combined summary). */
  report?: (r: InstanceReport) => void;
}

/** What to read besides what the policy needs. */
export interface ReadWider {
  /** Groups whose members to read besides those the policy names. */
  extraGroups?: string[];
  /** The members of every group of the instance. */
  allGroups?: boolean;
}

/**
 * The credentials of the policy's instance: from the variables its instance.credentials names (only those), else
 * from the ATLASSIAN_* variables.
 */
export function credentialsOf(
  resolved: ResolvedPolicy,
  env: Env,
): { credentials: Credentials; names: CredentialNames } {
  const names = credentialNamesOf(resolved.policy.instance.credentials, resolved.path);
  if (names) return { credentials: credentialsFromNames(names, env), names };
  return { credentials: credentialsFromEnv(env), names: DEFAULT_CREDENTIAL_NAMES };
}

/**
 * The instance's URL as a run uses it: --url, else ATLASSIAN_URL, else the policy's instance.url. A policy that
 * names its own credentials (instance.credentials) reads no ATLASSIAN_* variable, ATLASSIAN_URL included.
 */
export function liveUrl(resolved: ResolvedPolicy, args: Pick<LiveArgs, 'url' | 'env'>): string {
  return instanceUrlFrom({
    flag: args.url,
    env: resolved.policy.instance.credentials ? undefined : args.env.ATLASSIAN_URL,
    policy: resolved.policy.instance.url,
    policyPath: resolved.path,
    platformDefault: driverFor(resolved.policy.instance.platform)?.defaultUrl,
  });
}

export async function withConnection<T>(
  resolved: ResolvedPolicy,
  args: LiveArgs,
  readOnly: boolean,
  io: Io,
  f: (c: Connection, progress: Progress) => Promise<T>,
  wider: ReadWider = {},
): Promise<T> {
  const url = liveUrl(resolved, args);
  const { credentials, names } = credentialsOf(resolved, args.env);
  const progress = startProgress(io.progress, { what: `reading ${url}`, fallbackLog: (m) => io.err(m) });
  let conn: Connection | undefined;
  try {
    conn = await connect(resolved, {
      url,
      credentials,
      credentialNames: names,
      readOnly,
      clock: args.clock,
      log: (m) => progress.log(m),
      onHttpEvent: (e) => progress.http(e),
      ...(wider.extraGroups && wider.extraGroups.length > 0 ? { extraGroups: wider.extraGroups } : {}),
      ...(wider.allGroups ? { allGroups: true } : {}),
    });
    return await f(conn, progress);
  } catch (e) {
    const described = describeConnectionFailure(e, url, credentials, names);
    throw described ? new CliError(described) : e;
  } finally {
    progress.stop();
    await conn?.close();
  }
}

export function requestsLine(conn: Pick<Connection, 'clients'>): string {
  const s = conn.clients.map((c) => c.stats());
  const sum = (f: (x: (typeof s)[number]) => number) => s.reduce((a, x) => a + f(x), 0);
  return `HTTP: ${plural(
    sum((x) => x.requests),
    'request',
  )}, ${plural(
    sum((x) => x.retries),
    'retry',
    'retries',
  )}, ${plural(
    sum((x) => x.throttled),
    'throttled wait',
  )}`;
}

export function liveArgs(values: CliValues, env: Env, now: Date, format: OutputFormat): LiveArgs {
  if (!values.policy) throw new CliError('this command needs --policy <file>');
  return {
    policy: values.policy,
    url: values.url,
    now,
    outDir: values.out,
    format,
    detailedExitcode: values['detailed-exitcode'] ?? false,
    planOut: values['plan-out'],
    env,
    clock: () => new Date(),
    ...(values.refusals ? { refusals: values.refusals } : {}),
    ...(values.since ? { since: values.since } : {}),
    ...(values.history ? { history: values.history } : {}),
  };
}

/**
 * One snapshot of the policy's instance: the file given (`--snapshot`), else a read of the live instance
 * (read-only) with what `wider` adds to the policy's read scope.
 */
export async function readOneSnapshot(
  resolved: ResolvedPolicy,
  args: LiveArgs & { snapshot?: string },
  io: Io,
  wider: ReadWider = {},
): Promise<Snapshot> {
  if (args.snapshot) return withPlatformDefaults(await loadSnapshot(args.snapshot));
  return withConnection(
    resolved,
    args,
    true,
    io,
    async (conn, progress) => {
      const snapshot = await conn.adapter.snapshot();
      progress.stop();
      return snapshot;
    },
    wider,
  );
}
