// Maps instance.platform to its adapter. The planner never branches on platform names; it reads capabilities.
import { createHttpClient } from '../http/index.ts';
import type { Auth, HttpClient } from '../http/types.ts';
import type { Platform } from '../model.ts';
import type { ResolvedPolicy } from '../policy/resolved.ts';
import { readActivityCsv } from './activity-csv.ts';
import { JiraDcAdapter } from './jira-dc.ts';
import type { DirectoryAdapter } from './types.ts';

/** Credentials come from Action inputs or the environment, never from the policy. */
export interface Credentials {
  token?: string;
  username?: string;
  password?: string;
  /** Application credentials of Jira's embedded Crowd (login times), optional. */
  appName?: string;
  appPassword?: string;
}

export interface ConnectOptions {
  url: string;
  credentials: Credentials;
  /** Plan mode: the HTTP client refuses every write. */
  readOnly: boolean;
  clock: () => Date;
  log?: (message: string) => void;
  concurrency?: number;
  /** Groups to read besides those the policy names (the base branch's policy, to compare plans). */
  extraGroups?: string[];
  /** For tests: no real waiting on Retry-After or backoff. */
  sleep?: (ms: number) => Promise<void>;
}

export interface Connection {
  adapter: DirectoryAdapter;
  clients: HttpClient[];
  close(): Promise<void>;
}

export const SUPPORTED_PLATFORMS: readonly Platform[] = ['jira-dc'];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** True when the credentials name a way to authenticate (a token, or a username with a password). */
export function hasCredentials(c: Credentials): boolean {
  return Boolean(c.token || (c.username && c.password));
}

function authOf(c: Credentials): Auth {
  if (c.token) return { type: 'bearer', token: c.token };
  if (c.username && c.password) return { type: 'basic', username: c.username, password: c.password };
  throw new ConfigError(
    'no credentials: set ATLASSIAN_TOKEN (a personal access token) or ATLASSIAN_USERNAME and ATLASSIAN_PASSWORD',
  );
}

/** Every group name the policy mentions: their memberships are what the plan needs. */
export function groupsNamedBy(r: ResolvedPolicy): string[] {
  const p = r.policy;
  const names = [
    ...p.instance.access_groups,
    ...p.protect.groups,
    ...Object.keys(p.groups),
    ...p.inactivity.flatMap((rule) => [...(rule.select.groups ?? []), ...rule.exclude.groups]),
    ...r.declared.flatMap((d) => d.groups),
  ];
  const seen = new Map<string, string>();
  for (const n of names) if (!seen.has(n.toLowerCase())) seen.set(n.toLowerCase(), n);
  return [...seen.values()];
}

export async function connect(resolved: ResolvedPolicy, o: ConnectOptions): Promise<Connection> {
  const platform = resolved.policy.instance.platform;
  if (!SUPPORTED_PLATFORMS.includes(platform)) {
    throw new ConfigError(
      `instance.platform ${platform}: no adapter yet (supported: ${SUPPORTED_PLATFORMS.join(', ')}); plan from a snapshot file with --snapshot`,
    );
  }
  // Read first: a bad CSV fails before any connection is opened.
  const activity = resolved.policy.instance.activity;
  const activityCsv =
    activity.source === 'csv' && activity.csv ? await readActivityCsv(activity.csv) : undefined;
  const common = {
    baseUrl: o.url,
    readOnly: o.readOnly,
    log: o.log,
    concurrency: o.concurrency,
    sleep: o.sleep,
  };
  const http = createHttpClient({ ...common, auth: authOf(o.credentials) });
  const clients = [http];
  let crowd: HttpClient | undefined;
  if (o.credentials.appName && o.credentials.appPassword) {
    crowd = createHttpClient({
      ...common,
      auth: { type: 'basic', username: o.credentials.appName, password: o.credentials.appPassword },
    });
    clients.push(crowd);
  }
  const adapter = new JiraDcAdapter({
    http,
    crowd,
    activityCsv,
    groups: [...groupsNamedBy(resolved), ...(o.extraGroups ?? [])],
    clock: o.clock,
  });
  return { adapter, clients, close: async () => void (await Promise.all(clients.map((c) => c.close()))) };
}
