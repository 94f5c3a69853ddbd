// "The pull request's last plan": on a push to the default branch, the plan reviewers saw is the plan
// artifact of the last successful run of this workflow for the head of the pull request the pushed commit
// merged. Found here through the REST API and downloaded with the real @actions/artifact client (the public
// artifact zip endpoint, which redirects to a signed blob URL), then read as plan-artifact is read.
// Every GitHub call of the lookup lives in this module.
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { DefaultArtifactClient } from '@actions/artifact';
import type { ArtifactClient } from '@actions/artifact';
import type { Plan } from '../model.ts';
import { escapeMarkdown } from '../report/escape.ts';
import type { Octokit } from './comment.ts';
import type { RunDecision } from './event.ts';
import type { Settings } from './inputs.ts';
import { readReviewedPlans } from './reviewed.ts';
import { writeSummary } from './summary.ts';
import { plural } from '../plural.ts';
import { logInfo } from './log.ts';

/** What an apply is held to. */
export type ReviewedSource =
  /** Enforce these plans (stale-plan guard); `label` names where they came from. */
  | { kind: 'enforce'; plans: Plan[]; label: string; found?: PullRequestPlan }
  /** Not a merge (schedule, dispatch): the live plan, bounded by the limits. */
  | { kind: 'none' }
  /** A merge without a reviewed plan, allowed because require-reviewed-plan is off. */
  | { kind: 'unreviewed'; reason: string }
  /** A merge without a reviewed plan while require-reviewed-plan is on: nothing may be applied. */
  | { kind: 'refused'; reason: string };

export interface ApplySourceOptions {
  octokit: Octokit | null;
  /** GITHUB_RUN_ID of this run. */
  runId: string;
  /** Where the pull request's artifact is extracted; default a fresh directory under `tempRoot`. */
  dir?: string;
  /** Parent of that fresh directory (RUNNER_TEMP); default the system's temporary directory. */
  tempRoot?: string;
  client?: PullRequestPlanQuery['client'];
}

/**
 * The reviewed plans an apply is held to: `plan-artifact` when given; on a merge, the pull request's last
 * plan, or (none found) `unreviewed` or `refused` as require-reviewed-plan says; otherwise none.
 */
export async function reviewedPlansForApply(
  settings: Pick<Settings, 'planArtifact' | 'requireReviewedPlan' | 'artifactName' | 'githubToken'>,
  decision: Pick<RunDecision, 'trigger' | 'repo' | 'sha'>,
  opts: ApplySourceOptions,
): Promise<ReviewedSource> {
  if (settings.planArtifact)
    return {
      kind: 'enforce',
      plans: await readReviewedPlans(settings.planArtifact),
      label: 'plan-artifact',
    };
  if (decision.trigger !== 'merge') return { kind: 'none' };
  const lookup =
    opts.octokit && settings.githubToken
      ? await findPullRequestPlan({
          octokit: opts.octokit,
          token: settings.githubToken,
          ...decision.repo,
          sha: decision.sha,
          runId: opts.runId,
          artifactName: settings.artifactName,
          dir: opts.dir ?? (await mkdtemp(path.join(opts.tempRoot ?? tmpdir(), 'aup-reviewed-'))),
          client: opts.client,
        })
      : { found: false as const, reason: 'no github-token to look the pull request up with' };
  if (lookup.found) {
    const { found: _, ...plan } = lookup;
    return {
      kind: 'enforce',
      plans: plan.plans,
      label: `the plan of pull request #${plan.pr.number}`,
      found: plan,
    };
  }
  return settings.requireReviewedPlan
    ? { kind: 'refused', reason: lookup.reason }
    : { kind: 'unreviewed', reason: lookup.reason };
}

/** Says in the log and the job summary what the apply is held to. */
export async function reportReviewedSource(source: ReviewedSource): Promise<void> {
  if (source.kind === 'enforce' && source.found) {
    const { pr, run, artifact } = source.found;
    logInfo(
      `enforcing the plan reviewed in pull request #${pr.number} (${pr.url}): artifact ${artifact.name} ` +
        `(id ${artifact.id}) of run ${run.id} (${run.url}), ${plural(source.plans.length, 'policy file')}`,
    );
    await writeSummary(
      `### Atlassian user policy: reviewed plan\n\nThe apply is held to the plan reviewed in pull request ` +
        `[#${pr.number}](${pr.url}): artifact ${escapeMarkdown(artifact.name)} (id ${artifact.id}) of run ` +
        `[${run.id}](${run.url}). It stops before the first change if the live instance needs anything that plan does not hold.\n`,
    );
  } else if (source.kind === 'enforce') {
    logInfo(
      `enforcing the reviewed ${source.plans.length === 1 ? 'plan' : 'plans'} of ${source.label} (${plural(source.plans.length, 'policy file')})`,
    );
  } else if (source.kind === 'unreviewed') {
    const text =
      `no reviewed plan was found for this merge: ${source.reason}. The live plan is applied, bounded by the limits; ` +
      'set require-reviewed-plan: true to refuse instead';
    core.warning(text);
    await writeSummary(
      `> [!WARNING]\n> No reviewed plan was found for this merge: ${escapeMarkdown(source.reason)}. ` +
        'The live plan is applied, bounded by the limits (`require-reviewed-plan` is off).\n',
    );
  } else if (source.kind === 'refused') {
    await writeSummary(
      `### Atlassian user policy: apply refused\n\n${escapeMarkdown(refusal(source.reason))}\n`,
    );
  }
}

/** Why a merge without a reviewed plan is not applied (require-reviewed-plan). */
export function refusal(reason: string): string {
  return `refusing to apply: require-reviewed-plan is set and no reviewed plan was found for this merge: ${reason}. Nothing was changed.`;
}

export interface PullRequestPlanQuery {
  octokit: Octokit;
  /** Token the artifact client downloads with; needs `actions: read`. */
  token: string;
  owner: string;
  repo: string;
  /** The pushed commit (GITHUB_SHA). */
  sha: string;
  /** This run (GITHUB_RUN_ID): the pull request's runs are searched among the runs of its workflow. */
  runId: string;
  /** The artifact the plan job uploads (`artifact-name`). */
  artifactName: string;
  /** Empty directory the artifact is extracted into (created when missing); not the out-dir. */
  dir: string;
  /** For tests; default a new DefaultArtifactClient. */
  client?: Pick<ArtifactClient, 'downloadArtifact'>;
}

export interface PullRequestPlan {
  pr: { number: number; url: string; headSha: string };
  run: { id: number; number: number; url: string };
  artifact: { id: number; name: string };
  /** One plan per policy file the pull request's run planned. */
  plans: Plan[];
}

export type PullRequestPlanLookup = ({ found: true } & PullRequestPlan) | { found: false; reason: string };

/** A step of the lookup that found nothing usable; its message says which step and why. */
class NotFound extends Error {}

/**
 * Finds the reviewed plans of the pull request `sha` belongs to. Never throws for what GitHub answers
 * (no pull request, no run, no artifact, 403 without `actions: read`, a failed download): it returns
 * `found: false` with the reason, for the caller to warn or refuse.
 */
export async function findPullRequestPlan(q: PullRequestPlanQuery): Promise<PullRequestPlanLookup> {
  try {
    return { found: true, ...(await lookup(q)) };
  } catch (e) {
    if (e instanceof NotFound) return { found: false, reason: e.message };
    throw e;
  }
}

async function lookup(q: PullRequestPlanQuery): Promise<PullRequestPlan> {
  const { octokit, owner, repo } = q;
  const commit = q.sha.slice(0, 7);
  if (!/^[0-9a-f]{40}$/i.test(q.sha)) throw new NotFound('the event names no pushed commit');
  if (!/^\d+$/.test(q.runId)) throw new NotFound('GITHUB_RUN_ID is not set: not a workflow run');

  const prs = await call(`listing the pull requests of commit ${commit}`, () =>
    octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: q.sha,
      per_page: 100,
    }),
  );
  const merged = prs.filter((p) => p.merged_at && p.merge_commit_sha?.toLowerCase() === q.sha.toLowerCase());
  const candidates = merged.length > 0 ? merged : prs;
  if (candidates.length !== 1) {
    throw new NotFound(
      prs.length === 0
        ? `commit ${commit} belongs to no pull request (pushed directly?)`
        : `commit ${commit} belongs to ${prs.length} pull requests (${prs.map((p) => `#${p.number}`).join(', ')}) and none was merged as it`,
    );
  }
  const found = candidates[0]!;
  const pr = { number: found.number, url: found.html_url, headSha: found.head.sha };
  const ofPr = `pull request #${pr.number}`;

  const thisRun = await call(`reading this workflow run ${q.runId}`, () =>
    octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: Number(q.runId) }),
  );
  const runs = await call(
    `listing the runs of this workflow for ${ofPr} (head ${pr.headSha.slice(0, 7)})`,
    () =>
      octokit.rest.actions.listWorkflowRuns({
        owner,
        repo,
        workflow_id: thisRun.workflow_id,
        head_sha: pr.headSha,
        event: 'pull_request',
        status: 'success',
        per_page: 100,
      }),
  );
  const [last] = runs.workflow_runs
    .filter((r) => r.head_sha === pr.headSha && r.event === 'pull_request' && r.conclusion === 'success')
    .sort((a, b) => b.run_number - a.run_number || b.id - a.id);
  if (!last)
    throw new NotFound(
      `no successful run of this workflow for the head ${pr.headSha.slice(0, 7)} of ${ofPr} (its plan failed, was cancelled, or never ran)`,
    );
  const run = { id: last.id, number: last.run_number, url: last.html_url };

  const listed = await call(`listing the artifacts of run ${run.id}`, () =>
    octokit.rest.actions.listWorkflowRunArtifacts({
      owner,
      repo,
      run_id: run.id,
      name: q.artifactName,
      per_page: 100,
    }),
  );
  const [artifact] = listed.artifacts.filter((a) => a.name === q.artifactName).sort((a, b) => b.id - a.id);
  if (!artifact) throw new NotFound(`run ${run.id} of ${ofPr} has no artifact named ${q.artifactName}`);
  if (artifact.expired)
    throw new NotFound(
      `artifact ${q.artifactName} of run ${run.id} (${ofPr}) expired${artifact.expires_at ? ` on ${artifact.expires_at}` : ''}`,
    );

  await mkdir(q.dir, { recursive: true });
  const client = q.client ?? new DefaultArtifactClient();
  const what = `downloading artifact ${q.artifactName} (id ${artifact.id}) of run ${run.id}`;
  const downloaded = await call(what, () =>
    client
      .downloadArtifact(artifact.id, {
        path: q.dir,
        ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
        findBy: { token: q.token, repositoryOwner: owner, repositoryName: repo, workflowRunId: run.id },
      })
      .then((data) => ({ data })),
  );
  if (downloaded.digestMismatch)
    throw new NotFound(`${what}: the bytes do not match the artifact's digest ${artifact.digest ?? ''}`);
  const plans = await readReviewedPlans(q.dir).catch((e: Error) => {
    throw new NotFound(`reading artifact ${q.artifactName} of run ${run.id}: ${e.message}`);
  });
  return { pr, run, artifact: { id: artifact.id, name: artifact.name }, plans };
}

/** One REST call of the lookup: its data, or NotFound naming the step and GitHub's answer. */
async function call<T>(what: string, request: () => Promise<{ data: T }>): Promise<T> {
  try {
    return (await request()).data;
  } catch (e) {
    const status = (e as { status?: unknown }).status;
    const hint =
      status === 403 ? ' (the job needs the permissions actions: read and pull-requests: read)' : '';
    throw new NotFound(
      `${what}: ${typeof status === 'number' ? `${status} ` : ''}${(e as Error).message}${hint}`,
    );
  }
}
