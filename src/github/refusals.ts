// The refusals of the last apply, carried to every later plan and apply of the repository: each apply uploads
// its refused.csv files as the artifact `<artifact-name>-refusals`; plans (pull requests, drift checks) and
// applies find the newest one made on the default branch of this repository (never one of a fork or of a
// pull request, whose runs could otherwise hide changes), download it and plan those changes as skipped.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactClient } from '@actions/artifact';
import { DefaultArtifactClient } from '@actions/artifact';
import { parseRefusalsCsv, REFUSALS_FILE } from '../app/refusals.ts';
import type { Refusal } from '../planner/index.ts';
import type { Octokit } from './comment.ts';

export const refusalsArtifactName = (artifactName: string): string => `${artifactName}-refusals`;

export interface RefusalsQuery {
  octokit: Octokit;
  /** Token the artifact client downloads with; needs `actions: read`. */
  token: string;
  owner: string;
  repo: string;
  /** Only artifacts of runs on this branch (the repository's default branch) count. */
  defaultBranch: string;
  artifactName: string;
  /** Empty directory the artifact is extracted into. */
  dir: string;
  client?: Pick<ArtifactClient, 'downloadArtifact'>;
}

export type RefusalsLookup =
  | { found: true; artifact: { id: number; runId: number }; refusals: Refusal[] }
  | { found: false; reason: string };

interface ListedArtifact {
  id: number;
  name: string;
  expired: boolean;
  digest?: string | null;
  workflow_run?: {
    id?: number;
    repository_id?: number;
    head_repository_id?: number;
    head_branch?: string | null;
  } | null;
}

/**
 * The refusals of the newest apply on the default branch. Never throws for what GitHub answers: a missing
 * permission or artifact is `found: false` with the reason (the plan then shows those changes as changes).
 */
export async function lastRefusals(q: RefusalsQuery): Promise<RefusalsLookup> {
  const name = refusalsArtifactName(q.artifactName);
  let listed: ListedArtifact[];
  try {
    const res = await q.octokit.request('GET /repos/{owner}/{repo}/actions/artifacts', {
      owner: q.owner,
      repo: q.repo,
      name,
      per_page: 50,
    });
    listed = (res.data as { artifacts: ListedArtifact[] }).artifacts;
  } catch (e) {
    const status = (e as { status?: number }).status;
    const hint = status === 403 ? ' (the job needs the permission actions: read)' : '';
    return {
      found: false,
      reason: `listing the artifacts named ${name}: ${status ?? ''} ${(e as Error).message}${hint}`.replace(
        /: {2}/,
        ': ',
      ),
    };
  }
  const usable = listed.filter(
    (a) =>
      a.name === name &&
      !a.expired &&
      a.workflow_run?.id !== undefined &&
      a.workflow_run.head_branch === q.defaultBranch &&
      a.workflow_run.head_repository_id === a.workflow_run.repository_id,
  );
  const artifact = usable.sort((a, b) => b.id - a.id)[0];
  if (!artifact)
    return {
      found: false,
      reason: `no unexpired artifact ${name} of an apply on ${q.defaultBranch} (no apply yet?)`,
    };
  const runId = artifact.workflow_run!.id!;
  try {
    await mkdir(q.dir, { recursive: true });
    const client = q.client ?? new DefaultArtifactClient();
    await client.downloadArtifact(artifact.id, {
      path: q.dir,
      ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
      findBy: { token: q.token, repositoryOwner: q.owner, repositoryName: q.repo, workflowRunId: runId },
    });
    const refusals: Refusal[] = [];
    for (const e of await readdir(q.dir, { withFileTypes: true, recursive: true })) {
      if (!e.isFile() || e.name !== REFUSALS_FILE) continue;
      const file = path.join(e.parentPath, e.name);
      for (const item of parseRefusalsCsv(await readFile(file, 'utf8'), file)) refusals.push(item);
    }
    return { found: true, artifact: { id: artifact.id, runId }, refusals };
  } catch (e) {
    return {
      found: false,
      reason: `downloading artifact ${name} (id ${artifact.id}) of run ${runId}: ${(e as Error).message}`,
    };
  }
}

/** The carried refusals that concern one policy file (each apply records the policy it applied). */
export function refusalsFor(refusals: readonly Refusal[], policyPath: string): Refusal[] {
  return refusals.filter((r) => !r.policy || r.policy === policyPath);
}
