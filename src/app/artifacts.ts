// Writing a plan's artifacts to a directory: plan.json, plan.csv, inventory.csv, plan.md — or, for what an apply
// re-planned, the same files under their own names (apply-plan.json, …) beside the reviewed plan's, which stay as
// they were (see APPLY_FILES).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plan, Snapshot } from '../model.ts';
import { inventoryCsv, planCsv } from '../report/csv.ts';
import { planJson } from '../report/json.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { activityOf } from '../report/activity.ts';
import type { Policy } from '../policy/schema.ts';
import { DRIFT_FILE, driftCsv, driftMarkdown, type DriftOutcome } from '../report/drift.ts';

export interface WrittenArtifacts {
  dir: string;
  files: string[];
}

/** The file names of a plan run; an apply's re-plan writes them with the prefix `apply-`. */
export function planFileNames(prefix = ''): {
  json: string;
  csv: string;
  inventory: string;
  markdown: string;
} {
  return {
    json: `${prefix}plan.json`,
    csv: `${prefix}plan.csv`,
    inventory: `${prefix}inventory.csv`,
    markdown: `${prefix}plan.md`,
  };
}

/** What an apply writes: its re-plan and the audit, never over a reviewed plan.json in the same directory. */
export const APPLY_FILES = { ...planFileNames('apply-'), audit: 'audit.csv' } as const;

export async function writePlanArtifacts(
  dir: string,
  plan: Plan,
  snapshot: Snapshot,
  policy: Policy,
  now: Date,
  opts: { runUrl?: string; artifactName?: string; prefix?: string; drift?: DriftOutcome } = {},
): Promise<WrittenArtifacts> {
  await mkdir(dir, { recursive: true });
  const names = planFileNames(opts.prefix);
  const md = renderMarkdown(plan, {
    runUrl: opts.runUrl,
    artifactName: opts.artifactName,
    artifactFiles: [names.markdown, names.json],
    activity: activityOf(snapshot, policy, now),
    maxLength: Number.MAX_SAFE_INTEGER,
    ...(opts.drift ? { preface: driftMarkdown(opts.drift, Number.MAX_SAFE_INTEGER) } : {}),
  });
  const files: [string, string][] = [
    [names.json, planJson(plan)],
    [names.csv, planCsv(plan)],
    [names.inventory, inventoryCsv(snapshot, now, policy.instance.access_groups)],
    [names.markdown, md],
  ];
  // drift.csv only for a drift computed: an empty file would read as "no drift".
  if (opts.drift?.kind === 'computed') files.push([DRIFT_FILE, driftCsv(opts.drift.drift)]);
  for (const [name, body] of files) await writeFile(path.join(dir, name), body);
  return { dir, files: files.map(([n]) => path.join(dir, n)) };
}

/** The re-plan of an apply, under APPLY_FILES' names. */
export function writeApplyArtifacts(
  dir: string,
  plan: Plan,
  snapshot: Snapshot,
  policy: Policy,
  now: Date,
  opts: { runUrl?: string; artifactName?: string; drift?: DriftOutcome } = {},
): Promise<WrittenArtifacts> {
  return writePlanArtifacts(dir, plan, snapshot, policy, now, { ...opts, prefix: 'apply-' });
}
