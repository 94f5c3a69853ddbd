// Every count printed is the count of what it names, in the singular for one: 0, 1 and many for each message.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportedLine } from '../../src/commands/export-line.ts';
import { listUsers } from '../../src/commands/list.ts';
import { requestsLine } from '../../src/commands/live.ts';
import { validateCommand } from '../../src/commands/plan.ts';
import { checkReviewedPlan } from '../../src/executor/stale.ts';
import { annotate } from '../../src/github/annotations.ts';
import { runSummaryLine } from '../../src/github/summary-line.ts';
import type { Change } from '../../src/model.ts';
import { checkLimits } from '../../src/planner/limits.ts';
import { daysAgo, formatInt, plural } from '../../src/plural.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';
import type { Policy } from '../../src/policy/schema.ts';
import { countsPhrase } from '../../src/report/format.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { renderTerminal } from '../../src/report/terminal.ts';
import { type Scenario, startSandbox } from '../../src/sandbox/index.ts';
import { captureStdout } from '../github/stdout.ts';
import { addMember, deactivate, plan, snapshot, user } from './fixtures.ts';

const stdout = captureStdout();
const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
const NOW = new Date('2026-11-25T00:00:00Z');

describe('plural() and daysAgo()', () => {
  it('say 0 groups, 1 group, 2 groups, 1,234 groups', () => {
    expect([0, 1, 2, 1234].map((n) => plural(n, 'group'))).toEqual([
      '0 groups',
      '1 group',
      '2 groups',
      '1,234 groups',
    ]);
    expect(plural(1, 'retry', 'retries')).toBe('1 retry');
    expect(plural(3, 'retry', 'retries')).toBe('3 retries');
    expect(formatInt(20000)).toBe('20,000');
  });

  it('say today, 1 day ago, N days ago', () => {
    expect([0, 1, 2, 1000].map(daysAgo)).toEqual(['today', '1 day ago', '2 days ago', '1,000 days ago']);
  });
});

describe('plan wording', () => {
  it('counts per kind in the verdict', () => {
    expect(countsPhrase(plan({ changes: [addMember('a', 'g')] }))).toBe('1 membership to add');
    expect(countsPhrase(plan({ changes: [addMember('a', 'g'), addMember('b', 'g')] }))).toBe(
      '2 memberships to add',
    );
    expect(countsPhrase(plan())).toBe('');
  });

  it('the terminal header and the activity chart count users', () => {
    for (const [n, words] of [
      [0, '0 users'],
      [1, '1 user'],
      [2, '2 users'],
    ] as const) {
      const p = plan();
      p.snapshot.users = n;
      expect(renderTerminal(p).split('\n')[1]).toContain(`· ${words}`);
      const md = renderMarkdown(p, { activity: { days: times(n, () => 3), thresholds: [] } });
      expect(md).toContain(`Users by days since last activity (${words})`);
      expect(md).toContain(` · ${words} · policy sha256`);
    }
  });

  it('limit messages count changes, users and memberships', () => {
    const limits = {
      max_changes: 9,
      max_deactivations: 9,
      max_deletions: 9,
      max_removals: 9,
      max_fraction: 1,
    };
    const messages = (changes: Change[], users: number) =>
      checkLimits(changes, users, limits as Policy['limits']).map((l) => l.message);
    expect(messages([], 0)).toEqual([
      'plan has 0 changes (limit max_changes 9)',
      'plan deactivates 0 users (limit max_deactivations 9)',
      'plan deletes 0 users (limit max_deletions 9)',
      'plan removes 0 group memberships (limit max_removals 9)',
      'plan deactivates, deletes or removes access of 0 of 0 users (0.0%) (limit max_fraction 1)',
    ]);
    const one: Change[] = [
      deactivate('a'),
      { ...deactivate('b'), kind: 'delete' },
      {
        kind: 'remove-member',
        user: 'c',
        userId: 'id-c',
        group: 'g',
        rule: { type: 'group', group: 'g' },
        reason: { type: 'group-exact', group: 'g' },
      },
    ];
    expect(messages(one, 1)).toEqual([
      'plan has 3 changes (limit max_changes 9)',
      'plan deactivates 1 user (limit max_deactivations 9)',
      'plan deletes 1 user (limit max_deletions 9)',
      'plan removes 1 group membership (limit max_removals 9)',
      'plan deactivates, deletes or removes access of 2 of 1 user (200.0%), over the limit max_fraction 1',
    ]);
    expect(messages([deactivate('a')], 2)[0]).toBe('plan has 1 change (limit max_changes 9)');
    expect(messages([deactivate('a'), deactivate('b')], 2)[1]).toBe(
      'plan deactivates 2 users (limit max_deactivations 9)',
    );
  });

  it('the stale-plan guard counts the unreviewed changes', () => {
    const reviewed = plan();
    const needs = (n: number) =>
      checkReviewedPlan(reviewed, plan({ changes: times(n, (i) => deactivate(`u${i}`)) })).problems;
    expect(needs(0)).toEqual([]);
    expect(needs(1)).toEqual(['the live instance needs 1 change the reviewed plan does not contain']);
    expect(needs(2)).toEqual(['the live instance needs 2 changes the reviewed plan does not contain']);
  });

  it('validation warns about inverted stages in days', () => {
    const r = parsePolicyText(
      `version: 1
instance: { platform: jira-dc, access_groups: [g] }
inactivity:
  - { name: seat, inactive_days: 2, action: remove-access }
  - { name: dormant, inactive_days: 1, action: deactivate }
`,
      'p.yml',
    );
    expect(r.diagnostics.map((d) => d.message)).toContain(
      'remove-access at 2 days comes after deactivate at 1 day (inactivity[1]); users then pass through both on consecutive runs',
    );
  });
});

describe('CLI wording', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'aup-counts-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('aup validate counts rules, managed groups and declared users', async () => {
    const policies = {
      zero: 'version: 1\ninstance: { platform: jira-dc }\n',
      one: `version: 1
instance: { platform: jira-dc }
inactivity: [{ name: dormant, inactive_days: 90, action: deactivate }]
groups: { developers: { mode: exact, members: [alice] } }
users: [{ name: carol, email: carol@example.com, state: active }]
`,
      two: `version: 1
instance: { platform: jira-dc }
inactivity:
  - { name: dormant, inactive_days: 90, action: deactivate }
  - { name: purge, inactive_days: 400, action: delete }
groups: { developers: { mode: exact, members: [] }, qa: { mode: additive, members: [] } }
users:
  - { name: carol, email: carol@example.com, state: active }
  - { name: dan, email: dan@example.com, state: inactive }
`,
    };
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t), color: false };
    for (const [name, text] of Object.entries(policies)) await writeFile(path.join(dir, `${name}.yml`), text);
    expect(
      await validateCommand(
        ['zero', 'one', 'two'].map((n) => path.join(dir, `${n}.yml`)),
        io,
      ),
    ).toBe(0);
    expect(out.map((l) => l.replace(`${dir}/`, ''))).toEqual([
      'zero.yml: valid (jira-dc, 0 inactivity rules, 0 managed groups, 0 declared users)',
      'one.yml: valid (jira-dc, 1 inactivity rule, 1 managed group, 1 declared user)',
      'two.yml: valid (jira-dc, 2 inactivity rules, 2 managed groups, 2 declared users)',
    ]);
  });

  it('aup validate counts the errors it found', async () => {
    const out: string[] = [];
    const io = { out: () => undefined, err: (t: string) => out.push(t), color: false };
    await writeFile(path.join(dir, 'bad1.yml'), 'version: 2\ninstance: { platform: jira-dc }\n');
    await writeFile(path.join(dir, 'bad2.yml'), 'version: 2\ninstance: { platform: nope }\n');
    expect(await validateCommand([path.join(dir, 'bad1.yml')], io)).toBe(1);
    expect(out.at(-1)).toBe('1 error found');
    expect(await validateCommand([path.join(dir, 'bad2.yml')], io)).toBe(1);
    expect(out.at(-1)).toBe('2 errors found');
  });

  it('aup export counts the users and groups it wrote, and says when the instance listed fewer groups than it has', () => {
    const users = (n: number) => times(n, (i) => user(`u${i}`));
    const groups = (n: number) => times(n, (i) => ({ name: `g${i}`, readOnly: false }));
    const files = { inventory: 'out/inventory.csv', groups: 'out/groups.csv', snapshot: 'out/snapshot.json' };
    expect(exportedLine({ users: users(0), groups: groups(0) }, files)).toBe(
      'exported 0 users and 0 groups with their members to out/inventory.csv, out/groups.csv and out/snapshot.json',
    );
    expect(exportedLine({ users: users(1), groups: groups(1) }, files)).toMatch(
      /^exported 1 user and 1 group with their members to /,
    );
    expect(exportedLine({ users: users(2), groups: groups(4) }, files)).toMatch(
      /^exported 2 users and 4 groups with their members to /,
    );
    const capped = { users: users(2), groups: groups(3), allGroups: ['g0', 'g1', 'g2'], groupCount: 1200 };
    expect(exportedLine(capped, files)).toMatch(
      /\(the instance has 1,200 groups but lists only 3 over its API; the others are not in the files\)$/,
    );
  });

  it('aup list counts users and days', () => {
    const s = snapshot([user('a', { lastActive: '2026-11-24T12:00:00Z' })]);
    const list = (snap: typeof s, filters = {}) => listUsers(snap, { now: NOW, format: 'table', filters });
    expect(list(s).split('\n').at(-1)).toBe('1 of 1 user');
    expect(list(s, { inactiveDays: 1 }).split('\n').at(-1)).toBe('1 of 1 user: inactive 1 day or more');
    expect(list(s, { inactiveDays: 2 }).split('\n').at(-1)).toBe('0 of 1 user: inactive 2 days or more');
    const two = snapshot([user('a'), user('b')]);
    expect(list(two).split('\n').at(-1)).toBe('2 of 2 users');
    expect(list(s)).toContain('1 day ago');
  });

  it('the HTTP line counts requests, retries and throttled waits', () => {
    const conn = (requests: number, retries: number, throttled: number) =>
      ({ clients: [{ stats: () => ({ requests, retries, throttled }) }] }) as unknown as Parameters<
        typeof requestsLine
      >[0];
    expect(requestsLine(conn(0, 0, 0))).toBe('HTTP: 0 requests, 0 retries, 0 throttled waits');
    expect(requestsLine(conn(1, 1, 1))).toBe('HTTP: 1 request, 1 retry, 1 throttled wait');
    expect(requestsLine(conn(2, 3, 4))).toBe('HTTP: 2 requests, 3 retries, 4 throttled waits');
  });

  it('aup sandbox counts users and groups', async () => {
    const line = async (scenario: Scenario) => {
      const h = await startSandbox({ version: '10.3', scenario });
      try {
        return h.bannerLines()[1];
      } finally {
        await h.close();
      }
    };
    // The sandbox always holds its administrator and Jira's two default groups.
    expect(await line({ users: [] })).toBe('  1 user, 2 groups; directories: Jira Internal Directory');
    const users = ['ann', 'bob'].map((name) => ({
      name,
      displayName: name,
      email: null,
      created: '2020-01-01T00:00:00Z',
    }));
    expect(await line({ users } as Scenario)).toBe(
      '  3 users, 2 groups; directories: Jira Internal Directory',
    );
  });
});

describe('Action wording', () => {
  it('the summary output counts changes and policy files', () => {
    const t = (changes: number) => ({ changes, destructive: changes, applied: changes, failed: 0 });
    expect(runSummaryLine(t(0), 1, false)).toBe('0 changes (0 destructive) in 1 policy file');
    expect(runSummaryLine(t(1), 2, true)).toBe(
      '1 change (1 destructive) in 2 policy files; 1 applied, 0 failed',
    );
    expect(runSummaryLine(t(3), 1, true)).toBe(
      '3 changes (3 destructive) in 1 policy file; 3 applied, 0 failed',
    );
  });

  it("annotations beyond GitHub's 10 per severity are counted in the log", () => {
    const errors = (n: number) =>
      times(n, (i) => ({
        severity: 'error' as const,
        file: 'p.yml',
        line: i + 1,
        col: 1,
        field: '',
        message: `e${i}`,
      }));
    annotate(errors(11), { workspace: '/ws' });
    expect(stdout.text()).toContain('1 more diagnostic (GitHub shows 10 annotations per severity):');
    stdout.clear();
    annotate(errors(12), { workspace: '/ws' });
    expect(stdout.text()).toContain('2 more diagnostics (GitHub shows 10 annotations per severity):');
  });
});

describe('no "(s)" counts', () => {
  it('no message in src/ pluralises with "(s)" after a count', async () => {
    const offenders: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (p.endsWith('.ts')) {
          (await readFile(p, 'utf8')).split('\n').forEach((line, i) => {
            if (/\}[^`'"]*\w\(s\)/.test(line) && !/^\s*(\/\/|\*)/.test(line))
              offenders.push(`${p}:${i + 1}: ${line.trim()}`);
          });
        }
      }
    };
    await walk('src');
    expect(offenders).toEqual([]);
  });
});
