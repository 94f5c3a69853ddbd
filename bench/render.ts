// Render scenarios: the PR comment (Markdown) of a plan of 100,000 changes (target ≤ 1 s, ≤ 65,536 characters),
// and inventory.csv of 1M users written as `aup export` writes it (streamed), with the live heap it adds sampled
// after full collections: flat memory = about the same added heap at 100k and 1M users.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { writeCsvFile } from '../src/app/export-files.ts';
import { plan } from '../src/planner/index.ts';
import { parsePolicyText } from '../src/policy/parse.ts';
import { declaredFromPolicy } from '../src/policy/resolved.ts';
import { renderMarkdown } from '../src/report/markdown.ts';
import { INVENTORY_COLUMNS, inventoryRows } from '../src/report/inventory.ts';
import { loadSnapshot } from '../src/snapshot/load.ts';
import { largeSnapshot } from '../test/helpers/large.ts';
import { type Result, round, TMP } from './measure.ts';
import { NOW, writeScaleSnapshot } from './scale-snapshot.ts';

const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

export function benchMarkdown(n: number): Result {
  const r = parsePolicyText(
    `version: 1
instance: { platform: jira-dc, url: https://jira.example.com, access_groups: [jira-software-users] }
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
  const p = plan(largeSnapshot(n, NOW), resolved, { now: NOW });
  const c0 = cpu();
  const t0 = performance.now();
  const md = renderMarkdown(p, { artifactName: 'aup-plan' });
  const wall = (performance.now() - t0) / 1000;
  return {
    name: `render PR Markdown, ${p.changes.length.toLocaleString('en-US')} changes (${md.length.toLocaleString('en-US')} chars)`,
    users: n,
    requests: null,
    wall_s: round(wall, 3),
    cpu_s: round(cpu() - c0, 3),
    rss_mb: round(process.memoryUsage().rss / 1048576, 0),
    ratio: round(md.length / 65_536, 3),
    target: '≤1 s, ≤65,536 chars',
    met: wall <= 1 && md.length <= 65_536,
  };
}

async function inventoryHeap(n: number): Promise<{ added: number; wall: number; cpu: number }> {
  const file = path.join(TMP, `inventory-${n}.json`);
  await writeScaleSnapshot(file, { users: n, groups: 200, perUser: 5 });
  const snapshot = await loadSnapshot(file);
  await rm(file);
  const every = Math.max(2_000, Math.floor(n / 20));
  for (let i = 0; i < 3; i++) global.gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  function* sampled<T>(rows: Iterable<T>): Generator<T> {
    let i = 0;
    for (const row of rows) {
      if (++i % every === 0) {
        global.gc?.();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
      yield row;
    }
  }
  const c0 = cpu();
  const t0 = performance.now();
  await writeCsvFile(
    path.join(TMP, 'inventory.csv'),
    INVENTORY_COLUMNS,
    sampled(inventoryRows(snapshot, NOW, ['jira-software-users'])),
  );
  const out = { added: (peak - base) / 1048576, wall: (performance.now() - t0) / 1000, cpu: cpu() - c0 };
  await rm(path.join(TMP, 'inventory.csv'));
  return out;
}

export async function benchInventory(small: number, big: number): Promise<Result[]> {
  if (!global.gc)
    console.log('  (run with --expose-gc, as npm run bench does, for heap figures without garbage)');
  const a = await inventoryHeap(small);
  const b = await inventoryHeap(big);
  const flat = b.added <= Math.max(2 * a.added, 16);
  const row = (n: number, x: typeof a, last: boolean): Result => ({
    name: `inventory.csv ${n.toLocaleString('en-US')} users, streamed (+${round(x.added, 1)} MB live heap while writing)`,
    users: n,
    requests: null,
    wall_s: round(x.wall),
    cpu_s: round(x.cpu),
    rss_mb: round(process.memoryUsage().rss / 1048576, 0),
    ratio: last ? round(b.added / Math.max(a.added, 0.1), 2) : null,
    target: last ? `flat: added heap ≤2× (or ≤16 MB) of ${small.toLocaleString('en-US')} users'` : 'info',
    met: last ? flat : null,
  });
  return [row(small, a, false), row(big, b, true)];
}
