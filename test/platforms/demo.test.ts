// `aup demo` per platform, in-process: plans the platform's example policy against its seeded sandbox,
// applies it, and the re-plan (refusals carried) is empty; the files land in --out.
import { access } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { tempDir } from './helpers.ts';

async function aup(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { color: false, out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('aup demo', () => {
  it.each([
    ['jira-dc', 'Jira Data Center 10.3', 'policies/example.yml'],
    ['confluence-dc', 'Confluence Data Center 10.2', 'policies/examples/confluence-dc.yml'],
    ['bitbucket-dc', 'Bitbucket Data Center 9.4', 'policies/examples/bitbucket-dc.yml'],
    ['cloud', 'Atlassian Cloud organization v2', 'policies/examples/cloud.yml'],
  ])('--platform %s plans and applies its example policy and converges', async (platform, product, file) => {
    const out = await tempDir();
    const r = await aup('demo', '--platform', platform, '--out', out, '--now', '2026-11-25T00:00:00Z');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Sandbox: ${product} at http://127.0.0.1:`);
    expect(r.stdout).toContain(`Atlassian user policy plan: ${file}`);
    expect(r.stdout).toMatch(/Apply: \d+ applied, 0 already in state, \d+ skipped, 0 failed\./);
    expect(r.stdout).toContain('converged, no change left');
    for (const f of ['plan.json', 'plan.md', 'apply-plan.json', 'inventory.csv', 'audit.csv', 'refused.csv'])
      await access(path.join(out, f));
  });

  it('on Confluence shows what the platform cannot do and deletes through the long task', async () => {
    const out = await tempDir();
    const r = await aup('demo', '--platform', 'confluence-dc', '--out', out, '--now', '2026-11-25T00:00:00Z');
    expect(r.stdout).toContain('Delete · DELETE admin/user/{username}, then its long task to the end (1)');
    expect(r.stdout).toContain('not supported by the platform (1): carol');
    expect(r.stdout).toMatch(/^Reading the instance once took \d+ HTTP requests\.$/m);
  });

  it('refuses an unknown platform, naming the choices', async () => {
    const r = await aup('demo', '--platform', 'jira', '--out', await tempDir());
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'aup: --platform: expected jira-dc | confluence-dc | crowd | bitbucket-dc | cloud, got "jira"',
    );
  });
});
