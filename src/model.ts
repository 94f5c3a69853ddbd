// Plain data shared by every part of the engine: snapshots of an instance, plans, apply results.
// No behaviour here beyond tiny pure helpers; everything is JSON-serialisable.

export const PLATFORMS = ['cloud', 'jira-dc', 'confluence-dc', 'bitbucket-dc', 'crowd'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** The user directory an account lives in (Jira "Internal", "Corporate LDAP", Cloud "managed"…). */
export interface DirectoryRef {
  id: string;
  name: string;
  /** Accounts of a read-only directory (LDAP/AD, SCIM-synced) cannot be changed through the API. */
  readOnly: boolean;
}

export interface User {
  /** The platform's stable id: Cloud accountId, Jira DC key, Confluence userKey, Bitbucket id, Crowd key. */
  id: string;
  /** Username (Cloud: the email or accountId). Matched case-insensitively, displayed as given. */
  name: string;
  email: string | null;
  displayName: string;
  active: boolean;
  /** ISO timestamp of the last activity; null = never logged in (when activityKnown) or unknown. */
  lastActive: string | null;
  /** false = the activity source could not tell; such a user is never treated as inactive. */
  activityKnown: boolean;
  /** ISO timestamp of creation, or null when the platform does not expose it. */
  created: string | null;
  directory: DirectoryRef;
  /** Names of the groups the user is a direct member of. */
  groups: string[];
}

export interface Group {
  name: string;
  /** Memberships of a read-only group (synced from LDAP/AD) cannot be changed through the API. */
  readOnly: boolean;
}

export const SNAPSHOT_FORMAT_VERSION = 1;

export interface Snapshot {
  formatVersion: 1;
  platform: Platform;
  /** Base URL of the instance (or the Cloud organisation id). */
  instance: string;
  takenAt: string;
  users: User[];
  groups: Group[];
  /** Stable id of the account behind the credentials, protected automatically. */
  self?: string | null;
  /** Groups that grant administration; their last active member is never deactivated or removed. */
  adminGroups?: string[];
}

export const CHANGE_KINDS = [
  'create-user',
  'activate',
  'add-member',
  'remove-member',
  'remove-access',
  'deactivate',
  'delete',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Kinds that take something away from a person: highlighted in reports, bounded by limits. */
export const DESTRUCTIVE_KINDS: readonly ChangeKind[] = [
  'remove-member',
  'remove-access',
  'deactivate',
  'delete',
];
/** Kinds that act on the whole account or its licensed seat (what max_fraction bounds). */
export const ACCOUNT_DESTRUCTIVE_KINDS: readonly ChangeKind[] = ['remove-access', 'deactivate', 'delete'];

export function isDestructive(kind: ChangeKind): boolean {
  return DESTRUCTIVE_KINDS.includes(kind);
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
  | {
      type: 'declared';
      /** Where the desired state comes from: `users[2]` or `policies/new-hires.csv:4`. */ source: string;
      state: 'active' | 'inactive' | 'absent';
    }
  | { type: 'group-exact'; /** The member is not listed for an `exact` group. */ group: string }
  | {
      type: 'group-member';
      /** The member is listed (by the group, users[] or an import) but missing. */ group: string;
      source: string;
    };

interface ChangeBase {
  /** Username as the instance spells it (or as declared, for create-user). */
  user: string;
  /** The user's display name, so reviewers recognise the person (not set for users that do not exist yet). */
  displayName?: string;
  /** Stable id; null for users that do not exist yet. */
  userId: string | null;
  /** What in the policy asked for this: an inactivity rule name, `groups.<name>`, `users`, `import`. */
  rule: string;
  reason: Reason;
}

export type Change =
  | (ChangeBase & { kind: 'create-user'; email: string | null; displayName: string })
  | (ChangeBase & { kind: 'activate' })
  | (ChangeBase & { kind: 'deactivate' })
  | (ChangeBase & { kind: 'delete' })
  | (ChangeBase & { kind: 'remove-access'; /** Access groups the seat is removed from. */ groups: string[] })
  | (ChangeBase & { kind: 'add-member'; group: string })
  | (ChangeBase & { kind: 'remove-member'; group: string });

export const SKIP_REASONS = [
  'protected',
  'excluded',
  'exception',
  'read-only-directory',
  'activity-unknown',
  'unsupported',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface Skipped {
  user: string;
  userId: string | null;
  /** The policy part that would have changed the user. */
  rule: string;
  /** The change that was not planned. */
  kind: ChangeKind;
  group?: string;
  why: SkipReason;
  detail: string;
}

export interface Upcoming {
  user: string;
  userId: string;
  rule: string;
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
  saving: { amount: number; currency: string; per: 'month' | 'year' } | null;
}

export const PLAN_FORMAT_VERSION = 1;

export interface Plan {
  formatVersion: 1;
  generatedAt: string;
  policy: { path: string; sha256: string };
  snapshot: { platform: Platform; instance: string; takenAt: string; fingerprint: string; users: number };
  applyable: boolean;
  changes: Change[];
  skipped: Skipped[];
  upcoming: Upcoming[];
  limits: LimitCheck[];
  /** Things a reviewer should know that change nothing (expired exceptions…). */
  warnings: string[];
  summary: PlanSummary;
}

export const OUTCOMES = ['applied', 'already-in-state', 'skipped', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface ApplyResult {
  change: Change;
  outcome: Outcome;
  /** The API's message for failed, the reason for skipped. */
  error?: string;
  at: string;
}

/** A short stable key for a change, used to compare a reviewed plan with a live one. */
export function changeKey(c: Change): string {
  const group = 'group' in c ? c.group : 'groups' in c ? c.groups.join('+') : '';
  return `${c.kind}|${c.userId ?? ''}|${c.user.toLowerCase()}|${group}`;
}
