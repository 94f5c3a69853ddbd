// What the last runs on the default branch left, for the next: the newest artifact of a successful run (its
// inventory.csv files are the "before" of drift), and the history artifact `<artifact-name>-history` that every apply
// uploads (every audit so far, per policy: the planner's memory for the reactivation cooldown and welcome back).
// Only runs of the default branch of this repository count, never a fork's or a pull request's.
import { mkdir } from 'node:fs/promises';
import type { ArtifactClient } from '@actions/artifact';
import { DefaultArtifactClient } from '@actions/artifact';
import type { Octokit } from './comment.ts';

export const historyArtifactName = (artifactName: string): string => `${artifactName}-history`;

/** The history file of a policy inside the history artifact (and beside its audit.csv in out-dir). */
export const HISTORY_FILE = 'history.csv';

export interface PreviousQuery {
  octokit: Octokit;
  /** Token the artifact client downloads with; needs `actions: read`. */
  token: string;
  owner: string;
  repo: string;
  defaultBranch: string;
  artifactName: string;
  /** Empty directory the artifact is extracted into. */
  dir: string;
  /** Only an artifact of a run that concluded successfully (the last successful run's inventory). */
  successfulRun?: boolean;
  /** The reason given when there is no such artifact (default: names the artifact and the branch). */
  missing?: string;
  client?: Pick<ArtifactClient, 'downloadArtifact'>;
}

export type PreviousLookup =
  { found: true; artifact: { id: number; runId: number }; dir: string } | { found: false; reason: string };

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

const why = (what: string, e: unknown): string => {
  const status = (e as { status?: number }).status;
  const hint = status === 403 ? ' (the job needs the permission actions: read)' : '';
  return `${what}: ${status ? `${status} ` : ''}${(e as Error).message}${hint}`;
};

/** Downloads the newest usable artifact named `artifactName`; never throws for what GitHub answers. */
export async function previousArtifact(q: PreviousQuery): Promise<PreviousLookup> {
  let listed: ListedArtifact[];
  try {
    const res = await q.octokit.request('GET /repos/{owner}/{repo}/actions/artifacts', {
      owner: q.owner,
      repo: q.repo,
      name: q.artifactName,
      per_page: 50,
    });
    listed = (res.data as { artifacts: ListedArtifact[] }).artifacts;
  } catch (e) {
    return { found: false, reason: why(`listing the artifacts named ${q.artifactName}`, e) };
  }
  const usable = listed
    .filter(
      (a) =>
        a.name === q.artifactName &&
        !a.expired &&
        a.workflow_run?.id !== undefined &&
        a.workflow_run.head_branch === q.defaultBranch &&
        a.workflow_run.head_repository_id === a.workflow_run.repository_id,
    )
    .sort((a, b) => b.id - a.id);
  let artifact: ListedArtifact | undefined;
  for (const a of usable.slice(0, 10)) {
    if (!q.successfulRun) {
      artifact = a;
      break;
    }
    try {
      const run = await q.octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
        owner: q.owner,
        repo: q.repo,
        run_id: a.workflow_run!.id!,
      });
      if ((run.data as { conclusion?: string | null }).conclusion === 'success') {
        artifact = a;
        break;
      }
    } catch (e) {
      return { found: false, reason: why(`reading run ${a.workflow_run!.id}`, e) };
    }
  }
  if (!artifact)
    return {
      found: false,
      reason:
        q.missing ??
        `no unexpired artifact ${q.artifactName} of a ${q.successfulRun ? 'successful ' : ''}run on ${q.defaultBranch} (the first run?)`,
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
    return { found: true, artifact: { id: artifact.id, runId }, dir: q.dir };
  } catch (e) {
    return {
      found: false,
      reason: why(`downloading artifact ${q.artifactName} (id ${artifact.id}) of run ${runId}`, e),
    };
  }
}
