// The refusals of the last apply, carried to every later plan and apply of the repository: each apply uploads
// its refused.csv files as the artifact `<artifact-name>-refusals`; plans (pull requests, drift checks) and
// applies find the newest one made on the default branch of this repository (never one of a fork or of a
// pull request, whose runs could otherwise hide changes), download it and plan those changes as skipped.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseRefusalsCsv, REFUSALS_FILE } from '../app/refusals.ts';
import type { Refusal } from '../planner/index.ts';
import { previousArtifact, type PreviousQuery } from './previous-run.ts';

export const refusalsArtifactName = (artifactName: string): string => `${artifactName}-refusals`;

/** Where to look: the artifact named `<artifactName>-refusals` of the newest apply on the default branch. */
export type RefusalsQuery = Omit<PreviousQuery, 'successfulRun' | 'missing'>;

export type RefusalsLookup =
  | { found: true; artifact: { id: number; runId: number }; refusals: Refusal[] }
  | { found: false; reason: string };

/**
 * The refusals of the newest apply on the default branch. Never throws for what GitHub answers: a missing
 * permission or artifact is `found: false` with the reason (the plan then shows those changes as changes).
 */
export async function lastRefusals(q: RefusalsQuery): Promise<RefusalsLookup> {
  const name = refusalsArtifactName(q.artifactName);
  const lookup = await previousArtifact({
    ...q,
    artifactName: name,
    missing: `no unexpired artifact ${name} of an apply on ${q.defaultBranch} (no apply yet?)`,
  });
  if (!lookup.found) return lookup;
  const { id, runId } = lookup.artifact;
  try {
    const refusals: Refusal[] = [];
    for (const e of await readdir(lookup.dir, { withFileTypes: true, recursive: true })) {
      if (!e.isFile() || e.name !== REFUSALS_FILE) continue;
      const file = path.join(e.parentPath, e.name);
      for (const item of parseRefusalsCsv(await readFile(file, 'utf8'), file)) refusals.push(item);
    }
    return { found: true, artifact: lookup.artifact, refusals };
  } catch (e) {
    return {
      found: false,
      reason: `reading artifact ${name} (id ${id}) of run ${runId}: ${(e as Error).message}`,
    };
  }
}

/** The carried refusals that concern one policy file (each apply records the policy it applied). */
export function refusalsFor(refusals: readonly Refusal[], policyPath: string): Refusal[] {
  return refusals.filter((r) => !r.policy || r.policy === policyPath);
}
