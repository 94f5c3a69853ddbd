// What `aup export` prints: every count is the count of what it names, and a group listing the instance capped
// (Jira's group picker answers 1,000 names at most) is said to be capped.
import type { ExportedFiles } from '../app/export-files.ts';
import type { Snapshot } from '../model.ts';
import { formatInt, plural } from '../plural.ts';

export function exportedLine(
  snapshot: Pick<Snapshot, 'users' | 'groups' | 'allGroups' | 'groupCount'>,
  files: ExportedFiles,
): string {
  const capped =
    snapshot.groupCount !== undefined && snapshot.groupCount > snapshot.groups.length
      ? ` (the instance has ${formatInt(snapshot.groupCount)} groups but lists only ${formatInt(snapshot.allGroups?.length ?? snapshot.groups.length)} over its API; the others are not in the files)`
      : '';
  return (
    `exported ${plural(snapshot.users.length, 'user')} and ${plural(snapshot.groups.length, 'group')} with their members` +
    ` to ${files.inventory}, ${files.groups} and ${files.snapshot}${capped}`
  );
}
