// The Action's undo: `mode: revert` applies the inverse of what a run applied (its audit.csv, from the run's
// `artifact-name` artifact with `revert-run`, or a file with `revert-audit`); `mode: plan` with the same input
// plans it for review (plan.json in the artifact, which `plan-artifact` then holds the revert to).
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ArtifactClient } from '@actions/artifact';
import { DefaultArtifactClient } from '@actions/artifact';
import { ApplyRefused, applyLive } from '../app/apply-run.ts';
import { AUDIT_FILE } from '../app/audit-file.ts';
import { writeApplyArtifacts, writePlanArtifacts } from '../app/artifacts.ts';
import { readRevertSource, type RevertSource, revertPlan, runsOf } from '../app/revert-run.ts';
import type { Plan } from '../model.ts';
import type { Connection } from '../platforms/registry.ts';
import type { ResolvedPolicy } from '../policy/resolved.ts';
import { renderApplyMarkdown } from '../report/apply-markdown.ts';
import { escapeMarkdown } from '../report/escape.ts';
import { renderMarkdown } from '../report/markdown.ts';
import type { Octokit } from './comment.ts';
import type { RunDecision } from './event.ts';
import type { Settings } from './inputs.ts';
import { count, type Totals } from './policy-run.ts';
import { writeSummary } from './summary.ts';
import { plural } from '../plural.ts';
import { logInfo } from './log.ts';

export interface RevertLookup {
  octokit: Octokit | null;
  token: string | null;
  repo: { owner: string; repo: string };
  artifactName: string;
  /** Where a downloaded artifact goes (not inside out-dir). */
  tempRoot?: string;
  client?: Pick<ArtifactClient, 'downloadArtifact'>;
}

/** The audit files to revert: one per policy directory of the artifact (or the one file given). */
export async function revertSources(
  revert: NonNullable<Settings['revert']>,
  q: RevertLookup,
): Promise<RevertSource[]> {
  if ('audit' in revert) {
    const files = await auditFiles(revert.audit);
    return Promise.all(files.map((f) => readRevertSource(f)));
  }
  const dir = await mkdtemp(path.join(q.tempRoot ?? tmpdir(), 'aup-revert-'));
  if (!q.octokit || !q.token)
    throw new Error(`revert-run ${revert.run}: no github-token to find its artifact with`);
  const listed = await q.octokit
    .request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts', {
      ...q.repo,
      run_id: revert.run,
      name: q.artifactName,
      per_page: 100,
    })
    .catch((e: Error & { status?: number }) => {
      const hint = e.status === 403 ? ' (the job needs the permission actions: read)' : '';
      throw new Error(
        `revert-run ${revert.run}: listing its artifacts: ${e.status ?? ''} ${e.message}${hint}`,
      );
    });
  const artifacts = (
    listed.data as { artifacts: { id: number; name: string; expired: boolean; digest?: string | null }[] }
  ).artifacts;
  const artifact = artifacts.filter((a) => a.name === q.artifactName).sort((a, b) => b.id - a.id)[0];
  if (!artifact) throw new Error(`revert-run ${revert.run}: the run has no artifact named ${q.artifactName}`);
  if (artifact.expired)
    throw new Error(
      `revert-run ${revert.run}: its artifact ${q.artifactName} expired (retention-days); give its audit.csv as revert-audit`,
    );
  const client = q.client ?? new DefaultArtifactClient();
  await client.downloadArtifact(artifact.id, {
    path: dir,
    ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
    findBy: {
      token: q.token,
      repositoryOwner: q.repo.owner,
      repositoryName: q.repo.repo,
      workflowRunId: revert.run,
    },
  });
  const files = await auditFiles(dir);
  // Named by the run and the path inside its artifact: the same in the plan run and the revert run.
  return Promise.all(
    files.map(async (f) => {
      const source = await readRevertSource(f);
      return { ...source, file: `run ${revert.run}/${path.relative(dir, f).split(path.sep).join('/')}` };
    }),
  );
}

async function auditFiles(location: string): Promise<string[]> {
  if (!(await stat(location)).isDirectory()) return [location];
  const files = (await readdir(location, { withFileTypes: true, recursive: true }))
    .filter((e) => e.isFile() && e.name === AUDIT_FILE)
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  if (files.length === 0) throw new Error(`${location}: no ${AUDIT_FILE} in it (is it an apply's artifact?)`);
  return files;
}

/** The audit of one policy: in its own directory of the artifact when it holds several, else the only one. */
export function sourceFor(sources: RevertSource[], policyDir: string | null): RevertSource {
  if (sources.length === 1) return sources[0]!;
  const found = policyDir
    ? sources.find((s) => path.posix.dirname(s.file).endsWith(`/${policyDir}`))
    : undefined;
  if (!found)
    throw new ApplyRefused(
      `the artifact holds ${sources.length} audits (${sources.map((s) => s.file).join(', ')}) and none in ${policyDir ?? 'the policy directory'}; give the one to revert as revert-audit`,
    );
  return found;
}

/** Plans the revert for review: plan.json, plan.md, plan.csv, inventory.csv and the job summary. */
export async function planRevertOne(
  resolved: ResolvedPolicy,
  conn: Connection,
  source: RevertSource,
  settings: Settings,
  decision: RunDecision,
  now: Date,
  dir: string,
  totals: Totals,
): Promise<void> {
  const snapshot = await conn.adapter.snapshot();
  const plan = revertPlan(snapshot, resolved, source, now, conn.adapter.capabilities);
  count(plan, totals);
  await writePlanArtifacts(dir, plan, snapshot, resolved.policy, now, {
    runUrl: decision.runUrl,
    artifactName: settings.artifactName,
  });
  const head = `### Revert of ${escapeMarkdown(runsOf(source).join(', '))} (${escapeMarkdown(source.file)})\n\nA plan only: apply it with \`mode: revert\` and this artifact as \`plan-artifact\`.\n\n`;
  await writeSummary(
    head +
      renderMarkdown(plan, {
        runUrl: decision.runUrl,
        artifactName: settings.artifactName,
        maxLength: 800 * 1024,
      }),
  );
  if (!plan.applyable)
    totals.problems.push(
      `${resolved.path}: the revert plan exceeds a safety limit: ${plan.limits
        .filter((l) => l.exceeded)
        .map((l) => l.message)
        .join('; ')}`,
    );
}

/** Applies the revert with every guard; held to the reviewed revert plan of this audit when one is given. */
export async function revertOne(
  resolved: ResolvedPolicy,
  conn: Connection,
  source: RevertSource,
  reviewedPlans: Plan[] | null,
  settings: Settings,
  decision: RunDecision,
  runId: string,
  now: Date,
  dir: string,
  totals: Totals,
): Promise<void> {
  try {
    let reviewed: Plan | undefined;
    if (reviewedPlans) {
      reviewed = reviewedPlans.find((p) => p.policy.sha256 === source.sha256);
      if (!reviewed)
        throw new ApplyRefused(
          `plan-artifact holds no revert plan of ${source.file} (its plans are of: ${reviewedPlans.map((p) => p.policy.path).join(', ') || 'nothing'}). Nothing was changed.`,
        );
    }
    logInfo(
      `reverting what ${plural(runsOf(source).length, 'run')} (${runsOf(source).join(', ')}) applied, from ${source.file}`,
    );
    const r = await applyLive(resolved, conn, {
      now,
      clock: () => new Date(),
      outDir: dir,
      journalFile: `${dir.replace(/[\\/]+$/, '')}.journal.jsonl`,
      reviewed,
      replan: (snapshot) => revertPlan(snapshot, resolved, source, now, conn.adapter.capabilities),
      context: {
        runId,
        trigger: decision.trigger ?? 'manual',
        actor: decision.actor,
        commit: decision.sha || null,
        runUrl: decision.runUrl || null,
      },
    });
    count(r.plan, totals);
    totals.applied += r.report.counts.applied;
    totals.failed += r.report.counts.failed;
    await writeApplyArtifacts(dir, r.plan, r.snapshot, resolved.policy, now, {
      runUrl: decision.runUrl,
      artifactName: settings.artifactName,
    });
    await writeSummary(
      `${renderApplyMarkdown(r.report.results, r.report.stopped)}\n${renderMarkdown(r.plan, { runUrl: decision.runUrl, artifactName: settings.artifactName, maxLength: 800 * 1024 })}`,
    );
    if (r.report.counts.failed > 0 || r.report.stopped)
      totals.problems.push(
        `${resolved.path}: ${plural(r.report.counts.failed, 'change')} of the revert failed${r.report.stopped ? `; ${r.report.stopped}` : ''}`,
      );
  } catch (e) {
    if (!(e instanceof ApplyRefused)) throw e;
    await writeSummary(`### Atlassian user policy: revert refused\n\n${escapeMarkdown(e.message)}\n`);
    totals.problems.push(`${resolved.path}: ${e.message}`);
  }
}
