// Snapshot scenario: reading N users with their memberships and login times from Jira DC 10.3 (sandbox in its own
// process): our driver (connect + snapshot, concurrency 8) vs a minimal raw undici loop replaying the very GETs the
// driver sent (as the sandbox recorded them) at the same concurrency — list pages one after the other (the
// embedded Crowd's user search with expand=user,attributes included: login times 1000 users a page), per-user
// embedded-Crowd reads (only where the search gave no attributes) 8 at a time — and vs `jira-client` (npm)
// sending them one at a time. `ratio` of the driver row: requests per user.
// Targets: driver ≤ 1.15× the raw loop's wall and ≤ 2× its client CPU; jira-client ≥ 5× slower than the driver.
import { createRequire } from 'node:module';
import { Pool } from 'undici';
import { connect } from '../src/platforms/registry.ts';
import { parsePolicyText } from '../src/policy/parse.ts';
import { declaredFromPolicy } from '../src/policy/resolved.ts';
import { type Result, round, sandboxChild, type SandboxChild } from './measure.ts';
import { NOW } from './scale-snapshot.ts';

interface Get {
  path: string;
  query: Record<string, string | string[]>;
}
const CONCURRENCY = 8;
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const qs = (q: Get['query']) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  const s = p.toString();
  return s ? `?${s}` : '';
};
const isCrowd = (g: Get) => g.path.startsWith('/rest/usermanagement/');
const isPerUser = (g: Get) => g.path === '/rest/usermanagement/1/user';

/** Runs `send` over the GETs: consecutive per-user Crowd reads CONCURRENCY at a time, everything else in order. */
async function replay(gets: Get[], send: (g: Get) => Promise<void>, concurrency: number): Promise<void> {
  for (let i = 0; i < gets.length;) {
    if (!isPerUser(gets[i]!)) {
      await send(gets[i++]!);
      continue;
    }
    let j = i;
    while (j < gets.length && isPerUser(gets[j]!)) j++;
    const run = gets.slice(i, j);
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < run.length) await send(run[next++]!);
      }),
    );
    i = j;
  }
}

function authOf(sb: SandboxChild, g: Get): string {
  return isCrowd(g)
    ? `Basic ${Buffer.from(`${sb.credentials.appName}:${sb.credentials.appPassword}`).toString('base64')}`
    : `Bearer ${sb.credentials.token}`;
}

export async function benchSnapshot(n: number, compare: boolean): Promise<Result[]> {
  const sb = await sandboxChild({ version: '10.3', users: n, groups: 20 });
  const out: Result[] = [];
  try {
    const r = parsePolicyText(
      `version: 1\ninstance: { platform: jira-dc, url: ${sb.url}, access_groups: [jira-software-users] }\n`,
      'bench.yml',
    );
    const resolved = {
      path: 'bench.yml',
      sha256: '0'.repeat(64),
      policy: r.policy!,
      declared: declaredFromPolicy(r.policy!),
    };
    const s0 = await sb.ask<{ requests: number; cpu_s: number }>({ type: 'stats' });
    const c0 = cpu();
    const t0 = performance.now();
    const conn = await connect(resolved, {
      url: sb.url,
      credentials: sb.credentials,
      readOnly: true,
      clock: () => NOW,
      concurrency: CONCURRENCY,
    });
    const snap = await conn.adapter.snapshot();
    await conn.close();
    const wall = (performance.now() - t0) / 1000;
    const clientCpu = cpu() - c0;
    const s1 = await sb.ask<{ requests: number; cpu_s: number }>({ type: 'stats' });
    const requests = s1.requests - s0.requests;
    const sandboxUs = ((s1.cpu_s - s0.cpu_s) / requests) * 1e6;
    const driver: Result = {
      name: `snapshot jira-dc 10.3, ${n.toLocaleString('en-US')} users (driver, concurrency ${CONCURRENCY})`,
      users: snap.users.length,
      requests,
      wall_s: round(wall),
      cpu_s: round(clientCpu),
      rss_mb: round(process.memoryUsage().rss / 1048576, 0),
      ratio: round(requests / snap.users.length, 3),
      target: 'info (ratio: requests per user)',
      met: null,
      note: `sandbox ${round(sandboxUs, 0)} µs CPU/request (its own process)`,
    };
    out.push(driver);
    console.log(
      `  ${driver.name}: ${driver.wall_s} s, ${driver.cpu_s} s CPU, ${requests} requests; ${driver.note}`,
    );
    if (!compare) return out;

    const { gets } = await sb.ask<{ gets: Get[] }>({ type: 'gets', from: s0.requests });
    const origin = new URL(sb.url).origin;
    const base = new URL(sb.url).pathname.replace(/\/$/, '');
    const pool = new Pool(origin, { connections: CONCURRENCY });
    const rc0 = cpu();
    const rt0 = performance.now();
    await replay(
      gets,
      async (g) => {
        const res = await pool.request({
          method: 'GET',
          path: `${base}${g.path}${qs(g.query)}`,
          headers: { authorization: authOf(sb, g), accept: 'application/json' },
        });
        await res.body.json();
      },
      CONCURRENCY,
    );
    const rawWall = (performance.now() - rt0) / 1000;
    const rawCpu = cpu() - rc0;
    await pool.close();
    const wallRatio = wall / rawWall;
    const cpuRatio = clientCpu / rawCpu;
    out.push({
      name: `snapshot ${n.toLocaleString('en-US')}: raw undici loop, same ${gets.length} GETs, concurrency ${CONCURRENCY}`,
      users: n,
      requests: gets.length,
      wall_s: round(rawWall),
      cpu_s: round(rawCpu),
      rss_mb: round(process.memoryUsage().rss / 1048576, 0),
      ratio: round(wallRatio),
      target: 'driver wall ≤1.15× raw, CPU ≤2× raw',
      met: wallRatio <= 1.15 && cpuRatio <= 2,
      note: `driver/raw: wall ${round(wallRatio)}×, client CPU ${round(cpuRatio)}×`,
    });
    console.log(`  ${out.at(-1)!.name}: ${out.at(-1)!.note}`);

    // jira-client (CommonJS, postman-request underneath), one request at a time; at most JC_MAX of them, the
    // wall extrapolated to all.
    const require = createRequire(import.meta.url);
    const JiraApi = require('jira-client') as new (o: Record<string, unknown>) => {
      doRequest(o: unknown): Promise<unknown>;
      makeRequestHeader(uri: string, o?: unknown): unknown;
      makeUri(o: { pathname: string; intermediatePath: string; query?: unknown }): string;
    };
    const u = new URL(sb.url);
    const common = {
      protocol: 'http',
      host: u.hostname,
      port: u.port,
      base,
      apiVersion: '2',
      strictSSL: false,
    };
    const jira = new JiraApi({ ...common, bearer: sb.credentials.token });
    const crowd = new JiraApi({
      ...common,
      username: sb.credentials.appName,
      password: sb.credentials.appPassword,
    });
    const max = Number(process.env.BENCH_JC_MAX ?? 20_000);
    if (!(max > 0)) return out; // BENCH_JC_MAX=0: no jira-client row (nothing to extrapolate from)
    const sample =
      gets.length <= max ? gets : [...gets.filter((g) => !isCrowd(g)), ...gets.filter(isCrowd)].slice(0, max);
    const jc0 = cpu();
    const jt0 = performance.now();
    for (const g of sample) {
      const api = isCrowd(g) ? crowd : jira;
      // A 404 the driver was also told (a group the instance lacks) is an answer like any other.
      await api
        .doRequest(
          api.makeRequestHeader(api.makeUri({ pathname: '', intermediatePath: g.path, query: g.query })),
        )
        .catch(() => undefined);
    }
    const jcWall = ((performance.now() - jt0) / 1000) * (gets.length / sample.length);
    const jcCpu = (cpu() - jc0) * (gets.length / sample.length);
    out.push({
      name: `snapshot ${n.toLocaleString('en-US')}: jira-client 8.2.2, sequential${sample.length < gets.length ? ` (${sample.length.toLocaleString('en-US')} of ${gets.length.toLocaleString('en-US')} GETs, extrapolated)` : ''}`,
      users: n,
      requests: gets.length,
      wall_s: round(jcWall),
      cpu_s: round(jcCpu),
      rss_mb: round(process.memoryUsage().rss / 1048576, 0),
      ratio: round(jcWall / wall),
      target: '≥5× the driver’s wall',
      met: jcWall / wall >= 5,
    });
    console.log(`  ${out.at(-1)!.name}: ${out.at(-1)!.wall_s} s`);
    return out;
  } finally {
    await sb.close();
  }
}
