// The application layer both entries share (the Action and the CLI never import each other): read an
// instance through its driver and plan it, or plan a snapshot file, with policy/instance mismatches turned
// into diagnostics located in the policy file.
import type { Capabilities, Plan, Snapshot } from '../model.ts';
import { GENERIC_CAPABILITIES } from '../model/capabilities.ts';
import { type HistoryEntry, plan as makePlan, PlanInputError, type Refusal } from '../planner/index.ts';
import { driverFor, type Connection } from '../platforms/registry.ts';
import { type Diagnostic, PolicyError } from '../policy/diagnostics.ts';
import { sortDiagnostics } from '../policy/parse.ts';
import type { ResolvedPolicy } from '../policy/resolved.ts';

export interface PlanInputs {
  /** What the platform can do; default: the snapshot's own, else its driver's declaration. */
  capabilities?: Capabilities;
  /** Changes the instance refused as read-only in earlier applies (planned as skipped). */
  refusals?: readonly Refusal[];
  /** What earlier runs did (their audit): cooldown after a re-activation by hand, welcome back. */
  history?: readonly HistoryEntry[];
}

/** The capabilities a snapshot is planned with: its own, else its platform driver's, else generic. */
export function capabilitiesOf(snapshot: Snapshot): Capabilities {
  return snapshot.capabilities ?? driverFor(snapshot.platform)?.capabilities ?? GENERIC_CAPABILITIES;
}

/**
 * A snapshot file of an earlier format, with the defaults of its platform for what it lacks: a format-1
 * snapshot of a platform whose API names no directories says so (directories null).
 */
export function withPlatformDefaults(snapshot: Snapshot): Snapshot {
  const driver = driverFor(snapshot.platform);
  if (snapshot.directories === undefined && driver && !driver.reportsDirectories)
    return { ...snapshot, directories: null };
  return snapshot;
}

/** Plans, and turns a policy/instance mismatch into diagnostics located in the policy (or an imported CSV). */
export function planOrThrow(
  input: Snapshot,
  resolved: ResolvedPolicy,
  now: Date,
  inputs: PlanInputs = {},
): Plan {
  const snapshot = withPlatformDefaults(input);
  try {
    return makePlan(snapshot, resolved, {
      now,
      capabilities: inputs.capabilities ?? capabilitiesOf(snapshot),
      refusals: inputs.refusals,
      ...(inputs.history && inputs.history.length > 0 ? { history: inputs.history } : {}),
    });
  } catch (e) {
    if (!(e instanceof PlanInputError)) throw e;
    const ds: Diagnostic[] = e.problems.map((p) => {
      if (p.file)
        return {
          severity: 'error',
          file: p.file,
          line: p.line ?? 1,
          col: p.col ?? 1,
          field: '',
          message: p.message,
        };
      const { file, ...pos } = resolved.locate?.(p.field) ?? { line: 1, col: 1 };
      // The message names the field itself (`protect.groups[0]: …`); a fragment's value is located in it.
      return { severity: 'error', file: file ?? resolved.path, ...pos, field: '', message: p.message };
    });
    throw new PolicyError(sortDiagnostics(ds));
  }
}

/** Reads the instance (read-only or not, as the connection was opened) and plans it. */
export async function readAndPlan(
  resolved: ResolvedPolicy,
  conn: Connection,
  now: Date,
  inputs: Omit<PlanInputs, 'capabilities'> = {},
): Promise<{ snapshot: Snapshot; plan: Plan }> {
  const snapshot = await conn.adapter.snapshot();
  return {
    snapshot,
    plan: planOrThrow(snapshot, resolved, now, { ...inputs, capabilities: conn.adapter.capabilities }),
  };
}
