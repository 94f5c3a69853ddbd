// policies/examples/bitbucket-dc.yml is planned against the sandbox's Bitbucket demo organisation over real
// HTTP, and `aup demo --platform bitbucket-dc` plans, applies and converges.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { demoCommand } from '../../src/commands/demo.ts';
import { connect, type Connection } from '../../src/platforms/registry.ts';
import { loadPolicy } from '../../src/policy/load.ts';
import { bitbucketDemoScenario, startSandbox, type SandboxHandle } from '../../src/sandbox/index.ts';
import { NOW, tempDir } from './helpers.ts';

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

describe('aup demo --platform bitbucket-dc', () => {
  it('plans, applies and converges, writing the artifacts', async () => {
    const out = await tempDir();
    const lines: string[] = [];
    const io = {
      out: (l: string) => void lines.push(l),
      err: (l: string) => void lines.push(l),
      color: false,
    };
    const code = await demoCommand({ platform: 'bitbucket-dc', outDir: out, now: NOW }, io);
    const text = lines.join('\n');
    expect(code).toBe(0);
    expect(text).toContain('Sandbox: Bitbucket Data Center 9.4 at ');
    expect(text).toMatch(/Apply: \d+ applied, 0 already in state, 0 skipped, 0 failed\./);
    expect(text).toContain('converged, no change left');
    const audit = await readFile(path.join(out, 'audit.csv'), 'utf8');
    expect(audit).toContain(',bitbucket-dc,');
  });
});
