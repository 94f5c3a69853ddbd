// Cloud at the CLI: `aup plan` and `aup apply` with the organisation API key in ATLASSIAN_TOKEN and the
// sandbox's URL in ATLASSIAN_URL; without a URL anywhere the platform's own (https://api.atlassian.com) is
// used; inventory.csv marks the people an identity provider manages as read-only.
import { readFile, writeFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { instanceUrlFrom } from '../../src/commands/instance-url.ts';
import { driverFor } from '../../src/platforms/registry.ts';
import { aup } from '../cli/capture.ts';
import { CLOUD_ORG_ID, type CloudHarness, cloudSandbox, JIRA } from './cloud-helpers.ts';
import { NOW, tempDir } from './helpers.ts';

const POLICY = `version: 1
instance: { platform: cloud, org: ${CLOUD_ORG_ID}, access_groups: [${JIRA}] }
protect: { users: [admin@example.com] }
inactivity:
  - { name: dormant, inactive_days: 150, action: deactivate, never_logged_in: { grace_days: 30 } }
limits: { max_fraction: 1 }
`;

describe('aup with a Cloud organisation', () => {
  let h: CloudHarness;
  let dir: string;
  let file: string;
  const now = ['--now', NOW.toISOString()];

  beforeEach(async () => {
    h = await cloudSandbox();
    dir = await tempDir();
    file = path.join(dir, 'policy.yml');
    await writeFile(file, POLICY);
    vi.stubEnv('ATLASSIAN_URL', h.sb.url);
    vi.stubEnv('ATLASSIAN_TOKEN', h.sb.credentials.token);
    vi.stubEnv('ATLASSIAN_USERNAME', '');
    vi.stubEnv('ATLASSIAN_PASSWORD', '');
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await h.close();
  });

  it('plans, writes inventory.csv with synced people read-only, and applies', async () => {
    const planned = await aup(['plan', '--policy', file, ...now, '--out', dir]);
    expect(planned.stderr).toMatch(/^HTTP: \d+ requests, 0 retries, 0 throttled waits$/m);
    expect(planned.code).toBe(0);
    // bob used Confluence 20 days ago: every product counts unless the policy names some.
    expect(planned.stdout).toContain('Deactivate · suspend access in the directory');
    expect(planned.stdout).toContain('~ dave@example.com (Dave Tester)');
    expect(planned.stdout).not.toContain('bob@example.com');
    expect(planned.stdout).toContain('read-only directory (1): carol@example.com');
    const inventory = await readFile(path.join(dir, 'inventory.csv'), 'utf8');
    const rows = parse(inventory, { columns: true }) as Record<string, string>[];
    const row = (who: string) => rows.find((r) => r.username === `${who}@example.com`)!;
    expect(row('carol').read_only).toBe('true');
    expect(row('dave').read_only).toBe('false');
    const applied = await aup(['apply', '--policy', file, '--yes', ...now, '--out', dir]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/Apply: \d+ applied, 0 already in state, 0 skipped, 0 failed\./);
    expect(h.sb.store.user('dave')!.active).toBe(false);
    expect(h.sb.store.user('bob')!.active).toBe(true);
    expect(h.sb.store.user('carol')!.active).toBe(true);
  });

  it('a policy without url reaches the Cloud admin API at its own address', () => {
    expect(instanceUrlFrom({ policyPath: 'p.yml', platformDefault: driverFor('cloud')!.defaultUrl })).toBe(
      'https://api.atlassian.com',
    );
    expect(() =>
      instanceUrlFrom({ policyPath: 'p.yml', platformDefault: driverFor('jira-dc')!.defaultUrl }),
    ).toThrow('p.yml: instance.url is not set; pass --url or set ATLASSIAN_URL');
  });
});
