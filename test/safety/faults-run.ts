// An apply under the fault-injection scenario on one platform, until it converges (at most two runs), with the
// figures the tests and the soak report: changes, injected faults, retries, runs, lost and repeated writes.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { ApplyRefused, applyLive } from '../../src/app/apply-run.ts';
import { auditRowKey, parseAuditCsv } from '../../src/app/audit-file.ts';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { parseRefusalsCsv } from '../../src/app/refusals.ts';
import { changeInEffect } from '../../src/executor/reconcile.ts';
import { HttpError } from '../../src/http/errors.ts';
import { changeKey } from '../../src/model.ts';
import type { Refusal } from '../../src/planner/index.ts';
import { connect } from '../../src/platforms/registry.ts';
import type { FaultCounts, FaultOptions } from '../../src/sandbox/index.ts';
import type { ContractFixture } from '../contract/fixture.ts';
import { lifecyclePolicy, NOW } from '../contract/org.ts';
import { org, repeatedWrites, resolvedPolicy, tempDir } from './helpers.ts';

export const FAULTS: FaultOptions = {
  errorRate: 0.1,
  statuses: [500, 502, 503, 504],
  resetRate: 0.02,
  stormRate: 0.004,
  stormLength: 4,
  spikeRate: 0.01,
  spikeMs: 2000,
};

export interface FaultFigures {
  platform: string;
  changes: number;
  runs: number;
  runErrors: string[];
  faults: FaultCounts;
  requests: number;
  retries: number;
  throttledWaits: number;
  lost: number;
  repeated: number;
}

/** One platform: plan under no faults, then apply under faults until converged (at most two runs). */
export async function underFaults(
  f: ContractFixture,
  o: { extra: number; seed: number; realTime?: boolean },
): Promise<FaultFigures> {
  const version = f.versions[f.versions.length - 1]!;
  const slept = { ms: 0 };
  const sleep = o.realTime
    ? undefined
    : async (ms: number) => {
        slept.ms += ms;
      };
  const sb = await f.start(version, org(f, o.extra), { maxPageSize: 50, ...(sleep ? { sleep } : {}) });
  try {
    const text = lifecyclePolicy(f)
      .replace('max_deletions: 5', 'max_deletions: 50')
      .replace('limits: {', 'limits: { max_changes: 100000,');
    const resolved = resolvedPolicy(text);
    const credentials = f.credentials(sb);
    const open = (readOnly: boolean) =>
      connect(resolved, {
        url: sb.url,
        credentials,
        readOnly,
        clock: () => NOW,
        ...(sleep ? { sleep } : {}),
      });

    const reader = await open(true);
    const { plan: initial } = await readAndPlan(resolved, reader, NOW).finally(() => reader.close());

    sb.configure({ faults: { ...FAULTS, seed: o.seed } });
    // A page failing mid-listing: the third page of the first paged listing fails three times in a row.
    sb.failNext(f.pagedReads(version)[0]!, 500, { skip: 2, times: 3 });
    const out = await tempDir('aup-faults-');
    let refusals: Refusal[] = [];
    const runErrors: string[] = [];
    let runs = 0;
    let requests = 0;
    let retries = 0;
    let throttledWaits = 0;
    for (let converged = false; !converged && runs < 2;) {
      runs++;
      const conn = await open(false);
      try {
        const r = await applyLive(resolved, conn, {
          now: NOW,
          clock: () => NOW,
          outDir: out,
          refusals,
          context: { runId: `run-${runs}`, trigger: 'automatic', actor: 'soak', commit: null, runUrl: null },
        });
        refusals = parseRefusalsCsv(await readFile(r.refusalsFile, 'utf8'), 'refused.csv');
        // Settled: every change applied, already in state, or refused as read-only (carried). A change the
        // driver could not confirm (its read-back failed) or that failed is left to the next run.
        const open = r.report.results.filter(
          (x) => x.outcome !== 'applied' && x.outcome !== 'already-in-state' && x.class !== 'read-only',
        );
        converged = open.length === 0 && !r.report.stopped;
        if (!converged) runErrors.push(`run ${runs}: ${open.length} not settled`);
      } catch (e) {
        if (!(e instanceof HttpError) && !(e instanceof ApplyRefused)) throw e;
        runErrors.push(`run ${runs}: ${e.message}`);
      } finally {
        for (const c of conn.clients) {
          const s = c.stats();
          requests += s.requests;
          retries += s.retries;
          throttledWaits += s.throttled;
        }
        await conn.close();
      }
    }
    const faults = sb.faultCounts();
    sb.configure({ faults: {} });

    const check = await open(true);
    const after = await readAndPlan(resolved, check, NOW, { refusals }).finally(() => check.close());
    const refused = new Set(refusals.map((r) => `${r.kind}|${r.user.toLowerCase()}`));
    const lost = initial.changes.filter(
      (c) => !refused.has(`${c.kind}|${c.user.toLowerCase()}`) && changeInEffect(c, after.snapshot) === false,
    );
    const auditText = await readFile(path.join(out, 'audit.csv'), 'utf8').catch(() => {
      throw new Error(`no run wrote an audit: ${runErrors.join('; ')}`);
    });
    const audit = parseAuditCsv(auditText, 'audit.csv');
    const appliedTwice = new Map<string, number>();
    for (const r of audit.filter((x) => x.outcome === 'applied'))
      appliedTwice.set(auditRowKey(r), (appliedTwice.get(auditRowKey(r)) ?? 0) + 1);
    expect(
      [...appliedTwice].filter(([, n]) => n > 1),
      f.platform,
    ).toEqual([]);
    expect(after.plan.changes.map(changeKey), f.platform).toEqual([]);
    return {
      platform: f.platform,
      changes: initial.changes.length,
      runs,
      runErrors,
      faults,
      requests,
      retries,
      throttledWaits,
      lost: lost.length,
      repeated: repeatedWrites(sb, f).length,
    };
  } finally {
    await sb.close();
  }
}

/** How many dormant people `org(f, n)` needs for the lifecycle policy to plan about `target` changes. */
export async function extraFor(f: ContractFixture, target: number): Promise<number> {
  const version = f.versions[f.versions.length - 1]!;
  const resolved = resolvedPolicy(lifecyclePolicy(f));
  const planned = async (extra: number) => {
    const sb = await f.start(version, org(f, extra), {});
    try {
      const conn = await connect(resolved, {
        url: sb.url,
        credentials: f.credentials(sb),
        readOnly: true,
        clock: () => NOW,
      });
      return (await readAndPlan(resolved, conn, NOW).finally(() => conn.close())).plan.changes.length;
    } finally {
      await sb.close();
    }
  };
  const base = await planned(0);
  const per = ((await planned(20)) - base) / 20;
  return Math.ceil((target - base) / per);
}
