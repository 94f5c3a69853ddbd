// The engine both entries share: read an instance, plan, and apply with every guard in front of the first write.
import path from 'node:path';
import { applyPlan, type ApplyReport } from './executor/apply.ts';
import { CsvAuditFile } from './executor/audit.ts';
import { checkReviewedPlan, type StaleCheck } from './executor/stale.ts';
import type { Plan, Snapshot } from './model.ts';
import { plan as makePlan, PlanInputError } from './planner/index.ts';
import type { Connection } from './platforms/registry.ts';
import type { Capabilities } from './platforms/types.ts';
import { type Diagnostic, PolicyError } from './policy/diagnostics.ts';
import { sortDiagnostics } from './policy/parse.ts';
import type { ResolvedPolicy } from './policy/resolved.ts';
import type { AuditContext } from './report/csv.ts';
import { reasonText } from './report/reason.ts';

/** Plans and turns a policy/instance mismatch into diagnostics located in the policy file. */
export function planOrThrow(
  snapshot: Snapshot,
  resolved: ResolvedPolicy,
  now: Date,
  capabilities?: Capabilities,
): Plan {
  try {
    return makePlan(snapshot, resolved, { now, capabilities });
  } catch (e) {
    if (!(e instanceof PlanInputError)) throw e;
    const ds: Diagnostic[] = e.problems.map((p) => {
      const pos = resolved.locate?.(p.field) ?? { line: 1, col: 1 };
      return { severity: 'error', file: resolved.path, ...pos, field: '', message: p.message };
    });
    throw new PolicyError(sortDiagnostics(ds));
  }
}

/** An apply that must not start: a limit is exceeded or the reviewed plan is stale. Nothing was written. */
export class ApplyRefused extends Error {
  override name = 'ApplyRefused';
  readonly stale?: StaleCheck;
  constructor(message: string, stale?: StaleCheck) {
    super(message);
    this.stale = stale;
  }
}

export async function readAndPlan(
  resolved: ResolvedPolicy,
  conn: Connection,
  now: Date,
): Promise<{ snapshot: Snapshot; plan: Plan }> {
  const snapshot = await conn.adapter.snapshot();
  return { snapshot, plan: planOrThrow(snapshot, resolved, now, conn.adapter.capabilities) };
}

export interface ApplyRun {
  now: Date;
  clock: () => Date;
  outDir: string;
  /** Who and what started the run; platform and instance come from the snapshot. */
  context: Omit<AuditContext, 'platform' | 'instance'>;
  /** The plan reviewers approved; when given, the live plan may not contain anything else. */
  reviewed?: Plan;
  concurrency?: number;
  onResult?: Parameters<typeof applyPlan>[2]['onResult'];
}

export interface ApplyOutcomeReport {
  snapshot: Snapshot;
  plan: Plan;
  report: ApplyReport;
  auditFile: string;
  stale?: StaleCheck;
}

export async function applyLive(
  resolved: ResolvedPolicy,
  conn: Connection,
  run: ApplyRun,
): Promise<ApplyOutcomeReport> {
  const { snapshot, plan } = await readAndPlan(resolved, conn, run.now);
  if (!plan.applyable) {
    const over = plan.limits.filter((l) => l.exceeded).map((l) => l.message);
    throw new ApplyRefused(`refusing to apply: ${over.join('; ')}. Nothing was changed.`);
  }
  let stale: StaleCheck | undefined;
  if (run.reviewed) {
    stale = checkReviewedPlan(run.reviewed, plan);
    if (stale.stale) {
      const lines = stale.unreviewed
        .slice(0, 20)
        .map((c) => `  + ${c.kind} ${c.user}${'group' in c ? ` (${c.group})` : ''}: ${reasonText(c)}`);
      const more = stale.unreviewed.length > 20 ? [`  … and ${stale.unreviewed.length - 20} more`] : [];
      throw new ApplyRefused(
        [
          `the reviewed plan is stale: ${stale.problems.join('; ')}. Nothing was changed; plan again and review.`,
          ...lines,
          ...more,
        ].join('\n'),
        stale,
      );
    }
  }
  const emails = new Map(snapshot.users.map((u) => [u.id, u.email]));
  const auditFile = path.join(run.outDir, 'audit.csv');
  const audit = new CsvAuditFile(auditFile, {
    ...run.context,
    platform: snapshot.platform,
    instance: snapshot.instance,
  });
  // Reviewed changes the live instance no longer needs still end in the audit, with why they were not applied.
  for (const change of stale?.noLongerNeeded ?? []) {
    audit.write(
      {
        change,
        outcome: 'skipped',
        error: 'no longer needed: the live instance does not need this reviewed change',
        at: run.clock().toISOString(),
      },
      change.userId ? (emails.get(change.userId) ?? null) : null,
    );
  }
  const report = await applyPlan(plan, conn.adapter, {
    audit,
    clock: run.clock,
    concurrency: run.concurrency,
    emailOf: (id) => (id ? (emails.get(id) ?? null) : null),
    onResult: run.onResult,
  });
  return { snapshot, plan, report, auditFile, stale };
}
