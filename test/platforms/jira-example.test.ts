// policies/examples/jira-dc.yml is planned against the sandbox's Jira demo organisation over real HTTP, login
// times from the embedded Crowd (`aup demo` plans policies/example.yml on the same organisation: demo.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { connect, type Connection } from '../../src/platforms/registry.ts';
import { loadPolicy } from '../../src/policy/load.ts';
import { demoScenario, startSandbox, type SandboxHandle } from '../../src/sandbox/index.ts';
import { NOW } from './helpers.ts';

const EXAMPLE = 'policies/examples/jira-dc.yml';

describe('the Jira DC example policy', () => {
  let sb: SandboxHandle;
  let conn: Connection;
  afterEach(async () => {
    await conn?.close();
    await sb?.close();
  });

  it('plans the staged lifecycle against the demo organisation', async () => {
    sb = await startSandbox({
      platform: 'jira-dc',
      version: '10.3',
      scenario: demoScenario(NOW),
      now: NOW,
      clock: () => NOW.getTime(),
    });
    const resolved = await loadPolicy(EXAMPLE);
    conn = await connect(resolved, {
      url: sb.url,
      credentials: {
        token: sb.credentials.token,
        appName: sb.credentials.appName,
        appPassword: sb.credentials.appPassword,
      },
      readOnly: true,
      clock: () => NOW,
    });
    const { snapshot, plan } = await readAndPlan(resolved, conn, NOW);
    expect(snapshot.activity?.available).toBe(true);
    expect(plan.applyable).toBe(true);
    expect(plan.warnings).toEqual([]);
    const kinds = new Set(plan.changes.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['add-member', 'create-user', 'deactivate', 'delete', 'remove-access']);
    // Protected people are never changed; bob's exception keeps him from every inactivity rule.
    const taken = plan.changes.filter((c) => c.kind !== 'add-member' && c.kind !== 'create-user');
    expect(taken.filter((c) => c.user === 'admin' || c.user.startsWith('svc-') || c.user === 'bob')).toEqual(
      [],
    );
    expect(plan.changes.filter((c) => c.user === 'admin' || c.user.startsWith('svc-'))).toEqual([]);
  });
});
