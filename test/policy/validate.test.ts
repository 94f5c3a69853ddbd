import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/policy/diagnostics.ts';
import { fragmentJsonSchema, policyJsonSchema } from '../../src/policy/json-schema.ts';
import { loadPolicyFile } from '../../src/policy/load.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';

const errorsOf = (text: string, file = 'policies/prod.yml') =>
  parsePolicyText(text, file)
    .diagnostics.filter((d) => d.severity === 'error')
    .map(formatDiagnostic);

describe('policy validation', () => {
  it('reports every error at once with file:line:col and the field', () => {
    const text = [
      'version: 1',
      'instance:',
      '  platform: jira',
      '  url: ftp://jira.example.com',
      'inactivity:',
      '  - name: dormant',
      '    inactive_days: ninety',
      '    action: deactivate',
      '    selct: {}',
      '  - name: purge',
      '    inactive_days: 365',
      'exceptions:',
      '  - { user: bob, until: 2027-02-31, reason: leave }',
      'limits: { max_fraction: 1.5 }',
    ].join('\n');
    expect(errorsOf(text)).toEqual([
      'policies/prod.yml:3:13: instance.platform: expected one of cloud | jira-dc | confluence-dc | bitbucket-dc | crowd, got "jira"',
      'policies/prod.yml:4:8: instance.url: expected an http(s) URL, got "ftp://jira.example.com"',
      'policies/prod.yml:7:20: inactivity[0].inactive_days: expected a positive integer, got "ninety"',
      'policies/prod.yml:9:5: inactivity[0].selct: unknown field (allowed fields are listed in schema/policy.v1.json)',
      'policies/prod.yml:10:5: inactivity[1].action: required field is missing (expected one of deactivate | remove-access | delete)',
      'policies/prod.yml:13:25: exceptions[0].until: expected a valid calendar date, got "2027-02-31"',
      'policies/prod.yml:14:25: limits.max_fraction: expected a number between 0 and 1, got 1.5',
    ]);
  });

  it('reports semantic errors: duplicate rules, remove-access without access groups, duplicate users', () => {
    const text = `version: 1
instance: { platform: jira-dc }
inactivity:
  - { name: dormant, inactive_days: 90, action: deactivate }
  - { name: Dormant, inactive_days: 60, action: remove-access }
users:
  - { name: carol }
  - { name: CAROL, state: absent }
groups:
  devs: { mode: exact, members: [carol, carol] }
`;
    expect(errorsOf(text, 'p.yml')).toEqual([
      'p.yml:5:13: inactivity[1].name: duplicate rule name "Dormant" (first used by inactivity[0])',
      'p.yml:5:49: inactivity[1].action: remove-access needs instance.access_groups (the groups that grant a licensed seat)',
      'p.yml:8:13: users[1].name: user "CAROL" is already declared in users[0]',
      'p.yml:10:41: groups.devs.members[1]: "carol" is listed twice',
    ]);
  });

  it('needs instance.org on cloud, and names org, directory and per-product prices elsewhere', () => {
    expect(errorsOf('version: 1\ninstance: { platform: cloud }\n', 'c.yml')).toEqual([
      'c.yml:2:11: instance.org: platform cloud needs instance.org: the organisation id, the UUID in admin.atlassian.com/o/<id>/overview',
    ]);
    expect(
      errorsOf(
        `version: 1
instance: { platform: jira-dc, org: abc, directory: Okta }
report: { seat_cost: { currency: USD, products: { jira-software: 8 } } }
`,
        'd.yml',
      ),
    ).toEqual([
      'd.yml:2:37: instance.org: instance.org is a key of platform cloud (an Atlassian organisation), not of jira-dc; remove it',
      'd.yml:2:53: instance.directory: instance.directory is a key of platform cloud (an Atlassian organisation), not of jira-dc; remove it',
      "d.yml:3:49: report.seat_cost.products: seats per product are known on platform cloud, not on jira-dc, where a seat is the product's one licence; give amount instead",
    ]);
    expect(
      errorsOf(`version: 1
instance: { platform: cloud, org: abc }
report: { seat_cost: { currency: USD, amount: 5, products: { confluence: 6 } } }
`),
    ).toEqual([
      'policies/prod.yml:3:60: report.seat_cost.products: give either amount (one price per seat) or products (a price per product), not both',
    ]);
    expect(
      errorsOf(
        'version: 1\ninstance: { platform: cloud, org: abc }\nreport: { seat_cost: { currency: USD } }\n',
      ),
    ).toEqual([
      'policies/prod.yml:3:22: report.seat_cost: expected amount (the price of one seat) or products (a price per product key, e.g. jira-software: 8.60)',
    ]);
    const ok = parsePolicyText(
      `version: 1
instance: { platform: cloud, org: 3a8c2f1e-5b7d-4c9a-8e21-0f6d4b2a9c17, directory: Okta }
report: { seat_cost: { currency: USD, products: { jira-software: 8.6, confluence: 6.4 } } }
`,
      'ok.yml',
    );
    expect(ok.diagnostics).toEqual([]);
    expect(ok.policy?.report.seat_cost).toEqual({
      currency: 'USD',
      per: 'month',
      products: { 'jira-software': 8.6, confluence: 6.4 },
    });
  });

  it('warns when lifecycle stages are inverted (remove-access after deactivate)', () => {
    const r = parsePolicyText(
      `version: 1
instance: { platform: jira-dc, access_groups: [jira-software-users] }
inactivity:
  - { name: dormant, inactive_days: 60, action: deactivate }
  - { name: seat, inactive_days: 90, action: remove-access }
`,
      'p.yml',
    );
    expect(r.policy).not.toBeNull();
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'p.yml:5:34: warning: inactivity[1].inactive_days: remove-access at 90 days comes after deactivate at 60 days (inactivity[0]); users then pass through both on consecutive runs',
    ]);
  });

  it('reports YAML syntax errors with their position and no policy', () => {
    const r = parsePolicyText('version: 1\ninstance: [unclosed\n', 'bad.yml');
    expect(r.policy).toBeNull();
    expect(r.diagnostics[0]?.file).toBe('bad.yml');
    expect(r.diagnostics[0]?.severity).toBe('error');
  });

  it('applies documented defaults', () => {
    const r = parsePolicyText('version: 1\ninstance: { platform: crowd }\n', 'p.yml');
    expect(r.policy?.limits).toEqual({ max_deletions: 0, max_fraction: 0.1 });
    expect(r.policy?.report.upcoming_days).toBe(14);
    expect(r.policy?.instance.activity.source).toBe('auto');
  });

  it('validates the bundled example policies', async () => {
    const examples = (await readdir('policies/examples')).map((f) => `policies/examples/${f}`);
    expect(examples).toEqual(
      expect.arrayContaining([
        'policies/examples/confluence-dc.yml',
        'policies/examples/bitbucket-dc.yml',
        'policies/examples/cloud.yml',
      ]),
    );
    for (const file of ['policies/example.yml', ...examples]) {
      const { resolved, diagnostics } = await loadPolicyFile(file);
      expect(diagnostics.map(formatDiagnostic)).toEqual([]);
      expect(resolved?.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('plans the example policy against the example snapshot (examples/snapshot.json)', async () => {
    const { loadSnapshot } = await import('../../src/snapshot/load.ts');
    const { planOrThrow } = await import('../../src/app/plan-run.ts');
    const { loadPolicy } = await import('../../src/policy/load.ts');
    const snapshot = await loadSnapshot('examples/snapshot.json');
    const plan = planOrThrow(
      snapshot,
      await loadPolicy('policies/example.yml'),
      new Date('2026-11-25T00:00:00Z'),
    );
    expect(snapshot.users.length).toBe(304);
    expect(plan.applyable).toBe(true);
    expect(plan.changes.map((c) => `${c.kind} ${c.user}`)).toContain('create-user carol');
  });

  it('keeps schema/policy.v1.json in step with the zod schema (npm run schema regenerates)', async () => {
    expect(await readFile('schema/policy.v1.json', 'utf8')).toBe(policyJsonSchema());
  });
});

describe('CSV import', () => {
  it('reads users with groups split on ; and names the line and column of each bad cell', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'aup-'));
    await writeFile(
      path.join(dir, 'p.yml'),
      'version: 1\ninstance: { platform: jira-dc }\nusers: [{ name: carol }]\nimport: [{ csv: hires.csv }]\n',
    );
    await writeFile(
      path.join(dir, 'hires.csv'),
      'username,email,display_name,state,groups\nivan,ivan@example.com,Ivan,active,devs;ops\n,x@example.com,,,\nmia,not-an-email,,gone,\ncarol,,,,\n',
    );
    const { resolved, diagnostics } = await loadPolicyFile('p.yml', { baseDir: dir });
    expect(resolved).toBeNull();
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'hires.csv:3:1: username: expected a username, got an empty cell',
      'hires.csv:4:5: email: expected an email address, got "not-an-email"',
      'hires.csv:4:19: state: expected one of active | inactive | absent, got "gone"',
      'hires.csv:5:1: username: "carol" is already declared in users[0]',
    ]);
  });

  it('fails clearly when the imported file is missing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'aup-'));
    await writeFile(
      path.join(dir, 'p.yml'),
      'version: 1\ninstance: { platform: jira-dc }\nimport: [{ csv: missing.csv }]\n',
    );
    const { resolved, diagnostics } = await loadPolicyFile('p.yml', { baseDir: dir });
    expect(resolved).toBeNull();
    expect(formatDiagnostic(diagnostics[0]!)).toMatch(
      /^missing\.csv:1:1: reading the import CSV named by p\.yml: ENOENT/,
    );
  });

  it('keeps schema/policy-fragment.v1.json in step with the zod schema (npm run schema)', async () => {
    expect(await readFile('schema/policy-fragment.v1.json', 'utf8')).toBe(fragmentJsonSchema());
  });
});
