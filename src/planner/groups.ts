// Declared groups: `additive` adds missing members; `exact` also removes members not listed (directly,
// through users[].groups or an import). Groups the policy does not name are never touched.
import type { User } from '../model.ts';
import { type Ctx, inGroup, propose } from './context.ts';

interface Wanted {
  name: string;
  source: string;
}

export function planGroups(ctx: Ctx): void {
  const declared = new Map(ctx.resolved.declared.map((d) => [d.name.toLowerCase(), d]));
  const wantedBy = new Map<string, Wanted[]>();
  const want = (group: string, w: Wanted) => {
    const key = group.toLowerCase();
    const list = wantedBy.get(key) ?? [];
    if (!list.some((x) => x.name.toLowerCase() === w.name.toLowerCase())) list.push(w);
    wantedBy.set(key, list);
  };
  for (const [name, g] of Object.entries(ctx.policy.groups)) {
    // Every declared group is visited, also an exact group with no members (which empties it).
    if (!wantedBy.has(name.toLowerCase())) wantedBy.set(name.toLowerCase(), []);
    g.members.forEach((m) => want(name, { name: m, source: `groups.${name}` }));
  }
  for (const d of ctx.resolved.declared) {
    if (d.state === 'active') d.groups.forEach((g) => want(g, { name: d.name, source: d.source }));
  }

  const membersOf = (group: string): User[] => ctx.snapshot.users.filter((u) => inGroup(u, group));

  for (const [key, wanted] of [...wantedBy.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const group = ctx.groups.get(key);
    const spec = Object.entries(ctx.policy.groups).find(([n]) => n.toLowerCase() === key);
    if (!group) {
      if (spec)
        ctx.problems.push({
          field: ['groups', spec[0]],
          message: `groups.${spec[0]}: group "${spec[0]}" does not exist in the instance`,
        });
      continue; // declared users' unknown groups are reported by planDeclared
    }
    const rule = spec ? `groups.${spec[0]}` : 'users';
    for (const w of wanted) {
      const user = ctx.byName.get(w.name.toLowerCase()) ?? null;
      const d = declared.get(w.name.toLowerCase());
      if (!user && !(d && d.state === 'active')) {
        const idx = spec ? spec[1].members.findIndex((m) => m.toLowerCase() === w.name.toLowerCase()) : -1;
        ctx.problems.push({
          field: spec ? ['groups', spec[0], 'members', idx] : ['users'],
          message: `${w.source}: user "${w.name}" does not exist in the instance and is not declared in users`,
        });
        continue;
      }
      if (user && inGroup(user, group.name)) continue;
      const ref = user ?? { name: d!.name, id: null };
      propose(ctx, user, {
        kind: 'add-member',
        user: ref.name,
        userId: ref.id,
        group: group.name,
        rule,
        reason: { type: 'group-member', group: group.name, source: w.source },
      });
    }
    if (spec?.[1].mode !== 'exact') continue;
    const keep = new Set(wanted.map((w) => w.name.toLowerCase()));
    for (const member of membersOf(group.name)) {
      if (keep.has(member.name.toLowerCase())) continue;
      propose(ctx, member, {
        kind: 'remove-member',
        user: member.name,
        userId: member.id,
        group: group.name,
        rule,
        reason: { type: 'group-exact', group: group.name },
      });
    }
  }
}
