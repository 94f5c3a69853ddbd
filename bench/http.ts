// Which undici entry point is the HTTP layer's fast path? N GETs against a local node:http server (in a child
// process, so client and server do not share an event loop), concurrency 8, comparing:
//   undici request/Pool   — undici 8 `Pool.request`, keep-alive, connections = 8
//   undici fetch/Pool     — undici 8 `fetch` over the same kind of Pool
//   global fetch          — Node's bundled undici fetch with its global Agent
//   createHttpClient      — our client (Pool.request + retry/guard/stats layer) via getJson
// Prints req/s and p50/p95 latency per mode, best of ROUNDS rounds (modes interleaved per round).
//   node bench/http.ts [N] [ROUNDS]
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Pool, fetch as undiciFetch } from 'undici';
import { createHttpClient } from '../src/http/client.ts';

const CONCURRENCY = 8;
const WARMUP = 200;

if (process.argv.includes('--serve')) {
  // A page of 50 users, about the size of a Jira group-member page.
  const users = Array.from({ length: 50 }, (_, i) => ({
    name: `user${i}`,
    key: `JIRAUSER${10000 + i}`,
    emailAddress: `user${i}@example.com`,
    displayName: `User ${i}`,
    active: true,
  }));
  const body = JSON.stringify({ startAt: 0, maxResults: 50, total: 50, isLast: true, values: users });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
    res.end(body);
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => process.send?.((server.address() as AddressInfo).port));
  process.on('disconnect', () => process.exit(0));
} else {
  await main(Number(process.argv[2] ?? 2000), Number(process.argv[3] ?? 3));
}

interface Result {
  reqPerSec: number;
  p50: number;
  p95: number;
}

async function run(n: number, once: () => Promise<unknown>): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < n) {
        const t0 = performance.now();
        await once();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { reqPerSec: (n / elapsed) * 1000, p50: at(0.5), p95: at(0.95) };
}

async function main(n: number, rounds: number): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: 'inherit' });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(Number(m))));
  const origin = `http://127.0.0.1:${port}`;
  const path = '/rest/api/2/group/member';

  const pool = new Pool(origin, { connections: CONCURRENCY, pipelining: 1 });
  const fetchPool = new Pool(origin, { connections: CONCURRENCY, pipelining: 1 });
  const client = createHttpClient({ baseUrl: origin, readOnly: true, concurrency: CONCURRENCY });

  const modes: Record<string, () => Promise<unknown>> = {
    'undici request/Pool': async () => (await pool.request({ method: 'GET', path })).body.json(),
    'undici fetch/Pool': async () => (await undiciFetch(origin + path, { dispatcher: fetchPool })).json(),
    'global fetch': async () => (await fetch(origin + path)).json(),
    createHttpClient: () => client.getJson(path),
  };

  const best: Record<string, Result> = {};
  for (const once of Object.values(modes)) await run(WARMUP, once);
  for (let round = 0; round < rounds; round++) {
    for (const [name, once] of Object.entries(modes)) {
      const result = await run(n, once);
      if (!best[name] || result.reqPerSec > best[name].reqPerSec) best[name] = result;
    }
  }

  console.log(
    `node ${process.version}, undici ${process.versions.undici} (global fetch), N=${n}, concurrency ${CONCURRENCY}, best of ${rounds}`,
  );
  console.log(`${'mode'.padEnd(22)}${'req/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p95 ms'.padStart(10)}`);
  for (const [name, r] of Object.entries(best)) {
    console.log(
      `${name.padEnd(22)}${r.reqPerSec.toFixed(0).padStart(10)}${r.p50.toFixed(2).padStart(10)}${r.p95.toFixed(2).padStart(10)}`,
    );
  }

  await Promise.all([pool.close(), fetchPool.close(), client.close()]);
  child.disconnect();
}
