// The shipped matrix workflow (examples/atlassian-user-policy-matrix.yml) works as shipped, for a repository of three
// instances (Jira DC and Cloud sandboxes, a Confluence DC that does not answer) with a shared fragment: its list
// step (run with bash) makes one matrix entry per policy file and none for the fragment; on a pull request each
// entry's plan step runs with exactly what the runner gives it (matrix, secrets, action.yml defaults), each instance
// with its own read credentials and its own artifact and sticky comment; one failing does not touch the others'.
// A dispatched apply gives each instance its own concurrency group and the write credentials. Runs src/.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model.ts';
import { startFakeArtifactService } from '../fakes/artifact-service.ts';
import { startFakeGitHub } from '../fakes/github-api.ts';
import { CANARY, type Repo, startRepo } from '../multi/fixture.ts';
import {
  csvRecords,
  dispatchEvent,
  GITHUB_TOKEN,
  pullRequestEvent,
  runStep,
  type World,
} from './action-env.ts';
import {
  actionStepEnv,
  concurrencyGroup,
  type Context,
  jobRuns,
  readWorkflow,
  type Secrets,
} from './workflow.ts';

const WORKFLOW_FILE = 'examples/atlassian-user-policy-matrix.yml';
const READ = 'read-token-of-jira';

let repo: Repo;
let world: World;
let secrets: Secrets;
beforeEach(async () => {
  repo = await startRepo();
  const [github, artifacts] = await Promise.all([startFakeGitHub(), startFakeArtifactService()]);
  world = {
    sandbox: repo.jira,
    github,
    artifacts,
    tmp: repo.dir,
    close: async () => {
      await Promise.all([github.close(), artifacts.close()]);
      await repo.close();
    },
  };
  const admin = repo.jira.store.userByToken(repo.jira.credentials.token)!;
  repo.jira.store.setTokens(admin, [...admin.tokens, READ]);
  secrets = {
    repository: {
      JIRA_PROD_READ_TOKEN: READ,
      JIRA_CROWD_APP: repo.env.JIRA_CROWD_APP!,
      JIRA_CROWD_PASSWORD: repo.env.JIRA_CROWD_PASSWORD!,
      CONFLUENCE_READ_TOKEN: 'read-token-of-a-dead-instance',
      CLOUD_ORG_READ_KEY: repo.env.CLOUD_ORG_KEY!,
      CLOUD_ORG_KEY: repo.env.CLOUD_ORG_KEY!,
      ATLASSIAN_TOKEN: CANARY,
    },
    environments: {
      'atlassian-production': {
        JIRA_PROD_TOKEN: repo.env.JIRA_PROD_TOKEN!,
        CONFLUENCE_TOKEN: 'write-token-of-a-dead-instance',
      },
    },
  };
});
afterEach(() => world.close());

/** Runs the list step of the instances job in a checkout of the repository, as the runner would. */
async function matrixOf(script: string): Promise<Record<string, string>[]> {
  const dir = await mkdtemp(path.join(repo.dir, 'list-'));
  const output = path.join(dir, 'github_output');
  await writeFile(output, '');
  await promisify(execFile)('bash', ['-e', '-c', script], {
    cwd: repo.dir,
    env: { PATH: process.env.PATH, GITHUB_OUTPUT: output },
  });
  const line = (await readFile(output, 'utf8')).trim();
  expect(line).toMatch(/^matrix=/);
  return JSON.parse(line.slice('matrix='.length)) as Record<string, string>[];
}

describe(`${WORKFLOW_FILE} as shipped`, { timeout: 180_000 }, () => {
  it('makes one job per policy file: plans in parallel with their own credentials, applies one per instance', async () => {
    const workflow = await readWorkflow(WORKFLOW_FILE);
    const list = workflow.jobs.instances!.steps.find((s) => s.id === 'list')!;
    const matrix = await matrixOf(list.run!);
    expect(matrix).toEqual([
      { policy: 'policies/cloud.yml', instance: 'cloud' },
      { policy: 'policies/jira.yml', instance: 'jira' },
      { policy: 'policies/wiki.yml', instance: 'wiki' },
    ]);
    expect(workflow.jobs.plan!.strategy?.['fail-fast']).toBe(false);

    // The pull request: one plan job per entry, none of the applies.
    const pr: Context = { eventName: 'pull_request', token: GITHUB_TOKEN, secrets };
    expect(jobRuns(workflow, 'plan', pr)).toBe(true);
    expect(jobRuns(workflow, 'apply', pr)).toBe(false);
    const outcomes = [];
    for (const [i, entry] of matrix.entries()) {
      const env = await actionStepEnv(workflow, 'plan', { ...pr, matrix: entry });
      expect(env.INPUT_POLICY).toBe(entry.policy);
      expect(Object.values(env)).not.toContain(repo.env.JIRA_PROD_TOKEN);
      outcomes.push(
        await runStep(world, {
          event: pullRequestEvent({ number: 7, headSha: 'a'.repeat(40) }),
          files: repo.files,
          runId: String(101 + i),
          artifactName: env['INPUT_ARTIFACT-NAME']!,
          env,
          source: true,
        }),
      );
    }
    const [cloud, jira, wiki] = outcomes;
    expect(cloud!.code, cloud!.stdout).toBe(0);
    expect(jira!.code, jira!.stdout).toBe(0);
    expect(wiki!.code).toBe(1);
    expect(wiki!.stdout).toMatch(/::error::.*ECONNREFUSED/);
    // Each instance its own artifact; the plans of the two that answered are whole.
    for (const [o, platform] of [
      [cloud!, 'cloud'],
      [jira!, 'jira-dc'],
    ] as const) {
      const plan = JSON.parse(String(o.artifact?.get('plan.json'))) as Plan;
      expect(plan.snapshot.platform).toBe(platform);
      expect(plan.changes.length).toBeGreaterThan(0);
    }
    expect(world.github.comments.map((c) => c.body.split('\n')[0])).toEqual([
      '<!-- atlassian-user-policy:policies/cloud.yml -->',
      '<!-- atlassian-user-policy:policies/jira.yml -->',
    ]);
    expect(repo.jira.requests).toEqual([]);
    world.artifacts.artifacts.clear(); // artifact names are per run

    // A dispatched apply: one job per instance, each in its own concurrency group, with the write credentials.
    const dispatch: Context = {
      eventName: 'workflow_dispatch',
      inputs: { mode: 'apply' },
      token: GITHUB_TOKEN,
      secrets,
    };
    expect(jobRuns(workflow, 'plan', dispatch)).toBe(false);
    expect(jobRuns(workflow, 'apply', dispatch)).toBe(true);
    const groups = matrix.map((m) => concurrencyGroup(workflow, 'apply', { ...dispatch, matrix: m }));
    expect(groups).toEqual(['aup-cloud', 'aup-jira', 'aup-wiki']);
    const env = await actionStepEnv(workflow, 'apply', { ...dispatch, matrix: matrix[1]! });
    expect(env.JIRA_PROD_TOKEN).toBe(repo.env.JIRA_PROD_TOKEN);
    expect(env.INPUT_MODE).toBe('apply');
    const applied = await runStep(world, {
      event: dispatchEvent('c'.repeat(40), { mode: 'apply' }),
      files: repo.files,
      runId: '301',
      artifactName: env['INPUT_ARTIFACT-NAME']!,
      env,
      source: true,
    });
    expect(applied.code, applied.stdout).toBe(0);
    const audit = csvRecords(String(applied.artifact?.get('audit.csv')));
    const deactivated = audit.filter((r) => r.kind === 'deactivate' && r.outcome === 'applied');
    expect(deactivated.length).toBeGreaterThan(0);
    for (const row of deactivated) expect(repo.jira.store.userByName(row.username!)?.active).toBe(false);
  });
});
