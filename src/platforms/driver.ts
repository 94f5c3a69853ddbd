// The contract every platform driver keeps: what it declares (id, product, credentials, default URL,
// capabilities) and what a connected driver gives (a directory: snapshot + apply). A platform is a folder
// under src/platforms/<id>/ exporting a PlatformDriver, plus one line in registry.ts.
import type { HttpClient, HttpEvent } from '../http/types.ts';
import type { Capabilities, Change, Platform, Snapshot } from '../model.ts';
import type { ApplyOutcome } from './shared/write-outcomes.ts';

export type { ApplyOutcome } from './shared/write-outcomes.ts';

/** The credential values a driver may read; which variable or input holds each is in credentials.ts. */
export type CredentialKey = 'token' | 'username' | 'password' | 'appName' | 'appPassword';
export type Credentials = Partial<Record<CredentialKey, string>>;

export interface CredentialSpec {
  /** Ways to authenticate, in order of preference; one must be complete. */
  auth: { keys: CredentialKey[]; label: string }[];
  /** Optional pairs that add something (Jira's embedded-Crowd application: login times). */
  optional?: { keys: CredentialKey[]; purpose: string }[];
}

/** What the plan needs read: groups the policy names, the access groups, the activity source. */
export interface ReadScope {
  /** Every group name the policy (and a compared base policy) uses; their memberships are read. */
  groups: string[];
  /** `instance.access_groups`. */
  accessGroups: string[];
  /** True when activity comes from a CSV: the driver need not read its own source. */
  activityFromCsv: boolean;
  /** `instance.activity.products`, where the platform has several. */
  products?: string[];
  /** `instance.directories`: read only the users of these directories (names); absent = every directory. */
  directories?: string[];
  /** `instance.org`: the organisation (Cloud). */
  org?: string;
  /** `instance.directory`: the one directory to manage, by id or name (Cloud); absent = every directory. */
  directory?: string;
  /**
   * Read the members of every group the instance lists (`aup export`), not only of `groups`: the snapshot's
   * `groups` then holds each group of `allGroups` with its members. Every driver honours it (contract suite).
   */
  allGroups?: boolean;
}

export interface DriverContext {
  url: string;
  credentials: Credentials;
  /** Plan mode: every HTTP client the driver makes refuses writes. */
  readOnly: boolean;
  scope: ReadScope;
  clock: () => Date;
  log?: (message: string) => void;
  /** Progress events; each HTTP client the driver makes reports to it. */
  onHttpEvent?: (event: HttpEvent) => void;
  /** Requests in flight at once per client. */
  concurrency?: number;
  /** For tests: no real waiting on Retry-After or backoff. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Where the lease of an apply (one apply per instance at a time, src/app/lease.ts) is recorded: groups of the
 * instance whose names carry the lease. Each driver says how its platform creates, lists and deletes groups;
 * the protocol is the same for all.
 */
export interface LeaseStore {
  /** Where the markers live, for messages: `groups of Jira Data Center`. */
  readonly where: string;
  /** Names of the groups whose name starts with `prefix` (compared case-insensitively). */
  list(prefix: string): Promise<string[]>;
  /** Creates the group; throws (an HttpError) when the instance refuses, because it exists or otherwise. */
  create(name: string): Promise<void>;
  /** Deletes the group; a group that is already gone is not an error. */
  remove(name: string): Promise<void>;
}

/** A connected platform: reads the instance and applies changes to it. */
export interface Directory {
  /** What the platform can do (version-aware once the snapshot has probed the version). */
  readonly capabilities: Capabilities;
  /** Reads the whole instance. Fails closed: any failed page fails the snapshot, never a partial one. */
  snapshot(): Promise<Snapshot>;
  /** Applies one change. Idempotent: a change already in effect answers `already-in-state`. */
  apply(change: Change): Promise<ApplyOutcome>;
  /** The HTTP clients, for request counts. */
  readonly clients: HttpClient[];
  /** Where applies record their lease; absent = the platform offers none (applies warn that they hold none). */
  readonly lease?: LeaseStore;
  close(): Promise<void>;
}

export interface PlatformDriver {
  id: Platform;
  /** `Jira Data Center`. */
  product: string;
  /** Base URL when the policy and the environment give none (Cloud: https://api.atlassian.com). */
  defaultUrl?: string;
  credentials: CredentialSpec;
  /** false: the API does not say which directory a user is in (directory names in a policy cannot match). */
  reportsDirectories: boolean;
  /** What the platform can do, as far as it is known without asking the instance. */
  capabilities: Capabilities;
  connect(ctx: DriverContext): Directory;
}

/**
 * Reading the instance stopped on an answer the driver could not take apart (a field of another type than
 * the API documents, nesting too deep to walk): the read fails closed, nothing was written.
 */
export class UnreadableAnswer extends Error {
  override name = 'UnreadableAnswer';
}

/** A setting is missing or wrong (credentials, URL, platform): nothing was read or written. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
