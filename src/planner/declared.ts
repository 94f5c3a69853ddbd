// Explicit users (policy users[] and imported CSV rows): state active | inactive | absent, and their groups.
import { ruleText } from '../model/rules.ts';
import type { DeclaredUser } from '../policy/resolved.ts';
import { type Ctx, type PlanProblem, propose } from './context.ts';
import { unknownGroupMessage } from './names.ts';

export function planDeclared(ctx: Ctx): void {
  for (const d of ctx.resolved.declared) {
    const user = ctx.byName.get(d.name) ?? null;
    const rule = d.ref;
    const reason = { type: 'declared' as const, state: d.state };
    d.groups.forEach((g, j) => {
      if (!ctx.groups.has(g))
        ctx.problems.push(
          problemAt(d, ['groups', j], unknownGroupMessage(ctx.snapshot, fieldText(d, 'groups'), g)),
        );
    });
    if (d.state === 'active') {
      if (!user) {
        propose(ctx, null, {
          kind: 'create-user',
          user: d.name,
          userId: null,
          rule,
          reason,
          email: d.email,
          displayName: d.displayName ?? d.name,
        });
        if (!d.email && ctx.caps['create-user'].supported) {
          ctx.problems.push(
            problemAt(
              d,
              ['email'],
              `${fieldText(d, 'email')}: user "${d.name}" does not exist and needs an email to be created`,
            ),
          );
        }
      } else if (!user.active) {
        propose(ctx, user, { kind: 'activate', user: user.name, userId: user.id, rule, reason });
      }
    } else if (d.state === 'inactive') {
      if (!user)
        ctx.warnings.push(
          `${ruleText(d.ref)}: ${d.name} is declared inactive but does not exist in the instance`,
        );
      else if (user.active)
        propose(ctx, user, { kind: 'deactivate', user: user.name, userId: user.id, rule, reason });
    } else if (user) {
      propose(ctx, user, { kind: 'delete', user: user.name, userId: user.id, rule, reason });
    }
  }
}

/** A problem located at a field of users[i], or at the line of an imported CSV row. */
export function problemAt(d: DeclaredUser, sub: (string | number)[], message: string): PlanProblem {
  if (d.ref.type === 'user') return { field: ['users', d.ref.index, ...sub], message };
  const c = d.cells;
  const col =
    sub[0] === 'groups' && typeof sub[1] === 'number'
      ? c?.groups[sub[1]]
      : sub[0] === 'email'
        ? c?.email
        : c?.username;
  return { field: ['import'], file: d.ref.file, line: d.ref.line, ...(col ? { col } : {}), message };
}

/**
 * How a problem's message names its place: `users[2].groups` in the policy; for an imported row only the column
 * (the diagnostic's file:line already says which row).
 */
function fieldText(d: DeclaredUser, field: string): string {
  return d.ref.type === 'user' ? `${ruleText(d.ref)}.${field}` : field;
}
