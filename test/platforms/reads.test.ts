// Issue 3, reads that go wrong, per Jira version over real HTTP: a failed page fails the snapshot (no plan,
// never a partial instance), dead credentials fail instead of reading as an empty instance, and 429s with
// Retry-After are waited out (with an injected sleep) until the snapshot equals the store.
import { afterEach, describe, expect, it } from 'vitest';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { AuthError, HttpError } from '../../src/http/index.ts';
import type { Plan } from '../../src/model.ts';
import {
  expectSnapshotMatchesStore,
  fakeTime,
  harness,
  type Harness,
  LIFECYCLE,
  NOW,
  policy,
  VERSIONS,
} from './helpers.ts';

describe.each(VERSIONS)('Jira DC %s: failed reads', (version) => {
  let h: Harness;
  afterEach(() => h.close());
  const listing = version === '9.12' ? '/rest/api/2/user/search' : '/rest/api/2/user/list';

  it.each([listing, '/rest/api/2/group/member'])(
    'a page of %s that keeps failing fails the snapshot',
    async (failing) => {
      // Pages of 2: the second page fails on every attempt the retry makes.
      h = await harness(version, { maxPageSize: 2 });
      h.sb.failNext(failing, 500, { times: 10, skip: 1 });
      const resolved = policy(LIFECYCLE);
      const conn = await h.connect(resolved);
      let plan: Plan | undefined;
      const read = readAndPlan(resolved, conn, NOW).then((r) => (plan = r.plan));
      await expect(read).rejects.toThrow(HttpError);
      await expect(read).rejects.toThrow(`GET ${failing}: 500 Internal Server Error`);
      await expect(read).rejects.toThrow('Internal server error (injected by the sandbox, status 500)');
      expect(plan).toBeUndefined();
      // Four retries with backoff, all on the same page; then nothing else was read.
      expect(h.waits).toHaveLength(4);
      const failed = h.sb.allRequests.filter((r) => r.status === 500);
      expect(failed).toHaveLength(5);
      expect(new Set(failed.map((r) => JSON.stringify(r.query))).size).toBe(1);
      expect(h.sb.allRequests.at(-1)!.status).toBe(500);
      expect(h.sb.requests).toEqual([]);
    },
  );

  it('a wrong token fails the read instead of yielding an empty instance', async () => {
    h = await harness(version);
    const resolved = policy(LIFECYCLE);
    const conn = await h.connect(resolved, { credentials: { token: 'not-a-valid-token' } });
    const read = readAndPlan(resolved, conn, NOW);
    await expect(read).rejects.toThrow(AuthError);
    await expect(read).rejects.toThrow('credentials rejected (X-Seraph-LoginReason: AUTHENTICATED_FAILED)');
    expect(h.sb.requests).toEqual([]);
  });

  it('a wrong application password fails the read instead of leaving activity unknown', async () => {
    h = await harness(version);
    const resolved = policy(LIFECYCLE);
    const c = h.sb.credentials;
    const conn = await h.connect(resolved, {
      credentials: { token: c.token, appName: c.appName, appPassword: 'wrong' },
    });
    const read = readAndPlan(resolved, conn, NOW);
    await expect(read).rejects.toThrow(AuthError);
    await expect(read).rejects.toThrow('GET /rest/usermanagement/1/search: 401 Unauthorized');
  });
});

describe.each(VERSIONS)('Jira DC %s: rate limited', (version) => {
  let h: Harness;
  afterEach(() => h.close());

  it('429s with Retry-After are waited out and the snapshot still equals the store', async () => {
    // Two requests per 3-second interval: Jira answers 429 with Retry-After: 3 until the bucket refills.
    const time = fakeTime();
    h = await harness(version, {
      maxPageSize: 3,
      clock: time.now,
      sleep: time.sleep,
      rateLimit: { capacity: 2, fillRate: 1, intervalSeconds: 3 },
    });
    const resolved = policy(LIFECYCLE);
    const conn = await h.connect(resolved);
    const { snapshot } = await readAndPlan(resolved, conn, NOW);

    // The token owner logs in with every request, so only its login time moved while the snapshot was read.
    expectSnapshotMatchesStore(snapshot, h.sb.store, { activity: 'crowd', ignoreActivityOf: ['admin'] });
    const throttled = h.sb.allRequests.filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThan(3);
    expect(time.waits).toEqual(throttled.map(() => 3000));
    const stats = conn.clients[0]!.stats();
    expect(stats).toMatchObject({ throttled: throttled.length, throttledMs: 3000 * throttled.length });
  });

  it('a Retry-After beyond the client limit fails the read rather than stalling', async () => {
    const time = fakeTime();
    h = await harness(version, {
      clock: time.now,
      sleep: time.sleep,
      rateLimit: { capacity: 1, fillRate: 1, intervalSeconds: 120 },
    });
    const resolved = policy(LIFECYCLE);
    const read = readAndPlan(resolved, await h.connect(resolved), NOW);
    await expect(read).rejects.toThrow(
      /429 Too Many Requests: Rate limit exceeded\.; Retry-After 120 s exceeds/,
    );
    expect(time.waits).toEqual([]);
  });
});
