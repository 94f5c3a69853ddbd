// Plan scenario: `aup plan --snapshot FILE --format markdown` as a user runs it, in its own process, over
// 10k → 100k → 1M users (200 groups, 5 memberships per user). Reports wall, the process's CPU and peak RSS,
// and the growth: CPU per user relative to the smallest size (1.0 = linear). Startup (loading the TypeScript
// sources) is measured apart with `aup --version` and included in each row, as a user pays it.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { measured, type Result, round, TMP } from './measure.ts';
import { NOW, SCALE_POLICY, writeScaleSnapshot } from './scale-snapshot.ts';

export async function benchPlan(sizes: number[]): Promise<Result[]> {
  const policy = path.join(TMP, 'policy.yml');
  await writeFile(policy, SCALE_POLICY);
  const start = await measured(['src/aup.ts', '--version']);
  const results: Result[] = [
    {
      name: 'startup (aup --version)',
      users: 0,
      requests: null,
      wall_s: round(start.wall_s),
      cpu_s: round(start.cpu_s),
      rss_mb: round(start.rss_mb, 0),
      ratio: null,
      target: 'info',
      met: null,
    },
  ];
  let base: number | null = null;
  for (const n of sizes) {
    const file = path.join(TMP, `snapshot-${n}.json`);
    await writeScaleSnapshot(file, { users: n, groups: 200, perUser: 5 });
    const r = await measured([
      'src/aup.ts',
      'plan',
      policy,
      '--snapshot',
      file,
      '--now',
      NOW.toISOString().slice(0, 10),
      '--format',
      'markdown',
    ]);
    const total = /\*\*Total\*\* \| \*\*([\d,]+)\*\*/.exec(r.stdout)?.[1] ?? '?';
    // Growth without the fixed startup cost: CPU per user of the work itself.
    const perUser = Math.max(0.001, r.cpu_s - start.cpu_s) / n;
    base ??= perUser;
    const big = n >= 1_000_000;
    results.push({
      name: `plan ${n.toLocaleString('en-US')} users (${total} changes)`,
      users: n,
      requests: null,
      wall_s: round(r.wall_s),
      cpu_s: round(r.cpu_s),
      rss_mb: round(r.rss_mb, 0),
      ratio: round(perUser / base),
      target: big ? '≤5 s CPU, ≤1,536 MB' : 'growth: (CPU − startup)/user vs smallest',
      met: big ? r.cpu_s <= 5 && r.rss_mb <= 1536 : null,
    });
    console.log(`  plan ${n}: ${round(r.cpu_s)} s CPU, ${round(r.rss_mb, 0)} MB`);
  }
  return results;
}
