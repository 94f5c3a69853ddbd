// What every part of the planner reads: indexed snapshot, compiled matchers, and the collected output.
import {
  ACCOUNT_KINDS,
  type Capabilities,
  type Change,
  type ChangeKind,
  DESTRUCTIVE_KINDS,
  type Group,
  MEMBERSHIP_KINDS,
  type RuleRef,
  type Skipped,
  type SkipReason,
  type Snapshot,
  type Upcoming,
  type User,
} from '../model.ts';
import { operationOf, unsupportedReason } from '../model/capabilities.ts';
import { seatOf } from '../model/seat.ts';
import { includesName, NameMap } from '../model/identity.ts';
import { Matcher } from '../policy/glob.ts';
import type { ResolvedPolicy } from '../policy/resolved.ts';
import type { Policy } from '../policy/schema.ts';

export { DAY_MS } from '../days.ts';

/** A problem with the policy against this instance (an unknown group…); the plan cannot be made. */
export interface PlanProblem {
  /** Policy field path, e.g. ['groups', 'developers', 'members', 2]. */
  field: (string | number)[];
  message: string;
  /** The file the field is in, when not the policy itself (an imported CSV). */
  file?: string;
  line?: number;
  col?: number;
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
  byName: NameMap<User>;
  /** Users by stable id (built once: a million-entry map is not free). */
  byId: Map<string, User>;
  groups: NameMap<Group>;
  protectUsers: Matcher;
  protectGroups: string[];
  externalDirs: string[];
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
  const byName = new NameMap<User>();
  for (const u of snapshot.users) byName.set(u.name, u);
  // Other names the policy may use (Cloud's account ids), never in place of a user's own name.
  for (const u of snapshot.users)
    for (const alias of u.aliases ?? []) if (!byName.has(alias)) byName.set(alias, u);
  const groups = new NameMap<Group>();
  for (const g of snapshot.groups) groups.set(g.name, g);
  return {
    snapshot,
    policy,
    resolved,
    now,
    caps,
    byName,
    byId: new Map(snapshot.users.map((u) => [u.id, u])),
    groups,
    protectUsers: new Matcher(policy.protect.users),
    protectGroups: policy.protect.groups,
    externalDirs: policy.instance.external_directories,
    changes: [],
    skipped: [],
    upcoming: [],
    warnings: [],
    problems: [],
  };
}

/** Every name the policy may use for a user: the name, its aliases and the email. */
export function namesOf(user: User): (string | null)[] {
  return [user.name, ...(user.aliases ?? []), user.email];
}

/**
 * The user's name as the snapshot spells it, for a name the policy uses (a username, or an alias such as a
 * Cloud account id); the policy's name itself when it names no user. Policy names are compared through it.
 */
export function nameOf(ctx: Pick<Ctx, 'byName'>, name: string): string {
  return ctx.byName.get(name)?.name ?? name;
}

export function inGroup(user: User, group: string): boolean {
  return includesName(user.groups, group);
}

/** The groups through which a user holds a licensed seat: the platform's answer, else the policy's access groups. */
export function seatGroups(ctx: Ctx, user: User): string[] {
  return seatOf(user, ctx.policy.instance.access_groups).groups;
}

/** Direct seat grants (not group memberships) the platform reports for a user. */
export function directGrants(user: User): string[] {
  return user.access?.direct ?? [];
}

/** Why a change of this kind cannot be made for this user (read-only directory or mark), or null. */
export function readOnlyReason(ctx: Ctx, user: User, kind: ChangeKind, groups: string[]): string | null {
  if (ACCOUNT_KINDS.includes(kind)) {
    if (user.directory.readOnly) return `account in read-only directory ${user.directory.name}`;
    if (includesName(ctx.externalDirs, user.directory.name))
      return `account in ${user.directory.name}, declared in instance.external_directories`;
  }
  for (const mark of user.readOnly ?? []) {
    if (!mark.kinds.includes(kind)) continue;
    if (mark.groups && MEMBERSHIP_KINDS.includes(kind) && !groups.some((g) => includesName(mark.groups!, g)))
      continue;
    return mark.reason;
  }
  return null;
}

/** Why a protected user is protected, or null. */
export function protection(ctx: Ctx, user: User): string | null {
  if (ctx.snapshot.self && user.id === ctx.snapshot.self) return 'the account behind the credentials';
  if (ctx.protectUsers.matchesAny(...namesOf(user))) return 'listed in protect.users';
  if (ctx.protectGroups.length === 0) return null;
  const g = user.groups.find((ug) => includesName(ctx.protectGroups, ug));
  return g ? `member of protected group ${g}` : null;
}

/**
 * The gate every change passes: protection (for changes that take something away), read-only
 * directories, groups and marks, and platform capabilities. Returns why the change must be skipped, or null.
 */
export function gate(
  ctx: Ctx,
  user: User | null,
  kind: ChangeKind,
  groups: string[] = [],
): { why: SkipReason; detail: string } | null {
  if (user && DESTRUCTIVE_KINDS.includes(kind)) {
    const p = protection(ctx, user);
    if (p) return { why: 'protected', detail: p };
  }
  if (user) {
    const ro = readOnlyReason(ctx, user, kind, groups);
    if (ro) return { why: 'read-only-directory', detail: ro };
  }
  if (MEMBERSHIP_KINDS.includes(kind)) {
    const ro = groups.map((g) => ctx.groups.get(g)).find((g) => g?.readOnly);
    if (ro)
      return {
        why: 'read-only-directory',
        detail: ro.readOnlyReason ?? `group ${ro.name} is synced from a read-only directory`,
      };
  }
  const unsupported = unsupportedReason(ctx.caps, kind);
  if (unsupported) return { why: 'unsupported', detail: unsupported };
  return null;
}

export function skip(
  ctx: Ctx,
  user: { name: string; id: string | null },
  rule: RuleRef,
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

/** Plans a change through the gate: it joins the plan (with its platform operation), or the skipped list. */
export function propose(ctx: Ctx, user: User | null, change: Change): void {
  const groups = 'group' in change ? [change.group] : 'groups' in change ? change.groups : [];
  const blocked = gate(ctx, user, change.kind, groups);
  if (!blocked) {
    const operation = operationOf(ctx.caps, change.kind);
    const notes = (user?.notes ?? []).filter((n) => n.kinds.includes(change.kind)).map((n) => n.text);
    ctx.changes.push({
      ...change,
      ...(operation ? { operation } : {}),
      ...(notes.length > 0 ? { notes } : {}),
    });
  } else
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

export { isoDay } from '../days.ts';
