// One apply per instance at a time (issue 13), with the lease recorded on the instance (src/app/lease.ts):
// two applies started together on every platform — in one process as two runners, and as two real CLI
// processes — send every change once; a crashed holder blocks until its lease expires; a lease taken over
// stops the apply; plans never take or wait for it.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApplyRefused, type ApplyOutcomeReport, applyLive } from '../../src/app/apply-run.ts';
import { LEASE_PREFIX, observeLease, takeLease } from '../../src/app/lease.ts';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { applyPlan } from '../../src/executor/apply.ts';
import { MemoryAudit } from '../../src/executor/audit.ts';
import { HttpError } from '../../src/http/errors.ts';
import type { Change, Plan } from '../../src/model.ts';
import type { LeaseStore } from '../../src/platforms/driver.ts';
import { connect } from '../../src/platforms/registry.ts';
import { FIXTURES } from '../contract/fixtures.ts';
import { lifecyclePolicy, NOW } from '../contract/org.ts';
import { jiraDcFixture } from '../contract/jira-dc.ts';
import { cliEnv, org, repeatedWrites, resolvedPolicy, startCli, tempDir } from './helpers.ts';

const run = (outDir: string, runId: string, host: string) => ({
  now: NOW,
  clock: () => NOW,
  outDir,
  context: { runId, trigger: 'manual', actor: 'lease-test', commit: null, runUrl: null },
  lease: { holder: { host, pid: 1 }, settleMs: 0 },
});

describe.each(FIXTURES)('$platform: two applies started together', (f) => {
  it('one applies, the other is refused before any change; every change is sent once', async () => {
    const version = f.versions[f.versions.length - 1]!;
    const sb = await f.start(version, org(f, 6), {});
    try {
      const resolved = resolvedPolicy(lifecyclePolicy(f));
      const open = () =>
        connect(resolved, { url: sb.url, credentials: f.credentials(sb), readOnly: false, clock: () => NOW });
      const [a, b] = await Promise.all([open(), open()]);
      const [outA, outB] = await Promise.all([tempDir(), tempDir()]);
      const results = await Promise.allSettled([
        applyLive(resolved, a, run(outA, 'run-a', 'runner-a')),
        applyLive(resolved, b, run(outB, 'run-b', 'runner-b')),
      ]);
      await Promise.all([a.close(), b.close()]);
      const done = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
      expect(done).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toBeInstanceOf(ApplyRefused);
      expect(refused[0]!.message).toMatch(
        /^another apply (holds this instance|took the lease on this instance)/,
      );
      expect(refused[0]!.message).toMatch(/Nothing was changed/);
      const applied: ApplyOutcomeReport = done[0]!;
      expect(applied.lease).toEqual({ held: `${LEASE_PREFIX}1` });
      expect(applied.report.counts.applied).toBeGreaterThan(5);
      // Every change sent once: none carried out twice, and the refused apply wrote no audit at all.
      expect(repeatedWrites(sb, f)).toEqual([]);
      const loser = results[0].status === 'rejected' ? outA : outB;
      expect(existsSync(path.join(loser, 'audit.csv'))).toBe(false);
      // Between applies only the last generation and its release marker stay.
      expect(
        sb.store
          .groups()
          .map((g) => g.name)
          .filter((n) => n.startsWith(LEASE_PREFIX))
          .sort(),
      ).toEqual([`${LEASE_PREFIX}1`, `${LEASE_PREFIX}1-released`]);
    } finally {
      await sb.close();
    }
  });
});

describe('two CLI processes against one instance', () => {
  it('started together: one applies, the other exits 1 saying another apply holds the instance', async () => {
    const f = jiraDcFixture;
    // Every answer takes 50 ms, so one process is still applying when the other starts: with one request per
    // change an apply of 30 users can end before a second process, slow to start on a loaded machine, reads.
    const sb = await f.start('10.3', org(f, 30), { faults: { latencyMs: 50 } });
    try {
      const dir = await tempDir();
      const policyFile = path.join(dir, 'policy.yml');
      await writeFile(policyFile, lifecyclePolicy(f));
      const env = cliEnv(sb, f.credentials(sb));
      const start = (out: string) =>
        startCli(['apply', policyFile, '--yes', '--out', path.join(dir, out), '--now', NOW.toISOString()], {
          cwd: dir,
          env,
        }).done;
      const [x, y] = await Promise.all([start('x'), start('y')]);
      const codes = [x.code, y.code].sort();
      expect(codes, x.stderr + y.stderr).toEqual([0, 1]);
      const loser = x.code === 1 ? x : y;
      expect(loser.stderr).toMatch(
        /^aup: another apply (holds this instance|took the lease on this instance)/m,
      );
      expect(loser.stderr).not.toMatch(/\n\s+at /);
      expect(repeatedWrites(sb, f)).toEqual([]);
    } finally {
      await sb.close();
    }
  }, 60_000);
});

/** A store with the instance's one guarantee: creating an existing name fails. */
function memoryStore(): LeaseStore & { names: Set<string> } {
  const names = new Set<string>();
  return {
    names,
    where: 'groups of a test instance',
    list: async (prefix) => [...names].filter((n) => n.startsWith(prefix)),
    create: async (name) => {
      if (names.has(name))
        throw new HttpError({ method: 'POST', path: '/group', status: 400, detail: 'group exists' });
      names.add(name);
    },
    remove: async (name) => void names.delete(name),
  };
}

describe('the lease protocol', () => {
  const at = (ms: number) => () => new Date(NOW.getTime() + ms);
  const a = { host: 'runner-a', pid: 11 };
  const b = { host: 'runner-b', pid: 22 };

  it('a crashed holder blocks until its lease expires; then the next apply takes over and cleans up', async () => {
    const store = memoryStore();
    const held = await takeLease(await observeLease(store, { clock: at(0), holder: a }), {
      clock: at(0),
      holder: a,
      ttlMs: 60_000,
    });
    expect(held.name).toBe('aup-lease-1');
    // runner-a dies without releasing. Before the expiry runner-b is refused, naming the holder and the time.
    await expect(observeLease(store, { clock: at(59_000), holder: b })).rejects.toThrow(
      'another apply holds this instance: aup-lease-1 is held by runner-a, process 11, until 2025-06-01T12:01:00.000Z. Nothing was changed',
    );
    const seen = await observeLease(store, { clock: at(61_000), holder: b });
    const taken = await takeLease(seen, { clock: at(61_000), holder: b, ttlMs: 60_000 });
    expect(taken.name).toBe('aup-lease-2');
    expect([...store.names].sort()).toEqual(['aup-lease-2', 'aup-lease-2-until-1748779321-runner-b-22']);
    // The stale holder, were it alive, finds itself taken over at its next renewal.
    await held.renew();
    expect(held.lost()).toMatch(/taken over \(aup-lease-2\)/);
  });

  it('on this host, a holder whose process is gone does not block a rerun', async () => {
    const store = memoryStore();
    await takeLease(await observeLease(store, { clock: at(0), holder: a }), { clock: at(0), holder: a });
    const rerun = { host: 'runner-a', pid: 99 };
    await expect(
      observeLease(store, { clock: at(1000), holder: rerun, isAlive: () => true }),
    ).rejects.toThrow(/held by runner-a, process 11/);
    const seen = await observeLease(store, { clock: at(1000), holder: rerun, isAlive: () => false });
    expect(seen.next).toBe(2);
  });

  it('an apply that read the instance while another took and released the lease is refused', async () => {
    const store = memoryStore();
    const slow = await observeLease(store, { clock: at(0), holder: a });
    const fast = await takeLease(await observeLease(store, { clock: at(0), holder: b }), {
      clock: at(0),
      holder: b,
    });
    await fast.release();
    await expect(takeLease(slow, { clock: at(0), holder: a })).rejects.toThrow(
      /^another apply took the lease on this instance \(aup-lease-1\) while this one was reading it/,
    );
  });

  it('a lost answer to creating a marker: created again when absent, refused when it cannot tell whose it is', async () => {
    const noWait = async () => undefined;
    const lost = (path: string) =>
      new HttpError({ method: 'POST', path, status: 504, detail: 'gateway timeout' });
    // The instance did not create the group (5xx before it was handled): both markers are created again.
    const store = memoryStore();
    const create = store.create;
    const failed = new Set<string>();
    store.create = async (name) => {
      if (!failed.has(name)) {
        failed.add(name);
        throw lost('/group');
      }
      await create(name);
    };
    const lease = await takeLease(await observeLease(store, { clock: at(0), holder: a }), {
      clock: at(0),
      holder: a,
      sleep: noWait,
    });
    expect(lease.name).toBe('aup-lease-1');
    expect([...store.names].sort()).toEqual(['aup-lease-1', 'aup-lease-1-until-1748779800-runner-a-11']);

    // The instance created the generation but its answer was lost: another apply may have created it, so this
    // one refuses with nothing changed; the next apply finds a generation without holder and takes the next.
    const other = memoryStore();
    other.create = async (name) => {
      other.names.add(name);
      if (name === 'aup-lease-1') throw lost('/group');
    };
    await expect(
      takeLease(await observeLease(other, { clock: at(0), holder: a }), {
        clock: at(0),
        holder: a,
        sleep: noWait,
      }),
    ).rejects.toThrow(
      "the instance's answer to creating aup-lease-1 was lost, and aup-lease-1 exists: this apply cannot tell whether it or another apply took the lease. Nothing was changed",
    );
    expect([...other.names]).toEqual(['aup-lease-1']);
    const next = await observeLease(other, { clock: at(0), holder: b, settleMs: 0, sleep: noWait });
    expect(next.next).toBe(2);
  });

  it('an instance that will not record the lease refuses the apply, naming what to allow', async () => {
    const store = memoryStore();
    store.create = async () => {
      throw new HttpError({ method: 'POST', path: '/rest/api/2/group', status: 403, detail: 'not allowed' });
    };
    await expect(takeLease(await observeLease(store, { clock: at(0) }), { clock: at(0) })).rejects.toThrow(
      /creating the group aup-lease-1 in the groups of a test instance \(POST \/rest\/api\/2\/group: 403 Forbidden: not allowed\); .*allow these credentials to create and delete groups, or set instance\.lease: false/,
    );
  });

  it('a lease taken over stops the apply: the rest is audited as not attempted', async () => {
    const store = memoryStore();
    const lease = await takeLease(await observeLease(store, { clock: at(0), holder: a }), {
      clock: at(0),
      holder: a,
    });
    store.names.add('aup-lease-2');
    const change = (user: string): Change => ({
      kind: 'deactivate',
      user,
      userId: user,
      rule: { type: 'user', index: 0, name: user },
      reason: { type: 'declared', state: 'inactive' },
    });
    const applied: string[] = [];
    const plan = { changes: ['u1', 'u2', 'u3'].map(change) } as unknown as Plan;
    const report = await applyPlan(
      plan,
      {
        capabilities: {} as never,
        clients: [],
        snapshot: async () => ({}) as never,
        close: async () => {},
        apply: async (c) => {
          applied.push(c.user);
          if (c.user === 'u1') await lease.renew();
          return { outcome: 'applied' };
        },
      },
      { audit: new MemoryAudit(), clock: at(0), concurrency: 1, stopWhen: () => lease.lost() },
    );
    expect(applied).toEqual(['u1']);
    expect(report.results.map((r) => [r.change.user, r.outcome, r.error ?? ''])).toEqual([
      ['u1', 'applied', ''],
      [
        'u2',
        'skipped',
        'not attempted: the lease on this instance was taken over (aup-lease-2) after it expired',
      ],
      [
        'u3',
        'skipped',
        'not attempted: the lease on this instance was taken over (aup-lease-2) after it expired',
      ],
    ]);
  });
});

describe('plans never take or wait for the lease', () => {
  it('plans while another apply holds the instance, without a write', async () => {
    const f = jiraDcFixture;
    const sb = await f.start('10.3', org(f, 2), {});
    try {
      const resolved = resolvedPolicy(lifecyclePolicy(f));
      const writer = await connect(resolved, {
        url: sb.url,
        credentials: f.credentials(sb),
        readOnly: false,
        clock: () => NOW,
      });
      const held = await takeLease(await observeLease(writer.adapter.lease!, { clock: () => NOW }), {
        clock: () => NOW,
      });
      const before = sb.requests.length;
      const reader = await connect(resolved, {
        url: sb.url,
        credentials: f.credentials(sb),
        readOnly: true,
        clock: () => NOW,
      });
      const { plan } = await readAndPlan(resolved, reader, NOW);
      expect(plan.changes.length).toBeGreaterThan(0);
      expect(sb.requests.length).toBe(before);
      await held.release();
      await Promise.all([reader.close(), writer.close()]);
    } finally {
      await sb.close();
    }
  });
});
