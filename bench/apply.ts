// Apply scenario: N deactivations against the sandbox (own process) limited to R requests/s (a token bucket
// answering 429 with Retry-After). Our executor and driver (concurrency 8) vs a sequential raw loop of the same
// PUTs. Effective changes/s against R (target ≥ 0.9·R), changes lost (not in effect on the instance afterwards)
// and failed. Activity comes from a CSV so the snapshot before the apply costs a few pages, not a read per user.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Pool } from 'undici';
import { readAndPlan } from '../src/app/plan-run.ts';
import { applyPlan } from '../src/executor/apply.ts';
import { MemoryAudit } from '../src/executor/audit.ts';
import { connect } from '../src/platforms/registry.ts';
import { parsePolicyText } from '../src/policy/parse.ts';
import { declaredFromPolicy } from '../src/policy/resolved.ts';
import { type Result, round, sandboxChild, TMP } from './measure.ts';
import { NOW } from './scale-snapshot.ts';

const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ours(rate: number, n: number): Promise<Result> {
  const sb = await sandboxChild({ version: '10.3', idle: n, rateLimit: rate });
  try {
    const csv = path.join(TMP, `activity-${n}.csv`);
    const rows = Array.from({ length: n }, (_, i) => `idle${i},2026-05-09T00:00:00Z`);
    await writeFile(csv, ['username,last_login', ...rows, 'admin,2026-11-24T00:00:00Z', ''].join('\n'));
    const r = parsePolicyText(
      `version: 1
instance: { platform: jira-dc, url: ${sb.url}, access_groups: [jira-software-users], activity: { source: csv, csv: ${csv} } }
inactivity: [{ name: dormant, inactive_days: 90, action: deactivate }]
limits: { max_deactivations: ${n}, max_fraction: 1 }
`,
      'bench.yml',
    );
    const resolved = {
      path: 'bench.yml',
      sha256: '0'.repeat(64),
      policy: r.policy!,
      declared: declaredFromPolicy(r.policy!),
    };
    const conn = await connect(resolved, {
      url: sb.url,
      credentials: { token: sb.credentials.token },
      readOnly: false,
      clock: () => NOW,
      concurrency: 8,
    });
    const { plan } = await readAndPlan(resolved, conn, NOW);
    await sleep(1500); // the bucket refills after the snapshot's requests
    const before = await sb.ask<{ requests: number; cpu_s: number }>({ type: 'stats' });
    const c0 = cpu();
    const t0 = performance.now();
    const report = await applyPlan(plan, conn.adapter, {
      audit: new MemoryAudit(),
      clock: () => NOW,
      concurrency: 8,
    });
    const wall = (performance.now() - t0) / 1000;
    const clientCpu = cpu() - c0;
    const after = await sb.ask<{ requests: number; cpu_s: number }>({ type: 'stats' });
    await conn.close();
    const { n: inactive } = await sb.ask<{ n: number }>({ type: 'inactive', prefix: 'idle' });
    const perSec = report.counts.applied / wall;
    const lost = n - inactive;
    return {
      name: `apply ${n.toLocaleString('en-US')} deactivations at ${rate} req/s (ours, concurrency 8)`,
      users: n,
      requests: after.requests - before.requests,
      wall_s: round(wall),
      cpu_s: round(clientCpu),
      rss_mb: round(process.memoryUsage().rss / 1048576, 0),
      ratio: round(perSec / rate),
      target: '≥0.9 (changes/s ÷ R), 0 lost, 0 failed',
      met: perSec >= 0.9 * rate && lost === 0 && report.counts.failed === 0,
      note: `${round(perSec, 1)} changes/s; ${report.counts.applied} applied, ${report.counts.failed} failed, ${lost} lost; sandbox ${round(((after.cpu_s - before.cpu_s) / Math.max(1, after.requests - before.requests)) * 1e6, 0)} µs CPU/request`,
    };
  } finally {
    await sb.close();
  }
}

/** The same PUTs one at a time, waiting Retry-After on a 429: what a careful script does. */
async function sequential(rate: number, n: number): Promise<Result> {
  const sb = await sandboxChild({ version: '10.3', idle: n, rateLimit: rate });
  const pool = new Pool(new URL(sb.url).origin, { connections: 1 });
  const base = new URL(sb.url).pathname.replace(/\/$/, '');
  try {
    await sleep(1500);
    let requests = 0;
    const c0 = cpu();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      for (;;) {
        requests++;
        const res = await pool.request({
          method: 'PUT',
          path: `${base}/rest/api/2/user?username=idle${i}`,
          headers: { authorization: `Bearer ${sb.credentials.token}`, 'content-type': 'application/json' },
          body: '{"active":false}',
        });
        await res.body.text();
        if (res.statusCode !== 429) break;
        await sleep(Number(res.headers['retry-after'] ?? 1) * 1000);
      }
    }
    const wall = (performance.now() - t0) / 1000;
    const { n: inactive } = await sb.ask<{ n: number }>({ type: 'inactive', prefix: 'idle' });
    return {
      name: `apply ${n.toLocaleString('en-US')} deactivations at ${rate} req/s (sequential raw loop)`,
      users: n,
      requests,
      wall_s: round(wall),
      cpu_s: round(cpu() - c0),
      rss_mb: round(process.memoryUsage().rss / 1048576, 0),
      ratio: round(n / wall / rate),
      target: 'comparison',
      met: null,
      note: `${round(n / wall, 1)} changes/s, ${n - inactive} lost`,
    };
  } finally {
    await pool.close();
    await sb.close();
  }
}

export async function benchApply(rates: number[], seconds: number): Promise<Result[]> {
  const out: Result[] = [];
  for (const rate of rates) {
    const n = Number(process.env.BENCH_APPLY_CHANGES ?? rate * seconds);
    out.push(await ours(rate, n));
    console.log(`  ${out.at(-1)!.name}: ${out.at(-1)!.note}`);
    out.push(await sequential(rate, n));
    console.log(`  ${out.at(-1)!.name}: ${out.at(-1)!.note}`);
  }
  return out;
}
