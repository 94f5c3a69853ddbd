// Applying with every guard in front of the first write: re-read the instance, re-plan, refuse when a limit
// is exceeded or the reviewed plan is stale, apply, audit every change, and carry the refusals on.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyPlan, type ApplyReport } from '../executor/apply.ts';
import { CsvAuditFile } from '../executor/audit.ts';
import { JOURNAL_FILE, JournalFile, readJournal } from '../executor/journal.ts';
import { type Closing, reconcilePending } from '../executor/reconcile.ts';
import { AUDIT_FILE, auditRowKey, readAuditIfExists } from './audit-file.ts';
import {
  type Lease,
  LeaseHeld,
  type LeaseObservation,
  type LeaseOptions,
  LeaseUnavailable,
  observeLease,
  takeLease,
} from './lease.ts';
import { checkReviewedPlan, type StaleCheck } from '../executor/stale.ts';
import type { Plan, Snapshot } from '../model.ts';
import type { HistoryEntry, Refusal } from '../planner/index.ts';
import type { Connection } from '../platforms/registry.ts';
import type { ResolvedPolicy } from '../policy/resolved.ts';
import type { AuditContext } from '../report/csv.ts';
import { limitRefusalText, staleRefusalText } from '../report/refusal.ts';
import { readAndPlan } from './plan-run.ts';
import { REFUSALS_FILE, refusalsAfterApply, refusalsCsv } from './refusals.ts';

/** An apply that must not start: a limit is exceeded or the reviewed plan is stale. Nothing was written. */
export class ApplyRefused extends Error {
  override name = 'ApplyRefused';
  readonly stale?: StaleCheck;
  constructor(message: string, stale?: StaleCheck) {
    super(message);
    this.stale = stale;
  }
}

export interface ApplyRun {
  now: Date;
  clock: () => Date;
  outDir: string;
  /** Who and what started the run; platform and instance come from the snapshot. */
  context: Omit<AuditContext, 'platform' | 'instance'>;
  /** The plan reviewers approved; when given, the live plan may not contain anything else. */
  reviewed?: Plan;
  /** Refusals carried from earlier applies. */
  refusals?: readonly Refusal[];
  concurrency?: number;
  onResult?: Parameters<typeof applyPlan>[2]['onResult'];
  /**
   * Called with the plan about to be applied, after every guard and before the first write (the audit file
   * included): show it, ask for confirmation. Throwing aborts the apply with nothing written.
   */
  beforeWrite?: (plan: Plan, snapshot: Snapshot) => Promise<void>;
  /**
   * The journal of intents and outcomes (default: journal.jsonl in outDir). An apply reads the pending intents
   * an earlier run in the same place left (killed with a request in flight) and closes them in its audit.
   */
  journalFile?: string;
  /**
   * The lease on the instance (one apply at a time, lease.ts): options, or false to take none. The policy's
   * `instance.lease: false` also turns it off.
   */
  lease?: false | Omit<LeaseOptions, 'clock'>;
  /** What earlier runs did (their audit): cooldown after a re-activation by hand, welcome back. */
  history?: readonly HistoryEntry[];
  /** Plans the snapshot instead of the policy's planner (a revert: revert-run.ts). */
  replan?: (snapshot: Snapshot) => Plan;
}

export interface ApplyOutcomeReport {
  snapshot: Snapshot;
  plan: Plan;
  report: ApplyReport;
  auditFile: string;
  /** refused.csv: the refusals to carry to the next plans. */
  refusalsFile: string;
  refusals: Refusal[];
  stale?: StaleCheck;
  /** Changes an earlier run left in flight, and how this run closed them. */
  reconciled: Closing[];
  /** The lease the apply held (its group), or why it held none (`warning`: the platform records none). */
  lease: { held: string } | { none: string; warning: boolean };
}

export async function applyLive(
  resolved: ResolvedPolicy,
  conn: Connection,
  run: ApplyRun,
): Promise<ApplyOutcomeReport> {
  const store = conn.adapter.lease;
  const leaseOptions = { clock: run.clock, ...(run.lease || {}) };
  let seen: LeaseObservation | null = null;
  let none = '';
  if (run.lease === false || resolved.policy.instance.lease === false)
    none = 'turned off (instance.lease: false)';
  else if (!store)
    none = `the ${conn.platform} driver records no lease: another apply may run at the same time (serialise applies with the workflow's concurrency group)`;
  // Only a read here: an apply refused later (limits, a stale plan, no consent) has written nothing.
  else seen = await leaseStep(() => observeLease(store, leaseOptions));
  let lease: Lease | null = null;
  try {
    const r = await applyHeld(resolved, conn, run, async () => {
      if (!seen) return null;
      lease = await leaseStep(() => takeLease(seen!, leaseOptions));
      lease.keepAlive();
      return lease;
    });
    const taken = lease as Lease | null;
    return {
      ...r,
      lease: taken
        ? { held: taken.name }
        : { none: none || 'nothing to change, so none was taken', warning: !store && none !== '' && !seen },
    };
  } finally {
    await (lease as Lease | null)?.release();
  }
}

async function leaseStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof LeaseHeld || e instanceof LeaseUnavailable) throw new ApplyRefused(e.message);
    throw e;
  }
}

async function applyHeld(
  resolved: ResolvedPolicy,
  conn: Connection,
  run: ApplyRun,
  takeLeaseNow: () => Promise<Lease | null>,
): Promise<Omit<ApplyOutcomeReport, 'lease'>> {
  const journalFile = run.journalFile ?? path.join(run.outDir, JOURNAL_FILE);
  // A run killed before its end left what the instance refused as read-only in the journal only: carried.
  const earlier = readJournal(journalFile);
  const carried = mergeRefusals(run.refusals ?? [], earlier.refusals);
  const { snapshot, plan } = run.replan
    ? await conn.adapter.snapshot().then((snapshot) => ({ snapshot, plan: run.replan!(snapshot) }))
    : await readAndPlan(resolved, conn, run.now, {
        refusals: carried,
        ...(run.history ? { history: run.history } : {}),
      });
  if (!plan.applyable) throw new ApplyRefused(limitRefusalText(plan));
  let stale: StaleCheck | undefined;
  if (run.reviewed) {
    stale = checkReviewedPlan(run.reviewed, plan);
    if (stale.stale) throw new ApplyRefused(staleRefusalText(stale), stale);
  }
  await run.beforeWrite?.(plan, snapshot);
  // Right before the first write: refused (nothing written) when another apply took the lease meanwhile.
  const lease = plan.changes.length > 0 || earlier.pending.length > 0 ? await takeLeaseNow() : null;
  const emails = new Map(snapshot.users.map((u) => [u.id, u.email]));
  const auditFile = path.join(run.outDir, AUDIT_FILE);
  const pending = earlier.pending;
  const audited = pending.length
    ? (await readAuditIfExists(auditFile)).map((r) => ({ runId: r.runId, key: auditRowKey(r) }))
    : [];
  const audit = new CsvAuditFile(auditFile, {
    ...run.context,
    platform: snapshot.platform,
    instance: snapshot.instance,
  });
  const journal = new JournalFile(journalFile, run.context.runId, run.clock);
  // What an earlier run left in flight is closed first: found in effect (applied), or not (skipped, or
  // applied again below when still planned).
  const reconciled = reconcilePending(pending, snapshot, plan, audited, {
    runId: run.context.runId,
    at: run.clock().toISOString(),
  });
  // The first run that sees a re-activation by hand records it: the cooldown counts from that day.
  for (const s of plan.skipped)
    if (s.why === 'reactivated-by-hand' && s.detail.includes('first seen today'))
      audit.writeSkip(s, run.clock().toISOString(), s.userId ? (emails.get(s.userId) ?? null) : null);
  for (const c of reconciled) {
    if (c.result) audit.write(c.result, c.intent.email);
    journal.close(c.intent, c.outcome, c.note);
  }
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
  let report: ApplyReport;
  let refusals: Refusal[];
  const refusalsFile = path.join(run.outDir, REFUSALS_FILE);
  try {
    report = await applyPlan(plan, conn.adapter, {
      audit,
      journal,
      clock: run.clock,
      concurrency: run.concurrency,
      emailOf: (id) => (id ? (emails.get(id) ?? null) : null),
      onResult: run.onResult,
      stopWhen: () => lease?.lost() ?? null,
    });
    refusals = refusalsAfterApply(carried, plan, report.results, run.context.runId, resolved.path);
    await writeFile(refusalsFile, refusalsCsv(refusals));
    journal.end();
  } finally {
    journal.dispose();
  }
  return { snapshot, plan, report, auditFile, refusalsFile, refusals, stale, reconciled };
}

/** Refusals given and refusals carried from an interrupted run, one per change (the given ones first). */
function mergeRefusals(given: readonly Refusal[], fromJournal: readonly Refusal[]): Refusal[] {
  const key = (r: Refusal) =>
    `${r.kind}|${r.userId ?? ''}|${r.user.toLowerCase()}|${(r.group ?? '').toLowerCase()}`;
  const seen = new Set(given.map(key));
  return [...given, ...fromJournal.filter((r) => !seen.has(key(r)))];
}
