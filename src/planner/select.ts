// Which users a selection names, and how long a user has been inactive: one code for the policy's inactivity
// `select` and `exclude` (planner/inactivity.ts) and for `aup list`'s filters, so a search shows exactly whom a
// rule with the same words would select. Pure.
import type { User } from '../model.ts';
import { includesName } from '../model/identity.ts';
import { daysBetween } from '../days.ts';
import { Matcher } from '../policy/glob.ts';
import { effectiveActivity } from './activity.ts';
import { namesOf } from './context.ts';

/** Account state: `select.status` of a rule, `aup list --status` (`all` there). */
export type StatusFilter = 'active' | 'inactive' | 'any';

/** What a selection may name; every part given must hold (parts left out select everyone). */
export interface SelectionSpec {
  status?: StatusFilter;
  /** Member (as the instance lists members) of any of these groups. */
  groups?: readonly string[];
  /** In any of these user directories (by name). */
  directories?: readonly string[];
  /** Email matching any of these patterns (`*`, `?`, case-insensitive); a user without email never matches. */
  emails?: readonly string[];
  /** Username (or an alias: a Cloud account id) or email matching any of these patterns: `exclude.users`. */
  users?: readonly string[];
  /** Username (or an alias) or display name matching any of these patterns (`aup list --name`). */
  names?: readonly string[];
}

/** A compiled selection: patterns compiled once, then asked per user. */
export class Selection {
  private readonly spec: SelectionSpec;
  private readonly emails: Matcher | null;
  private readonly users: Matcher | null;
  private readonly names: Matcher | null;

  constructor(spec: SelectionSpec) {
    this.spec = spec;
    this.emails = spec.emails ? new Matcher(spec.emails) : null;
    this.users = spec.users ? new Matcher(spec.users) : null;
    this.names = spec.names ? new Matcher(spec.names) : null;
  }

  matches(user: User): boolean {
    const s = this.spec;
    if (!statusMatches(s.status, user)) return false;
    if (s.groups && firstGroupOf(user, s.groups) === undefined) return false;
    if (s.directories && !includesName(s.directories, user.directory.name)) return false;
    if (this.emails && !this.emails.matches(user.email)) return false;
    if (this.users && !this.users.matchesAny(...namesOf(user))) return false;
    if (this.names && !this.names.matchesAny(user.name, ...(user.aliases ?? []), user.displayName))
      return false;
    return true;
  }
}

export function statusMatches(status: StatusFilter | undefined, user: Pick<User, 'active'>): boolean {
  if (status === 'active') return user.active;
  if (status === 'inactive') return !user.active;
  return true;
}

/** The first of `groups` the user is a member of (as the policy spells it), or undefined. */
export function firstGroupOf(user: Pick<User, 'groups'>, groups: readonly string[]): string | undefined {
  return groups.find((g) => includesName(user.groups, g));
}

/** How long a user has been inactive, as the inactivity rules count it; unknown activity is never inactivity. */
export type Inactivity =
  | { known: false; detail: string }
  | {
      known: true;
      /** Last activity in the products that count (ISO), or null: never logged in. */
      lastActive: string | null;
      neverLoggedIn: boolean;
      /** The instant counted from: the last activity, or the creation for users who never logged in. */
      since: string;
      /** UTC days since then (src/days.ts). */
      days: number;
    };

export function inactivityOf(user: User, now: Date, products: readonly string[] | undefined): Inactivity {
  const activity = effectiveActivity(user, products);
  if (!activity.known) return { known: false, detail: activity.detail };
  const lastActive = activity.lastActive;
  const neverLoggedIn = lastActive === null;
  const since = neverLoggedIn ? user.created : lastActive;
  if (since === null) return { known: false, detail: 'never logged in and the creation date is unknown' };
  const days = daysBetween(since, now);
  if (Number.isNaN(days)) return { known: false, detail: `the date ${since} cannot be read` };
  return { known: true, lastActive, neverLoggedIn, since, days };
}
