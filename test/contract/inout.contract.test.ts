// Users in and out (issue 12) on every platform with a driver, through the CLI against the platform's sandbox:
// `aup list` filters select what the sandbox itself holds; `aup export` writes a row per user and a row per group
// of the instance with its members; `aup dump` writes a policy whose plan is empty and whose starter counts are
// the planner's; an exported inventory, edited and imported, plans exactly the edits; `aup import-check` names an
// unknown group at its line and column.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Plan, Snapshot } from '../../src/model.ts';
import { driverFor } from '../../src/platforms/registry.ts';
import { inventoryCsv } from '../../src/report/csv.ts';
import type { SandboxHandle, UserRecord } from '../../src/sandbox/index.ts';
import type { ContractFixture, ExpectedUser } from './fixture.ts';
import { FIXTURES } from './fixtures.ts';
import { aup, stubCredentials } from './helpers-cli.ts';
import { contractOrg, instanceOf, NOW, refOf } from './org.ts';

const DAY = 86_400_000;
const now = ['--now', NOW.toISOString()];
const cases = FIXTURES.flatMap((f) => f.versions.map((version) => ({ f, version })));

function minimalPolicy(f: ContractFixture, extra = ''): string {
  return `version: 1\n${instanceOf(f, `access_groups: [${f.accessGroup}]`)}\n${extra}`;
}

const rows = (csv: string) => parse(csv, { columns: true, bom: true }) as Record<string, string>[];
const names = (json: string) => (JSON.parse(json) as { name: string }[]).map((u) => u.name).sort();
const changesOf = (json: string) =>
  (JSON.parse(json) as Plan).changes
    .map((c) => `${c.kind} ${c.user}${'group' in c ? ` ${c.group}` : ''}`)
    .sort();

describe.each(cases)('$f.platform $version: users in and out', ({ f, version }) => {
  let sb: SandboxHandle;
  let dir: string;
  let policyFile: string;
  /** How the platform names a seeded user (Cloud: the email). */
  const ref = refOf(f);

  beforeEach(async () => {
    sb = await f.start(version, contractOrg(f), {});
    stubCredentials(sb.url, f.credentials(sb));
    dir = await mkdtemp(path.join(tmpdir(), `aup-inout-${f.platform}-`));
    policyFile = path.join(dir, 'policy.yml');
    await writeFile(policyFile, minimalPolicy(f));
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await sb.close();
  });

  /** Requests that could have changed the instance: every non-GET one but the platform's reading requests. */
  const writes = () =>
    sb.requests.filter((r) => {
      const request = `${r.method} ${r.path}`;
      return !f.readingRequests.some((x) => (typeof x === 'string' ? x === request : x.test(request)));
    });

  /** Every user of the store with what the platform can tell of them. */
  function people(): { u: UserRecord; e: ExpectedUser }[] {
    return sb.store.users().map((u) => ({ u, e: f.expectedUser(sb, u, [f.accessGroup]) }));
  }
  const daysSince = (iso: string) => Math.floor(NOW.getTime() / DAY) - Math.floor(Date.parse(iso) / DAY);

  it('aup list: each filter selects exactly the users the sandbox holds for it', async () => {
    const members = (g: string) => new Set(f.members(sb.store, g));
    const reports = driverFor(f.platform)!.reportsDirectories;
    const dirName = (u: UserRecord) => sb.store.directory(u.directoryId)?.name;
    type Filter = [string[], (x: { u: UserRecord; e: ExpectedUser }) => boolean];
    const byDirectory: Filter = [
      ['--directory', 'Corporate LDAP'],
      ({ u }) => dirName(u) === 'Corporate LDAP',
    ];
    const filters: Filter[] = [
      [[], () => true],
      [['--status', 'active'], ({ e }) => e.active],
      [['--status', 'inactive'], ({ e }) => !e.active],
      [
        ['--inactive-days', '90'],
        ({ e }) => {
          const since = e.lastActive ?? e.created;
          return e.activityKnown && since !== null && daysSince(since) >= 90;
        },
      ],
      [['--never-logged-in'], ({ e }) => e.activityKnown && e.lastActive === null],
      [['--group', 'developers'], ({ u }) => members('developers').has(ref(u.name))],
      [
        ['--group', 'qa', '--group', 'ldap-staff'],
        ({ u }) => members('qa').has(ref(u.name)) || members('ldap-staff').has(ref(u.name)),
      ],
      [['--name', 'A*'], ({ e }) => /^a/i.test(e.name) || /^a/i.test(e.displayName)],
      [['--name', '?ob'], ({ e }) => /^.ob$/i.test(e.name) || /^.ob$/i.test(e.displayName)],
      [['--email', '*@EXAMPLE.com'], ({ e }) => e.email?.toLowerCase().endsWith('@example.com') ?? false],
      [
        ['--status', 'active', '--group', 'developers', '--inactive-days', '60'],
        ({ u, e }) =>
          e.active &&
          members('developers').has(ref(u.name)) &&
          e.activityKnown &&
          (e.lastActive ?? e.created) !== null &&
          daysSince((e.lastActive ?? e.created)!) >= 60,
      ],
      ...(reports ? [byDirectory] : []),
    ];
    const all = people();
    // The credentials' account signs in with every request: its activity (and on Confluence its email, which comes
    // from the list of users who logged in) is the read's, not the seed's.
    const self = ref(sb.credentials.username);
    const byActivity = (args: readonly string[]) =>
      ['--inactive-days', '--never-logged-in', '--email'].some((a) => args.includes(a));
    for (const [args, holds] of filters) {
      const r = await aup(['list', policyFile, ...now, '--format', 'json', ...args]);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
      const expected = all
        .filter(holds)
        .map((x) => x.e.name)
        .sort();
      const listed = names(r.stdout);
      const seen = byActivity(args) ? listed.filter((n) => n !== self) : listed;
      expect({ args, users: seen }).toEqual({
        args,
        users: byActivity(args) ? expected.filter((n) => n !== self) : expected,
      });
    }
    // A filter that names nothing the instance has is an error, not an empty list.
    const typo = await aup(['list', policyFile, ...now, '--group', 'developer']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toBe(
      'aup: --group: group "developer" does not exist on the instance (did you mean "developers"?)',
    );
    const dirs = await aup(['list', policyFile, ...now, '--directory', 'Corporate LDAP']);
    if (!reports) {
      expect(dirs.code).toBe(1);
      expect(dirs.stderr).toContain('does not say over its API which directory a user is in');
    } else expect(dirs.code).toBe(0);
    expect(writes()).toEqual([]);
  });

  it('aup export: a row per user, a row per group of the instance with its members, and a snapshot that plans like the instance', async () => {
    await writeFile(
      policyFile,
      minimalPolicy(f, `groups: { qa: { mode: exact, members: [${ref('alice')}, ${ref('henry')}] } }\n`),
    );
    const out = path.join(dir, 'out');
    const r = await aup(['export', policyFile, ...now, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const store = sb.store;
    expect(r.stdout).toBe(
      `exported ${store.users().length} users and ${store.groups().length} groups with their members to ` +
        `${out}/inventory.csv, ${out}/groups.csv and ${out}/snapshot.json`,
    );
    const inventory = rows(await readFile(path.join(out, 'inventory.csv'), 'utf8'));
    const all = people();
    expect(inventory.map((x) => x.username).sort()).toEqual(all.map((x) => x.e.name).sort());
    for (const row of inventory) {
      const { e } = all.find((x) => x.e.name === row.username)!;
      expect({ user: row.username, active: row.active, never: row.never_logged_in }).toEqual({
        user: e.name,
        active: String(e.active),
        never: e.activityKnown ? String(e.lastActive === null) : '',
      });
      // Every group the instance lists the user in, not only the groups the policy names.
      const groups = store
        .groups()
        .map((g) => g.name)
        .filter((g) => f.members(store, g).includes(e.name));
      expect(row.groups!.split(';').filter(Boolean).sort()).toEqual(groups.sort());
    }
    const groups = rows(await readFile(path.join(out, 'groups.csv'), 'utf8'));
    expect(groups.map((g) => [g.group, Number(g.members), g.managed]).sort()).toEqual(
      store
        .groups()
        .map((g) => [g.name, f.members(store, g.name).length, g.name === 'qa' ? 'exact' : ''])
        .sort(),
    );
    // The streamed files are what the whole-text writers make of the same snapshot.
    const snapshot = JSON.parse(await readFile(path.join(out, 'snapshot.json'), 'utf8')) as Snapshot;
    expect(await readFile(path.join(out, 'snapshot.json'), 'utf8')).toBe(
      `${JSON.stringify(snapshot, null, 2)}\n`,
    );
    expect(await readFile(path.join(out, 'inventory.csv'), 'utf8')).toBe(
      inventoryCsv(snapshot, NOW, [f.accessGroup]),
    );
    const live = await aup(['plan', policyFile, ...now, '--format', 'json']);
    const offline = await aup([
      'plan',
      policyFile,
      ...now,
      '--format',
      'json',
      '--snapshot',
      path.join(out, 'snapshot.json'),
    ]);
    expect(changesOf(offline.stdout)).toEqual(changesOf(live.stdout));
    expect(changesOf(live.stdout)).toEqual(
      f
        .members(store, 'qa')
        .filter((m) => ![ref('alice'), ref('henry')].includes(m))
        .map((m) => `remove-member ${m} qa`),
    );
    expect(writes()).toEqual([]);
  });

  it('aup dump: a policy whose plan against the same instance has no changes, with the planner’s starter counts', async () => {
    const out = path.join(dir, 'dumped.yml');
    const dumped = await aup([
      'dump',
      policyFile,
      ...now,
      '--groups',
      'developers,qa,ldap-staff',
      '--out',
      out,
    ]);
    expect(dumped.code, dumped.stderr).toBe(0);
    const text = await readFile(out, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=\S+policy\.v1\.json$/);
    expect(await aup(['validate', out])).toMatchObject({ code: 0 });
    const planned = await aup(['plan', out, ...now, '--detailed-exitcode']);
    expect({ code: planned.code, stderr: planned.stderr }).toEqual({
      code: 0,
      stderr: expect.stringMatching(/^HTTP: /),
    });
    expect(planned.stdout).toContain('No changes. The instance matches the policy.');
    // The groups are exact with the members the platform lists, the administrators protected.
    for (const g of ['developers', 'qa', 'ldap-staff']) {
      const block = new RegExp(`\\n  ${g}:\\n    mode: exact\\n    members:\\n((?:      - .+\\n)*)`).exec(
        text,
      );
      expect(block?.[1]?.match(/- (.+)/g)?.map((m) => m.slice(2)) ?? [], g).toEqual(f.members(sb.store, g));
    }
    for (const a of f.admins(sb.store))
      if (a.group) expect(text).toMatch(new RegExp(`protect:[^]*groups:\\n\\s+- ${a.group}\\n`));
      else for (const m of a.members) expect(text).toMatch(new RegExp(`protect:\\n  users:[^]*- ${m}\\n`));
    // The starter rules, uncommented, plan what their comments count.
    const block = text.slice(text.indexOf('# inactivity:'));
    const rules = block.replace(/^# ?/gm, '');
    const counted = [...text.matchAll(/^# {3}([\w-]+): [a-z ]+? (\d+) users?/gm)].map((m) => [
      m[1],
      Number(m[2]),
    ]);
    expect(counted.length).toBeGreaterThan(0);
    const uncommented = path.join(dir, 'uncommented.yml');
    await writeFile(uncommented, `${text}\n${rules}`);
    const json = await aup(['plan', uncommented, ...now, '--format', 'json']);
    const plan = JSON.parse(json.stdout) as Plan;
    const byRule = (name: string) =>
      new Set(
        plan.changes.filter((c) => c.rule.type === 'inactivity' && c.rule.name === name).map((c) => c.user),
      ).size;
    expect(counted).toEqual(counted.map(([name]) => [name, byRule(name as string)]));
    expect(plan.changes.filter((c) => c.rule.type !== 'inactivity')).toEqual([]);
    expect(writes()).toEqual([]);
  });

  it('CSV round trip: export, edit in a spreadsheet, import: the plan shows exactly the edits', async () => {
    const out = path.join(dir, 'out');
    expect((await aup(['export', policyFile, ...now, '--out', out])).code).toBe(0);
    const inventory = rows(await readFile(path.join(out, 'inventory.csv'), 'utf8'));
    const caps = driverFor(f.platform)!.capabilities;
    const row = (name: string) => inventory.find((r) => r.username === name)!;
    const groupsOf = (r: Record<string, string>) => r.groups!.split(';').filter(Boolean);
    const expected: string[] = [];
    // gina joins qa; henry leaves it (qa is exact in the policy); bob is taken away where the platform can.
    row(ref('gina')).groups = [...groupsOf(row(ref('gina'))), 'qa'].join(';');
    expected.push(`add-member ${ref('gina')} qa`);
    row(ref('henry')).groups = groupsOf(row(ref('henry')))
      .filter((g) => g !== 'qa')
      .join(';');
    expected.push(`remove-member ${ref('henry')} qa`);
    if (caps.deactivate.supported) {
      row(ref('bob')).active = 'false';
      expected.push(`deactivate ${ref('bob')}`);
    }
    if (caps['create-user'].supported) {
      inventory.push({
        ...row(ref('kim')),
        id: '',
        username: 'judy',
        email: 'judy@example.com',
        display_name: 'Judy Jones',
        groups: 'developers',
      });
      expected.push('add-member judy developers', 'create-user judy');
    }
    // As a spreadsheet in a semicolon locale saves it: BOM, ';', CRLF.
    const edited = path.join(dir, 'edited.csv');
    await writeFile(
      edited,
      `\uFEFF${stringify(inventory, { header: true, delimiter: ';', record_delimiter: 'windows' })}`,
    );
    await writeFile(
      policyFile,
      minimalPolicy(f, `groups: { qa: { mode: exact } }\nimport: [{ csv: ${JSON.stringify(edited)} }]\n`),
    );
    const checked = await aup(['import-check', edited, '--policy', policyFile]);
    expect(checked.code, checked.stderr).toBe(0);
    const planned = await aup(['plan', policyFile, ...now, '--format', 'json']);
    expect(planned.code, planned.stderr).toBe(0);
    expect(changesOf(planned.stdout)).toEqual(expected.sort());
  });

  it('aup import-check --policy names a group the instance lacks at its line and column', async () => {
    const csv = path.join(dir, 'users.csv');
    await writeFile(csv, `username,groups\n${ref('alice')},developers\n${ref('bob')},"qa;developer"\n`);
    const r = await aup(['import-check', csv, '--policy', policyFile]);
    expect(r.code).toBe(1);
    const col = ref('bob').length + 6;
    expect(r.stderr.split('\n')).toEqual([
      `${csv}:3:${col}: groups: group "developer" does not exist on the instance (did you mean "developers"?)`,
    ]);
    expect(r.stdout).toMatch(
      new RegExp(
        `^${csv.replace(/[.]/g, '\\.')}: 2 rows \\(2 active\\), 3 groups named — 1 error, 0 warnings`,
      ),
    );
    expect(writes()).toEqual([]);
  });
});
