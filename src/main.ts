// The Action: inputs → engine → comment, summary, artifacts, outputs. A thin shell over the engine.
import { mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { annotate } from './github/annotations.ts';
import { uploadArtifact } from './github/artifacts.ts';
import { decideRun, readEvent, type RunDecision } from './github/event.ts';
import { readSettings, type Settings } from './github/inputs.ts';
import { lastRefusals, refusalsArtifactName } from './github/refusals.ts';
import { REFUSALS_FILE } from './app/refusals.ts';
import type { Refusal } from './planner/index.ts';
import type { Totals } from './github/policy-run.ts';
import { refusal, reportReviewedSource, reviewedPlansForApply } from './github/pr-plan.ts';
import { setOutputs } from './github/outputs.ts';
import { writeSummary } from './github/summary.ts';
import {
  credentialNamesOf,
  credentialsFromAction,
  credentialsFromNames,
  secretsOf,
} from './platforms/credentials.ts';
import { connect, hasCredentials } from './platforms/registry.ts';
import { type Diagnostic, formatDiagnostic } from './policy/diagnostics.ts';
import { loadPolicyFile } from './policy/load.ts';
import type { ResolvedPolicy } from './policy/resolved.ts';
import { clipLines, escapeMarkdown } from './report/escape.ts';
import { plural } from './plural.ts';
import { runSummaryLine } from './github/summary-line.ts';
import { revertOne, revertSources, sourceFor } from './github/revert.ts';
import { readReviewedPlans } from './github/reviewed.ts';
import { groupsToRead } from './app/revert-run.ts';
import { logInfo } from './github/log.ts';
import { runInstances } from './github/instances.ts';
import { HISTORY_FILE, historyArtifactName, previousArtifact } from './github/previous-run.ts';

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    await runAction(env);
  } catch (e) {
    core.setFailed(clipLines(e instanceof Error ? e.message : String(e)));
  }
}

async function runAction(env: NodeJS.ProcessEnv): Promise<void> {
  const settings = await readSettings(env);
  const event = readEvent(env);
  const decision = decideRun(event, settings.mode);
  logInfo(decision.reason);
  for (const [file, by] of settings.fragmentFiles)
    logInfo(`${file}: a fragment, planned with ${by.join(', ')}`);
  await mkdir(settings.outDir, { recursive: true });
  setOutputs({ outDir: settings.outDir });
  const now = settings.now ?? new Date();

  // 1. Validate every policy offline first: errors are annotations at file:line:col.
  const loaded: ResolvedPolicy[] = [];
  const diagnostics = [];
  for (const file of settings.policyFiles) {
    const r = await loadPolicyFile(file, { baseDir: settings.workspace });
    for (const item of r.diagnostics) diagnostics.push(item);
    if (r.resolved) loaded.push(r.resolved);
  }
  annotate(diagnostics, { workspace: settings.workspace });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    await writeSummary(policyErrorSummary('invalid policy', errors));
    core.setFailed(`${plural(errors.length, 'policy error')}; see the annotations`);
    return;
  }

  // Read once, through the platform drivers' declarations: inputs first, then the environment.
  const credentials = credentialsFromAction(env);
  for (const secret of secretsOf(credentials)) core.setSecret(secret);
  const anyCredentials = loaded.some((r) => {
    const names = credentialNamesOf(r.policy.instance.credentials, r.path);
    return hasCredentials(names ? credentialsFromNames(names, env) : credentials, r.policy.instance.platform);
  });
  if (decision.mode === 'validate' || (decision.pr?.isFork && !anyCredentials)) {
    const why = decision.pr?.isFork
      ? 'This pull request comes from a fork: it gets no secrets, so the policy was validated offline and no plan was made.'
      : decision.reason;
    core.notice(why);
    await writeSummary(
      `### Atlassian user policy\n\n✅ ${plural(loaded.length, 'policy file')} valid.\n\n> [!NOTE]\n> ${why}\n`,
    );
    setOutputs({
      hasChanges: false,
      changesCount: 0,
      appliedCount: 0,
      failedCount: 0,
      summary: 'validated only',
    });
    return;
  }

  const totals: Totals = { changes: 0, destructive: 0, applied: 0, failed: 0, problems: [] };
  const commentIds: number[] = [];
  const octokit = settings.githubToken ? getOctokit(settings.githubToken) : null;
  const tempRoot = env.RUNNER_TEMP && !within(settings.outDir, env.RUNNER_TEMP) ? env.RUNNER_TEMP : undefined;
  // Undo: the audits of the run to revert (mode revert applies their inverse; mode plan plans it for review).
  const reverting = settings.revert
    ? await revertSources(settings.revert, {
        octokit,
        token: settings.githubToken,
        repo: decision.repo,
        artifactName: settings.artifactName,
        tempRoot,
      })
    : null;
  if (decision.mode === 'revert') {
    const revertReviewed = settings.planArtifact ? await readReviewedPlans(settings.planArtifact) : null;
    for (const resolved of loaded) {
      const dir = loaded.length > 1 ? path.join(settings.outDir, slug(resolved.path)) : settings.outDir;
      const source = sourceFor(reverting!, loaded.length > 1 ? slug(resolved.path) : null);
      const conn = await connectFor(resolved, settings, credentials, true, groupsToRead(source));
      try {
        await revertOne(
          resolved,
          conn,
          source,
          revertReviewed,
          settings,
          decision,
          event.runId,
          now,
          dir,
          totals,
        );
      } finally {
        await conn.close();
      }
    }
    await finish(settings, env, totals, loaded.length, true, commentIds);
    return;
  }
  // What an apply is held to: plan-artifact, or on a merge the pull request's last plan (stale-plan guard).
  const source =
    decision.mode === 'apply'
      ? await reviewedPlansForApply(settings, decision, {
          octokit,
          runId: event.runId,
          // Not inside out-dir, which is uploaded whole.
          tempRoot,
        })
      : ({ kind: 'none' } as const);
  await reportReviewedSource(source);
  if (source.kind === 'refused') {
    setOutputs({
      hasChanges: false,
      changesCount: 0,
      appliedCount: 0,
      failedCount: 0,
      summary: 'apply refused: no reviewed plan',
    });
    core.setFailed(refusal(source.reason));
    return;
  }
  // What the instance refused as read-only in the last apply on the default branch (refused.csv).
  const carried = await carriedRefusals(settings, decision, octokit, env);
  const lookupDir = (what: string) => mkdtemp(path.join(tempRoot ?? tmpdir(), `aup-${what}-`));
  const canLook = octokit && settings.githubToken && decision.defaultBranch;
  const lookup = async (name: string, successfulRun: boolean) =>
    canLook
      ? previousArtifact({
          octokit,
          token: settings.githubToken!,
          ...decision.repo,
          defaultBranch: decision.defaultBranch!,
          artifactName: name,
          successfulRun,
          dir: await lookupDir(successfulRun ? 'last-run' : 'history'),
        })
      : null;
  // Drift compares with the last successful run's inventory; the history of every apply is the planner's memory.
  const lastRun = !reverting ? await lookup(settings.artifactName, true) : null;
  if (lastRun?.found)
    logInfo(
      `drift since run ${lastRun.artifact.runId} (artifact ${lastRun.artifact.id}): its inventory is the "before"`,
    );
  const history = await lookup(historyArtifactName(settings.artifactName), false);
  const historyDir = await lookupDir('history-out');
  await runInstances({
    loaded,
    settings,
    decision,
    runId: event.runId,
    now,
    octokit,
    credentials,
    env,
    source,
    carried,
    reverting,
    lastRun,
    history,
    historyDir,
    totals,
    commentIds,
  });

  if (decision.mode === 'apply') {
    await uploadRefusals(settings, env);
    await uploadHistory(settings, env, historyDir);
  }
  await finish(settings, env, totals, loaded.length, decision.mode === 'apply', commentIds);
}

/** Uploads the run's files and sets the outputs and the step's result. */
async function finish(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  totals: Totals,
  policies: number,
  applied: boolean,
  commentIds: number[],
): Promise<void> {
  const files = await listFiles(settings.outDir);
  const uploaded = files.length
    ? await uploadArtifact({
        name: settings.artifactName,
        files,
        rootDir: settings.outDir,
        retentionDays: settings.retentionDays ?? undefined,
        env,
      })
    : { id: null };
  const summary = runSummaryLine(totals, policies, applied);
  setOutputs({
    hasChanges: totals.changes > 0,
    changesCount: totals.changes,
    appliedCount: totals.applied,
    failedCount: totals.failed,
    commentIds,
    artifactId: uploaded.id ?? null,
    summary,
  });
  logInfo(summary);
  if (totals.problems.length > 0) core.setFailed(clipLines(totals.problems.join('\n')));
  else if (settings.failOnChanges && !applied && totals.changes > 0)
    core.setFailed(`the plan has ${plural(totals.changes, 'change')} and fail-on-changes is set`);
}

/** Connects to the instance of one policy: read-only unless it writes. */
async function connectFor(
  resolved: ResolvedPolicy,
  settings: Settings,
  credentials: ReturnType<typeof credentialsFromAction>,
  write: boolean,
  extraGroups: string[],
) {
  const url = settings.atlassian.url ?? resolved.policy.instance.url;
  if (!url) throw new Error(`${resolved.path}: instance.url is not set and no atlassian-url input was given`);
  if (!hasCredentials(credentials, resolved.policy.instance.platform))
    throw new Error(
      `${resolved.path}: no Atlassian credentials: set atlassian-token (or atlassian-username and atlassian-password) from a secret`,
    );
  return connect(resolved, {
    url,
    credentials,
    readOnly: !write,
    clock: () => new Date(),
    log: (m) => logInfo(m),
    extraGroups,
  });
}

/** The last apply's refusals (none, with a warning saying why, when they cannot be read). */
async function carriedRefusals(
  settings: Settings,
  decision: RunDecision,
  octokit: ReturnType<typeof getOctokit> | null,
  env: NodeJS.ProcessEnv,
): Promise<Refusal[]> {
  if (!octokit || !settings.githubToken || !decision.defaultBranch) return [];
  const lookup = await lastRefusals({
    octokit,
    token: settings.githubToken,
    ...decision.repo,
    defaultBranch: decision.defaultBranch,
    artifactName: settings.artifactName,
    dir: await mkdtemp(
      path.join(
        env.RUNNER_TEMP && !within(settings.outDir, env.RUNNER_TEMP) ? env.RUNNER_TEMP : tmpdir(),
        'aup-refusals-',
      ),
    ),
  });
  if (!lookup.found) {
    logInfo(`no refusals carried from an earlier apply: ${lookup.reason}`);
    return [];
  }
  logInfo(
    `carrying ${plural(lookup.refusals.length, 'refusal')} of the apply in run ${lookup.artifact.runId} (artifact ${lookup.artifact.id}): changes the instance refused as read-only are planned as skipped`,
  );
  return lookup.refusals;
}

/** Uploads every refused.csv of this apply as the artifact later plans carry (also when empty). */
async function uploadRefusals(settings: Settings, env: NodeJS.ProcessEnv): Promise<void> {
  const files = (await listFiles(settings.outDir)).filter((f) => path.basename(f) === REFUSALS_FILE);
  if (files.length === 0) return;
  await uploadArtifact({
    name: refusalsArtifactName(settings.artifactName),
    files,
    rootDir: settings.outDir,
    retentionDays: settings.retentionDays ?? undefined,
    env,
  });
}

/** Uploads the history of every policy applied (its earlier history and this audit) as `<artifact-name>-history`. */
async function uploadHistory(settings: Settings, env: NodeJS.ProcessEnv, dir: string): Promise<void> {
  const files = (await listFiles(dir)).filter((f) => path.basename(f) === HISTORY_FILE);
  if (files.length === 0) return;
  await uploadArtifact({
    name: historyArtifactName(settings.artifactName),
    files,
    rootDir: dir,
    retentionDays: settings.retentionDays ?? undefined,
    env,
  });
}

/** Every error in the job summary (annotations stop at 10 per step). */
function policyErrorSummary(title: string, diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return [
    `### Atlassian user policy: ${escapeMarkdown(title)}`,
    '',
    ...errors.map((d) => `- ${escapeMarkdown(formatDiagnostic(d))}`),
    '',
  ].join('\n');
}

function within(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}

function slug(file: string): string {
  return file.replace(/\.ya?ml$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-');
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  }
  return out.sort();
}
