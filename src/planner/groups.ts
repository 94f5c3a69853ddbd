// Declared groups: `additive` adds missing members; `exact` also removes members not listed (directly,
// through users[].groups or an import). Groups the policy does not name are never touched.
import type { RuleRef, User } from '../model.ts';
import { canonical, NameMap } from '../model/identity.ts';
import { ruleText } from '../model/rules.ts';
import type { DeclaredUser } from '../policy/resolved.ts';
import { unsupportedReason } from '../model/capabilities.ts';
import { type Ctx, inGroup, nameOf, propose, skip } from './context.ts';
import { problemAt } from './declared.ts';

interface Wanted {
  name: string;
  /** Where the membership is listed. */
  source: RuleRef;
  /** The declaration behind it, for users listed through users[] or an import. */
  declared?: DeclaredUser;
  /** Index in groups.<name>.members, for members listed there. */
  index?: number;
}

export function planGroups(ctx: Ctx): void {
  const declared = new NameMap<DeclaredUser>();
  for (const d of ctx.resolved.declared) declared.set(d.name, d);
  const wantedBy = new NameMap<Wanted[]>();
  const want = (group: string, w: Wanted) => {
    const list = wantedBy.get(group) ?? [];
    const key = canonical(nameOf(ctx, w.name));
    if (!list.some((x) => canonical(nameOf(ctx, x.name)) === key)) list.push(w);
    wantedBy.set(group, list);
  };
  const specs = new NameMap<[string, (typeof ctx.policy.groups)[string]]>();
  for (const [name, g] of Object.entries(ctx.policy.groups)) {
    specs.set(name, [name, g]);
    // Every declared group is visited, also an exact group with no members (which empties it).
    if (!wantedBy.has(name)) wantedBy.set(name, []);
    g.members.forEach((m, index) => want(name, { name: m, source: { type: 'group', group: name }, index }));
  }
  for (const d of ctx.resolved.declared) {
    if (d.state === 'active') d.groups.forEach((g) => want(g, { name: d.name, source: d.ref, declared: d }));
  }

  const entries = wantedBy.entries().sort(([a], [b]) => (canonical(a) < canonical(b) ? -1 : 1));
  for (const [key, wanted] of entries) {
    const group = ctx.groups.get(key);
    const spec = specs.get(key);
    if (!group) continue; // unknown groups are problems reported by checkNames / planDeclared
    const rule: RuleRef = spec ? { type: 'group', group: spec[0] } : wanted[0]!.source;
    for (const w of wanted) {
      const user = ctx.byName.get(w.name) ?? null;
      const d = declared.get(w.name);
      if (!user && !(d && d.state === 'active')) {
        const message = `${ruleText(w.source)}: user "${w.name}" does not exist in the instance and is not declared in users`;
        ctx.problems.push(
          spec && w.index !== undefined
            ? { field: ['groups', spec[0], 'members', w.index], message }
            : w.declared
              ? problemAt(w.declared, ['name'], message)
              : { field: ['users'], message },
        );
        continue;
      }
      if (user && inGroup(user, group.name)) continue;
      const ref = user ?? { name: d!.name, id: null };
      const cannotCreate = unsupportedReason(ctx.caps, 'create-user');
      if (!user && cannotCreate) {
        // The membership waits on a user the platform cannot create: skipped with that reason, not planned to
        // fail on every apply.
        skip(
          ctx,
          ref,
          spec ? rule : w.source,
          'add-member',
          'unsupported',
          `${ref.name} does not exist and cannot be created here: ${cannotCreate}`,
          group.name,
        );
        continue;
      }
      propose(ctx, user, {
        kind: 'add-member',
        user: ref.name,
        userId: ref.id,
        group: group.name,
        rule: spec ? rule : w.source,
        reason: { type: 'group-member', group: group.name, source: w.source },
      });
    }
    if (spec?.[1].mode !== 'exact') continue;
    const keep = new Set(wanted.map((w) => canonical(nameOf(ctx, w.name))));
    for (const member of membersOf(ctx, group.name)) {
      if (keep.has(canonical(member.name))) continue;
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

function membersOf(ctx: Ctx, group: string): User[] {
  return ctx.snapshot.users.filter((u) => inGroup(u, group));
}
