// `extends`: fragments merged into the including policy (which wins), chains, cycles, and every problem located
// in the file and line that wrote it.
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/policy/diagnostics.ts';
import { loadPolicyFile } from '../../src/policy/load.ts';
import { aup } from '../cli/capture.ts';

async function repo(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'aup-extends-'));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return dir;
}

const errors = (ds: { severity: string }[]) =>
  ds.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d as never));

const COMMON = `protect:
  users: [svc-backup]
  groups: [jira-administrators]
exceptions:
  - { user: bob, until: 2027-01-31, reason: leave }
inactivity:
  - name: dormant
    inactive_days: 90
    action: deactivate
  - name: purge
    inactive_days: 400
    action: delete
limits: { max_deletions: 5, max_fraction: 0.2 }
report: { upcoming_days: 7 }
`;

describe('extends', () => {
  it('merges a fragment; the including file wins on conflicts', async () => {
    const dir = await repo({
      'policies/shared/common.yml': COMMON,
      'policies/jira.yml': `version: 1
extends: ./shared/common.yml
instance: { platform: jira-dc, url: https://jira.example.com }
protect: { users: [admin, SVC-BACKUP] }
exceptions:
  - { user: bob, until: 2027-06-30, reason: longer leave }
inactivity:
  - name: dormant
    inactive_days: 60
    action: deactivate
limits: { max_deletions: 0 }
`,
    });
    const r = await loadPolicyFile('policies/jira.yml', { baseDir: dir });
    expect(errors(r.diagnostics)).toEqual([]);
    const p = r.resolved!.policy;
    expect(p.protect).toEqual({ users: ['svc-backup', 'admin'], groups: ['jira-administrators'] });
    expect(p.exceptions).toEqual([{ user: 'bob', until: '2027-06-30', reason: 'longer leave' }]);
    expect(p.inactivity.map((r) => [r.name, r.inactive_days])).toEqual([
      ['purge', 400],
      ['dormant', 60],
    ]);
    expect(p.limits).toMatchObject({ max_deletions: 0, max_fraction: 0.2 });
    expect(p.report.upcoming_days).toBe(7);
  });

  it('follows chains and lists; a fragment change changes the policy hash', async () => {
    const files = {
      'policies/base.yml': 'protect: { groups: [admins] }\nreactivation_cooldown_days: 30\n',
      'policies/shared/middle.yml': 'extends: ../base.yml\nprotect: { users: [ops] }\n',
      'policies/shared/other.yml': 'limits: { max_changes: 10 }\n',
      'policies/crowd.yml':
        'version: 1\nextends: [shared/middle.yml, ./shared/other.yml]\ninstance: { platform: crowd }\n',
    };
    const a = await loadPolicyFile('policies/crowd.yml', { baseDir: await repo(files) });
    expect(errors(a.diagnostics)).toEqual([]);
    expect(a.resolved!.policy.protect).toEqual({ users: ['ops'], groups: ['admins'] });
    expect(a.resolved!.policy.reactivation_cooldown_days).toBe(30);
    expect(a.resolved!.policy.limits.max_changes).toBe(10);
    const b = await loadPolicyFile('policies/crowd.yml', {
      baseDir: await repo({ ...files, 'policies/shared/other.yml': 'limits: { max_changes: 11 }\n' }),
    });
    expect(b.resolved!.sha256).not.toBe(a.resolved!.sha256);
  });

  it('reports a cycle with the chain, at the extends that closes it', async () => {
    const dir = await repo({
      'p/a.yml': 'extends: b.yml\n',
      'p/b.yml': 'protect: { users: [x] }\nextends: [./a.yml]\n',
      'p/main.yml': 'version: 1\nextends: a.yml\ninstance: { platform: crowd }\n',
    });
    const r = await loadPolicyFile('p/main.yml', { baseDir: dir });
    expect(r.resolved).toBeNull();
    expect(errors(r.diagnostics)).toEqual([
      'p/b.yml:2:11: extends[0]: extends cycle: p/a.yml → p/b.yml → p/a.yml',
    ]);
  });

  it('locates problems in the fragment that wrote them; refuses instance in a fragment; names a missing file', async () => {
    const dir = await repo({
      'p/common.yml': `instance: { platform: jira-dc }
inactivity:
  - name: dormant
    inactive_days: 90
    action: remove-access
    restore_on_return: true
`,
      'p/bad.yml': 'limits:\n  max_fraction: 3\n',
      'p/main.yml':
        'version: 1\nextends: [common.yml, bad.yml, missing.yml]\ninstance: { platform: jira-dc }\n',
    });
    const r = await loadPolicyFile('p/main.yml', { baseDir: dir });
    expect(r.resolved).toBeNull();
    const out = errors(r.diagnostics);
    expect(out).toContainEqual(
      'p/common.yml:1:1: instance: a fragment may hold only extends, protect, exceptions, inactivity, reactivation_cooldown_days, limits, report; instance belongs to each policy that extends it',
    );
    expect(out).toContainEqual(
      'p/bad.yml:2:17: limits.max_fraction: expected a number between 0 and 1, got 3',
    );
    expect(out.find((l) => l.startsWith('p/main.yml:2:'))).toMatch(
      /extends\[2\]: reading the fragment p\/missing.yml: ENOENT/,
    );
  });

  it('a semantic problem of a merged rule is located in its fragment', async () => {
    const dir = await repo({
      'p/common.yml': `inactivity:
  - name: seats
    inactive_days: 90
    action: remove-access
`,
      'p/main.yml': 'version: 1\nextends: common.yml\ninstance: { platform: jira-dc }\n',
    });
    const r = await loadPolicyFile('p/main.yml', { baseDir: dir });
    expect(errors(r.diagnostics)).toEqual([
      'p/common.yml:4:13: inactivity[0].action: remove-access needs instance.access_groups (the groups that grant a licensed seat)',
    ]);
  });
});

describe('a glob that matches fragments too', () => {
  const STAGED = path.join(import.meta.dirname, '../cases/staged-lifecycle');
  const policyText = async (extra: string) =>
    `${await readFile(path.join(STAGED, 'policy.yml'), 'utf8')}\nextends: shared/common.yml\n${extra}`;

  it('aup validate checks a fragment with the policies extending it, not as a policy of its own', async () => {
    const dir = await repo({
      'policies/jira.yml': await policyText(''),
      'policies/shared/common.yml': 'protect:\n  users: [svc-backup]\n',
    });
    const r = await aup(['validate', `${dir}/policies/**/*.yml`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      expect.stringMatching(/policies\/jira\.yml: valid \(jira-dc, 3 inactivity rules/),
      `${dir}/policies/shared/common.yml: a fragment, checked with the policy extending it (${dir}/policies/jira.yml)`,
    ]);
    // A problem in the fragment is reported once, where it is written.
    await writeFile(path.join(dir, 'policies/shared/common.yml'), 'protect:\n  users: svc-backup\n');
    const bad = await aup(['validate', `${dir}/policies/**/*.yml`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.split('\n').filter((l) => l.includes('common.yml:2'))).toHaveLength(1);
  });

  it('aup plan over a glob plans the policies and names the fragments it left to them', async () => {
    const dir = await repo({
      'policies/jira.yml': await policyText(''),
      'policies/shared/common.yml': 'protect:\n  users: [svc-backup]\n',
    });
    const r = await aup([
      'plan',
      `${dir}/policies/**/*.yml`,
      '--snapshot',
      path.join(STAGED, 'snapshot.json'),
      '--now',
      '2026-11-25T00:00:00Z',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `${dir}/policies/shared/common.yml: a fragment, planned with ${dir}/policies/jira.yml`,
    );
    expect(r.stdout).toContain('Deactivate');
  });
});
