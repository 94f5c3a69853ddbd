// The CSV activity source: parsing errors name file:line (blank lines included in the count), and a policy
// declaring `activity: { source: csv }` reads login times from it against the sandbox.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { parseActivityCsv, readActivityCsv } from '../../src/platforms/shared/activity-csv.ts';
import { formatDiagnostic, PolicyError } from '../../src/policy/diagnostics.ts';
import { daysAgo, harness, type Harness, NOW, policy, tempDir } from './helpers.ts';

function errorsOf(text: string, file = 'activity.csv'): string[] {
  try {
    parseActivityCsv(text, file);
  } catch (e) {
    if (e instanceof PolicyError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
  throw new Error('expected a PolicyError');
}

describe('activity CSV', () => {
  it('reads ISO dates, timestamps, epoch milliseconds and empty cells (never logged in)', () => {
    const map = parseActivityCsv(
      '\uFEFFUsername,Last_Login\nAlice,2025-05-30T08:15:42.123Z\nbob,2024-11-13\ncarol,1717243200000\ndave,\n',
      'a.csv',
    );
    expect(Object.fromEntries(map)).toEqual({
      alice: '2025-05-30T08:15:42.123Z',
      bob: '2024-11-13T00:00:00.000Z',
      carol: '2024-06-01T12:00:00.000Z',
      dave: null,
    });
  });

  it('names file:line:col for every bad row, counting blank lines', () => {
    const text = [
      'username,last_login',
      'alice,2025-05-30',
      '',
      'bob,yesterday',
      ',2025-01-01',
      'Alice,2025-02-01',
      '',
      'carol,1717243200',
    ].join('\n');
    expect(errorsOf(text)).toEqual([
      'activity.csv:4:2: last_login: expected an ISO date, a timestamp or epoch milliseconds, got "yesterday"',
      'activity.csv:5:1: username: expected a username, got an empty cell',
      'activity.csv:6:1: username: "Alice" is listed twice',
      // Epoch seconds are refused, not read as milliseconds of January 1970.
      'activity.csv:8:2: last_login: expected an ISO date, a timestamp or epoch milliseconds, got "1717243200"',
    ]);
  });

  it('names the header line when a column is missing, and the line of a broken quote', () => {
    expect(errorsOf('\nuser,last\nalice,2025-01-01\n')).toEqual([
      'activity.csv:2:1: the header must name the columns username,last_login, got "user,last"',
    ]);
    expect(errorsOf('username,last_login\nalice,2025-01-01\nbob,"2025\n')[0]).toMatch(
      /^activity\.csv:3:1: reading CSV: Quote Not Closed/,
    );
  });

  it('names the file when it cannot be read', async () => {
    const missing = path.join(await tempDir(), 'nope.csv');
    const e: unknown = await readActivityCsv(missing).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(PolicyError);
    expect(formatDiagnostic((e as PolicyError).diagnostics[0]!)).toMatch(
      /nope\.csv:1:1: reading the activity CSV: ENOENT/,
    );
  });
});

describe('activity CSV as the source of a live plan', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('wins over the other sources; users it does not list have unknown activity', async () => {
    h = await harness('10.3');
    const csv = path.join(await tempDir(), 'logins.csv');
    await writeFile(
      csv,
      `username,last_login\nalice,${daysAgo(1)}\nbob,${daysAgo(100)}\nhenry,${daysAgo(200)}\n`,
    );
    const resolved = policy(`version: 1
instance: { platform: jira-dc, activity: { source: csv, csv: ${JSON.stringify(csv)} } }
inactivity: [{ name: dormant, inactive_days: 90, action: deactivate }]
limits: { max_fraction: 1 }
`);
    const { snapshot, plan } = await readAndPlan(resolved, await h.connect(resolved), NOW);
    const henry = snapshot.users.find((u) => u.name === 'henry')!;
    expect(henry).toMatchObject({ lastActive: daysAgo(200), activityKnown: true });
    expect(snapshot.users.find((u) => u.name === 'frank')).toMatchObject({
      lastActive: null,
      activityKnown: false,
    });
    expect(plan.changes.map((c) => `${c.kind} ${c.user}`)).toEqual(['deactivate bob', 'deactivate henry']);
    expect(plan.skipped.filter((s) => s.why === 'activity-unknown').map((s) => s.user)).toEqual([
      'admin',
      'carol',
      'dave',
      'frank',
      'gina',
      'ivan',
    ]);
  });
});
