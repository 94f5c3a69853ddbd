// Explicit users (policy users[] and imported CSV rows): state active | inactive | absent, and their groups.
import type { Ctx } from './context.ts';
import { gate, skip } from './context.ts';

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
        const blocked = gate(ctx, null, 'create-user');
        if (blocked) skip(ctx, { name: d.name, id: null }, rule, 'create-user', blocked.why, blocked.detail);
        else
          ctx.changes.push({
            kind: 'create-user',
            user: d.name,
            userId: null,
            rule,
            reason,
            email: d.email,
            displayName: d.displayName ?? d.name,
          });
        if (!d.email && !blocked)
          ctx.problems.push({
            field: fieldOf(d.source, 'email'),
            message: `${d.source}: user "${d.name}" does not exist and needs an email to be created`,
          });
      } else if (!user.active) {
        const blocked = gate(ctx, user, 'activate');
        if (blocked) skip(ctx, user, rule, 'activate', blocked.why, blocked.detail);
        else ctx.changes.push({ kind: 'activate', user: user.name, userId: user.id, rule, reason });
      }
    } else if (d.state === 'inactive') {
      if (!user)
        ctx.warnings.push(`${d.source}: ${d.name} is declared inactive but does not exist in the instance`);
      else if (user.active) {
        const blocked = gate(ctx, user, 'deactivate');
        if (blocked) skip(ctx, user, rule, 'deactivate', blocked.why, blocked.detail);
        else ctx.changes.push({ kind: 'deactivate', user: user.name, userId: user.id, rule, reason });
      }
    } else if (user) {
      const blocked = gate(ctx, user, 'delete');
      if (blocked) skip(ctx, user, rule, 'delete', blocked.why, blocked.detail);
      else ctx.changes.push({ kind: 'delete', user: user.name, userId: user.id, rule, reason });
    }
  });
}

function fieldOf(source: string, key: string): (string | number)[] {
  const m = /^users\[(\d+)\]$/.exec(source);
  return m ? ['users', Number(m[1]), key] : ['import'];
}
