// Applies a plan through a platform adapter: phase by phase, bounded concurrency, every change audited
// with its outcome, and a breaker that stops (and audits the rest as skipped) when the instance keeps failing.
import { canonical } from '../model/identity.ts';
import {
  type ApplyResult,
  type Change,
  CHANGE_KINDS,
  type Outcome,
  type OutcomeClass,
  type Plan,
} from '../model.ts';
import type { Directory } from '../platforms/driver.ts';
import type { AuditSink } from './audit.ts';
import type { JournalSink } from './journal.ts';
import { plural } from '../plural.ts';

export interface ApplyOptions {
  /** Changes in flight at once (the HTTP layer bounds connections too). Default 4. */
  concurrency?: number;
  /** Stop after this many failures in a row (the instance is likely down or the token revoked). Default 10. */
  maxConsecutiveFailures?: number;
  audit: AuditSink;
  /** Email of a user id, for the audit (changes carry usernames and ids). */
  emailOf?: (userId: string | null) => string | null;
  clock: () => Date;
  onResult?: (r: ApplyResult) => void;
  /** Records the intent of each change (durably, before its request) and its outcome (after its audit row). */
  journal?: JournalSink;
  /**
   * Asked before each change: a reason to stop (the run's lease on the instance was lost), or null. The rest
   * is audited as skipped, not attempted.
   */
  stopWhen?: () => string | null;
}

export interface ApplyReport {
  results: ApplyResult[];
  counts: Record<Outcome, number>;
  stopped: string | null;
}

/** Order of phases: accounts are created and activated before memberships, taken away last. */
const PHASES = CHANGE_KINDS;

export async function applyPlan(plan: Plan, adapter: Directory, opts: ApplyOptions): Promise<ApplyReport> {
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const maxFailures = opts.maxConsecutiveFailures ?? 10;
  const results: ApplyResult[] = [];
  const notCreated = new Set<string>();
  let consecutive = 0;
  let stopped: string | null = null;

  const emailOf = (change: Change) =>
    change.kind === 'create-user' ? change.email : (opts.emailOf?.(change.userId) ?? null);
  const record = (change: Change, outcome: Outcome, error?: string, cls?: OutcomeClass, seq?: number) => {
    const r: ApplyResult = {
      change,
      outcome,
      ...(error ? { error } : {}),
      ...(cls ? { class: cls } : {}),
      at: opts.clock().toISOString(),
    };
    results.push(r);
    // The audit row first: a kill between the two leaves an intent the next run finds already audited.
    opts.audit.write(r, emailOf(change));
    if (seq !== undefined) opts.journal?.settle(seq, r);
    opts.onResult?.(r);
    if (outcome === 'failed') consecutive++;
    else if (outcome !== 'skipped') consecutive = 0;
    if (!stopped && consecutive >= maxFailures) {
      stopped = `stopped after ${plural(consecutive, 'failure')} in a row; the last: ${error ?? 'unknown error'}`;
    }
  };

  const one = async (change: Change) => {
    if (!stopped) {
      const reason = opts.stopWhen?.();
      if (reason) stopped = reason;
    }
    if (stopped) return record(change, 'skipped', `not attempted: ${stopped}`);
    if (change.userId === null && change.kind !== 'create-user' && notCreated.has(canonical(change.user))) {
      return record(change, 'skipped', `not attempted: creating user ${change.user} did not succeed`);
    }
    let outcome: Outcome;
    let error: string | undefined;
    let cls: OutcomeClass | undefined;
    const seq = opts.journal?.intend(change, emailOf(change));
    try {
      ({ outcome, error, class: cls } = await adapter.apply(change));
    } catch (e) {
      outcome = 'failed';
      error = e instanceof Error ? e.message : String(e);
    }
    if (change.kind === 'create-user' && outcome !== 'applied' && outcome !== 'already-in-state') {
      notCreated.add(canonical(change.user));
    }
    record(change, outcome, error, cls, seq);
  };

  for (const kind of PHASES) {
    const queue = plan.changes.filter((c) => c.kind === kind);
    let next = 0;
    const worker = async () => {
      while (next < queue.length) {
        const change = queue[next++]!;
        await one(change);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  }

  const counts: Record<Outcome, number> = { applied: 0, 'already-in-state': 0, skipped: 0, failed: 0 };
  for (const r of results) counts[r.outcome]++;
  return { results, counts, stopped };
}
