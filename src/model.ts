// Plain data shared by every part of the engine: snapshots of an instance, plans, apply results.
// No behaviour here beyond tiny pure helpers; everything is JSON-serialisable.
import { canonical } from './model/identity.ts';
import type { Capabilities } from './model/capabilities.ts';
import type { ChangeKind } from './model/kinds.ts';
import type { RuleRef } from './model/rules.ts';

export * from './model/kinds.ts';
export type { Capabilities, Capability } from './model/capabilities.ts';
export type { RuleRef } from './model/rules.ts';

export const PLATFORMS = ['cloud', 'jira-dc', 'confluence-dc', 'bitbucket-dc', 'crowd'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** The user directory an account lives in (Jira "Internal", "Corporate LDAP", Cloud "managed"…). */
export interface DirectoryRef {
  id: string;
  name: string;
  /** Accounts of a read-only directory (LDAP/AD, SCIM-synced) cannot be changed through the API. */
  readOnly: boolean;
}

/** Activity in one product (Cloud: per product of the organisation; DC: the one product). */
export interface ProductActivity {
  /** Product key: `jira-software`, `confluence`, … */
  product: string;
  /** ISO timestamp; null = never used this product. */
  lastActive: string | null;
}

/** How a user holds a licensed seat, as the platform grants it. */
export interface SeatAccess {
  /** Groups through which the user holds a seat (access groups the user is a direct member of). */
  groups: string[];
  /** Grants that are not group memberships: Bitbucket's direct LICENSED_USER permission, Cloud product roles. */
  direct: string[];
}

/**
 * Changes the instance is known to refuse for a user before anything is applied: a platform signal
 * (Bitbucket mutableGroups, Cloud synced users), a directory the policy declares external, or what the
 * instance answered to the same change in an earlier apply.
 */
export interface ReadOnlyMark {
  kinds: ChangeKind[];
  /** For membership kinds: the groups concerned; absent = every group. */
  groups?: string[];
  reason: string;
}

/**
 * What a change does for a user besides what its kind says, known before apply: the platform's side effect
 * (deactivating a Crowd user of an Active Directory connector that writes user status back also disables the
 * AD account). The planner copies the texts of matching kinds onto each change; reports print them beside it.
 */
export interface ChangeNote {
  kinds: ChangeKind[];
  text: string;
}

export interface User {
  /** The platform's stable id: Cloud accountId, Jira DC key, Confluence userKey, Bitbucket id, Crowd key. */
  id: string;
  /** Username (Cloud: the email or accountId). Matched case-insensitively, displayed as given. */
  name: string;
  /**
   * Other names the policy may use for this user, matched like `name` (Cloud: the account id, when the
   * name is the email). Absent on most platforms.
   */
  aliases?: string[];
  email: string | null;
  displayName: string;
  active: boolean;
  /** ISO timestamp of the last activity (the latest product); null = never logged in (when activityKnown) or unknown. */
  lastActive: string | null;
  /** false = the activity source could not tell; such a user is never treated as inactive. */
  activityKnown: boolean;
  /** Per-product activity where the platform has several products (Cloud); absent elsewhere. */
  products?: ProductActivity[];
  /** ISO timestamp of creation, or null when the platform does not expose it. */
  created: string | null;
  directory: DirectoryRef;
  /** Names of the groups the user is a direct member of (of the groups read). */
  groups: string[];
  /** How the user holds a seat; absent = through the policy's access_groups the user is a member of. */
  access?: SeatAccess;
  /** Changes the instance refuses for this user (known before apply). */
  readOnly?: ReadOnlyMark[];
  /** Side effects of changes for this user, as the platform reports them (printed beside each change). */
  notes?: ChangeNote[];
  /** Accounts that are not people (Bitbucket `type: SERVICE`): never touched by inactivity rules. */
  service?: boolean;
}

export interface Group {
  name: string;
  /** Memberships of a read-only group (synced from LDAP/AD or an identity provider) cannot be changed. */
  readOnly: boolean;
  /** Why the group is read-only, when the platform says. */
  readOnlyReason?: string;
  /**
   * Products in which membership grants a licensed seat, where the platform bills per product (Cloud: from
   * the group's role assignments). Absent: not known (the seat is the platform's one product).
   */
  grants?: string[];
}

/** A set of administrators whose last active member is never deactivated, deleted or removed. */
export interface AdminSet {
  /** What makes them admins: `group jira-administrators`, `role atlassian/org-admin`. */
  label: string;
  /** The group granting administration, when it is one (removing a member from it is guarded too). */
  group: string | null;
  /** Stable ids of the members. */
  members: string[];
}

/** Where the activity in a snapshot comes from, and whether it could be read at all. */
export interface ActivitySource {
  /** Human name of the source: `user bean lastLoginTime`, `embedded Crowd login.lastLoginMillis`, `CSV x.csv`. */
  source: string;
  /** false = the source could not be read: every user's activity is unknown. */
  available: boolean;
  /** Why it is unavailable (or partial). */
  detail?: string;
  /** What to set to get activity: variables, permissions, policy keys. */
  remedy?: string;
}

export const SNAPSHOT_FORMAT_VERSION = 2;

export interface Snapshot {
  /** 2 since the platform-ready core; files of format 1 are read with the documented defaults. */
  formatVersion: 1 | 2;
  platform: Platform;
  /** Base URL of the instance (or the Cloud organisation id). */
  instance: string;
  /** The product version the driver detected, when it has one. */
  version?: string;
  takenAt: string;
  users: User[];
  /** The groups read: every group the policy names that exists. */
  groups: Group[];
  /** Names of the instance's groups, when the platform lists them (suggestions, counts); may be capped. */
  allGroups?: string[];
  /** How many groups the instance has, when more than `allGroups` lists. */
  groupCount?: number;
  /**
   * Names of the user directories. null: the platform cannot say which directory a user is in (Jira DC);
   * absent (format 1): the directories of the users.
   */
  directories?: string[] | null;
  /** Stable id of the account behind the credentials, protected automatically. */
  self?: string | null;
  /** Administrators: their last active member of each set is protected. */
  admins?: AdminSet[];
  /** Format 1: groups that grant administration (read as admin sets). */
  adminGroups?: string[];
  /** What the platform can do, as its driver declared it for this version. */
  capabilities?: Capabilities;
  /** Where activity comes from and whether it could be read. */
  activity?: ActivitySource;
}

/** Why a change is in the plan: the evidence a reviewer needs. */
export type Reason =
  | {
      type: 'inactive';
      /** Last activity (ISO) or null when the user never logged in. */
      lastActive: string | null;
      /** Creation date (ISO) when the user never logged in. */
      created: string | null;
      neverLoggedIn: boolean;
      /** Days since last activity (or since creation when never logged in). */
      days: number;
      /** The threshold that was passed: inactive_days, or grace_days for never-logged-in users. */
      thresholdDays: number;
    }
  | { type: 'declared'; state: 'active' | 'inactive' | 'absent' }
  | { type: 'group-exact'; /** The member is not listed for an `exact` group. */ group: string }
  | {
      type: 'group-member';
      /** The member is listed (by the group, users[] or an import) but missing. */ group: string;
      /** Where the membership is listed. */
      source: RuleRef;
    }
  | {
      type: 'returned';
      /** When this tool removed the access (ISO) and in which run, from the audit. */
      removedAt: string;
      run: string;
      /** The user's last activity since (ISO). */
      lastActive: string;
    }
  | {
      type: 'revert';
      /** The change of the earlier run this one undoes. */
      of: ChangeKind;
      /** Its run id and when it was applied (ISO), from the audit. */
      run: string;
      at: string;
    };

interface ChangeBase {
  /** Username as the instance spells it (or as declared, for create-user). */
  user: string;
  /** The user's display name, so reviewers recognise the person (not set for users that do not exist yet). */
  displayName?: string;
  /** Stable id; null for users that do not exist yet. */
  userId: string | null;
  /** What in the policy asked for this. */
  rule: RuleRef;
  reason: Reason;
  /** The platform operation that carries the change out ("disable user"), from the platform's capabilities. */
  operation?: string;
  /** What else the change does on this platform, from the user's notes ("also disables the AD account"). */
  notes?: string[];
}

export type Change =
  | (ChangeBase & { kind: 'create-user'; email: string | null; displayName: string })
  | (ChangeBase & { kind: 'activate' })
  | (ChangeBase & { kind: 'deactivate' })
  | (ChangeBase & { kind: 'delete' })
  | (ChangeBase & {
      kind: 'remove-access';
      /** Access groups the seat is removed from. */
      groups: string[];
      /** Direct grants dropped (Bitbucket LICENSED_USER), when the platform has them. */
      direct?: string[];
    })
  | (ChangeBase & { kind: 'add-member'; group: string })
  | (ChangeBase & { kind: 'remove-member'; group: string });

export const SKIP_REASONS = [
  'protected',
  'excluded',
  'exception',
  'read-only-directory',
  'activity-unknown',
  'unsupported',
  'irreversible',
  'reactivated-by-hand',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface Skipped {
  user: string;
  userId: string | null;
  /** The policy part that would have changed the user. */
  rule: RuleRef;
  /** The change that was not planned. */
  kind: ChangeKind;
  group?: string;
  why: SkipReason;
  detail: string;
}

export interface Upcoming {
  user: string;
  userId: string;
  rule: RuleRef;
  action: 'deactivate' | 'remove-access' | 'delete';
  /** The day (YYYY-MM-DD, UTC) the user crosses the threshold. */
  date: string;
  inDays: number;
}

export type LimitName =
  'max_changes' | 'max_deactivations' | 'max_deletions' | 'max_removals' | 'max_fraction';

export interface LimitCheck {
  name: LimitName;
  limit: number;
  actual: number;
  exceeded: boolean;
  message: string;
}

export interface PlanSummary {
  users: number;
  counts: Record<ChangeKind, number>;
  total: number;
  destructive: number;
  skipped: Partial<Record<SkipReason, number>>;
  upcoming: number;
  seatsFreed: number;
  /**
   * Seats freed per product, where the access groups say which products they grant (Cloud). Absent in plans
   * of platforms with one product, and in plans written before it existed.
   */
  seatsByProduct?: Record<string, number>;
  saving: PlanSaving | null;
}

/** What the freed seats cost, from `report.seat_cost` (one price per seat, or a price per product). */
export interface PlanSaving {
  amount: number;
  currency: string;
  per: 'month' | 'year';
  /** With prices per product: the saving per product priced. */
  byProduct?: Record<string, number>;
  /** With prices per product: products with freed seats that `report.seat_cost.products` does not price. */
  unpriced?: string[];
}

/** How much the plan could see of the users' activity: a plan with activity missing says so at the top. */
export interface PlanActivity {
  source: string;
  available: boolean;
  /** Users the inactivity rules select. */
  selected: number;
  /** Of those, users whose activity is unknown. */
  unknown: number;
  /** Set when the missing activity matters: the headline shown above the plan, with the remedy. */
  alert: string | null;
}

export const PLAN_FORMAT_VERSION = 2;

export interface Plan {
  formatVersion: 2;
  generatedAt: string;
  policy: { path: string; sha256: string };
  snapshot: {
    platform: Platform;
    instance: string;
    takenAt: string;
    fingerprint: string;
    users: number;
    version?: string;
  };
  applyable: boolean;
  changes: Change[];
  skipped: Skipped[];
  upcoming: Upcoming[];
  /**
   * `report.upcoming_days`: `upcoming` holds who reaches a threshold on one of the next this-many UTC dates,
   * the last one included (src/days.ts). Absent in plans written before it existed.
   */
  upcomingDays?: number;
  limits: LimitCheck[];
  /** Things a reviewer should know that change nothing (expired exceptions, names matching no one…). */
  warnings: string[];
  activity: PlanActivity | null;
  summary: PlanSummary;
}

export const OUTCOMES = ['applied', 'already-in-state', 'skipped', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Why a write ended as it did, beyond the outcome: drives the carried refusals and the guidance. */
export type OutcomeClass = 'read-only' | 'not-found' | 'refused' | 'unconfirmed';

export interface ApplyResult {
  change: Change;
  outcome: Outcome;
  /** The API's message for failed, the reason for skipped. */
  error?: string;
  /** For skipped/failed: what kind of refusal it was (a read-only directory is carried to later plans). */
  class?: OutcomeClass;
  at: string;
}

/** A short stable key for a change, used to compare a reviewed plan with a live one. */
export function changeKey(
  c: Pick<Change, 'kind' | 'userId' | 'user'> & { group?: string; groups?: string[] },
): string {
  const group = c.group !== undefined ? c.group : c.groups !== undefined ? c.groups.join('+') : '';
  return `${c.kind}|${c.userId ?? ''}|${canonical(c.user)}|${canonical(group)}`;
}
