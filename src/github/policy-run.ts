// One policy file in the Action: plan it (summary, sticky comment, what the pull request adds) or apply it
// (audit, summary). main.ts runs these for every policy file and sums their totals.
import * as core from '@actions/core';
import { APPLY_FILES, writeApplyArtifacts, writePlanArtifacts } from '../app/artifacts.ts';
import { readAndPlan } from '../app/plan-run.ts';
import { ApplyRefused, applyLive } from '../app/apply-run.ts';
import type { Plan, Snapshot } from '../model.ts';
import type { Refusal } from '../planner/index.ts';
import type { Connection } from '../platforms/registry.ts';
import type { ResolvedPolicy } from '../policy/resolved.ts';
import { activityOf } from '../report/activity.ts';
import { renderApplyMarkdown } from '../report/apply-markdown.ts';
import { escapeMarkdown } from '../report/escape.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { renderPrDiff } from '../report/pr-diff.ts';
import { type BasePolicy, compareWithBase } from './base-policy.ts';
import { groupsNamedBy } from '../platforms/registry.ts';
import { commentMarker, type Octokit, upsertComment } from './comment.ts';
import type { RunDecision } from './event.ts';
import type { Settings } from './inputs.ts';
import type { ReviewedSource } from './pr-plan.ts';
import { reviewedPlanFor } from './reviewed.ts';
import { writeSummary } from './summary.ts';
import { plural } from '../plural.ts';
import { logInfo } from './log.ts';

export interface Totals {
  changes: number;
  destructive: number;
  applied: number;
  failed: number;
  problems: string[];
}

export function count(plan: Plan, totals: Totals): void {
  totals.changes += plan.summary.total;
  totals.destructive += plan.summary.destructive;
}

export async function planOne(
  resolved: ResolvedPolicy,
  conn: Connection,
  octokit: Octokit | null,
  settings: Settings,
  decision: RunDecision,
  now: Date,
  dir: string,
  totals: Totals,
  base: BasePolicy | null = null,
  refusals: readonly Refusal[] = [],
): Promise<number | null> {
  const { snapshot, plan } = await readAndPlan(resolved, conn, now, { refusals });
  count(plan, totals);
  await writePlanArtifacts(dir, plan, snapshot, resolved.policy, now, {
    runUrl: decision.runUrl,
    artifactName: settings.artifactName,
  });
  const activity = activityOf(snapshot, resolved.policy, now);
  const preface = decision.pr
    ? await pullRequestDelta(resolved, snapshot, plan, conn, octokit, decision, now, base, refusals)
    : '';
  const opts = { runUrl: decision.runUrl, artifactName: settings.artifactName, activity, preface };
  await writeSummary(renderMarkdown(plan, { ...opts, maxLength: 900 * 1024 }));
  if (!plan.applyable)
    totals.problems.push(
      `${resolved.path}: the plan exceeds a safety limit: ${plan.limits
        .filter((l) => l.exceeded)
        .map((l) => l.message)
        .join('; ')}`,
    );
  if (!decision.pr || !settings.comment) return null;
  if (!octokit) {
    core.warning('no github-token: the plan is in the job summary only');
    return null;
  }
  const marker = commentMarker(...[settings.commentKey, resolved.path].filter(Boolean));
  const result = await upsertComment(octokit, {
    owner: decision.repo.owner,
    repo: decision.repo.repo,
    issueNumber: decision.pr.number,
    marker,
    body: renderMarkdown(plan, opts),
  });
  logInfo(`comment ${result.action}${result.id ? ` (${result.id})` : ''}`);
  return result.id;
}

/** What this pull request's edit of the policy adds to the plan ('' when it does not edit this file). */
async function pullRequestDelta(
  resolved: ResolvedPolicy,
  snapshot: Snapshot,
  plan: Plan,
  conn: Connection,
  octokit: Octokit | null,
  decision: RunDecision,
  now: Date,
  found: BasePolicy | null,
  refusals: readonly Refusal[],
): Promise<string> {
  const pr = decision.pr;
  if (!pr) return '';
  const base = await compareWithBase({
    octokit,
    base: { ...decision.repo, sha: pr.baseSha },
    head: resolved,
    snapshot,
    plan,
    now,
    capabilities: conn.adapter.capabilities,
    refusals,
    ...(found ? { found, readGroups: groupsRead(resolved, found) } : {}),
  });
  if (base === null) return '';
  if (base.kind === 'unavailable') core.warning(`comparing with the base branch's policy: ${base.reason}`);
  const baseName = `${pr.baseRef || 'base'} (${pr.baseSha.slice(0, 7) || 'unknown commit'})`;
  return renderPrDiff(plan, base, { baseName });
}

export async function applyOne(
  resolved: ResolvedPolicy,
  conn: Connection,
  settings: Settings,
  decision: RunDecision,
  runId: string,
  now: Date,
  dir: string,
  totals: Totals,
  source: ReviewedSource,
  refusals: readonly Refusal[] = [],
): Promise<void> {
  try {
    const reviewed =
      source.kind === 'enforce' ? reviewedPlanFor(source.plans, resolved.path, source.label) : undefined;
    const r = await applyLive(resolved, conn, {
      refusals,
      now,
      clock: () => new Date(),
      outDir: dir,
      // Beside out-dir, not in it: the artifact keeps its documented files; a self-hosted runner with a fixed
      // out-dir finds it again after a killed job.
      journalFile: `${dir.replace(/[\\/]+$/, '')}.journal.jsonl`,
      reviewed,
      context: {
        runId,
        trigger: decision.trigger ?? 'manual',
        actor: decision.actor,
        commit: decision.sha || null,
        runUrl: decision.runUrl || null,
      },
    });
    count(r.plan, totals);
    if ('none' in r.lease && r.lease.warning) core.warning(`${resolved.path}: no lease: ${r.lease.none}`);
    totals.applied += r.report.counts.applied;
    totals.failed += r.report.counts.failed;
    // What the apply re-planned goes beside the reviewed plan's files, under its own names (APPLY_FILES).
    await writeApplyArtifacts(dir, r.plan, r.snapshot, resolved.policy, now, {
      runUrl: decision.runUrl,
      artifactName: settings.artifactName,
    });
    const artifactFiles = [APPLY_FILES.markdown, APPLY_FILES.json];
    await writeSummary(
      `${renderApplyMarkdown(r.report.results, r.report.stopped)}\n${renderMarkdown(r.plan, { runUrl: decision.runUrl, artifactName: settings.artifactName, artifactFiles, maxLength: 800 * 1024 })}`,
    );
    if (r.report.counts.failed > 0 || r.report.stopped)
      totals.problems.push(
        `${resolved.path}: ${plural(r.report.counts.failed, 'change')} failed${r.report.stopped ? `; ${r.report.stopped}` : ''}`,
      );
  } catch (e) {
    if (!(e instanceof ApplyRefused)) throw e;
    await writeSummary(`### Atlassian user policy: apply refused\n\n${escapeMarkdown(e.message)}\n`);
    totals.problems.push(`${resolved.path}: ${e.message}`);
  }
}

/** The groups a pull-request run reads: those of the head policy and of the base branch's version. */
export function groupsRead(head: ResolvedPolicy, base: BasePolicy | null): string[] {
  return [...groupsNamedBy(head), ...(base?.kind === 'found' ? groupsNamedBy(base.resolved) : [])];
}
