import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApplyRefused } from '../../src/engine.ts';
import { readReviewedPlans, reviewedPlanFor } from '../../src/github/reviewed.ts';

const plan = (policyPath: string) => ({
  formatVersion: 1,
  policy: { path: policyPath, sha256: 'x' },
  snapshot: { platform: 'jira-dc', instance: 'i' },
  changes: [],
});

describe('reviewed plans (plan-artifact)', () => {
  it('reads one plan.json per policy from an artifact directory and matches them by policy path', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'aup-reviewed-'));
    for (const name of ['policies-a', 'policies-b']) {
      await mkdir(path.join(dir, name));
      await writeFile(
        path.join(dir, name, 'plan.json'),
        JSON.stringify(plan(`policies/${name.slice(9)}.yml`)),
      );
    }
    await writeFile(path.join(dir, 'plan.csv'), 'not a plan');
    const plans = await readReviewedPlans(dir);
    expect(reviewedPlanFor(plans, 'policies/b.yml').policy.path).toBe('policies/b.yml');
    expect(() => reviewedPlanFor(plans, 'policies/c.yml')).toThrow(ApplyRefused);
    expect(() => reviewedPlanFor(plans, 'policies/c.yml')).toThrow(
      /holds no reviewed plan for policies\/c\.yml/,
    );
  });

  it('reads a single plan.json file and fails clearly on a missing path', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'aup-reviewed-'));
    await writeFile(path.join(dir, 'plan.json'), JSON.stringify(plan('policies/a.yml')));
    expect(await readReviewedPlans(path.join(dir, 'plan.json'))).toHaveLength(1);
    await expect(readReviewedPlans(path.join(dir, 'nope.json'))).rejects.toThrow(
      /plan-artifact .*nope\.json: ENOENT/,
    );
  });
});
