// Explicit users (policy users[] and imported CSV rows): state active | inactive | absent, and their groups.
import type { Ctx } from './context.ts';
import { propose } from './context.ts';

export function planDeclared(ctx: Ctx): void {
  ctx.resolved.declared.forEach((d) => {
    const user = ctx.byName.get(d.name.toLowerCase()) ?? null;
    const rule = d.source.startsWith('users[') ? 'users' : 'import';
    const reason = { type: 'declared' as const, source: d.source, state: d.state };
    for (const g of d.groups) {
      if (!ctx.groups.has(g.toLowerCase()))
        ctx.problems.push({
          field: fieldOf(d.source, 'groups'),
          message: `${d.source}: group "${g}" does not exist in the instance`,
        });
    }
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
        if (!d.email && !ctx.caps.unsupported['create-user']) {
          ctx.problems.push({
            field: fieldOf(d.source, 'email'),
            message: `${d.source}: user "${d.name}" does not exist and needs an email to be created`,
          });
        }
      } else if (!user.active) {
        propose(ctx, user, { kind: 'activate', user: user.name, userId: user.id, rule, reason });
      }
    } else if (d.state === 'inactive') {
      if (!user)
        ctx.warnings.push(`${d.source}: ${d.name} is declared inactive but does not exist in the instance`);
      else if (user.active)
        propose(ctx, user, { kind: 'deactivate', user: user.name, userId: user.id, rule, reason });
    } else if (user) {
      propose(ctx, user, { kind: 'delete', user: user.name, userId: user.id, rule, reason });
    }
  });
}

function fieldOf(source: string, key: string): (string | number)[] {
  const m = /^users\[(\d+)\]$/.exec(source);
  return m ? ['users', Number(m[1]), key] : ['import'];
}
