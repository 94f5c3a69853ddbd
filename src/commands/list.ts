// `aup list`: the instance's users with their activity, from a snapshot file or the live instance (read-only).
import type { Snapshot } from '../model.ts';
import { inventoryCsv } from '../report/csv.ts';
import { stripControl } from '../report/escape.ts';
import { daysAgo, daysSinceActive, formatInt, plural } from '../report/format.ts';

export interface ListOptions {
  now: Date;
  /** Only users inactive at least this many days (never-logged-in users count from their creation). */
  inactiveDays?: number;
  format: 'text' | 'csv';
}

export function listUsers(snapshot: Snapshot, o: ListOptions): string {
  const days = (u: Snapshot['users'][number]) =>
    daysSinceActive(u, o.now) ??
    (u.activityKnown && u.created
      ? daysSinceActive({ lastActive: u.created, activityKnown: true }, o.now)
      : null);
  const users = snapshot.users.filter(
    (u) => o.inactiveDays === undefined || (days(u) ?? -1) >= o.inactiveDays,
  );
  if (o.format === 'csv') return inventoryCsv({ ...snapshot, users }, o.now).trimEnd();
  const rows = users.map((u) => {
    const d = days(u);
    const activity = !u.activityKnown
      ? 'unknown'
      : u.lastActive === null
        ? `never (${d === null ? 'creation date unknown' : `created ${daysAgo(d)}`})`
        : d === null
          ? 'unknown'
          : daysAgo(d);
    return [u.name, u.active ? 'active' : 'inactive', activity, u.groups.join(', ')].map((c) =>
      stripControl(c),
    );
  });
  const header = ['USERNAME', 'STATE', 'LAST ACTIVE', 'GROUPS'];
  const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('  ');
  return [
    line(header),
    ...rows.map(line),
    '',
    `${formatInt(users.length)} of ${plural(snapshot.users.length, 'user')}${
      o.inactiveDays === undefined ? '' : ` inactive for ${plural(o.inactiveDays, 'day')} or more`
    }`,
  ].join('\n');
}
