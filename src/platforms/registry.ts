// The platforms the engine can connect to, one line each, and the one way to connect: through the driver's
// declarations, with the policy's read scope and the CSV activity overlay every platform shares.
import { insecureUrlProblem } from '../http/secure-url.ts';
import type { HttpEvent } from '../http/types.ts';
import type { Platform, Snapshot } from '../model.ts';
import { formatPath } from '../policy/diagnostics.ts';
import { snapshotSchema } from '../snapshot/schema.ts';
import type { ResolvedPolicy } from '../policy/resolved.ts';
import { bitbucketDc } from './bitbucket-dc/index.ts';
import { cloud } from './cloud/index.ts';
import { canAuthenticate, type CredentialNames, credentialProblems } from './credentials.ts';
import {
  ConfigError,
  type Credentials,
  type Directory,
  type PlatformDriver,
  UnreadableAnswer,
} from './driver.ts';
import { confluenceDc } from './confluence-dc/index.ts';
import { crowd } from './crowd/index.ts';
import { jiraDc } from './jira-dc/index.ts';
import { groupsNamedBy } from './shared/read-scope.ts';
import { overlayActivity, readActivityCsv } from './shared/activity-csv.ts';

export { ConfigError, type Credentials, UnreadableAnswer } from './driver.ts';
export { groupsNamedBy } from './shared/read-scope.ts';

/** Every platform with a driver. Adding a platform: its folder under src/platforms/ and one line here. */
const DRIVERS: Partial<Record<Platform, PlatformDriver>> = {
  'jira-dc': jiraDc,
  'confluence-dc': confluenceDc,
  crowd,
  'bitbucket-dc': bitbucketDc,
  cloud,
};

export const SUPPORTED_PLATFORMS = Object.keys(DRIVERS) as Platform[];

export function driverFor(platform: Platform): PlatformDriver | undefined {
  return DRIVERS[platform];
}

function requireDriver(platform: Platform): PlatformDriver {
  const driver = DRIVERS[platform];
  if (!driver)
    throw new ConfigError(
      `instance.platform ${platform}: no driver yet (supported: ${SUPPORTED_PLATFORMS.join(', ')}); plan from a snapshot file with --snapshot`,
    );
  return driver;
}

/** True when the credentials complete one of the platform's ways to authenticate. */
export function hasCredentials(c: Credentials, platform: Platform = 'jira-dc'): boolean {
  const driver = DRIVERS[platform];
  return driver ? canAuthenticate(driver, c) : Boolean(c.token || (c.username && c.password));
}

export interface ConnectOptions {
  url: string;
  credentials: Credentials;
  /** Which variables the credentials were read from (the policy's instance.credentials), for messages. */
  credentialNames?: CredentialNames;
  /** Plan mode: the HTTP clients refuse every write. */
  readOnly: boolean;
  clock: () => Date;
  log?: (message: string) => void;
  /** Progress events of every HTTP client of the connection. */
  onHttpEvent?: (event: HttpEvent) => void;
  concurrency?: number;
  /** Groups to read besides those the policy names (the base branch's policy, to compare plans). */
  extraGroups?: string[];
  /** Read the members of every group of the instance (ReadScope.allGroups). */
  allGroups?: boolean;
  /** For tests: no real waiting on Retry-After or backoff. */
  sleep?: (ms: number) => Promise<void>;
}

export interface Connection {
  /** The connected platform; its snapshot already carries the CSV activity overlay when the policy asks. */
  adapter: Directory;
  platform: Platform;
  clients: Directory['clients'];
  close(): Promise<void>;
}

export async function connect(resolved: ResolvedPolicy, o: ConnectOptions): Promise<Connection> {
  const platform = resolved.policy.instance.platform;
  const driver = requireDriver(platform);
  const problems = credentialProblems(driver, o.credentials, o.credentialNames);
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  const insecure = insecureUrlProblem(o.url, resolved.policy.instance.allow_insecure_http);
  if (insecure) throw new ConfigError(insecure);
  // Read first: a bad CSV fails before any connection is opened.
  const activity = resolved.policy.instance.activity;
  const csv = activity.source === 'csv' && activity.csv ? activity.csv : null;
  const activityCsv = csv ? await readActivityCsv(csv) : undefined;
  const directory = driver.connect({
    url: o.url,
    credentials: o.credentials,
    readOnly: o.readOnly,
    clock: o.clock,
    log: o.log,
    onHttpEvent: o.onHttpEvent,
    concurrency: o.concurrency,
    sleep: o.sleep,
    scope: {
      groups: [...groupsNamedBy(resolved), ...(o.extraGroups ?? [])],
      accessGroups: resolved.policy.instance.access_groups,
      activityFromCsv: Boolean(activityCsv),
      ...(activity.products ? { products: activity.products } : {}),
      ...(resolved.policy.instance.directories ? { directories: resolved.policy.instance.directories } : {}),
      ...(resolved.policy.instance.org ? { org: resolved.policy.instance.org } : {}),
      ...(resolved.policy.instance.directory ? { directory: resolved.policy.instance.directory } : {}),
      ...(o.allGroups ? { allGroups: true } : {}),
    },
  });
  const read = () => readingAnswers(directory, driver.product, o.url);
  // The driver behind one surface: its snapshot read through readingAnswers and, when the policy asks, the
  // CSV activity overlay.
  const adapter: Directory = {
    get capabilities() {
      return directory.capabilities;
    },
    snapshot: async () => (activityCsv && csv ? overlayActivity(await read(), activityCsv, csv) : read()),
    apply: (c) => directory.apply(c),
    clients: directory.clients,
    ...(directory.lease ? { lease: directory.lease } : {}),
    close: () => directory.close(),
  };
  return { adapter, platform, clients: directory.clients, close: () => directory.close() };
}

/** Errors only a defect throws: met while reading answers, they mean an answer the driver could not take apart. */
const DEFECTS = ['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError'];

/**
 * The driver's snapshot, with an answer it could not take apart (a field of another type than documented,
 * nesting too deep) turned into a failed read that says so — every platform fails closed the same way.
 */
async function readingAnswers(directory: Directory, product: string, url: string) {
  let snapshot: Snapshot;
  try {
    snapshot = await directory.snapshot();
  } catch (e) {
    if (!(e instanceof Error) || !DEFECTS.includes(e.name)) throw e;
    throw new UnreadableAnswer(
      `reading ${url}: an answer could not be read as ${product} documents it (${e.name}: ${e.message}); nothing was changed. A proxy between here and the instance, or a version that answers differently, is the usual cause; AUP_DEBUG=1 shows where it failed`,
      { cause: e },
    );
  }
  // What the driver made of the answers is checked like a snapshot file: a value of another type than the API
  // documents (a number for a name, an object for a date) stops here, before anything plans with it.
  let checked: ReturnType<typeof snapshotSchema.safeParse>;
  try {
    checked = snapshotSchema.safeParse(snapshot);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new UnreadableAnswer(
      `reading ${url}: ${product} answered with values nested too deeply to use; nothing was changed`,
    );
  }
  if (!checked.success) {
    const issues = checked.error.issues
      .slice(0, 3)
      .map((i) => `${formatPath(i.path)}: ${i.message}`)
      .join('; ');
    throw new UnreadableAnswer(
      `reading ${url}: ${product} answered with values aup cannot use (${issues}); nothing was changed. A proxy between here and the instance, or a version that answers differently, is the usual cause`,
    );
  }
  return snapshot;
}
