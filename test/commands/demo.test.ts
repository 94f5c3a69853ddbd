// `aup demo` (npm run demo) writes the plan's files, and beside them what the apply re-planned and did; its
// figures count what they name.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoCommand } from '../../src/commands/demo.ts';
import type { Plan } from '../../src/model.ts';

let out: string;
beforeEach(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'aup-demo-'));
});
afterEach(() => rm(out, { recursive: true, force: true }));

describe('aup demo', () => {
  it('writes plan.*, inventory.csv, apply-plan.*, apply-inventory.csv and audit.csv, and says so', async () => {
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t), color: false };
    const code = await demoCommand(
      { policy: 'policies/example.yml', outDir: out, now: new Date('2026-11-25T00:00:00Z') },
      io,
    );
    expect(code).toBe(0);
    const files = [
      'plan.json',
      'plan.csv',
      'inventory.csv',
      'plan.md',
      'apply-plan.json',
      'apply-plan.csv',
      'apply-inventory.csv',
      'apply-plan.md',
      'audit.csv',
      'refused.csv',
    ];
    const text = lines.join('\n');
    expect(text).toContain(`Wrote ${files.map((f) => path.join(out, f)).join(', ')}`);
    const plan = JSON.parse(await readFile(path.join(out, 'plan.json'), 'utf8')) as Plan;
    const replanned = JSON.parse(await readFile(path.join(out, 'apply-plan.json'), 'utf8')) as Plan;
    // The demo applies the plan it printed: both hold the same changes, in their own files.
    expect(replanned.changes).toEqual(plan.changes);
    expect(await readFile(path.join(out, 'apply-plan.md'), 'utf8')).toContain(
      '### Atlassian user policy: policies/example.yml',
    );
    expect(text).toMatch(
      /^Sandbox: Jira Data Center 10\.3 at \S+ with 304 users \(seeded demo organisation\)$/m,
    );
    expect(text).toMatch(
      /^Re-plan after apply, with \d+ refusals carried in \S+refused\.csv: (converged, no change left|\d+ changes? left: .*); \d+ changes the instance refused as read-only are skipped/m,
    );
    expect(text).toMatch(
      /^Figures: 304 users, 67 planned changes, [\d,]+ HTTP requests, \d+ ms wall time\.$/m,
    );
  });
});
