// The Action over the policy files of one run, one instance each: each planned or applied on its own with its own
// credentials (instance.credentials), the previous runs' inventory (drift) and history (cooldown, welcome back).
// With several policies one failing instance (bad credentials, instance down) is reported and the others go on;
// the run then fails, and the combined summary and the one sticky comment say which instance failed and why.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { REFUSALS_FILE, refusalsCsv } from '../app/refusals.ts';
import { AUDIT_FILE, parseAuditCsv } from '../app/audit-file.ts';
import { historyOf } from '../app/history-file.ts';
import type { HistoryEntry, Refusal } from '../planner/index.ts';
import {
  credentialNamesOf,
  credentialProblems,
  credentialsFromNames,
  type CredentialNames,
  secretsOf,
} from '../platforms/credentials.ts';
import { connect, type Credentials, driverFor, hasCredentials } from '../platforms/registry.ts';
import { PolicyError } from '../policy/diagnostics.ts';
import type { ResolvedPolicy } from '../policy/resolved.ts';
import { clipLines, escapeMarkdown } from '../report/escape.ts';
import { type InstanceReport, instancesMarkdown } from '../report/instances.ts';
import { annotate } from './annotations.ts';
import { readBaseFor } from './base-policy.ts';
import { commentMarker, MAX_COMMENT_CHARS, type Octokit, upsertComment } from './comment.ts';
import type { RunDecision } from './event.ts';
import type { Settings } from './inputs.ts';
import { logInfo } from './log.ts';
import { applyOne, groupsRead, type InstanceExtras, planOne, type Totals } from './policy-run.ts';
import type { ReviewedSource } from './pr-plan.ts';
import { HISTORY_FILE, type PreviousLookup } from './previous-run.ts';
import { refusalsFor } from './refusals.ts';
import { planRevertOne, sourceFor } from './revert.ts';
import { groupsToRead, type RevertSource } from '../app/revert-run.ts';
import { writeSummary } from './summary.ts';

export interface InstancesRun {
  loaded: ResolvedPolicy[];
  settings: Settings;
  decision: RunDecision;
  runId: string;
  now: Date;
  octokit: Octokit | null;
  /** Credentials of the inputs and the ATLASSIAN_* variables (policies without instance.credentials). */
  credentials: Credentials;
  env: NodeJS.ProcessEnv;
  source: ReviewedSource;
  carried: Refusal[];
  reverting: RevertSource[] | null;
  /** The last successful run's artifact (drift) and the history artifact, as found. */
  lastRun: PreviousLookup | null;
  history: PreviousLookup | null;
  /** Where the history files of this apply are written, to upload as `<artifact-name>-history`. */
  historyDir: string;
  totals: Totals;
  commentIds: number[];
}

/** Directory of a policy's files inside out-dir and the artifacts: '' for one policy, its path as a slug for several. */
export function instanceDir(file: string, several: boolean): string {
  return several ? file.replace(/\.ya?ml$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-') : '';
}

export async function runInstances(r: InstancesRun): Promise<void> {
  const several = r.loaded.length > 1;
  r.totals.instances = [];
  const sections: { markdown: string; report: InstanceReport }[] = [];
  const budget = Math.floor((MAX_COMMENT_CHARS * 0.9 - 2_000) / Math.max(1, r.loaded.length));
  for (const resolved of r.loaded) {
    const rel = instanceDir(resolved.path, several);
    try {
      await runOne(
        r,
        resolved,
        rel,
        several
          ? { section: (markdown, report) => sections.push({ markdown, report }), sectionLength: budget }
          : {},
      );
    } catch (e) {
      if (!several) throw e;
      // One instance failing fails the run, never the others.
      const message = clipLines(e instanceof Error ? e.message : String(e));
      core.error(`${resolved.path}: ${message}`);
      r.totals.problems.push(`${resolved.path}: ${message}`);
      r.totals.instances.push({ policy: resolved.path, status: 'failed', error: message });
      await writeSummary(
        `### Atlassian user policy: ${escapeMarkdown(resolved.path)} failed\n\n${escapeMarkdown(message)}\n`,
      );
    }
  }
  if (!several) return;
  const combined = instancesMarkdown(r.totals.instances);
  await writeSummary(combined);
  if (!r.decision.pr || !r.settings.comment || r.decision.mode !== 'plan') return;
  if (!r.octokit) {
    core.warning('no github-token: the plans are in the job summary only');
    return;
  }
  // One sticky comment for every instance: the combined summary, then one section per instance.
  const failed = r.totals.instances.filter((i) => i.status === 'failed');
  const body = [
    combined,
    ...failed.map((f) => `#### ❌ ${escapeMarkdown(f.policy)}\n\n${escapeMarkdown(f.error ?? 'failed')}\n`),
    ...sections.map((s) => s.markdown),
  ].join('\n');
  const marker = commentMarker(r.settings.commentKey, 'instances');
  const result = await upsertComment(r.octokit, {
    owner: r.decision.repo.owner,
    repo: r.decision.repo.repo,
    issueNumber: r.decision.pr.number,
    marker,
    body,
  });
  logInfo(`comment ${result.action}${result.id ? ` (${result.id})` : ''}`);
  if (result.id !== null) r.commentIds.push(result.id);
}

/** The credentials of one policy's instance: its instance.credentials variables, else the inputs' and defaults. */
function credentialsFor(
  resolved: ResolvedPolicy,
  r: InstancesRun,
): { credentials: Credentials; names: CredentialNames | null; url: string | undefined } {
  const names = credentialNamesOf(resolved.policy.instance.credentials, resolved.path);
  const defaultUrl = driverFor(resolved.policy.instance.platform)?.defaultUrl;
  if (!names)
    return {
      credentials: r.credentials,
      names: null,
      url: r.settings.atlassian.url ?? resolved.policy.instance.url ?? defaultUrl,
    };
  const credentials = credentialsFromNames(names, r.env);
  for (const secret of secretsOf(credentials)) core.setSecret(secret);
  // Its own variables only: neither the atlassian-* inputs nor ATLASSIAN_URL reach this instance.
  return { credentials, names, url: resolved.policy.instance.url ?? defaultUrl };
}

async function runOne(
  r: InstancesRun,
  resolved: ResolvedPolicy,
  rel: string,
  sectioning: Pick<InstanceExtras, 'section' | 'sectionLength'>,
): Promise<void> {
  const { settings, decision, totals } = r;
  const dir = rel ? path.join(settings.outDir, rel) : settings.outDir;
  const refusals = refusalsFor(r.carried, resolved.path);
  if (decision.mode === 'apply') {
    // Carried unchanged unless the apply gets to write its own: a refused or failed apply loses none.
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, REFUSALS_FILE), refusalsCsv(refusals));
  }
  const { credentials, names, url } = credentialsFor(resolved, r);
  if (!url)
    throw new Error(
      `${resolved.path}: instance.url is not set${names ? '' : ' and no atlassian-url input was given'}`,
    );
  const platform = resolved.policy.instance.platform;
  if (!hasCredentials(credentials, platform)) {
    const driver = driverFor(platform);
    const problems = driver ? credentialProblems(driver, credentials, names ?? undefined) : [];
    const text = problems.length > 0 ? problems.join('; ') : 'no Atlassian credentials';
    throw new Error(
      `${resolved.path}: ${text}${names ? ' (pass each variable to the step in its env:, from a secret)' : ' (pass them from secrets: atlassian-token, or atlassian-username and atlassian-password, as inputs; ATLASSIAN_APP_NAME and ATLASSIAN_APP_PASSWORD as env)'}`,
    );
  }
  const history = await historyFor(r.history, rel, resolved.path);
  const apply = decision.mode === 'apply';
  const revertFrom = r.reverting ? sourceFor(r.reverting, rel || null) : null;
  // On a pull request, the base branch's version of the policy is read first, so the snapshot also holds
  // the groups only it names and its plan compares exactly.
  const base = decision.pr
    ? await readBaseFor(r.octokit, { ...decision.repo, sha: decision.pr.baseSha }, resolved.path)
    : null;
  const conn = await connect(resolved, {
    url,
    credentials,
    ...(names ? { credentialNames: names } : {}),
    readOnly: !apply,
    clock: () => new Date(),
    log: (m) => logInfo(m),
    extraGroups: [
      ...(base?.kind === 'found' ? groupsRead(resolved, base) : []),
      ...(revertFrom ? groupsToRead(revertFrom) : []),
    ],
  });
  try {
    const since = sinceFor(r.lastRun, rel, resolved.path, r.octokit !== null);
    if (apply) {
      await applyOne(
        resolved,
        conn,
        settings,
        decision,
        r.runId,
        r.now,
        dir,
        totals,
        r.source,
        refusals,
        history,
        since,
      );
      await keepHistory(r, rel, dir);
    } else if (revertFrom)
      await planRevertOne(resolved, conn, revertFrom, settings, decision, r.now, dir, totals);
    else {
      const id = await planOne(
        resolved,
        conn,
        r.octokit,
        settings,
        decision,
        r.now,
        dir,
        totals,
        base,
        refusals,
        {
          history,
          ...(since ? { since } : {}),
          ...sectioning,
        },
      );
      if (id !== null) r.commentIds.push(id);
    }
  } catch (e) {
    // The policy does not fit the instance (a group or user it names does not exist): located errors.
    if (!(e instanceof PolicyError)) throw e;
    annotate(e.diagnostics, { workspace: settings.workspace });
    await writeSummary(
      [
        `### Atlassian user policy: ${escapeMarkdown(`${resolved.path} does not fit the instance`)}`,
        '',
        ...e.diagnostics
          .filter((d) => d.severity === 'error')
          .map((d) => `- ${escapeMarkdown(`${d.file}:${d.line}:${d.col}: ${d.message}`)}`),
        '',
      ].join('\n'),
    );
    totals.problems.push(e.message);
    totals.instances?.push({
      policy: resolved.path,
      status: 'failed',
      error: clipLines(e.message.split('\n')[0] ?? ''),
    });
  } finally {
    await conn.close();
  }
}

/** The history of a policy in the history artifact; none (said in the log) when there is none yet. */
async function historyFor(
  found: PreviousLookup | null,
  rel: string,
  policy: string,
): Promise<HistoryEntry[]> {
  if (!found) return [];
  if (!found.found) {
    logInfo(`${policy}: no history of earlier applies: ${found.reason}`);
    return [];
  }
  const file = path.join(found.dir, rel, HISTORY_FILE);
  if (!existsSync(file)) {
    logInfo(`${policy}: the history artifact of run ${found.artifact.runId} holds no history of this policy`);
    return [];
  }
  // A damaged history is an error of this instance, never an empty memory.
  return historyOf(parseAuditCsv(await readFile(file, 'utf8'), file));
}

/** The previous inventory of a policy in the last successful run's artifact, or why there is none. */
function sinceFor(
  found: PreviousLookup | null,
  rel: string,
  policy: string,
  looked: boolean,
): InstanceExtras['since'] {
  if (!looked) return undefined;
  if (!found) return { unavailable: 'the previous run could not be looked up' };
  if (!found.found) return { unavailable: found.reason };
  const inventory = path.join(found.dir, rel, 'inventory.csv');
  const label = (f: string) =>
    `run ${found.artifact.runId}: ${path.relative(found.dir, f).split(path.sep).join('/')}`;
  if (existsSync(inventory)) return { file: inventory, label: label(inventory), appliedAfter: [] };
  const applied = path.join(found.dir, rel, 'apply-inventory.csv');
  const audit = path.join(found.dir, rel, AUDIT_FILE);
  if (existsSync(applied)) {
    // What that apply read, with what it applied (its audit) replayed onto it.
    const rows = existsSync(audit) ? historyOf(parseAuditCsv(readFileSync(audit, 'utf8'), audit)) : [];
    return { file: applied, label: label(applied), appliedAfter: rows };
  }
  return {
    unavailable: `the last successful run (${found.artifact.runId}) has no inventory of ${policy} (a new policy?)`,
  };
}

/** After an apply: the history so far plus this apply's audit, to upload as `<artifact-name>-history`. */
async function keepHistory(r: InstancesRun, rel: string, dir: string): Promise<void> {
  const audit = path.join(dir, AUDIT_FILE);
  if (!existsSync(audit)) return;
  const before =
    r.history?.found && existsSync(path.join(r.history.dir, rel, HISTORY_FILE))
      ? await readFile(path.join(r.history.dir, rel, HISTORY_FILE), 'utf8')
      : '';
  const mine = await readFile(audit, 'utf8');
  const rows = mine.split('\n').slice(1).join('\n');
  const out = path.join(r.historyDir, rel, HISTORY_FILE);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, before ? `${before.replace(/\n*$/, '\n')}${rows}` : mine);
}
