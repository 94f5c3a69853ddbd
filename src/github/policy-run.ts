// One policy file in the Action: plan it (summary, sticky comment, what the pull request adds) or apply it
// (audit, summary). main.ts runs these for every policy file and sums their totals.
import * as core from '@actions/core';
import { APPLY_FILES, writeApplyArtifacts, writePlanArtifacts } from '../app/artifacts.ts';
import { readAndPlan } from '../app/plan-run.ts';
import { ApplyRefused, applyLive } from '../app/apply-run.ts';
import type { Plan, Snapshot } from '../model.ts';
import type { HistoryEntry, Refusal } from '../planner/index.ts';
import { driftSince } from '../app/drift-run.ts';
import { driftHeadline, driftMarkdown, type DriftOutcome } from '../report/drift.ts';
import { type InstanceReport, plannedReport } from '../report/instances.ts';
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
  /** What became of each instance (the combined summary of several). */
  instances?: InstanceReport[];
}

/** Per instance, besides the policy: the planner's memory, drift, and (several policies) the combined comment. */
export interface InstanceExtras {
  history?: readonly HistoryEntry[];
  /** The previous run's inventory of this instance, or why there is none. */
  since?: { file: string; label: string; appliedAfter: readonly HistoryEntry[] } | { unavailable: string };
  /** Several policies: the comment section of this instance is collected here, for one comment of all. */
  section?: (markdown: string, report: InstanceReport) => void;
  /** Several policies: the share of the one comment this instance's section may take. */
  sectionLength?: number;
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
  extras: InstanceExtras = {},
): Promise<number | null> {
  const history = extras.history ?? [];
  const { snapshot, plan } = await readAndPlan(resolved, conn, now, { refusals, history });
  count(plan, totals);
  const drift = await driftOf(extras.since, snapshot, resolved, history);
  await writePlanArtifacts(dir, plan, snapshot, resolved.policy, now, {
    runUrl: decision.runUrl,
    artifactName: settings.artifactName,
    ...(drift ? { drift } : {}),
  });
  if (drift) logInfo(`${resolved.path}: ${driftHeadline(drift)}`);
  const activity = activityOf(snapshot, resolved.policy, now);
  const delta = decision.pr
    ? await pullRequestDelta(resolved, snapshot, plan, conn, octokit, decision, now, base, refusals)
    : '';
  const preface = [delta, drift ? driftMarkdown(drift, 20) : ''].filter(Boolean).join('\n');
  const opts = { runUrl: decision.runUrl, artifactName: settings.artifactName, activity, preface };
  await writeSummary(renderMarkdown(plan, { ...opts, maxLength: 900 * 1024 }));
  const report = plannedReport(plan, drift);
  totals.instances?.push(report);
  if (!plan.applyable)
    totals.problems.push(
      `${resolved.path}: the plan exceeds a safety limit: ${plan.limits
        .filter((l) => l.exceeded)
        .map((l) => l.message)
        .join('; ')}`,
    );
  if (!decision.pr || !settings.comment) return null;
  if (extras.section) {
    extras.section(renderMarkdown(plan, { ...opts, maxLength: extras.sectionLength ?? 60_000 }), report);
    return null;
  }
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

/** Drift since the previous run's inventory, as found (or why it could not be computed). */
async function driftOf(
  since: InstanceExtras['since'],
  snapshot: Snapshot,
  resolved: ResolvedPolicy,
  history: readonly HistoryEntry[],
): Promise<DriftOutcome | undefined> {
  if (!since) return undefined;
  if ('unavailable' in since) return { kind: 'unavailable', reason: since.unavailable };
  return driftSince(since.file, snapshot, resolved.policy, history, since.appliedAfter, since.label);
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
  history: readonly HistoryEntry[] = [],
  since?: InstanceExtras['since'],
): Promise<void> {
  try {
    const reviewed =
      source.kind === 'enforce' ? reviewedPlanFor(source.plans, resolved.path, source.label) : undefined;
    const r = await applyLive(resolved, conn, {
      refusals,
      ...(history.length > 0 ? { history } : {}),
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
    // Drift since the last successful run, against what this apply read before applying.
    const drift = await driftOf(since, r.snapshot, resolved, history);
    totals.instances?.push({
      ...plannedReport(r.plan, drift),
      status: r.report.counts.failed > 0 || r.report.stopped ? 'failed' : 'applied',
      applied: r.report.counts.applied,
      failedChanges: r.report.counts.failed,
    });
    if ('none' in r.lease && r.lease.warning) core.warning(`${resolved.path}: no lease: ${r.lease.none}`);
    totals.applied += r.report.counts.applied;
    totals.failed += r.report.counts.failed;
    // What the apply re-planned goes beside the reviewed plan's files, under its own names (APPLY_FILES).
    await writeApplyArtifacts(dir, r.plan, r.snapshot, resolved.policy, now, {
      runUrl: decision.runUrl,
      artifactName: settings.artifactName,
      ...(drift ? { drift } : {}),
    });
    if (drift) logInfo(`${resolved.path}: ${driftHeadline(drift)}`);
    const artifactFiles = [APPLY_FILES.markdown, APPLY_FILES.json];
    await writeSummary(
      `${renderApplyMarkdown(r.report.results, r.report.stopped)}\n${renderMarkdown(r.plan, { runUrl: decision.runUrl, artifactName: settings.artifactName, artifactFiles, maxLength: 800 * 1024, ...(drift ? { preface: driftMarkdown(drift, 20) } : {}) })}`,
    );
    if (r.report.counts.failed > 0 || r.report.stopped)
      totals.problems.push(
        `${resolved.path}: ${plural(r.report.counts.failed, 'change')} failed${r.report.stopped ? `; ${r.report.stopped}` : ''}`,
      );
  } catch (e) {
    if (!(e instanceof ApplyRefused)) throw e;
    await writeSummary(`### Atlassian user policy: apply refused\n\n${escapeMarkdown(e.message)}\n`);
    totals.problems.push(`${resolved.path}: ${e.message}`);
    totals.instances?.push({ policy: resolved.path, status: 'refused', error: e.message });
  }
}

/** The groups a pull-request run reads: those of the head policy and of the base branch's version. */
export function groupsRead(head: ResolvedPolicy, base: BasePolicy | null): string[] {
  return [...groupsNamedBy(head), ...(base?.kind === 'found' ? groupsNamedBy(base.resolved) : [])];
}
