// The committed CLI bundle (bin/aup.js → dist/cli/index.js), run as a user runs it.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/spawn.ts';

const ROOT = path.join(import.meta.dirname, '../..');
const AUP = path.join(ROOT, 'bin/aup.js');
const CASE = path.join(ROOT, 'test/cases/staged-lifecycle');

describe('aup (bundled CLI)', () => {
  it('prints help', async () => {
    const r = await run(process.execPath, [AUP, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('aup validate <policy.yml...>');
  });

  it('validates and reports every error as file:line:col', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'aup-e2e-'));
    await writeFile(
      path.join(dir, 'bad.yml'),
      'version: 1\ninstance: { platform: jira-dc }\ninactivity:\n  - { name: x, inactive_days: ninety, action: nuke }\n',
    );
    const r = await run(process.execPath, [AUP, 'validate', 'bad.yml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'bad.yml:4:31: inactivity[0].inactive_days: expected a positive integer, got "ninety"',
    );
    expect(r.stderr).toContain(
      'inactivity[0].action: expected one of deactivate | remove-access | delete, got "nuke"',
    );
    expect(r.stderr).toContain('2 errors found');
  });

  it('plans from a snapshot and writes the four artifacts', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'aup-e2e-'));
    const r = await run(
      process.execPath,
      [
        AUP,
        'plan',
        '--policy',
        'policy.yml',
        '--snapshot',
        'snapshot.json',
        '--now',
        '2026-11-25T00:00:00Z',
        '--out',
        out,
        '--detailed-exitcode',
      ],
      { cwd: CASE },
    );
    expect(r.stderr).toContain('wrote');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('four-hundred');
    const planJson = JSON.parse(await readFile(path.join(out, 'plan.json'), 'utf8'));
    expect(planJson.formatVersion).toBe(2);
    expect(planJson.changes.length).toBe(5);
    expect(await readFile(path.join(out, 'inventory.csv'), 'utf8')).toMatch(/^id,username,/);
    expect(await readFile(path.join(out, 'plan.csv'), 'utf8')).toContain('four-hundred');
    expect(await readFile(path.join(out, 'plan.md'), 'utf8')).toContain('four-hundred');
  });

  it('lists users inactive for at least N days from a snapshot', async () => {
    const r = await run(
      process.execPath,
      [
        AUP,
        'list',
        '--policy',
        'policy.yml',
        '--snapshot',
        'snapshot.json',
        '--now',
        '2026-11-25T00:00:00Z',
        '--inactive-days',
        '90',
      ],
      { cwd: CASE },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ninety-five +Ninety Five +ninety-five@example\.com +active +95 days ago/m);
    expect(r.stdout).not.toContain('almost-ninety');
    expect(r.stdout).toContain('3 of 8 users: inactive 90 days or more');
  });
});
