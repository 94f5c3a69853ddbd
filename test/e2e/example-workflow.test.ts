// The shipped example workflow works as shipped: its plan job's step runs for a pull request and its apply job's
// step for the push of the merge commit, each with exactly what the runner gives it (the step's `with:` as INPUT_*
// and action.yml's defaults, its `env:`, `${{ secrets.X }}` from the repository's secrets, and the environment's
// secrets for the apply job only), against the sandbox (Jira 10.3 with its embedded Crowd). The apply must accept
// the plan reviewed in the pull request and apply it. Runs the bundle (dist/index.js).
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model.ts';
import {
  csvRecords,
  EXAMPLE_POLICY,
  GITHUB_TOKEN,
  OWNER,
  pullRequestEvent,
  pushEvent,
  REPO,
  runStep,
  startWorld,
  workflowCommands,
  type World,
} from './action-env.ts';
import { actionStepEnv, type Context, jobRuns, readWorkflow, type Secrets } from './workflow.ts';

const WORKFLOW_FILE = 'examples/atlassian-user-policy.yml';
const POLICY = 'policies/example.yml';
const FULL = `${OWNER}/${REPO}`;
/** The artifact-name default of action.yml: the example does not set it. */
const ARTIFACT = 'atlassian-user-policy';
const HEAD = 'a'.repeat(40);
const MERGE_SHA = 'c'.repeat(40);
const WORKFLOW_ID = 4242;
const READ_TOKEN = 'read-token-of-the-admin';

let world: World;
let secrets: Secrets;
let policy: string;

beforeEach(async () => {
  // The example sets no `now`: both runs plan on the real clock. Days are UTC dates, so do not straddle midnight.
  const toMidnight = 86_400_000 - (Date.now() % 86_400_000);
  if (toMidnight < 60_000) await sleep(toMidnight + 1_000);
  world = await startWorld(new Date());
  const { sandbox } = world;
  // Jira DC has no read-only administrator: the read token is another token of an administrator.
  const admin = sandbox.store.userByToken(sandbox.credentials.token)!;
  sandbox.store.setTokens(admin, [...admin.tokens, READ_TOKEN]);
  secrets = {
    repository: {
      ATLASSIAN_READ_TOKEN: READ_TOKEN,
      ATLASSIAN_APP_NAME: sandbox.credentials.appName,
      ATLASSIAN_APP_PASSWORD: sandbox.credentials.appPassword,
    },
    environments: { 'atlassian-production': { ATLASSIAN_TOKEN: sandbox.credentials.token } },
  };
  // The user's policy names their instance: here, the sandbox.
  policy = (await readFile(EXAMPLE_POLICY, 'utf8')).replace(/^ {2}url: .*$/m, `  url: ${sandbox.url}`);
  expect(policy).toContain(sandbox.url);
});
afterEach(() => world.close());

describe(`${WORKFLOW_FILE} as shipped`, () => {
  it('plans a pull request with the read credentials, and the merge applies that reviewed plan', async () => {
    const workflow = await readWorkflow(WORKFLOW_FILE);
    const files = { [POLICY]: policy };

    // 1. The pull request: only the plan job runs; the write token never reaches it.
    const pr: Context = { eventName: 'pull_request', token: GITHUB_TOKEN, secrets };
    expect(jobRuns(workflow, 'plan', pr)).toBe(true);
    expect(jobRuns(workflow, 'apply', pr)).toBe(false);
    const planEnv = await actionStepEnv(workflow, 'plan', pr);
    expect(planEnv['INPUT_ATLASSIAN-TOKEN']).toBe(READ_TOKEN);
    expect(Object.values(planEnv)).not.toContain(world.sandbox.credentials.token);
    const planned = await runStep(world, {
      event: pullRequestEvent({ number: 7, headSha: HEAD }),
      files,
      runId: '101',
      artifactName: ARTIFACT,
      env: planEnv,
    });
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
    expect(world.sandbox.requests, 'the plan only reads').toEqual([]);
    const reviewed = JSON.parse(String(planned.artifact?.get('plan.json'))) as Plan;
    // Login times were read: the inactivity rules act in the reviewed plan.
    expect(reviewed.changes.filter((c) => c.kind === 'deactivate').length).toBeGreaterThan(0);
    expect(world.github.comments).toHaveLength(1);

    // What GitHub then knows: run 101 of the workflow planned the pull request's head and kept its artifact; the
    // pull request was merged as MERGE_SHA, whose push starts run 301 of the same workflow.
    const stored = world.artifacts.artifacts.get(ARTIFACT);
    const { actions } = world.github;
    actions.addWorkflowRun(FULL, { id: 101, workflowId: WORKFLOW_ID, headSha: HEAD, event: 'pull_request' });
    actions.addRunArtifact(FULL, {
      id: stored?.id ?? 0,
      name: ARTIFACT,
      runId: 101,
      zip: stored?.body ?? Buffer.alloc(0),
    });
    world.artifacts.artifacts.delete(ARTIFACT); // artifact names are per run
    actions.addPullRequest(FULL, { number: 7, headSha: HEAD, mergeCommitSha: MERGE_SHA });
    actions.addWorkflowRun(FULL, { id: 301, workflowId: WORKFLOW_ID, headSha: MERGE_SHA, event: 'push' });

    // 2. The merge: only the apply job runs, in the protected environment, with the write token.
    const push: Context = { eventName: 'push', token: GITHUB_TOKEN, secrets };
    expect(jobRuns(workflow, 'plan', push)).toBe(false);
    expect(jobRuns(workflow, 'apply', push)).toBe(true);
    const applyEnv = await actionStepEnv(workflow, 'apply', push);
    expect(applyEnv['INPUT_ATLASSIAN-TOKEN']).toBe(world.sandbox.credentials.token);
    expect(applyEnv.INPUT_MODE).toBe('auto');
    const applied = await runStep(world, {
      event: pushEvent(MERGE_SHA),
      files,
      runId: '301',
      artifactName: ARTIFACT,
      env: applyEnv,
    });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(workflowCommands(applied.stdout, 'error')).toEqual([]);
    expect(applied.stdout).toContain('enforcing the plan reviewed in pull request #7');
    expect(applied.summary).not.toContain('apply refused');

    // It applied the reviewed plan: the same changes, audited, and the instance changed accordingly.
    const replanned = JSON.parse(String(applied.artifact?.get('apply-plan.json'))) as Plan;
    expect(replanned.changes).toEqual(reviewed.changes);
    const audit = csvRecords(String(applied.artifact?.get('audit.csv')));
    expect(audit).toHaveLength(reviewed.changes.length);
    expect(audit.every((row) => row.trigger === 'merge' && row.commit === MERGE_SHA)).toBe(true);
    const deactivated = audit.filter((row) => row.outcome === 'applied' && row.kind === 'deactivate');
    expect(deactivated.length).toBeGreaterThan(0);
    for (const row of deactivated)
      expect(world.sandbox.store.userByName(row.username ?? '')?.active, row.username).toBe(false);
    expect(Number(applied.outputs['applied-count'])).toBeGreaterThan(0);
    expect(applied.outputs['failed-count']).toBe('0');
  });
});
