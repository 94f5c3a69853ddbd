// The Action: inputs → engine → comment, summary, artifacts, outputs. A thin shell over the engine.
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { annotate } from './github/annotations.ts';
import { uploadArtifact } from './github/artifacts.ts';
import { decideRun, readEvent, type RunDecision } from './github/event.ts';
import { readSettings, type Settings } from './github/inputs.ts';
import { lastRefusals, refusalsArtifactName, refusalsFor } from './github/refusals.ts';
import { REFUSALS_FILE, refusalsCsv } from './app/refusals.ts';
import type { Refusal } from './planner/index.ts';
import { applyOne, groupsRead, planOne, type Totals } from './github/policy-run.ts';
import { readBaseFor } from './github/base-policy.ts';
import { refusal, reportReviewedSource, reviewedPlansForApply } from './github/pr-plan.ts';
import { setOutputs } from './github/outputs.ts';
import { writeSummary } from './github/summary.ts';
import { credentialProblems, credentialsFromAction, secretsOf } from './platforms/credentials.ts';
import { connect, type Credentials, driverFor, hasCredentials } from './platforms/registry.ts';
import type { Platform } from './model.ts';
import { type Diagnostic, formatDiagnostic, PolicyError } from './policy/diagnostics.ts';
import { loadPolicyFile } from './policy/load.ts';
import type { ResolvedPolicy } from './policy/resolved.ts';
import { clipLines, escapeMarkdown } from './report/escape.ts';
import { plural } from './plural.ts';
import { runSummaryLine } from './github/summary-line.ts';
import { planRevertOne, revertOne, revertSources, sourceFor } from './github/revert.ts';
import { readReviewedPlans } from './github/reviewed.ts';
import { groupsToRead } from './app/revert-run.ts';
import { logInfo } from './github/log.ts';

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
  const anyCredentials = loaded.some((r) => hasCredentials(credentials, r.policy.instance.platform));
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
  const several = loaded.length > 1;
  for (const resolved of loaded) {
    const dir = several ? path.join(settings.outDir, slug(resolved.path)) : settings.outDir;
    const refusals = refusalsFor(carried, resolved.path);
    if (decision.mode === 'apply') {
      // Carried unchanged unless the apply gets to write its own: a refused or failed apply loses none.
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, REFUSALS_FILE), refusalsCsv(refusals));
    }
    const url =
      settings.atlassian.url ??
      resolved.policy.instance.url ??
      driverFor(resolved.policy.instance.platform)?.defaultUrl;
    if (!url)
      throw new Error(`${resolved.path}: instance.url is not set and no atlassian-url input was given`);
    if (!hasCredentials(credentials, resolved.policy.instance.platform))
      throw new Error(
        `${resolved.path}: ${missingCredentials(resolved.policy.instance.platform, credentials)}`,
      );
    const apply = decision.mode === 'apply';
    const revertFrom = reverting ? sourceFor(reverting, several ? slug(resolved.path) : null) : null;
    // On a pull request, the base branch's version of the policy is read first, so the snapshot also holds
    // the groups only it names and its plan compares exactly.
    const base = decision.pr
      ? await readBaseFor(octokit, { ...decision.repo, sha: decision.pr.baseSha }, resolved.path)
      : null;
    const conn = await connect(resolved, {
      url,
      credentials,
      readOnly: !apply,
      clock: () => new Date(),
      log: (m) => logInfo(m),
      extraGroups: [
        ...(base?.kind === 'found' ? groupsRead(resolved, base) : []),
        ...(revertFrom ? groupsToRead(revertFrom) : []),
      ],
    });
    try {
      if (apply)
        await applyOne(resolved, conn, settings, decision, event.runId, now, dir, totals, source, refusals);
      else if (revertFrom)
        await planRevertOne(resolved, conn, revertFrom, settings, decision, now, dir, totals);
      else {
        const id = await planOne(
          resolved,
          conn,
          octokit,
          settings,
          decision,
          now,
          dir,
          totals,
          base,
          refusals,
        );
        if (id !== null) commentIds.push(id);
      }
    } catch (e) {
      // The policy does not fit the instance (a group or user it names does not exist): located errors.
      if (!(e instanceof PolicyError)) throw e;
      annotate(e.diagnostics, { workspace: settings.workspace });
      await writeSummary(policyErrorSummary(`${resolved.path} does not fit the instance`, e.diagnostics));
      totals.problems.push(e.message);
    } finally {
      await conn.close();
    }
  }

  if (decision.mode === 'apply') await uploadRefusals(settings, env);
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

/** What a platform's driver needs that the inputs and environment do not give, in the Action's words. */
function missingCredentials(platform: Platform, credentials: Credentials): string {
  const driver = driverFor(platform);
  const problems = driver ? credentialProblems(driver, credentials) : [];
  const text = problems.length > 0 ? problems.join('; ') : 'no Atlassian credentials';
  return `${text} (pass them from secrets: atlassian-token, or atlassian-username and atlassian-password, as inputs; ATLASSIAN_APP_NAME and ATLASSIAN_APP_PASSWORD as env)`;
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
