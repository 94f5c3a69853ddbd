// The policy after loading: the parsed document plus everything it pulls in (imported users).
import type { RuleRef } from '../model/rules.ts';
import type { Policy, UserState } from './schema.ts';

/** A user whose desired state the policy declares, from `users[]` or an imported CSV row. */
export interface DeclaredUser {
  name: string;
  email: string | null;
  displayName: string | null;
  state: UserState;
  groups: string[];
  /** Where it is declared: `users[2]` or a row of an imported CSV. */
  ref: Extract<RuleRef, { type: 'user' } | { type: 'import' }>;
  /** An imported row: the columns its cells start at on its line, for problems found later (unknown groups). */
  cells?: { username: number; email?: number; groups: number[] };
}

export interface ResolvedPolicy {
  /** Path as given (relative to the working directory), used in reports. */
  path: string;
  sha256: string;
  policy: Policy;
  declared: DeclaredUser[];
  /**
   * Line/column of a policy field, for problems found against the instance; `file` when the value comes from a
   * fragment (`extends`) rather than the policy file itself.
   */
  locate?: (field: (string | number)[]) => { line: number; col: number; file?: string };
}

export function declaredFromPolicy(policy: Policy): DeclaredUser[] {
  return policy.users.map((u, i) => ({
    name: u.name,
    email: u.email ?? null,
    displayName: u.display_name ?? null,
    state: u.state,
    groups: u.groups,
    ref: { type: 'user', index: i, name: u.name },
  }));
}
