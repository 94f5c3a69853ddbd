// policies/examples/bitbucket-dc.yml is planned against the sandbox's Bitbucket demo organisation over real
// HTTP (`aup demo --platform bitbucket-dc` converging is in demo.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { connect, type Connection } from '../../src/platforms/registry.ts';
import { loadPolicy } from '../../src/policy/load.ts';
import { bitbucketDemoScenario, startSandbox, type SandboxHandle } from '../../src/sandbox/index.ts';
import { NOW } from './helpers.ts';

const EXAMPLE = 'policies/examples/bitbucket-dc.yml';

describe('the Bitbucket DC example policy', () => {
  let sb: SandboxHandle;
  let conn: Connection;
  afterEach(async () => {
    await conn?.close();
    await sb?.close();
  });

  it('plans against the demo organisation', async () => {
    sb = await startSandbox({
      platform: 'bitbucket-dc',
      scenario: bitbucketDemoScenario(NOW),
      now: NOW,
      clock: () => NOW.getTime(),
    });
    const resolved = await loadPolicy(EXAMPLE);
    conn = await connect(resolved, {
      url: sb.url,
      credentials: { token: sb.credentials.token },
      readOnly: true,
      clock: () => NOW,
    });
    const { snapshot, plan } = await readAndPlan(resolved, conn, NOW);
    expect(plan.applyable).toBe(true);
    expect(plan.warnings).toEqual([]);
    const kinds = new Set(plan.changes.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['add-member', 'delete', 'remove-access']);
    // Seats licensed directly are taken too, not only stash-users.
    const direct = plan.changes.filter((c) => c.kind === 'remove-access' && c.direct?.length);
    expect(direct.length).toBeGreaterThan(0);
    expect(plan.skipped.find((s) => s.user === 'bob')).toMatchObject({ why: 'exception' });
    // Service accounts (svc-*, type SERVICE) are never touched, however long they have been idle.
    const services = snapshot.users.filter((u) => u.service).map((u) => u.name);
    expect(services).toContain('svc-nightly-build');
    const touched = new Set([...plan.changes, ...plan.skipped].map((c) => c.user));
    expect(services.filter((s) => touched.has(s))).toEqual([]);
    expect(plan.changes.some((c) => c.kind === 'add-member' && c.user === 'ops-admin')).toBe(true);
  });
});
