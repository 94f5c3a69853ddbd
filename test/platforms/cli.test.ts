// Issue 3 at the CLI level, per Jira version: `aup plan` reads the live instance (ATLASSIAN_URL/TOKEN from the
// environment) and `aup apply --plan` applies the reviewed plan, both through main() in-process with a
// capturing Io, writing their --out files; exit codes and audit.csv rows as an admin sees them.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.ts';
import type { Io } from '../../src/commands/plan.ts';
import type { Plan, Snapshot } from '../../src/model.ts';
import { harness, type Harness, LIFECYCLE, NOW, readAudit, tempDir, VERSIONS } from './helpers.ts';

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, color: false, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

async function aup(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

describe.each(VERSIONS)('Jira DC %s: aup plan and apply', (version) => {
  let h: Harness;
  let dir: string;
  let file: string;
  const now = ['--now', NOW.toISOString()];

  beforeEach(async () => {
    h = await harness(version);
    dir = await tempDir();
    file = path.join(dir, 'policy.yml');
    await writeFile(file, LIFECYCLE);
    const c = h.sb.credentials;
    vi.stubEnv('ATLASSIAN_URL', h.sb.url);
    vi.stubEnv('ATLASSIAN_TOKEN', c.token);
    vi.stubEnv('ATLASSIAN_USERNAME', '');
    vi.stubEnv('ATLASSIAN_PASSWORD', '');
    vi.stubEnv('ATLASSIAN_APP_NAME', c.appName);
    vi.stubEnv('ATLASSIAN_APP_PASSWORD', c.appPassword);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await h.close();
  });

  it('plans live, applies the reviewed plan, and converges to the LDAP refusals', async () => {
    const planned = await aup(
      'plan',
      '--policy',
      file,
      ...now,
      '--out',
      path.join(dir, 'plan'),
      '--detailed-exitcode',
    );
    expect(planned.stderr).toMatch(/HTTP: \d+ requests, 0 retries, 0 throttled waits/);
    expect(planned.code).toBe(2);
    expect(h.sb.requests).toEqual([]);
    const planFile = path.join(dir, 'plan', 'plan.json');
    const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
    expect(plan.snapshot).toMatchObject({ platform: 'jira-dc', instance: h.sb.url, users: 10 });
    expect(plan.changes).toHaveLength(10);
    const inventory = await readFile(path.join(dir, 'plan', 'inventory.csv'), 'utf8');
    expect(inventory.trimEnd().split('\n')).toHaveLength(11);

    const out = path.join(dir, 'apply');
    const applied = await aup(
      'apply',
      '--policy',
      file,
      '--plan',
      planFile,
      ...now,
      '--out',
      out,
      '--trigger',
      'merge',
    );
    expect(applied.stderr).not.toMatch(/failed:/);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Apply: 8 applied, 0 already in state, 2 skipped, 0 failed.');
    const rows = await readAudit(path.join(out, 'audit.csv'));
    expect(rows).toHaveLength(10);
    expect(
      rows.every((r) => r.trigger === 'merge' && r.platform === 'jira-dc' && r.instance === h.sb.url),
    ).toBe(true);
    expect(rows.filter((r) => r.outcome === 'skipped').map((r) => [r.kind, r.username, r.error])).toEqual([
      ['add-member', 'alice', "read-only directory: Directory 'Corporate LDAP' does not allow updates."],
      ['deactivate', 'carol', "read-only directory: The user's directory is read only."],
    ]);
    expect(rows.find((r) => r.kind === 'delete')).toMatchObject({ username: 'ivan', outcome: 'applied' });
    expect(JSON.parse(await readFile(path.join(out, 'apply-plan.json'), 'utf8')).changes).toHaveLength(10);
    expect(h.sb.store.user('bob')!.active).toBe(false);

    const again = await aup('plan', '--policy', file, ...now, '--format', 'json');
    expect(again.code).toBe(0);
    const left = (JSON.parse(again.stdout) as Plan).changes.map((c) => `${c.kind} ${c.user}`);
    expect(left).toEqual(['add-member alice', 'deactivate carol']);
  });

  it('apply in the directory of the reviewed plan leaves its files as they were and writes its own beside them', async () => {
    const out = path.join(dir, 'out');
    const planned = await aup('plan', '--policy', file, ...now, '--out', out);
    expect(planned.code).toBe(0);
    const reviewedFiles = ['plan.json', 'plan.md', 'plan.csv', 'inventory.csv'];
    const before = await Promise.all(reviewedFiles.map((f) => readFile(path.join(out, f))));
    // The instance moves a little after the review (nothing the plan needs): the re-plan differs from the reviewed
    // plan's files (its inventory), which must stay as reviewed.
    h.sb.store.addUser({
      name: 'newcomer',
      displayName: 'New Comer',
      email: 'new@example.com',
      created: NOW.toISOString(),
    });

    const applied = await aup(
      'apply',
      '--policy',
      file,
      '--plan',
      path.join(out, 'plan.json'),
      ...now,
      '--out',
      out,
    );
    expect(applied.code, applied.stderr).toBe(0);
    const after = await Promise.all(reviewedFiles.map((f) => readFile(path.join(out, f))));
    reviewedFiles.forEach((f, i) =>
      expect(after[i]!.equals(before[i]!), `${f} is byte-identical`).toBe(true),
    );
    const written = [
      'apply-plan.json',
      'apply-plan.csv',
      'apply-inventory.csv',
      'apply-plan.md',
      'audit.csv',
    ];
    for (const f of written) expect((await readFile(path.join(out, f), 'utf8')).length, f).toBeGreaterThan(0);
    expect(applied.stderr).toContain(`wrote ${written.map((f) => path.join(out, f)).join(', ')}`);
    const replanned = JSON.parse(await readFile(path.join(out, 'apply-plan.json'), 'utf8')) as Plan;
    expect(replanned.snapshot.users).toBe(11);
    expect(await readFile(path.join(out, 'apply-inventory.csv'), 'utf8')).toContain('newcomer');
    expect(String(after[3])).not.toContain('newcomer');
  });

  it('export writes a snapshot that plans offline exactly as the live instance does', async () => {
    const out = path.join(dir, 'export');
    const exported = await aup('export', '--policy', file, ...now, '--out', out);
    expect(exported.code).toBe(0);
    // Every group of the instance is read with its members, not only those the policy names.
    const read = (JSON.parse(await readFile(path.join(out, 'snapshot.json'), 'utf8')) as Snapshot).groups;
    expect(read.map((g) => g.name).sort()).toEqual(
      h.sb.store
        .groups()
        .map((g) => g.name)
        .sort(),
    );
    expect(exported.stdout).toBe(
      `exported 10 users and ${read.length} groups with their members to ${out}/inventory.csv, ${out}/groups.csv and ${out}/snapshot.json`,
    );
    const live = await aup('plan', '--policy', file, ...now, '--format', 'json');
    const offline = await aup(
      'plan',
      '--policy',
      file,
      ...now,
      '--format',
      'json',
      '--snapshot',
      path.join(out, 'snapshot.json'),
    );
    expect(offline.code).toBe(0);
    const changes = (r: { stdout: string }) => (JSON.parse(r.stdout) as Plan).changes;
    expect(changes(offline)).toEqual(changes(live));
    const listed = await aup('list', '--policy', file, ...now, '--inactive-days', '90');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/ of 10 users: inactive 90 days or more$/);
    expect(h.sb.requests).toEqual([]);
  });

  it('apply refuses a stale reviewed plan with exit code 1 and changes nothing', async () => {
    const planned = await aup('plan', '--policy', file, ...now, '--out', dir);
    expect(planned.code).toBe(0);
    const kim = h.sb.store.addUser({
      name: 'kim',
      displayName: 'Kim',
      email: null,
      created: '2020-01-01T00:00:00Z',
    });
    h.sb.store.recordLogin(kim, '2024-01-01T00:00:00.000Z');
    const out = path.join(dir, 'apply');
    const applied = await aup(
      'apply',
      '--policy',
      file,
      '--plan',
      path.join(dir, 'plan.json'),
      ...now,
      '--out',
      out,
    );
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('aup: the reviewed plan is stale');
    expect(applied.stderr).toContain('+ deactivate kim');
    expect(h.sb.requests).toEqual([]);
    await expect(readFile(path.join(out, 'audit.csv'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('plan and apply exit 1 on a plan over its limits; apply writes nothing', async () => {
    await writeFile(file, LIFECYCLE.replace('max_deletions: 5', 'max_deletions: 0'));
    const planned = await aup('plan', '--policy', file, ...now);
    expect(planned.code).toBe(1);
    expect(planned.stderr).toContain(
      'plan is not applyable: plan deletes 1 user, over the limit max_deletions 0',
    );
    const applied = await aup('apply', '--policy', file, '--yes', ...now, '--out', path.join(dir, 'apply'));
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('aup: refusing to apply: plan deletes 1 user');
    expect(h.sb.requests).toEqual([]);
  });

  it('a dead token fails the live plan with exit code 1', async () => {
    vi.stubEnv('ATLASSIAN_TOKEN', 'revoked');
    const planned = await aup('plan', '--policy', file, ...now);
    expect(planned.code).toBe(1);
    expect(planned.stderr).toBe(
      `aup: ATLASSIAN_TOKEN was rejected by ${h.sb.url}: the server answered GET /rest/api/2/serverInfo with X-Seraph-LoginReason: AUTHENTICATED_FAILED`,
    );
    expect(planned.stdout).toBe('');
  });
});
