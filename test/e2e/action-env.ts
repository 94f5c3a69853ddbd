// Shared setup for the end-to-end test of the bundled Action (dist/index.js): the sandbox (Jira DC),
// the fake GitHub REST API and the fake artifact results service run in this process; the Action runs
// as a child process with the environment a runner gives a step for each event.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import {
  demoScenario,
  startSandbox,
  type SandboxHandle,
  type SandboxOptions,
} from '../../src/sandbox/index.ts';
import { startFakeArtifactService, type FakeArtifactService } from '../fakes/artifact-service.ts';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-api.ts';
import { readZip } from '../fakes/zip.ts';
import { run } from '../helpers/spawn.ts';

export const ROOT = path.join(import.meta.dirname, '../..');
export const BUNDLE = path.join(ROOT, 'dist/index.js');
/** The Action from source (what dist/ is built from), for behaviour newer than the committed bundle. */
export const SOURCE = [
  '--experimental-strip-types',
  '--no-warnings=ExperimentalWarning',
  path.join(ROOT, 'src/index.ts'),
];
/** The plan's clock (input `now`) and the sandbox's "today". */
export const NOW = '2026-11-25T00:00:00Z';
export const OWNER = 'acme';
export const REPO = 'atlassian-policies';
export const DEFAULT_BRANCH = 'main';
export const BASE_SHA = 'b'.repeat(40);
export const ACTOR = 'octo-admin';
export const GITHUB_TOKEN = 'ghs_test';
export const SERVER_URL = 'https://github.com';
/** The policy the tests start from: the repository's example. */
export const EXAMPLE_POLICY = path.join(ROOT, 'policies/example.yml');

export interface World {
  sandbox: SandboxHandle;
  github: FakeGitHub;
  artifacts: FakeArtifactService;
  /** Parent of every run's workspace and runner temp; removed by close(). */
  tmp: string;
  close(): Promise<void>;
}

/** Starts a fresh sandbox seeded with the demo organisation as of `now` (default NOW), plus the two GitHub fakes. */
export async function startWorld(now = new Date(NOW), sandbox: Partial<SandboxOptions> = {}): Promise<World> {
  const [sb, github, artifacts, tmp] = await Promise.all([
    startSandbox({
      version: '10.3',
      scenario: demoScenario(now),
      now,
      clock: () => now.getTime(),
      ...sandbox,
    }),
    startFakeGitHub(),
    startFakeArtifactService(),
    mkdtemp(path.join(tmpdir(), 'aup-action-e2e-')),
  ]);
  return {
    sandbox: sb,
    github,
    artifacts,
    tmp,
    close: async () => {
      await Promise.all([sb.close(), github.close(), artifacts.close()]);
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

export interface EventSpec {
  name: string;
  ref: string;
  sha: string;
  payload: Record<string, unknown>;
}

const repository = {
  full_name: `${OWNER}/${REPO}`,
  name: REPO,
  owner: { login: OWNER },
  default_branch: DEFAULT_BRANCH,
};

export function pullRequestEvent(o: { number: number; headSha: string; fork?: boolean }): EventSpec {
  const headRepo = o.fork
    ? { ...repository, full_name: `mallory/${REPO}`, owner: { login: 'mallory' } }
    : repository;
  return {
    name: 'pull_request',
    ref: `refs/pull/${o.number}/merge`,
    sha: 'f'.repeat(40),
    payload: {
      action: 'synchronize',
      number: o.number,
      pull_request: {
        number: o.number,
        head: { ref: 'policy-change', sha: o.headSha, repo: headRepo },
        base: { ref: DEFAULT_BRANCH, sha: BASE_SHA, repo: repository },
      },
      repository,
    },
  };
}

export function pushEvent(sha: string): EventSpec {
  return {
    name: 'push',
    ref: `refs/heads/${DEFAULT_BRANCH}`,
    sha,
    payload: { ref: `refs/heads/${DEFAULT_BRANCH}`, after: sha, repository },
  };
}

export function scheduleEvent(sha: string): EventSpec {
  return {
    name: 'schedule',
    ref: `refs/heads/${DEFAULT_BRANCH}`,
    sha,
    payload: { schedule: '23 4 * * *', repository },
  };
}

export function dispatchEvent(sha: string, inputs: Record<string, string>): EventSpec {
  return {
    name: 'workflow_dispatch',
    ref: `refs/heads/${DEFAULT_BRANCH}`,
    sha,
    payload: { ref: `refs/heads/${DEFAULT_BRANCH}`, inputs, repository },
  };
}

export interface RunSpec {
  event: EventSpec;
  /** Workspace-relative path → content, written under a fresh GITHUB_WORKSPACE. */
  files: Record<string, string>;
  /** INPUT_<NAME> values (hyphenated names as in action.yml); `policy` defaults to policies/*.yml. */
  inputs?: Record<string, string>;
  /** false: a fork pull request's environment, no Atlassian secrets. */
  secrets?: boolean;
  runId: string;
  /** Unique per run: the fake artifact service refuses a second artifact with the same name. */
  artifactName: string;
  /** Run src/index.ts instead of the bundle. */
  source?: boolean;
}

export interface RunOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The step outputs from the GITHUB_OUTPUT file; the last value of a name wins. */
  outputs: Record<string, string>;
  /** The GITHUB_STEP_SUMMARY file. */
  summary: string;
  /** Zip entries of the uploaded artifact (name → bytes), or null when none was uploaded. */
  artifact: Map<string, Buffer> | null;
  runUrl: string;
}

/** Runs the bundled Action once, as a runner runs a step, and collects what it left behind. */
export async function runAction(world: World, spec: RunSpec): Promise<RunOutcome> {
  const { sandbox } = world;
  const secrets = spec.secrets ?? true;
  const inputs: Record<string, string> = {
    policy: 'policies/*.yml',
    'atlassian-url': sandbox.url,
    'github-token': GITHUB_TOKEN,
    now: NOW,
    'artifact-name': spec.artifactName,
    ...(secrets ? { 'atlassian-token': sandbox.credentials.token } : {}),
    ...spec.inputs,
  };
  const env: Record<string, string> = secrets
    ? {
        ATLASSIAN_APP_NAME: sandbox.credentials.appName,
        ATLASSIAN_APP_PASSWORD: sandbox.credentials.appPassword,
      }
    : {};
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return runStep(world, {
    event: spec.event,
    files: spec.files,
    runId: spec.runId,
    artifactName: spec.artifactName,
    env,
    source: spec.source,
  });
}

export interface StepSpec {
  event: EventSpec;
  /** Workspace-relative path → content, written under a fresh GITHUB_WORKSPACE. */
  files: Record<string, string>;
  runId: string;
  /** The artifact to collect afterwards (the step's artifact-name). */
  artifactName: string;
  /** What the step gives the Action besides the runner's own variables: its INPUT_* and its `env:`. */
  env: Record<string, string>;
  /** Run src/index.ts instead of the bundle. */
  source?: boolean;
}

/** Runs the bundled Action with exactly the runner's variables for the event plus the step's `env`. */
export async function runStep(world: World, spec: StepSpec): Promise<RunOutcome> {
  const dir = await mkdtemp(path.join(world.tmp, `${spec.runId}-`));
  const workspace = path.join(dir, 'workspace');
  const runnerTemp = path.join(dir, 'runner-temp');
  await mkdir(runnerTemp, { recursive: true });
  for (const [rel, text] of Object.entries(spec.files)) {
    await mkdir(path.dirname(path.join(workspace, rel)), { recursive: true });
    await writeFile(path.join(workspace, rel), text);
  }
  const eventPath = path.join(dir, 'event.json');
  const outputFile = path.join(dir, 'github_output');
  const summaryFile = path.join(dir, 'step_summary.md');
  await Promise.all([
    writeFile(eventPath, JSON.stringify(spec.event.payload)),
    writeFile(outputFile, ''),
    writeFile(summaryFile, ''),
  ]);

  const { github, artifacts } = world;
  const env: NodeJS.ProcessEnv = {
    // Only what a runner sets: nothing leaks in from the environment the tests run in.
    PATH: process.env.PATH,
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: spec.event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_REPOSITORY_OWNER: OWNER,
    GITHUB_REF: spec.event.ref,
    GITHUB_SHA: spec.event.sha,
    GITHUB_ACTOR: ACTOR,
    GITHUB_RUN_ID: spec.runId,
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: SERVER_URL,
    GITHUB_API_URL: github.url,
    GITHUB_GRAPHQL_URL: `${github.url}/graphql`,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...artifacts.env,
    ...spec.env,
  };

  // AUP_E2E_SOURCE=1 runs every e2e test against src/ (behaviour newer than the committed bundle).
  const source = spec.source || process.env.AUP_E2E_SOURCE === '1';
  const r = await run(process.execPath, source ? SOURCE : [BUNDLE], { cwd: workspace, env });
  const stored = artifacts.artifacts.get(spec.artifactName);
  return {
    ...r,
    outputs: parseOutputs(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
    artifact: stored?.body ? new Map(readZip(stored.body).map((e) => [e.name, e.data])) : null,
    runUrl: `${SERVER_URL}/${OWNER}/${REPO}/actions/runs/${spec.runId}`,
  };
}

/** Parses the `name<<delimiter\nvalue\ndelimiter` records @actions/core appends to GITHUB_OUTPUT. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n?\2$/gm;
  for (const m of text.matchAll(re)) out[m[1] as string] = m[3] as string;
  return out;
}

/** Workflow commands (`::error file=…,line=…::message`) the Action printed, one per line. */
export function workflowCommands(stdout: string, command: 'error' | 'warning' | 'notice'): string[] {
  return stdout.split(/\r?\n/).filter((l) => l.startsWith(`::${command}`));
}

/** CSV text (ours: a header row, then records) as objects keyed by the header. */
export function csvRecords(text: string): Record<string, string>[] {
  return parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
}
