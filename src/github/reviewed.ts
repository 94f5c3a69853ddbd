// The reviewed plan(s) to enforce on apply (`plan-artifact`): a plan.json, or a directory holding one plan.json
// per policy file (the layout of the plan artifact). Each policy is held to the plan made from the same path.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { readPlanFile } from '../app/plan-file.ts';
import { ApplyRefused } from '../app/apply-run.ts';
import type { Plan } from '../model.ts';

export async function readReviewedPlans(location: string): Promise<Plan[]> {
  const info = await stat(location).catch((e: Error) => {
    throw new Error(`plan-artifact ${location}: ${e.message}`);
  });
  if (!info.isDirectory()) return [await readPlanFile(location)];
  const files = (await readdir(location, { withFileTypes: true, recursive: true }))
    .filter((e) => e.isFile() && e.name === 'plan.json')
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  if (files.length === 0) throw new Error(`plan-artifact ${location}: no plan.json in the directory`);
  return Promise.all(files.map((f) => readPlanFile(f)));
}

/**
 * The reviewed plan of one policy file; refuses the apply when the artifact holds none for it. `source`
 * names the artifact in the message (plan-artifact, or the plan of a pull request).
 */
export function reviewedPlanFor(plans: Plan[], policyPath: string, source = 'plan-artifact'): Plan {
  const found = plans.filter((p) => p.policy.path === policyPath);
  if (found.length === 1) return found[0]!;
  const held = plans.map((p) => p.policy.path).join(', ') || 'nothing';
  throw new ApplyRefused(
    found.length === 0
      ? `${source} holds no reviewed plan for ${policyPath} (it holds plans for: ${held}). Nothing was changed.`
      : `${source} holds ${found.length} plans for ${policyPath}; keep one. Nothing was changed.`,
  );
}
