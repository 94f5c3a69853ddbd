// The users-in-and-out commands at the command line, offline (a snapshot file): their option checks name the
// value and what is expected; import-check alone (no policy) checks the file and exits 1 on an error.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { aup } from './capture.ts';

const CASE = path.join(import.meta.dirname, '../cases/staged-lifecycle');
const POLICY = path.join(CASE, 'policy.yml');
const SNAPSHOT = path.join(CASE, 'snapshot.json');
const NOW = ['--now', '2026-11-25T00:00:00Z'];

describe('aup list, offline', () => {
  it('lists from a snapshot file, fitted to the terminal width it is given', async () => {
    const r = await aup(['list', POLICY, '--snapshot', SNAPSHOT, ...NOW, '--status', 'active'], {
      columns: 70,
    });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(70);
    expect(lines.at(-1)).toMatch(/^\d+ of \d+ users: active accounts$/);
    // --format text (the name before 'table') still works.
    expect((await aup(['list', POLICY, '--snapshot', SNAPSHOT, ...NOW, '--format', 'text'])).code).toBe(0);
  });

  it.each([
    [['--format', 'xml'], 'aup: --format: expected table | csv | json, got "xml"'],
    [['--status', 'dormant'], 'aup: --status: expected active | inactive | all, got "dormant"'],
    [['--inactive-days', '3.5'], 'aup: --inactive-days: expected a non-negative integer, got "3.5"'],
    [['--name', ' '], 'aup: --name: expected a value, got an empty one'],
    [['--group', ''], 'aup: --group: expected a value, got an empty one'],
  ])('refuses %j naming the value', async (args, message) => {
    const r = await aup(['list', POLICY, '--snapshot', SNAPSHOT, ...args]);
    expect(r).toMatchObject({ code: 1, stderr: message, stdout: '' });
  });
});

describe('aup dump, offline', () => {
  it('dumps from a snapshot file to standard output, and refuses an empty group name', async () => {
    const r = await aup(['dump', POLICY, '--snapshot', SNAPSHOT, ...NOW, '--groups', 'developers']);
    expect(r.code, r.stderr).toBe(0);
    // The source policy names no schema: the installed package's, from the working directory.
    expect(r.stdout.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=node_modules/atlassian-user-policy/schema/policy.v1.json',
    );
    expect(r.stdout).toContain('  developers:\n    mode: exact\n    members:\n');
    const bad = await aup(['dump', POLICY, '--snapshot', SNAPSHOT, '--groups', 'developers,,qa']);
    expect(bad).toMatchObject({
      code: 1,
      stderr: 'aup: --groups: expected group names separated by commas, got "developers,,qa"',
    });
  });
});

describe('aup import-check without a policy', () => {
  it('checks the file alone: 0 on a good file, 1 with every problem on a bad one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'aup-import-'));
    const good = path.join(dir, 'good.csv');
    const bad = path.join(dir, 'bad.csv');
    await writeFile(
      good,
      'username,email,state,groups\nalice,alice@example.com,active,"devs;qa"\nbob,,absent,\n',
    );
    await writeFile(bad, 'username,emial\nalice,a@example.com\nalice,b@example.com\n');
    const ok = await aup(['import-check', good]);
    expect(ok).toEqual({
      code: 0,
      stdout: `${good}: 2 rows (1 active, 1 absent), 2 groups named`,
      stderr: '',
    });
    const r = await aup(['import-check', good, bad]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toEqual([
      `${bad}:1:10: emial: unknown column (did you mean "email"?) (expected username,email,display_name,state,groups)`,
      '1 error, 0 warnings in 2 files',
    ]);
    expect(r.stdout.split('\n')).toEqual([
      `${good}: 2 rows (1 active, 1 absent), 2 groups named`,
      `${bad}: 0 rows, 0 groups named — 1 error, 0 warnings`,
    ]);
    const missing = await aup(['import-check', path.join(dir, 'nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.csv:1:1: reading the CSV: ENOENT');
    expect(await aup(['import-check'])).toMatchObject({
      code: 1,
      stderr: 'aup: import-check needs a CSV file: aup import-check users.csv [--policy FILE]',
    });
    expect(await aup(['import-check', good, '--snapshot', SNAPSHOT])).toMatchObject({
      code: 1,
      stderr: "aup: --snapshot needs --policy: the instance checked against is the policy's",
    });
  });
});
