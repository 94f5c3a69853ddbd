// What the platform contract suite needs to know of a platform: how to start its sandbox product with a
// seeded organisation, the credentials (good and dead), which listings are paged, and the store's truth as
// the platform's API can tell it. A platform joins the suite with a module like jira-dc.ts and one line in
// fixtures.ts.
import type { Platform } from '../../src/model.ts';
import type { Credentials } from '../../src/platforms/registry.ts';
import type {
  SandboxHandle,
  SandboxOptions,
  Scenario,
  SandboxStore,
  UserRecord,
} from '../../src/sandbox/index.ts';

/** What the snapshot must say of one seeded user. */
export interface ExpectedUser {
  id: string;
  name: string;
  email: string | null;
  displayName: string;
  active: boolean;
  lastActive: string | null;
  activityKnown: boolean;
  created: string | null;
}

export interface ContractFixture {
  platform: Platform;
  /** Sandbox versions the suite runs against. */
  versions: readonly string[];
  /** `instance` keys the platform needs in every policy besides platform (Cloud: `org: <id>`). */
  instanceKeys?: string;
  /** The group granting a licensed seat, and the administrators' group the driver reads as an admin set. */
  accessGroup: string;
  adminGroup: string;
  start(version: string, scenario: Scenario, options: Partial<SandboxOptions>): Promise<SandboxHandle>;
  /** Credentials the driver gets for a full read (activity included). */
  credentials(sb: SandboxHandle): Credentials;
  /** Credentials that must fail the run, each with a label: a bad token, a bad Basic password. */
  deadCredentials(sb: SandboxHandle): { label: string; credentials: Credentials }[];
  /** Paged listings (path prefixes) a snapshot reads: one failing page must fail the snapshot. */
  pagedReads(version: string): string[];
  /**
   * Requests other than GET that only read ("POST /path", or a pattern of it where the path holds ids), such
   * as a search that takes its filter as a body: the driver allowlists them in plan mode and the suite does
   * not count them as writes. Empty for most.
   */
  readingRequests: readonly (string | RegExp)[];
  /**
   * How policies and plans name the seeded user `username` (default: the username itself; Cloud, where
   * people have no username: their email).
   */
  ref?(username: string): string;
  /**
   * false when the credentials belong to no account (Cloud's organisation API key): nothing is protected for
   * being the credentials' own, and `protect.users` protects the automation's accounts. Default true.
   */
  selfProtected?: boolean;
  /** A user as the snapshot must show them, given the policy's access groups. */
  expectedUser(sb: SandboxHandle, user: UserRecord, accessGroups: string[]): ExpectedUser;
  /** Usernames the platform lists as members of a group (nested or direct, as it lists them). */
  members(store: SandboxStore, group: string): string[];
  /** Admin sets the snapshot must carry: group (null for a set that is not a group) → member usernames. */
  admins(store: SandboxStore): { group: string | null; members: string[] }[];
  /**
   * What the platform says before apply is read-only, with the credentials of `credentials()`: a user of a
   * read-only directory (`users`), a group of one (`groups`). Changes it cannot tell are refused at apply
   * and carried to the next plan.
   */
  readOnlyKnownBeforeApply: { users: boolean; groups: boolean };
  /**
   * The organisation with the credentials' account made an administrator outside `group`, so that `root`,
   * joining `group`, can be the last active member of an admin set the driver reads: by default the set
   * of `group` itself; `set` names another (Cloud: the role the group grants, `role atlassian/site-admin`).
   */
  lastAdmin(scenario: Scenario): {
    scenario: Scenario;
    group: string;
    set?: { group: string | null; label: string };
  };
}
