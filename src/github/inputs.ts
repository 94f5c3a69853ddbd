// Every Action input, read once into one typed Settings object (actions/checkout `input-helper.ts`).
// Each problem names the input, the value and the expected form; all problems are reported at once.
import { glob, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { fragmentsAmong } from '../policy/extends.ts';

export const MODE_INPUTS = ['plan', 'apply', 'auto', 'revert'] as const;
export type ModeInput = (typeof MODE_INPUTS)[number];

/** Names of every input `readSettings` reads; action.yml declares exactly these (a test checks). */
export const INPUT_NAMES = [
  'policy',
  'mode',
  'atlassian-url',
  'atlassian-token',
  'atlassian-username',
  'atlassian-password',
  'github-token',
  'comment',
  'comment-key',
  'artifact-name',
  'retention-days',
  'fail-on-changes',
  'plan-artifact',
  'require-reviewed-plan',
  'now',
  'out-dir',
  'revert-run',
  'revert-audit',
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

export const DEFAULT_ARTIFACT_NAME = 'atlassian-user-policy';
export const MAX_RETENTION_DAYS = 400;

export interface AtlassianCredentials {
  /** Overrides `instance.url` of the policy. */
  url: string | null;
  token: string | null;
  username: string | null;
  password: string | null;
}

export interface Settings {
  /** The `policy` patterns as given (one per line). */
  policy: string[];
  /** Files the patterns matched: relative to `workspace`, `/`-separated, sorted, unique; fragments left out. */
  policyFiles: string[];
  /** Matched files that policies among them extend (fragment → those policies): planned with them. */
  fragmentFiles: Map<string, string[]>;
  /** Absolute directory the patterns and relative paths resolve against (GITHUB_WORKSPACE or cwd). */
  workspace: string;
  mode: ModeInput;
  atlassian: AtlassianCredentials;
  /** null when empty: no comment can be posted. */
  githubToken: string | null;
  comment: boolean;
  /** '' when not set; part of the sticky comment marker. */
  commentKey: string;
  artifactName: string;
  /** null = the repository's default retention. */
  retentionDays: number | null;
  failOnChanges: boolean;
  /** Absolute path of a reviewed plan.json to enforce, or null. */
  planArtifact: string | null;
  /** On a merge, refuse the apply when no reviewed plan (plan-artifact or the pull request's) is found. */
  requireReviewedPlan: boolean;
  /** Clock override for reproducible runs, or null for the real clock. */
  now: Date | null;
  /** Absolute directory for plan.json, CSVs and the audit (created by the caller). */
  outDir: string;
  /** `mode: revert` (or a plan of one): the run whose audit artifact to revert, or the audit's path. */
  revert: { run: number } | { audit: string } | null;
}

/** Thrown by readSettings; `problems` holds one line per invalid input. */
export class InputError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    const head = problems.length === 1 ? 'invalid input' : `${problems.length} invalid inputs`;
    super(`${head}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InputError';
    this.problems = problems;
  }
}

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];
const ARTIFACT_NAME_FORBIDDEN = ['"', ':', '<', '>', '|', '*', '?', '\r', '\n', '\\', '/'];
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Reads and validates every input from `env` (`INPUT_<NAME>`, trimmed, as core.getInput does), expands
 * the `policy` globs against GITHUB_WORKSPACE and masks the secrets. Throws InputError listing every
 * problem.
 */
export async function readSettings(env: NodeJS.ProcessEnv = process.env): Promise<Settings> {
  const problems: string[] = [];
  const input = (name: InputName): string => (env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
  const optional = (name: InputName): string | null => input(name) || null;

  for (const name of ['atlassian-token', 'atlassian-password', 'github-token'] as const) {
    const secret = input(name);
    if (secret) core.setSecret(secret);
  }

  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const policy = input('policy')
    .split('\n')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (policy.length === 0) {
    problems.push('input "policy" is required: a path or glob of policy files, e.g. policies/*.yml');
  }
  const matched = await expandPolicy(policy, workspace, problems);
  // A glob such as policies/**/*.yml matches the fragments too: they are planned with the policies extending them.
  const fragmentFiles = await fragmentsAmong(matched, (f) => readFile(path.resolve(workspace, f), 'utf8'));
  const policyFiles = matched.filter((f) => !fragmentFiles.has(f));

  const atlassian: AtlassianCredentials = {
    url: optional('atlassian-url'),
    token: optional('atlassian-token'),
    username: optional('atlassian-username'),
    password: optional('atlassian-password'),
  };
  if (atlassian.url !== null && !isHttpUrl(atlassian.url)) {
    problems.push(
      `input "atlassian-url": expected an http(s) URL like https://jira.example.com, got "${atlassian.url}"`,
    );
  }
  if (atlassian.password !== null && atlassian.username === null) {
    problems.push('input "atlassian-password" is set but "atlassian-username" is empty; give both');
  }
  if (atlassian.username !== null && atlassian.password === null && atlassian.token === null) {
    problems.push('input "atlassian-username" is set without "atlassian-password" or "atlassian-token"');
  }
  if (atlassian.username !== null && atlassian.password !== null) {
    core.setSecret(Buffer.from(`${atlassian.username}:${atlassian.password}`).toString('base64'));
  }

  const artifactName = input('artifact-name') || DEFAULT_ARTIFACT_NAME;
  const bad = ARTIFACT_NAME_FORBIDDEN.filter((c) => artifactName.includes(c));
  if (bad.length > 0) {
    const shown = bad.map((c) => JSON.stringify(c)).join(' ');
    problems.push(
      `input "artifact-name": "${artifactName}" contains ${shown}; use letters, digits, - _ . and spaces`,
    );
  }

  const planArtifactInput = optional('plan-artifact');
  const planArtifact = planArtifactInput === null ? null : path.resolve(workspace, planArtifactInput);
  if (planArtifact !== null && !(await exists(planArtifact))) {
    problems.push(
      `input "plan-artifact": expected a plan.json file or a directory of them (a downloaded plan artifact), "${planArtifactInput}" does not exist`,
    );
  }

  const outDirInput = optional('out-dir');
  const outDir =
    outDirInput !== null
      ? path.resolve(workspace, outDirInput)
      : env.RUNNER_TEMP
        ? path.join(env.RUNNER_TEMP, 'atlassian-user-policy')
        : path.join(tmpdir(), `atlassian-user-policy-${env.GITHUB_RUN_ID || process.pid}`);

  const mode = oneOf(input('mode') || 'auto', 'mode', MODE_INPUTS, problems) ?? 'auto';
  const revert = revertInputs(input('revert-run'), input('revert-audit'), workspace, mode, problems);
  if (revert && 'audit' in revert && !(await exists(revert.audit)))
    problems.push(
      `input "revert-audit": "${input('revert-audit')}" does not exist (expected an audit.csv, or a directory holding one: a downloaded apply artifact)`,
    );

  const settings: Settings = {
    policy,
    policyFiles,
    fragmentFiles,
    workspace,
    mode,
    atlassian,
    githubToken: optional('github-token'),
    comment: bool(input('comment'), 'comment', true, problems),
    commentKey: input('comment-key'),
    artifactName,
    retentionDays: retention(input('retention-days'), problems),
    failOnChanges: bool(input('fail-on-changes'), 'fail-on-changes', false, problems),
    planArtifact,
    requireReviewedPlan: bool(input('require-reviewed-plan'), 'require-reviewed-plan', false, problems),
    now: instant(input('now'), problems),
    outDir,
    revert,
  };
  if (problems.length > 0) throw new InputError(problems);
  return settings;
}

async function expandPolicy(patterns: string[], workspace: string, problems: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    let files = 0;
    let directory: string | null = null;
    for await (const entry of glob(pattern, { cwd: workspace })) {
      const full = path.resolve(workspace, entry);
      const rel = toPosix(path.relative(workspace, full));
      if (await isFile(full)) {
        found.add(rel);
        files++;
      } else if (!hasGlobChars(pattern)) {
        directory = rel;
      }
    }
    if (files > 0) continue;
    problems.push(
      directory !== null
        ? `input "policy": "${pattern}" is a directory; give files or a glob, e.g. ${directory}/*.yml`
        : `input "policy": "${pattern}" matched no file under ${workspace} (expected a path or glob like policies/*.yml)`,
    );
  }
  return [...found].sort();
}

function oneOf<T extends string>(
  value: string,
  name: InputName,
  allowed: readonly T[],
  problems: string[],
): T | null {
  const v = value.toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  problems.push(`input "${name}": expected one of ${allowed.join(' | ')}, got "${value}"`);
  return null;
}

/** `revert-run` / `revert-audit`: one of them with mode revert (or plan, to review a revert), none otherwise. */
function revertInputs(
  run: string,
  audit: string,
  workspace: string,
  mode: ModeInput,
  problems: string[],
): Settings['revert'] {
  if (run && audit) {
    problems.push(
      'inputs "revert-run" and "revert-audit" are both set; give one (the run to revert, or its audit.csv)',
    );
    return null;
  }
  if (!run && !audit) {
    if (mode === 'revert')
      problems.push(
        'mode "revert" needs input "revert-run" (the id of the run whose audit to revert) or "revert-audit" (its audit.csv)',
      );
    return null;
  }
  if (mode !== 'revert' && mode !== 'plan') {
    problems.push(
      `input "${run ? 'revert-run' : 'revert-audit'}" is read only with mode revert (apply the revert) or plan (plan it for review), not with mode ${mode}`,
    );
    return null;
  }
  if (run) {
    if (/^\d{1,20}$/.test(run)) return { run: Number(run) };
    problems.push(
      `input "revert-run": expected the id of a workflow run (digits, as in .../actions/runs/<id>), got "${run}"`,
    );
    return null;
  }
  return { audit: path.resolve(workspace, audit) };
}

function bool(value: string, name: InputName, fallback: boolean, problems: string[]): boolean {
  if (value === '') return fallback;
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  problems.push(`input "${name}": expected true or false, got "${value}"`);
  return fallback;
}

function retention(value: string, problems: string[]): number | null {
  if (value === '') return null;
  const n = Number(value);
  if (/^\d+$/.test(value) && n >= 1 && n <= MAX_RETENTION_DAYS) return n;
  problems.push(
    `input "retention-days": expected a whole number of days from 1 to ${MAX_RETENTION_DAYS}, got "${value}"`,
  );
  return null;
}

function instant(value: string, problems: string[]): Date | null {
  if (value === '') return null;
  const d = new Date(value);
  if (ISO_INSTANT.test(value) && !Number.isNaN(d.getTime())) return d;
  problems.push(
    `input "now": expected an ISO date or instant with a zone, like 2026-01-31 or 2026-01-31T12:00:00Z, got "${value}"`,
  );
  return null;
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    const s = await stat(p);
    return s.isFile() || s.isDirectory();
  } catch {
    return false;
  }
}

function hasGlobChars(pattern: string): boolean {
  return /[*?[\]{}]/.test(pattern);
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
