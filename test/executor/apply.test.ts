// The executor against a scripted in-memory adapter: phase order, every change audited with its outcome,
// the failure breaker, and changes that depend on a user creation that failed.
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/executor/apply.ts';
import { MemoryAudit } from '../../src/executor/audit.ts';
import type { Change, Plan } from '../../src/model.ts';
import { GENERIC_CAPABILITIES } from '../../src/model/capabilities.ts';
import type { ApplyOutcome, Directory } from '../../src/platforms/driver.ts';
import { renderApplyMarkdown } from '../../src/report/apply-markdown.ts';
import { addMember, deactivate, NOW, plan } from '../report/fixtures.ts';

function adapter(
  answer: (c: Change) => ApplyOutcome | Promise<ApplyOutcome>,
): Directory & { seen: string[] } {
  const seen: string[] = [];
  return {
    capabilities: GENERIC_CAPABILITIES,
    clients: [],
    close: async () => {},
    seen,
    snapshot: () => Promise.reject(new Error('not used')),
    apply: async (c) => {
      seen.push(`${c.kind} ${c.user}`);
      return answer(c);
    },
  };
}

const create = (name: string): Change => ({
  kind: 'create-user',
  user: name,
  userId: null,
  rule: { type: 'user', index: 0, name },
  reason: { type: 'declared', state: 'active' },
  email: `${name}@example.com`,
  displayName: name,
});

describe('applyPlan', () => {
  it('applies phase by phase (creations first, deletions last) and audits every change', async () => {
    const p: Plan = plan({
      changes: [deactivate('old'), { ...addMember('new', 'devs'), userId: null }, create('new')],
    });
    const a = adapter(() => ({ outcome: 'applied' }));
    const audit = new MemoryAudit();
    const r = await applyPlan(p, a, { audit, clock: () => NOW, concurrency: 1 });
    expect(a.seen).toEqual(['create-user new', 'add-member new', 'deactivate old']);
    expect(r.counts).toEqual({ applied: 3, 'already-in-state': 0, skipped: 0, failed: 0 });
    expect(audit.rows.map((x) => `${x.result.change.kind}:${x.result.outcome}`)).toEqual([
      'create-user:applied',
      'add-member:applied',
      'deactivate:applied',
    ]);
    expect(audit.rows[0]?.email).toBe('new@example.com');
  });

  it('skips memberships of a user whose creation failed, and says why', async () => {
    const p = plan({ changes: [create('new'), { ...addMember('new', 'devs'), userId: null }] });
    const a = adapter((c) =>
      c.kind === 'create-user' ? { outcome: 'failed', error: '400 email taken' } : { outcome: 'applied' },
    );
    const r = await applyPlan(p, a, { audit: new MemoryAudit(), clock: () => NOW });
    expect(a.seen).toEqual(['create-user new']);
    expect(r.results.map((x) => [x.outcome, x.error])).toEqual([
      ['failed', '400 email taken'],
      ['skipped', 'not attempted: creating user new did not succeed'],
    ]);
  });

  it('stops after N failures in a row and audits the rest as not attempted', async () => {
    const p = plan({ changes: Array.from({ length: 8 }, (_, i) => deactivate(`u${i}`)) });
    const a = adapter(() => Promise.reject(new Error('GET /rest/api/2/user: 503 Service Unavailable')));
    const audit = new MemoryAudit();
    const r = await applyPlan(p, a, { audit, clock: () => NOW, concurrency: 1, maxConsecutiveFailures: 3 });
    expect(a.seen).toHaveLength(3);
    expect(r.counts).toEqual({ applied: 0, 'already-in-state': 0, skipped: 5, failed: 3 });
    expect(r.stopped).toBe(
      'stopped after 3 failures in a row; the last: GET /rest/api/2/user: 503 Service Unavailable',
    );
    expect(audit.rows).toHaveLength(8);
    const md = renderApplyMarkdown(r.results, r.stopped);
    expect(md).toContain('| ❌ failed | 3 |');
    expect(md).toContain('> stopped after 3 failures in a row');
    expect(md).toContain('<details><summary>Not applied (8)</summary>');

    const once = await applyPlan(p, a, {
      audit: new MemoryAudit(),
      clock: () => NOW,
      concurrency: 1,
      maxConsecutiveFailures: 1,
    });
    expect(once.stopped).toBe(
      'stopped after 1 failure in a row; the last: GET /rest/api/2/user: 503 Service Unavailable',
    );
  });

  it('never has more changes in flight than its concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const a = adapter(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return { outcome: 'applied' };
    });
    await applyPlan(plan({ changes: Array.from({ length: 20 }, (_, i) => deactivate(`u${i}`)) }), a, {
      audit: new MemoryAudit(),
      clock: () => NOW,
      concurrency: 3,
    });
    expect(peak).toBe(3);
  });
});
