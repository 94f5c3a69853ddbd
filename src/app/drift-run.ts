// Drift of one instance in a run: the previous inventory (a file) compared with the snapshot just read. A previous
// inventory that is missing or cannot be read makes the drift `unavailable` with the reason: said, never "no drift".
import { computeDrift, lastRun } from '../planner/drift.ts';
import type { HistoryEntry } from '../planner/index.ts';
import type { Snapshot } from '../model.ts';
import { formatDiagnostic, PolicyError } from '../policy/diagnostics.ts';
import type { Policy } from '../policy/schema.ts';
import type { DriftOutcome } from '../report/drift.ts';
import { readInventory } from './inventory-file.ts';

export async function driftSince(
  file: string,
  snapshot: Snapshot,
  policy: Policy,
  history: readonly HistoryEntry[] = [],
  /** What was applied after the inventory was read; default: an apply-inventory.csv's own run (the history's last). */
  appliedAfter?: readonly HistoryEntry[],
  /** How reports name the previous inventory (default: the file). */
  label: string = file,
): Promise<DriftOutcome> {
  try {
    const previous = await readInventory(file);
    // An apply's inventory is what it read before applying: what it applied (the latest run of the history, from
    // the same directory's audit.csv) is replayed onto it first.
    const after = appliedAfter ?? (/(^|[\\/])apply-inventory\.csv$/.test(file) ? lastRun(history) : []);
    return { kind: 'computed', drift: computeDrift(previous, snapshot, policy, label, history, after) };
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    return { kind: 'unavailable', reason: e.diagnostics.map(formatDiagnostic).join('; ') };
  }
}
