// Undo: the application layer of `aup revert` and the Action's `mode: revert`. An audit.csv (a run's artifact)
// becomes the applied changes it records; the instance is read with every group they name; the pure
// planRevert turns both into a plan, which is reported like any plan and applied through applyLive with
// every guard (limits, the reviewed plan, the lease, the journal).
import { createHash } from 'node:crypto';
import type { Plan, Snapshot } from '../model.ts';
import { canonical, uniqueNames } from '../model/identity.ts';
import { type AppliedChange, planRevert } from '../planner/revert.ts';
import { PolicyError } from '../policy/diagnostics.ts';
import type { ResolvedPolicy } from '../policy/resolved.ts';
import { type AuditRow, parseAuditCsv } from './audit-file.ts';
import { capabilitiesOf, withPlatformDefaults } from './plan-run.ts';
import type { Capabilities } from '../model.ts';
import { readInputText } from '../read-text.ts';

export interface RevertSource {
  /** The audit file as given (named in the plan and its rows' rules). */
  file: string;
  sha256: string;
  rows: AuditRow[];
}

/** Reads and checks an audit.csv to revert. */
export async function readRevertSource(file: string): Promise<RevertSource> {
  return fromAuditText(await readInputText(file, 'the audit to revert'), file);
}

export function fromAuditText(text: string, file: string): RevertSource {
  return { file, sha256: createHash('sha256').update(text).digest('hex'), rows: parseAuditCsv(text, file) };
}

/** Every group the applied rows name: the snapshot must hold their memberships. */
export function groupsToRead(source: RevertSource): string[] {
  return uniqueNames(source.rows.filter((r) => r.outcome === 'applied').flatMap((r) => r.groups));
}

/** The run ids the audit's applied rows come from, in order. */
export function runsOf(source: RevertSource): string[] {
  return [...new Set(source.rows.filter((r) => r.outcome === 'applied').map((r) => r.runId))];
}

/**
 * The applied changes of the audit, refused when a row is of another platform or instance than the one read
 * (an audit of production must not be reverted onto staging).
 */
export function appliedChanges(
  source: RevertSource,
  snapshot: Pick<Snapshot, 'platform' | 'instance'>,
): AppliedChange[] {
  const rows = source.rows.filter((r) => r.outcome === 'applied');
  const same = (a: string, b: string) =>
    canonical(a.replace(/\/+$/, '')) === canonical(b.replace(/\/+$/, ''));
  const other = rows.find((r) => r.platform !== snapshot.platform || !same(r.instance, snapshot.instance));
  if (other)
    throw new PolicyError([
      {
        severity: 'error',
        file: source.file,
        line: other.line,
        col: 1,
        field: 'instance',
        message: `this row was applied to ${other.platform} ${other.instance}, not to the instance read (${snapshot.platform} ${snapshot.instance}); revert it against that instance`,
      },
    ]);
  return rows.map((r) => ({
    kind: r.kind,
    userId: r.userId,
    user: r.username,
    groups: r.groups,
    runId: r.runId,
    at: r.timestamp,
    file: source.file,
    line: r.line,
  }));
}

/** The revert plan of a snapshot (pure once the audit is read). */
export function revertPlan(
  snapshot: Snapshot,
  resolved: ResolvedPolicy,
  source: RevertSource,
  now: Date,
  capabilities?: Capabilities,
): Plan {
  const s = withPlatformDefaults(snapshot);
  return planRevert(s, resolved, appliedChanges(source, s), {
    now,
    capabilities: capabilities ?? capabilitiesOf(s),
    source: { path: source.file, sha256: source.sha256 },
  });
}
