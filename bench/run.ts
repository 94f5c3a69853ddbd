// `npm run bench`: speed and memory figures of the engine (printed, not asserted).
//   planner     plan() over a generated snapshot of N users with a staged lifecycle policy
//   reports     Markdown (capped), plan.csv and inventory.csv of that plan
//   export      the live heap aup export's streamed writers add, at 10,000 and N users (bench/export.ts)
//   snapshot    a live snapshot over HTTP from the sandbox (Jira DC 10.3, user/list + group/member + embedded Crowd)
//   apply       applying the sandbox plan through the executor (bounded concurrency)
// Sizes: BENCH_USERS (default 100000) for the planner, BENCH_HTTP_USERS (default 5000) for the HTTP stages.
import { performance } from 'node:perf_hooks';
import { MemoryAudit } from '../src/executor/audit.ts';
import { applyPlan } from '../src/executor/apply.ts';
import { planOrThrow } from '../src/app/plan-run.ts';
import { plan } from '../src/planner/index.ts';
import { connect } from '../src/platforms/registry.ts';
import { parsePolicyText } from '../src/policy/parse.ts';
import { declaredFromPolicy, type ResolvedPolicy } from '../src/policy/resolved.ts';
import { inventoryCsv, planCsv } from '../src/report/csv.ts';
import { renderMarkdown } from '../src/report/markdown.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import { largeSnapshot } from '../test/helpers/large.ts';
import { benchExport } from './export.ts';

const NOW = new Date('2026-11-25T00:00:00Z');
const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const HTTP_USERS = Number(process.env.BENCH_HTTP_USERS ?? 5_000);

function policy(text: string): ResolvedPolicy {
  const r = parsePolicyText(text, 'bench.yml');
  if (!r.policy) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return {
    path: 'bench.yml',
    sha256: '0'.repeat(64),
    policy: r.policy,
    declared: declaredFromPolicy(r.policy),
  };
}

const STAGED = policy(`version: 1
instance: { platform: jira-dc, access_groups: [jira-software-users] }
protect: { users: [svc-*], groups: [jira-administrators] }
inactivity:
  - { name: purge, inactive_days: 365, action: delete, exclude: { emails: ["*@partner.example"] } }
  - { name: seat, inactive_days: 60, action: remove-access }
  - { name: dormant, inactive_days: 90, action: deactivate, never_logged_in: { grace_days: 30 } }
limits: { max_deletions: 1000000, max_fraction: 1 }
report: { upcoming_days: 14 }
`);

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
function time<T>(label: string, f: () => T): T {
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const out = f();
  const ms = performance.now() - t0;
  console.log(
    `${label.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms   heap +${mb(process.memoryUsage().heapUsed - heap0)}`,
  );
  return out;
}
async function timeAsync<T>(label: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await f();
  console.log(`${label.padEnd(44)} ${(performance.now() - t0).toFixed(0).padStart(7)} ms`);
  return out;
}

console.log(
  `Node ${process.version}; planner on ${USERS.toLocaleString('en-US')} users, HTTP stages on ${HTTP_USERS.toLocaleString('en-US')}\n`,
);
const snapshot = time(`generate snapshot (${USERS} users)`, () => {
  const s = largeSnapshot(USERS, NOW);
  // The policy protects jira-administrators: the instance must have it (an unknown group is a plan error).
  return { ...s, groups: [...s.groups, { name: 'jira-administrators', readOnly: false }] };
});
const p = time('plan()', () => plan(snapshot, STAGED, { now: NOW }));
console.log(
  `  → ${p.changes.length.toLocaleString('en-US')} changes, ${p.skipped.length} skipped, ${p.upcoming.length} upcoming`,
);
const md = time('renderMarkdown (65,536 cap)', () => renderMarkdown(p));
console.log(`  → ${md.length.toLocaleString('en-US')} characters`);
time('planCsv', () => planCsv(p));
time('inventoryCsv', () => inventoryCsv(snapshot, NOW));
console.log(`peak RSS so far: ${mb(process.memoryUsage().rss)}\n`);
await benchExport([10_000, USERS]);
console.log();

const sandbox = await startSandbox({
  version: '10.3',
  generate: { users: HTTP_USERS, groups: 10, seed: 7 },
  now: NOW,
  clock: () => NOW.getTime(),
});
try {
  const c = sandbox.credentials;
  const resolved = policy(`version: 1
instance: { platform: jira-dc, url: ${sandbox.url}, access_groups: [jira-software-users] }
inactivity:
  - { name: dormant, inactive_days: 90, action: deactivate, never_logged_in: { grace_days: 30 } }
limits: { max_deactivations: 1000000, max_fraction: 1 }
`);
  const credentials = { token: c.token, appName: c.appName, appPassword: c.appPassword };
  const reader = await connect(resolved, { url: sandbox.url, credentials, readOnly: true, clock: () => NOW });
  const snap = await timeAsync(`snapshot over HTTP (${HTTP_USERS} users)`, () => reader.adapter.snapshot());
  const s = reader.clients.map((x) => x.stats());
  console.log(
    `  → ${snap.users.length} users, ${s.reduce((a, x) => a + x.requests, 0)} requests (${s[1]?.requests ?? 0} to embedded Crowd)`,
  );
  await reader.close();
  const live = planOrThrow(snap, resolved, NOW);
  const writer = await connect(resolved, {
    url: sandbox.url,
    credentials,
    readOnly: false,
    clock: () => NOW,
  });
  const report = await timeAsync(`apply ${live.changes.length} changes (concurrency 8)`, () =>
    applyPlan(live, writer.adapter, { audit: new MemoryAudit(), clock: () => NOW, concurrency: 8 }),
  );
  console.log(`  → ${JSON.stringify(report.counts)}, ${writer.clients[0]!.stats().requests} requests`);
  await writer.close();
} finally {
  await sandbox.close();
}
console.log(`\npeak RSS: ${mb(process.memoryUsage().rss)}`);
