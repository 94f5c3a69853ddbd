// What every part of the planner reads: indexed snapshot, compiled matchers, and the collected output.
import type { Change, ChangeKind, Group, Skipped, SkipReason, Snapshot, Upcoming, User } from '../model.ts';
import type { Capabilities } from '../platforms/types.ts';
import { Matcher } from '../policy/glob.ts';
import type { ResolvedPolicy } from '../policy/resolved.ts';
import type { Policy } from '../policy/schema.ts';

export const DAY_MS = 86_400_000;

/** A problem with the policy against this instance (an unknown group…); the plan cannot be made. */
export interface PlanProblem {
  /** Policy field path, e.g. ['groups', 'developers', 'members', 2]. */
  field: (string | number)[];
  message: string;
}

export class PlanInputError extends Error {
  readonly problems: PlanProblem[];
  constructor(problems: PlanProblem[]) {
    super(problems.map((p) => p.message).join('\n'));
    this.name = 'PlanInputError';
    this.problems = problems;
  }
}

export interface Ctx {
  snapshot: Snapshot;
  policy: Policy;
  resolved: ResolvedPolicy;
  now: Date;
  caps: Capabilities;
  byName: Map<string, User>;
  groups: Map<string, Group>;
  protectUsers: Matcher;
  protectGroups: Set<string>;
  externalDirs: Set<string>;
  changes: Change[];
  skipped: Skipped[];
  upcoming: Upcoming[];
  warnings: string[];
  problems: PlanProblem[];
}

export function makeContext(
  snapshot: Snapshot,
  resolved: ResolvedPolicy,
  now: Date,
  caps: Capabilities,
): Ctx {
  const policy = resolved.policy;
  return {
    snapshot,
    policy,
    resolved,
    now,
    caps,
    byName: new Map(snapshot.users.map((u) => [u.name.toLowerCase(), u])),
    groups: new Map(snapshot.groups.map((g) => [g.name.toLowerCase(), g])),
    protectUsers: new Matcher(policy.protect.users),
    protectGroups: new Set(policy.protect.groups.map((g) => g.toLowerCase())),
    externalDirs: new Set(policy.instance.external_directories.map((d) => d.toLowerCase())),
    changes: [],
    skipped: [],
    upcoming: [],
    warnings: [],
    problems: [],
  };
}

export function inGroup(user: User, group: string): boolean {
  const g = group.toLowerCase();
  return user.groups.some((ug) => ug.toLowerCase() === g);
}

export function isReadOnlyUser(ctx: Ctx, user: User): boolean {
  return user.directory.readOnly || ctx.externalDirs.has(user.directory.name.toLowerCase());
}

/** Why a protected user is protected, or null. */
export function protection(ctx: Ctx, user: User): string | null {
  if (ctx.snapshot.self && user.id === ctx.snapshot.self) return 'the account behind the credentials';
  if (ctx.protectUsers.matchesAny(user.name, user.email)) return 'listed in protect.users';
  const g = user.groups.find((ug) => ctx.protectGroups.has(ug.toLowerCase()));
  return g ? `member of protected group ${g}` : null;
}

const ACCOUNT_KINDS: readonly ChangeKind[] = ['activate', 'deactivate', 'delete'];
const MEMBERSHIP_KINDS: readonly ChangeKind[] = ['add-member', 'remove-member'];
const TAKING_KINDS: readonly ChangeKind[] = ['remove-member', 'remove-access', 'deactivate', 'delete'];

/**
 * The gate every change passes: protection (for changes that take something away), read-only
 * directories and groups, and platform capabilities. Returns why the change must be skipped, or null.
 */
export function gate(
  ctx: Ctx,
  user: User | null,
  kind: ChangeKind,
  groups: string[] = [],
): { why: SkipReason; detail: string } | null {
  if (user && TAKING_KINDS.includes(kind)) {
    const p = protection(ctx, user);
    if (p) return { why: 'protected', detail: p };
  }
  if (user && ACCOUNT_KINDS.includes(kind) && isReadOnlyUser(ctx, user)) {
    return { why: 'read-only-directory', detail: `account in read-only directory ${user.directory.name}` };
  }
  if (MEMBERSHIP_KINDS.includes(kind) || kind === 'remove-access') {
    const ro = groups.find((g) => ctx.groups.get(g.toLowerCase())?.readOnly);
    if (ro) return { why: 'read-only-directory', detail: `group ${ro} is synced from a read-only directory` };
  }
  const unsupported = ctx.caps.unsupported[kind];
  if (unsupported) return { why: 'unsupported', detail: unsupported };
  return null;
}

export function skip(
  ctx: Ctx,
  user: { name: string; id: string | null },
  rule: string,
  kind: ChangeKind,
  why: SkipReason,
  detail: string,
  group?: string,
): void {
  ctx.skipped.push({
    user: user.name,
    userId: user.id,
    rule,
    kind,
    ...(group ? { group } : {}),
    why,
    detail,
  });
}

/** Plans a change through the gate: it joins the plan, or the skipped list with the gate's reason. */
export function propose(ctx: Ctx, user: User | null, change: Change): void {
  const groups = 'group' in change ? [change.group] : 'groups' in change ? change.groups : [];
  const blocked = gate(ctx, user, change.kind, groups);
  if (!blocked) ctx.changes.push(change);
  else
    skip(
      ctx,
      { name: change.user, id: change.userId },
      change.rule,
      change.kind,
      blocked.why,
      blocked.detail,
      'group' in change ? change.group : undefined,
    );
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
