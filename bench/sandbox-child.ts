// The sandbox in its own process for `npm run bench`, so the client measured does not share an event loop or a
// CPU budget with it. Started with a JSON of options (argv[2]); tells its URL and credentials over IPC, and
// answers: { type: 'stats' } → its own CPU, RSS and request count; { type: 'gets', from } → the GETs it served
// from request `from` on (method, path and query, to replay); { type: 'inactive', prefix } → how many users
// whose name starts with prefix are inactive.
import { startSandbox } from '../src/sandbox/index.ts';
import type { Scenario } from '../src/sandbox/scenario.ts';

export interface ChildOptions {
  version: string;
  /** Generated users and groups (the generator's realistic spread). */
  users?: number;
  groups?: number;
  /** Or: `idle` users inactive for 200 days (plus the admin), for the apply scenarios. */
  idle?: number;
  rateLimit?: number;
}

const NOW = new Date('2026-11-25T00:00:00Z');
const o = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
const day = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();
const scenario: Scenario | undefined = o.idle
  ? {
      users: Array.from({ length: o.idle }, (_, i) => ({
        name: `idle${i}`,
        created: day(900),
        lastLogin: day(200),
        groups: ['jira-software-users'],
      })),
    }
  : undefined;
const sb = await startSandbox({
  version: o.version as '10.3',
  now: NOW,
  clock: () => Date.now(),
  ...(scenario ? { scenario } : { generate: { users: o.users ?? 1000, groups: o.groups ?? 10, seed: 7 } }),
  ...(o.rateLimit ? { rateLimit: { capacity: o.rateLimit, fillRate: o.rateLimit } } : {}),
});
const cpu0 = process.cpuUsage();
process.on('message', (m: { type: string; from?: number; prefix?: string }) => {
  if (m.type === 'stats') {
    const c = process.cpuUsage(cpu0);
    process.send!({
      type: 'stats',
      cpu_s: (c.user + c.system) / 1e6,
      rss_mb: process.memoryUsage().rss / 1048576,
      requests: sb.allRequests.length,
    });
  } else if (m.type === 'gets') {
    const gets = sb.allRequests
      .slice(m.from ?? 0)
      .filter((r) => r.method === 'GET')
      .map((r) => ({ path: r.path, query: r.query, user: r.user }));
    process.send!({ type: 'gets', gets });
  } else if (m.type === 'inactive') {
    const n = sb.store.users().filter((u) => u.name.startsWith(m.prefix ?? '') && !u.active).length;
    process.send!({ type: 'inactive', n });
  }
});
process.on('disconnect', () => void sb.close().then(() => process.exit(0)));
process.send!({ type: 'ready', url: sb.url, credentials: sb.credentials, requests: sb.allRequests.length });
