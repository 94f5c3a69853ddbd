// The Action's one-line `summary` output and log line, e.g. "3 changes (2 destructive) in 1 policy file; 3 applied,
// 0 failed". Every count says what it counts, in the singular for one.
import { formatInt, plural } from '../plural.ts';

export interface RunCounts {
  changes: number;
  destructive: number;
  applied: number;
  failed: number;
}

export function runSummaryLine(t: RunCounts, policyFiles: number, applying: boolean): string {
  const planned = `${plural(t.changes, 'change')} (${formatInt(t.destructive)} destructive) in ${plural(policyFiles, 'policy file')}`;
  return applying ? `${planned}; ${formatInt(t.applied)} applied, ${formatInt(t.failed)} failed` : planned;
}
