// Writing a plan's artifacts to a directory: plan.json, plan.csv, inventory.csv, plan.md.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plan, Snapshot } from '../model.ts';
import { inventoryCsv, planCsv } from '../report/csv.ts';
import { planJson } from '../report/json.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { activityOf } from '../report/activity.ts';
import type { Policy } from '../policy/schema.ts';

export interface WrittenArtifacts {
  dir: string;
  files: string[];
}

export async function writePlanArtifacts(
  dir: string,
  plan: Plan,
  snapshot: Snapshot,
  policy: Policy,
  now: Date,
  opts: { runUrl?: string; artifactName?: string } = {},
): Promise<WrittenArtifacts> {
  await mkdir(dir, { recursive: true });
  const md = renderMarkdown(plan, {
    ...opts,
    activity: activityOf(snapshot, policy, now),
    maxLength: Number.MAX_SAFE_INTEGER,
  });
  const files: [string, string][] = [
    ['plan.json', planJson(plan)],
    ['plan.csv', planCsv(plan)],
    ['inventory.csv', inventoryCsv(snapshot, now)],
    ['plan.md', md],
  ];
  for (const [name, body] of files) await writeFile(path.join(dir, name), body);
  return { dir, files: files.map(([n]) => path.join(dir, n)) };
}
