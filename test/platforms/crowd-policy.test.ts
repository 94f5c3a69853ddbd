// Crowd and the policy: instance.directories is a crowd key (an error naming the field elsewhere), the
// example policy policies/examples/crowd.yml is valid and plans against the sandbox's demo organisation,
// and `aup demo --platform crowd` plans, applies and converges.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { demoCommand } from '../../src/commands/demo.ts';
import { connect, type Connection } from '../../src/platforms/registry.ts';
import { loadPolicy } from '../../src/policy/load.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';
import { crowdDemoScenario, type SandboxHandle, startSandbox } from '../../src/sandbox/index.ts';
import { NOW, tempDir } from './helpers.ts';

const EXAMPLE = 'policies/examples/crowd.yml';

describe('Crowd policies', () => {
  let sb: SandboxHandle | undefined;
  const conns: Connection[] = [];
  afterEach(async () => {
    await Promise.all(conns.splice(0).map((c) => c.close()));
    await sb?.close();
    sb = undefined;
  });

  it('instance.directories is refused on other platforms, naming the field', () => {
    const r = parsePolicyText(
      'version: 1\ninstance:\n  platform: jira-dc\n  directories: [Corporate LDAP]\n',
      'p.yml',
    );
    expect(r.policy).toBeNull();
    expect(r.diagnostics).toMatchObject([
      {
        severity: 'error',
        line: 4,
        field: 'instance.directories',
        message: expect.stringMatching(/is a key of platform crowd, not of jira-dc/),
      },
    ]);
    const ok = parsePolicyText(
      'version: 1\ninstance:\n  platform: crowd\n  directories: [Corporate LDAP]\n',
      'p.yml',
    );
    expect(ok.diagnostics).toEqual([]);
  });

  it('the example policy plans against the demo organisation: AD notes, read-only directories skipped', async () => {
    sb = await startSandbox({
      platform: 'crowd',
      now: NOW,
      clock: () => NOW.getTime(),
      scenario: crowdDemoScenario(NOW),
    });
    const resolved = await loadPolicy(EXAMPLE);
    const c = sb.credentials;
    const conn = await connect(resolved, {
      url: sb.url,
      credentials: {
        appName: c.appName,
        appPassword: c.appPassword,
        username: c.username,
        password: c.password,
      },
      readOnly: true,
      clock: () => NOW,
    });
    conns.push(conn);
    const { snapshot, plan } = await readAndPlan(resolved, conn, NOW);
    expect(plan.applyable).toBe(true);
    expect(snapshot.users.some((u) => u.directory.name === 'Partner Crowd')).toBe(false);
    expect(plan.changes.length).toBeGreaterThan(10);
    expect(
      plan.changes.filter((c) => c.kind === 'deactivate' && c.notes?.[0]?.includes('Active Directory'))
        .length,
    ).toBeGreaterThan(0);
    expect(plan.skipped.some((s) => s.why === 'read-only-directory')).toBe(true);
    expect(plan.changes.filter((c) => ['admin', 'bob'].includes(c.user)).map((c) => c.kind)).toEqual([
      'add-member',
    ]);
  });

  it('aup demo --platform crowd plans, applies and converges', async () => {
    const out = await tempDir();
    const lines: string[] = [];
    const io = {
      out: (l: string) => void lines.push(l),
      err: (l: string) => void lines.push(l),
      color: false,
    };
    const code = await demoCommand({ platform: 'crowd', outDir: out, now: NOW }, io);
    const text = lines.join('\n');
    expect(text).toMatch(/Sandbox: Crowd Data Center 6\.1/);
    expect(text).toMatch(/Apply: \d+ applied, 0 already in state, 0 skipped, 0 failed\./);
    expect(text).toMatch(/converged, no change left/);
    expect(code).toBe(0);
    const md = await readFile(path.join(out, 'plan.md'), 'utf8');
    expect(md).toMatch(
      /also disables the Active Directory account \\?\(directory Corporate AD writes user status back\\?\)/,
    );
  });
});
