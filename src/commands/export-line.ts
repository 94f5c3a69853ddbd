// What `aup export` prints: every count is the count of what it names. Only the groups the policy names (and the
// platform's admin groups) are read, so the snapshot holds those, not every group of the instance.
import type { Snapshot } from '../model.ts';
import { plural } from '../plural.ts';

export function exportedLine(snapshot: Pick<Snapshot, 'users' | 'groups'>, outDir: string): string {
  return (
    `exported ${plural(snapshot.users.length, 'user')} and the members of ${plural(snapshot.groups.length, 'group')} ` +
    `to ${outDir}/snapshot.json and ${outDir}/inventory.csv (only the groups the policy names and the admin ` +
    'groups are read; other groups of the instance are not in the snapshot)'
  );
}
