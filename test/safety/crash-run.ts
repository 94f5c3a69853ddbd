// Crash trials: the real CLI killed with SIGKILL at a seeded point of an apply over real HTTP, then rerun in the
// same --out until it converges; each trial checks convergence, repeated writes and the audit, and returns its
// figures (crash.test.ts runs 20, the soak more).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { parseAuditCsv, auditRowKey } from '../../src/app/audit-file.ts';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { parseRefusalsCsv } from '../../src/app/refusals.ts';
import { applyCommand, liveArgs } from '../../src/commands/live.ts';
import type { Io } from '../../src/commands/plan.ts';
import { JOURNAL_FILE, parseJournal, pendingIntents } from '../../src/executor/journal.ts';
import { changeInEffect } from '../../src/executor/reconcile.ts';
import { changeKey, type Change } from '../../src/model.ts';
import { connect } from '../../src/platforms/registry.ts';
import { mulberry32 } from '../../src/sandbox/prng.ts';
import type { RecordedRequest, SandboxHandle } from '../../src/sandbox/index.ts';
import type { ContractFixture } from '../contract/fixture.ts';
import { FIXTURES } from '../contract/fixtures.ts';
import { lifecyclePolicy, NOW } from '../contract/org.ts';
import { cliEnv, isReading, org, repeatedWrites, resolvedPolicy, startCli, tempDir } from './helpers.ts';

/** Trials and organisation size; `npm run soak` raises both (SOAK_CRASH_TRIALS, SOAK_CRASH_EXTRA). */
export const TRIALS = Number(process.env.SOAK_CRASH_TRIALS ?? 20);
const EXTRA = Number(process.env.SOAK_CRASH_EXTRA ?? 12);

interface Trial {
  f: ContractFixture;
  mode: 'in-flight write' | 'any request';
  /** Where in the run to kill, as a share of its planned changes (writes) or of three times that (requests). */
  at: number;
}

export interface TrialResult {
  platform: string;
  mode: Trial['mode'];
  k: number;
  killed: boolean;
  planned: number;
  reruns: number;
  closedInFlight: number;
  repeated: number;
}

const quietIo = (): Io & { lines: string[] } => {
  const lines: string[] = [];
  return { lines, color: false, out: (t) => lines.push(t), err: (t) => lines.push(t) };
};

async function runTrial(seed: number, trial: Trial): Promise<TrialResult> {
  const { f } = trial;
  const version = f.versions[f.versions.length - 1]!;
  const dir = await tempDir('aup-crash-');
  const out = path.join(dir, 'out');
  const policyFile = path.join(dir, 'policy.yml');
  const text = lifecyclePolicy(f).replace('max_deletions: 5', 'max_deletions: 50');
  await writeFile(policyFile, text);
  const resolved = resolvedPolicy(text);

  let writes = 0;
  let requests = 0;
  let kill: (() => Promise<void>) | null = null;
  let k = 0;
  let killed = false;
  const sb: SandboxHandle = await f.start(version, org(f, EXTRA), {
    beforeReply: async (r: RecordedRequest) => {
      const isWrite = r.method !== 'GET' && !isReading(f, r);
      if (isWrite) writes++;
      requests++;
      const at = trial.mode === 'in-flight write' ? isWrite && writes === k : requests === k;
      if (at && kill && !killed) {
        killed = true;
        await kill(); // the instance carried the request out; its answer goes to a dead process
      }
    },
  });
  const credentials = f.credentials(sb);
  try {
    const reader = await connect(resolved, { url: sb.url, credentials, readOnly: true, clock: () => NOW });
    const before = await readAndPlan(resolved, reader, NOW).finally(() => reader.close());
    const planned = before.plan.changes;

    k = 1 + Math.floor(trial.at * planned.length * (trial.mode === 'in-flight write' ? 1 : 3));
    writes = 0;
    requests = 0;
    const env = cliEnv(sb, credentials);
    const args = ['apply', policyFile, '--yes', '--out', out, '--now', NOW.toISOString()];
    const cli = startCli(args, { cwd: dir, env });
    kill = async () => {
      cli.child.kill('SIGKILL');
      await cli.done;
    };
    const first = await cli.done;
    expect(first.stderr, `seed ${seed}`).not.toMatch(/\n\s+at /); // no stack trace, killed or not

    // Rerun in the same --out until it exits 0 (one rerun is expected to do).
    let reruns = 0;
    let closedInFlight = 0;
    for (let code = killed ? 1 : first.code; code !== 0 && reruns < 3;) {
      reruns++;
      const io = quietIo();
      code = await applyCommand(
        {
          ...liveArgs({ policy: policyFile, out, now: NOW.toISOString() }, env, NOW, 'text'),
          yes: true,
          trigger: 'manual',
          actor: 'crash-test',
          runId: `rerun-${seed}-${reruns}`,
        },
        io,
      );
      closedInFlight += io.lines.filter((l) => /^ {2}\S+ +.*in flight when run .* stopped/.test(l)).length;
      expect(code, io.lines.join('\n')).toBe(0);
    }
    expect(reruns, `seed ${seed}: converged after one rerun`).toBeLessThanOrEqual(1);

    // Converged: nothing left to do (what the instance refused as read-only is carried).
    const refusals = parseRefusalsCsv(await readFile(path.join(out, 'refused.csv'), 'utf8'), 'refused.csv');
    const check = await connect(resolved, { url: sb.url, credentials, readOnly: true, clock: () => NOW });
    const after = await readAndPlan(resolved, check, NOW, { refusals }).finally(() => check.close());
    expect(after.plan.changes.map(changeKey), `seed ${seed}`).toEqual([]);

    // No write carried out twice.
    const repeated = repeatedWrites(sb, f);
    expect(repeated, `seed ${seed}`).toEqual([]);

    // The audit accounts for every planned change; none is audited as applied twice; no intent is left open.
    const audit = parseAuditCsv(await readFile(path.join(out, 'audit.csv'), 'utf8'), 'audit.csv');
    const rowsOf = (c: Change) => audit.filter((r) => auditRowKey(r) === changeKey(c));
    const refused = new Set(refusals.map((r) => `${r.kind}|${r.user}|${r.group ?? ''}`));
    for (const c of planned) {
      const rows = rowsOf(c);
      const label = `seed ${seed}: ${c.kind} ${c.user}`;
      const audited = rows.length > 0 || audit.some((r) => r.kind === c.kind && r.username === c.user);
      expect(audited, label).toBe(true);
      expect(rows.filter((r) => r.outcome === 'applied').length, label).toBeLessThanOrEqual(1);
      const group = 'group' in c ? c.group : '';
      if (!refused.has(`${c.kind}|${c.user}|${group}`))
        expect(changeInEffect(c, after.snapshot), label).not.toBe(false);
    }
    const journal = parseJournal(await readFile(path.join(out, JOURNAL_FILE), 'utf8').catch(() => ''));
    expect(pendingIntents(journal.entries), `seed ${seed}`).toEqual([]);
    return {
      platform: f.platform,
      mode: trial.mode,
      k,
      killed,
      planned: planned.length,
      reruns,
      closedInFlight,
      repeated: repeated.length,
    };
  } finally {
    await sb.close();
  }
}

/** Trial i: platform i mod 4, a seeded kill point among the writes (2 of 3) or among all requests. */
export function trials(n: number): Trial[] {
  const rand = mulberry32(2026);
  return Array.from({ length: n }, (_, i) => {
    const f = FIXTURES[i % FIXTURES.length]!;
    const inFlight = rand() < 2 / 3;
    return { f, mode: inFlight ? 'in-flight write' : 'any request', at: rand() };
  });
}

export async function crashTrials(n = TRIALS): Promise<TrialResult[]> {
  const results: TrialResult[] = [];
  for (const [i, trial] of trials(n).entries()) results.push(await runTrial(i, trial));
  return results;
}
