import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApplyRefused } from '../../src/app/apply-run.ts';
import { readReviewedPlans, reviewedPlanFor } from '../../src/github/reviewed.ts';
import { smallPlan } from '../report/fixtures.ts';

const plan = (policyPath: string) => ({ ...smallPlan(), policy: { path: policyPath, sha256: 'x' } });

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

  it('refuses a plan of another format version, naming both versions and what to do', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'aup-reviewed-'));
    const old = { ...plan('policies/a.yml'), formatVersion: 1 };
    await writeFile(path.join(dir, 'plan.json'), JSON.stringify(old));
    await expect(readReviewedPlans(path.join(dir, 'plan.json'))).rejects.toThrow(
      /plan\.json is a plan of formatVersion 1; this version of aup reads plans of formatVersion 2\. Plan again/,
    );
    await writeFile(
      path.join(dir, 'plan.json'),
      JSON.stringify({ ...plan('policies/a.yml'), changes: [{ kind: 'deactivate' }] }),
    );
    await expect(readReviewedPlans(path.join(dir, 'plan.json'))).rejects.toThrow(
      /not a valid plan\.json: changes\[0\]/,
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
