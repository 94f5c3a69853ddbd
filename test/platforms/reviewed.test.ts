// A reviewed plan whose changes the live instance partly no longer needs: the rest is applied, and every
// reviewed change still ends in the audit (the dropped ones as skipped, with the reason).
import { afterEach, describe, expect, it } from 'vitest';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { applyLive } from '../../src/app/apply-run.ts';
import { harness, type Harness, label, LIFECYCLE, NOW, policy, readAudit, run, tempDir } from './helpers.ts';

describe('Jira DC 10.3: applying a reviewed plan', () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  it('audits reviewed changes the instance no longer needs as skipped and applies the rest', async () => {
    h = await harness('10.3');
    const resolved = policy(LIFECYCLE);
    const { plan: reviewed } = await readAndPlan(resolved, await h.connect(resolved), NOW);
    expect(reviewed.changes.map(label)).toContain('deactivate bob');
    // Between review and merge, bob logs in again.
    h.sb.store.recordLogin(h.sb.store.user('bob')!, new Date(NOW.getTime() - 3_600_000).toISOString());

    const out = await tempDir();
    const r = await applyLive(
      resolved,
      await h.connect(resolved, { readOnly: false }),
      run(out, { reviewed }),
    );
    expect(r.plan.changes.map(label)).not.toContain('deactivate bob');
    expect(h.sb.store.user('bob')?.active).toBe(true);
    const rows = await readAudit(r.auditFile);
    expect(rows.length).toBe(reviewed.changes.length);
    const bob = rows.find((x) => label(x) === 'deactivate bob');
    expect(bob).toMatchObject({ outcome: 'skipped' });
    expect(bob?.error).toMatch(/^no longer needed/);
    expect(rows.filter((x) => x.outcome === 'applied').length).toBeGreaterThan(0);
  });
});
