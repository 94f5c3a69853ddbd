// Knobs: rate limiting (429 + Retry-After + X-RateLimit-*), targeted and seeded faults, page-size caps,
// the context path, and the loud 501 for routes the sandbox does not model.
import { describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/index.ts';
import { call, get, NOW, type MemberPage, type StreamPage, type UserBean } from './helpers.ts';

async function withSandbox(options: SandboxOptions, fn: (sb: SandboxHandle) => Promise<void>): Promise<void> {
  const sb = await startSandbox({ now: NOW, ...options });
  try {
    await fn(sb);
  } finally {
    await sb.close();
  }
}

describe('rate limit', () => {
  it('answers 429 with Retry-After and the X-RateLimit-* headers once the bucket is empty', async () => {
    let now = NOW.getTime();
    const rateLimit = { capacity: 3, fillRate: 2, intervalSeconds: 60 };
    await withSandbox({ rateLimit, clock: () => now }, async (sb) => {
      const seen: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await get(sb, '/rest/api/2/myself');
        expect(res.status).toBe(200);
        expect(res.headers.get('retry-after')).toBe('0');
        seen.push(res.headers.get('x-ratelimit-remaining') ?? '');
      }
      expect(seen).toEqual(['2', '1', '0']);
      now += 15_000;
      const limited = await get<{ errorMessages: string[] }>(sb, '/rest/api/2/myself');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('45');
      expect(limited.headers.get('x-ratelimit-limit')).toBe('3');
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(limited.headers.get('x-ratelimit-interval-seconds')).toBe('60');
      expect(limited.headers.get('x-ratelimit-fillrate')).toBe('2');
      now += 45_000;
      const after = await get(sb, '/rest/api/2/myself');
      expect(after.status).toBe(200);
      expect(after.headers.get('x-ratelimit-remaining')).toBe('1');
      // Anonymous requests are not rate limited.
      expect((await get(sb, '/rest/api/2/serverInfo', null)).status).toBe(200);
    });
  });
});

describe('faults', () => {
  it('fails one chosen page so a reader can prove a failed page fails the whole listing', async () => {
    await withSandbox({ version: '10.3', generate: { users: 60, groups: 2, seed: 3 } }, async (sb) => {
      sb.failNext('/rest/api/2/user/list', 503, { skip: 1 });
      const first = await get<StreamPage>(sb, '/rest/api/2/user/list?maxResults=25');
      expect(first.status).toBe(200);
      const second = await get(sb, `/rest/api/2/user/list?maxResults=25&cursor=${first.body.nextCursor}`);
      expect(second.status).toBe(503);
      expect(second.headers.get('retry-after')).toBe('1');
      expect(second.headers.get('content-type')).toMatch(/text\/html/);
      const retried = await get<StreamPage>(
        sb,
        `/rest/api/2/user/list?maxResults=25&cursor=${first.body.nextCursor}`,
      );
      expect(retried.status).toBe(200);
    });
  });

  it('resets the connection when asked', async () => {
    await withSandbox({}, async (sb) => {
      sb.failNext('/rest/api/2/group/member', 'reset');
      await expect(get(sb, '/rest/api/2/group/member?groupname=jira-administrators')).rejects.toThrow();
      expect(sb.allRequests.at(-1)?.status).toBe(0);
      expect((await get(sb, '/rest/api/2/group/member?groupname=jira-administrators')).status).toBe(200);
    });
  });

  it('injects a seeded share of 5xx answers, the same sequence for the same seed', async () => {
    const statuses = async (): Promise<number[]> => {
      const out: number[] = [];
      await withSandbox({ faults: { seed: 9, errorRate: 0.3 } }, async (sb) => {
        for (let i = 0; i < 40; i++) out.push((await get(sb, '/rest/api/2/serverInfo')).status);
      });
      return out;
    };
    const a = await statuses();
    expect(a).toEqual(await statuses());
    const failed = a.filter((s) => s !== 200);
    expect(failed.length).toBeGreaterThan(3);
    expect(failed.every((s) => [500, 502, 503].includes(s))).toBe(true);
  });

  it('adds latency', async () => {
    await withSandbox({ faults: { latencyMs: 120 } }, async (sb) => {
      const t0 = performance.now();
      await get(sb, '/rest/api/2/serverInfo');
      expect(performance.now() - t0).toBeGreaterThanOrEqual(100);
    });
  });
});

describe('page-size caps and paths', () => {
  it('clamps page sizes to maxPageSize and says so in maxResults', async () => {
    await withSandbox(
      { version: '10.3', maxPageSize: 7, generate: { users: 30, groups: 1, seed: 5 } },
      async (sb) => {
        const list = await get<StreamPage>(sb, '/rest/api/2/user/list?maxResults=2000');
        expect(list.body.maxResults).toBe(7);
        expect(list.body.values).toHaveLength(7);
        const members = await get<MemberPage>(
          sb,
          '/rest/api/2/group/member?groupname=jira-software-users&maxResults=50',
        );
        expect(members.body.maxResults).toBe(7);
        const search = await get<UserBean[]>(sb, '/rest/api/2/user/search?username=.&maxResults=50');
        expect(search.body).toHaveLength(7);
      },
    );
  });

  it('serves under a context path and 404s outside it', async () => {
    await withSandbox({ contextPath: '/jira' }, async (sb) => {
      expect(sb.url.endsWith('/jira')).toBe(true);
      const info = await get<{ baseUrl: string }>(sb, '/rest/api/2/serverInfo');
      expect(info.body.baseUrl).toBe(sb.url);
      const outside = await fetch(`${sb.url.replace(/\/jira$/, '')}/rest/api/2/serverInfo`);
      expect(outside.status).toBe(404);
      expect((await get(sb, '/rest/api/latest/myself')).status).toBe(200);
    });
  });

  it('answers 501 naming the method and path of a route it does not model', async () => {
    await withSandbox({}, async (sb) => {
      const res = await call<{ method: string; path: string; errorMessages: string[] }>(
        sb,
        'PATCH',
        '/rest/api/2/issue/ABC-1',
      );
      expect(res.status).toBe(501);
      expect(res.body).toMatchObject({ method: 'PATCH', path: '/rest/api/2/issue/ABC-1' });
      expect(res.body.errorMessages[0]).toContain('PATCH /rest/api/2/issue/ABC-1');
    });
  });
});
