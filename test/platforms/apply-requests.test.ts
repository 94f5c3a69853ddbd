// Issue 14: at the instance's rate limit every request counts. After a snapshot, a Jira DC deactivation or
// deletion costs the instance one request (no read of the same user first): counted by the sandbox, which
// records every request it answers. A user the connection did not read is still read first.
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/executor/apply.ts';
import { MemoryAudit } from '../../src/executor/audit.ts';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { daysAgo, harness, type Harness, NOW, policy } from './helpers.ts';

const POLICY = `version: 1
instance: { platform: jira-dc, access_groups: [jira-software-users] }
inactivity:
  - { name: purge, inactive_days: 400, action: delete }
  - { name: dormant, inactive_days: 90, action: deactivate }
limits: { max_deactivations: 100, max_deletions: 100, max_fraction: 1 }
`;

describe('Jira DC 10.3: one request per change after a snapshot', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('deactivates and deletes with one request each; a second apply asks only about the deletions', async () => {
    const users = Array.from({ length: 12 }, (_, i) => ({
      name: `idle${i}`,
      created: daysAgo(900),
      lastLogin: daysAgo(i < 4 ? 500 : 120),
      groups: ['jira-software-users'],
    }));
    h = await harness('10.3', { scenario: { users } });
    const resolved = policy(POLICY);
    const writer = await h.connect(resolved, { readOnly: false });
    const { plan } = await readAndPlan(resolved, writer, NOW);
    expect(plan.changes.map((c) => c.kind).sort()).toEqual([
      ...Array<string>(8).fill('deactivate'),
      ...Array<string>(4).fill('delete'),
    ]);

    const before = h.sb.allRequests.length;
    const first = await applyPlan(plan, writer.adapter, { audit: new MemoryAudit(), clock: () => NOW });
    expect(first.counts).toEqual({ applied: 12, 'already-in-state': 0, skipped: 0, failed: 0 });
    expect(h.sb.allRequests.length - before).toBe(12);
    expect(
      h.sb.store
        .users()
        .filter((u) => u.name.startsWith('idle'))
        .map((u) => [u.name, u.active]),
    ).toEqual(Array.from({ length: 8 }, (_, i) => [`idle${i + 4}`, false]));

    const again = h.sb.allRequests.length;
    const second = await applyPlan(plan, writer.adapter, { audit: new MemoryAudit(), clock: () => NOW });
    expect(second.counts).toEqual({ applied: 0, 'already-in-state': 12, skipped: 0, failed: 0 });
    // The deactivations are known done; each deletion asks once and is told 404.
    expect(h.sb.allRequests.length - again).toBe(4);
  });

  it('reads a user the connection did not read before writing', async () => {
    h = await harness('10.3', {
      scenario: { users: [{ name: 'idle', created: daysAgo(900), lastLogin: daysAgo(120), groups: [] }] },
    });
    const resolved = policy(POLICY);
    const reader = await h.connect(resolved, { readOnly: false });
    const { plan } = await readAndPlan(resolved, reader, NOW);
    h.sb.store.user('idle')!.active = false; // deactivated by someone else after the snapshot
    const fresh = await h.connect(resolved, { readOnly: false });
    const r = await applyPlan(plan, fresh.adapter, { audit: new MemoryAudit(), clock: () => NOW });
    expect(r.counts).toEqual({ applied: 0, 'already-in-state': 1, skipped: 0, failed: 0 });
  });
});
