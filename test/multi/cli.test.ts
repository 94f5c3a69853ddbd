// Done when (CLI): one repository, three instances of different platforms, a shared fragment, per-instance
// credentials, one instance unreachable: aup plan and aup apply over all of them, every report checked; then drift
// from two consecutive inventories of the Jira instance.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Plan } from '../../src/model.ts';
import { aup } from '../cli/capture.ts';
import { CANARY, NOW, type Repo, startRepo } from './fixture.ts';

let repo: Repo;
beforeEach(async () => {
  repo = await startRepo();
  for (const [k, v] of Object.entries(repo.env)) vi.stubEnv(k, v);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await repo.close();
});

const csv = (text: string) =>
  parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];

describe('three instances from one repository', { timeout: 120_000 }, () => {
  it('plans each instance on its own; the unreachable one fails visibly without blocking the others', async () => {
    const out = path.join(repo.dir, 'out');
    const r = await aup([
      'plan',
      path.join(repo.dir, 'policies/*.yml'),
      '--out',
      out,
      '--now',
      NOW.toISOString(),
    ]);
    expect(r.code).toBe(1);
    const jira = path.join(repo.dir, 'policies/jira.yml');
    const wiki = path.join(repo.dir, 'policies/wiki.yml');
    const cloud = path.join(repo.dir, 'policies/cloud.yml');
    // Each instance has its own section, in file order (the glob sorted), and the combined summary ends it.
    const sections = r.stdout.split('\n').filter((l) => l.startsWith('== '));
    expect(sections).toEqual([`== ${cloud} ==`, `== ${jira} ==`, `== ${wiki} ==`]);
    expect(r.stdout).toContain('Summary of 3 instances: 2 planned, 1 failed;');
    expect(r.stdout).toMatch(
      new RegExp(
        `failed  ${wiki.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n +reading the Confluence version: .*ECONNREFUSED`,
      ),
    );
    expect(r.stderr).toMatch(/aup: reading the Confluence version: .*ECONNREFUSED/);

    // Every report of the two that planned: its files in out/<policy>/, planned with the fragment merged in.
    for (const [dir, platform] of [
      ['jira', 'jira-dc'],
      ['cloud', 'cloud'],
    ] as const) {
      const plan = JSON.parse(await readFile(path.join(out, dir, 'plan.json'), 'utf8')) as Plan;
      expect(plan.snapshot.platform).toBe(platform);
      expect(plan.changes.length).toBeGreaterThan(0);
      expect(plan.skipped.some((s) => s.why === 'protected')).toBe(true);
      expect(plan.skipped.some((s) => s.why === 'exception' && s.detail.includes('parental leave'))).toBe(
        true,
      );
      for (const f of ['plan.csv', 'inventory.csv', 'plan.md'])
        expect(existsSync(path.join(out, dir, f))).toBe(true);
      expect(r.stdout).toMatch(
        new RegExp(
          `planned +${path.join(repo.dir, 'policies', `${dir}.yml`).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${platform} `,
        ),
      );
    }
    expect(existsSync(path.join(out, 'wiki'))).toBe(false);
    const summary = await readFile(path.join(out, 'summary.md'), 'utf8');
    expect(summary).toContain('3 instances: 2 planned, 1 failed');
    expect(summary.split('\n').filter((l) => l.startsWith('| ❌ failed'))).toHaveLength(1);
    // The default variables were never used: the canary appears nowhere, nor in any request.
    expect(r.stdout + r.stderr + summary).not.toContain(CANARY);
    expect(repo.jira.requests).toEqual([]);
  });

  it('names the missing variable and the policy file', async () => {
    vi.stubEnv('CLOUD_ORG_KEY', '');
    const r = await aup(['plan', path.join(repo.dir, 'policies/cloud.yml'), '--now', NOW.toISOString()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('set CLOUD_ORG_KEY');
    expect(r.stderr).toContain(
      `instance.credentials of ${path.join(repo.dir, 'policies/cloud.yml')}: token from CLOUD_ORG_KEY (not set)`,
    );
  });

  it('applies the reachable instances, each audited in its own directory; drift from two consecutive inventories', async () => {
    const out = path.join(repo.dir, 'applied');
    const files = ['jira', 'wiki', 'cloud'].map((n) => path.join(repo.dir, `policies/${n}.yml`));
    const r = await aup(['apply', ...files, '--yes', '--out', out, '--now', NOW.toISOString()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Summary of 3 instances: 2 applied, 1 failed;');
    for (const dir of ['jira', 'cloud']) {
      const audit = csv(await readFile(path.join(out, dir, 'audit.csv'), 'utf8'));
      expect(audit.length).toBeGreaterThan(0);
      expect(audit.filter((row) => row.outcome === 'failed')).toEqual([]);
      expect(audit.some((row) => row.outcome === 'applied')).toBe(true);
    }
    const deactivated = csv(await readFile(path.join(out, 'jira', 'audit.csv'), 'utf8')).filter(
      (row) => row.kind === 'deactivate' && row.outcome === 'applied',
    );
    expect(deactivated.length).toBeGreaterThan(0);
    for (const row of deactivated) expect(repo.jira.store.userByName(row.username!)?.active).toBe(false);

    // Outside the policy: an admin re-activates one of them and puts someone in jira-administrators.
    const back = repo.jira.store.userByName(deactivated[0]!.username!)!;
    back.active = true;
    const newcomer = repo.jira.store
      .users()
      .find(
        (u) => u.active && !repo.jira.store.isDirectMember('jira-administrators', u) && u.name !== 'admin',
      )!;
    repo.jira.store.addMember('jira-administrators', newcomer);

    const next = path.join(repo.dir, 'next');
    const jira = path.join(repo.dir, 'policies/jira.yml');
    const p = await aup([
      'plan',
      jira,
      '--out',
      next,
      '--since',
      path.join(out, 'jira', 'apply-inventory.csv'),
      '--history',
      path.join(out, 'jira', 'audit.csv'),
      '--now',
      NOW.toISOString(),
    ]);
    expect(p.stderr).not.toContain('aup:');
    // Only what changed by hand is drift: the tool's own deactivations and removals are in its audit.
    const drift = csv(await readFile(path.join(next, 'drift.csv'), 'utf8'));
    expect(drift.map((d) => [d.kind, d.user, d.group])).toEqual([
      ['member-added', newcomer.name, 'jira-administrators'],
      ['reactivated', back.name, ''],
    ]);
    expect(p.stdout).toContain(
      `${back.name} re-activated by hand after this tool deactivated the account on`,
    );
    // The re-activated user is held back, and the plan says why.
    const plan = JSON.parse(await readFile(path.join(next, 'plan.json'), 'utf8')) as Plan;
    expect(plan.changes.some((c) => c.user === back.name && c.kind === 'deactivate')).toBe(false);
    expect(plan.skipped.find((s) => s.user === back.name)).toMatchObject({ why: 'reactivated-by-hand' });
    expect(await readFile(path.join(next, 'plan.md'), 'utf8')).toContain('#### Drift');
  });
});
