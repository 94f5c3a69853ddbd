// A plan with more rows than a JavaScript call can take as arguments (~125,000): `aup plan --snapshot` over
// 150,000 users, every one of them to deactivate, renders and prints instead of "Maximum call stack size
// exceeded"; so does `aup list` as a table. Outcomes only (what is printed), no timing.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitColumns } from '../../src/commands/table.ts';
import { snapshotJsonChunks } from '../../src/snapshot/json.ts';
import { aup } from '../cli/capture.ts';
import { largeSnapshot } from '../helpers/large.ts';

const USERS = 150_000;
const NOW = new Date('2026-11-25T00:00:00Z');
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'aup-large-'));
  await writeFile(
    path.join(dir, 'snapshot.json'),
    [...snapshotJsonChunks(largeSnapshot(USERS, NOW))].join(''),
  );
  await writeFile(
    path.join(dir, 'policy.yml'),
    `version: 1
instance: { platform: jira-dc, url: https://jira.example.com, access_groups: [jira-software-users] }
inactivity:
  - { name: dormant, inactive_days: 90, action: deactivate }
limits: { max_deactivations: ${USERS}, max_fraction: 1 }
`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe(`a plan of ${USERS.toLocaleString('en-US')} changes`, { timeout: 120_000 }, () => {
  it('renders as Markdown under GitHub’s limit', async () => {
    const r = await aup([
      'plan',
      path.join(dir, 'policy.yml'),
      '--snapshot',
      path.join(dir, 'snapshot.json'),
      '--now',
      '2026-11-25',
      '--format',
      'markdown',
    ]);
    expect(r.stderr).not.toMatch(/call stack|unexpected error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<b>Deactivate</b> · PUT user active=false (150,000)</summary>');
    expect(r.stdout).toContain('_… and 149,900 more in the artifacts._');
    expect(r.stdout.length).toBeLessThanOrEqual(65_536);
    expect(r.stdout).toContain('This report was shortened');
  });

  it('prints every change in the terminal diff', async () => {
    const r = await aup([
      'plan',
      path.join(dir, 'policy.yml'),
      '--snapshot',
      path.join(dir, 'snapshot.json'),
      '--now',
      '2026-11-25',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^ {2}~ user/gm)).toHaveLength(USERS);
  });

  it('fits a table of that many rows to a terminal', () => {
    const rows = [
      ['USER', 'EMAIL'],
      ...Array.from({ length: USERS }, (_, i) => [`u${i}`, `u${i}@example.com`]),
    ];
    const lines = fitColumns(rows, { columns: 80 });
    expect(lines).toHaveLength(USERS + 1);
    expect(lines[USERS]).toBe(`u${USERS - 1}  u${USERS - 1}@example.com`);
  });
});
