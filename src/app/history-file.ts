// The history the planner remembers earlier runs by: audit.csv rows (one file, or several runs' appended) as
// HistoryEntry. A file that cannot be read is an error naming it, never an empty history.
import { type AuditRow, readAuditFile } from './audit-file.ts';
import type { HistoryEntry } from '../planner/index.ts';

export function historyOf(rows: readonly AuditRow[]): HistoryEntry[] {
  return rows.map((r) => ({
    at: r.timestamp,
    run: r.runId,
    kind: r.kind,
    userId: r.userId,
    user: r.username,
    groups: r.groups,
    rule: r.rule,
    outcome: r.outcome,
    error: r.error,
  }));
}

/** The history in an audit.csv (`--history FILE`). */
export async function readHistory(file: string): Promise<HistoryEntry[]> {
  return historyOf(await readAuditFile(file));
}
