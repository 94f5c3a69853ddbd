// `npm run bench`: how far the tool is from the instance's own limits, measured against peers in the same run.
// Prints a table and writes bench/results.json ({ name, users, requests, wall_s, cpu_s, rss_mb, ratio, target, met,
// note? } per scenario). Figures are printed, never asserted; on a shared machine they are noisy.
//   plan       `aup plan --snapshot` in its own process over 10k → 100k → 1M users (bench/plan.ts)
//   apply      N deactivations at R = 50 and 200 requests/s, ours vs a sequential raw loop (bench/apply.ts)
//   snapshot   Jira DC 10.3 at 100k users: driver vs raw undici loop vs jira-client; 250k driver only (bench/snapshot.ts)
//   render     PR Markdown of 100k changes; inventory.csv of 1M users with flat memory (bench/render.ts)
// Sizes: BENCH_PLAN_SIZES (10000,100000,1000000), BENCH_SNAPSHOT_USERS (100000), BENCH_SNAPSHOT_GROWTH (250000; 0
// skips), BENCH_APPLY_SECONDS (20: N = R × 20 changes; BENCH_APPLY_CHANGES overrides N), BENCH_JC_MAX (20000; 0 skips jira-client),
// BENCH_INVENTORY_USERS (1000000). BENCH_ONLY=plan,apply,… runs some scenarios only.
import { rm, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { benchApply } from './apply.ts';
import { type Result, ROOT, table, TMP } from './measure.ts';
import { benchPlan } from './plan.ts';
import { benchInventory, benchMarkdown } from './render.ts';
import { benchSnapshot } from './snapshot.ts';

const env = (k: string, d: string) => process.env[k] ?? d;
const list = (k: string, d: string) =>
  env(k, d)
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
const only = process.env.BENCH_ONLY?.split(',');
const runs = (name: string) => !only || only.includes(name);

const started = performance.now();
console.log(
  `Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}); shared machines give noisy figures.\n`,
);
const results: Result[] = [];
try {
  if (runs('plan')) {
    console.log('plan (aup plan --snapshot, own process)');
    results.push(...(await benchPlan(list('BENCH_PLAN_SIZES', '10000,100000,1000000'))));
  }
  if (runs('render')) {
    console.log('render');
    results.push(benchMarkdown(100_000));
    results.push(...(await benchInventory(100_000, Number(env('BENCH_INVENTORY_USERS', '1000000')))));
  }
  if (runs('apply')) {
    console.log('apply (sandbox rate-limited, own process)');
    results.push(...(await benchApply([50, 200], Number(env('BENCH_APPLY_SECONDS', '20')))));
  }
  if (runs('snapshot')) {
    console.log('snapshot (sandbox in its own process)');
    results.push(...(await benchSnapshot(Number(env('BENCH_SNAPSHOT_USERS', '100000')), true)));
    const growth = Number(env('BENCH_SNAPSHOT_GROWTH', '250000'));
    if (growth > 0) results.push(...(await benchSnapshot(growth, false)));
  }
} finally {
  await rm(TMP, { recursive: true, force: true });
}

console.log(`\n${table(results)}\n`);
for (const r of results.filter((x) => x.note)) console.log(`- ${r.name}: ${r.note}`);
const file = path.join(ROOT, 'bench/results.json');
await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(
  `\nwrote ${path.relative(process.cwd(), file)} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
