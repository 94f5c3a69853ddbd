// Safety limits are planner checks with numbers in their messages; any exceeded limit makes the plan not applyable.
import type { Change, LimitCheck, LimitName } from '../model.ts';
import { ACCOUNT_DESTRUCTIVE_KINDS } from '../model.ts';
import type { Policy } from '../policy/schema.ts';
import { formatInt, plural } from '../plural.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function checkLimits(changes: Change[], totalUsers: number, limits: Policy['limits']): LimitCheck[] {
  const count = (kind: Change['kind']) => changes.filter((c) => c.kind === kind).length;
  const out: LimitCheck[] = [];
  const add = (name: LimitName, limit: number | undefined, actual: number, what: string) => {
    if (limit === undefined) return;
    const exceeded = actual > limit;
    const message = exceeded
      ? `${what}, over the limit ${name} ${limit}`
      : `${what} (limit ${name} ${limit})`;
    out.push({ name, limit, actual, exceeded, message });
  };
  add('max_changes', limits.max_changes, changes.length, `plan has ${plural(changes.length, 'change')}`);
  const deact = count('deactivate');
  add('max_deactivations', limits.max_deactivations, deact, `plan deactivates ${plural(deact, 'user')}`);
  const del = count('delete');
  add('max_deletions', limits.max_deletions, del, `plan deletes ${plural(del, 'user')}`);
  const rem = count('remove-member');
  add('max_removals', limits.max_removals, rem, `plan removes ${plural(rem, 'group membership')}`);

  const touched = new Set(
    changes.filter((c) => ACCOUNT_DESTRUCTIVE_KINDS.includes(c.kind)).map((c) => c.userId ?? c.user),
  );
  const share = totalUsers === 0 ? 0 : touched.size / totalUsers;
  const exceeded = share > limits.max_fraction;
  const what = `plan deactivates, deletes or removes access of ${formatInt(touched.size)} of ${plural(totalUsers, 'user')} (${pct(share)})`;
  out.push({
    name: 'max_fraction',
    limit: limits.max_fraction,
    actual: Number(share.toFixed(6)),
    exceeded,
    message: exceeded
      ? `${what}, over the limit max_fraction ${limits.max_fraction}`
      : `${what} (limit max_fraction ${limits.max_fraction})`,
  });
  return out;
}
