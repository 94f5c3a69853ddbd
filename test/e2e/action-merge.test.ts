// A merge applies the plan reviewers saw: the pull_request run uploads its plan artifact, then the push run on
// the merge commit finds that pull request, that run and that artifact through the fake GitHub API, downloads
// it with the real @actions/artifact client and holds the apply to it (stale-plan guard). Runs the bundle.
import { readFile } from 'node:fs/promises';
import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import {
  csvRecords,
  OWNER,
  pullRequestEvent,
  pushEvent,
  REPO,
  runAction,
  startWorld,
  EXAMPLE_POLICY,
  workflowCommands,
  type RunOutcome,
  type World,
} from './action-env.ts';

const POLICY = 'policies/example.yml';
const FULL = `${OWNER}/${REPO}`;
const NAME = 'atlassian-user-policy';
const HEAD = 'a'.repeat(40);
const MERGE_SHA = 'c'.repeat(40);
const WORKFLOW = 4242;
const PR_URL = `https://github.com/${FULL}/pull/7`;
const PLAN_RUN_URL = `https://github.com/${FULL}/actions/runs/101`;

let example: string;
let world: World;
beforeEach(async () => {
  example ??= await readFile(EXAMPLE_POLICY, 'utf8');
  world = await startWorld();
});
afterEach(() => world.close());

/** Pull request #7 is planned by run 101 of the workflow; GitHub then knows the PR, the run and its artifact. */
async function reviewInPullRequest(): Promise<number> {
  const r = await runAction(world, {
    event: pullRequestEvent({ number: 7, headSha: HEAD }),
    files: { [POLICY]: example },
    runId: '101',
    artifactName: NAME,
  });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const stored = world.artifacts.artifacts.get(NAME);
  expect(stored?.body && stored.id).toBeTruthy();
  const { actions } = world.github;
  actions.addWorkflowRun(FULL, { id: 101, workflowId: WORKFLOW, headSha: HEAD, event: 'pull_request' });
  actions.addRunArtifact(FULL, {
    id: stored?.id ?? 0,
    name: NAME,
    runId: 101,
    zip: stored?.body ?? Buffer.alloc(0),
  });
  // The merge: a later run of the same workflow on push. Artifact names are per run, so the name is free again.
  world.artifacts.artifacts.delete(NAME);
  actions.addPullRequest(FULL, { number: 7, headSha: HEAD, mergeCommitSha: MERGE_SHA });
  actions.addWorkflowRun(FULL, { id: 301, workflowId: WORKFLOW, headSha: MERGE_SHA, event: 'push' });
  return stored?.id ?? 0;
}

function merge(inputs: Record<string, string> = {}): Promise<RunOutcome> {
  return runAction(world, {
    event: pushEvent(MERGE_SHA),
    files: { [POLICY]: example },
    inputs,
    runId: '301',
    artifactName: NAME,
  });
}

describe('push to the default branch after a reviewed pull request', () => {
  it('applies when the instance is as reviewed, naming the pull request and run it was held to', async () => {
    const artifactId = await reviewInPullRequest();
    const r = await merge({ 'require-reviewed-plan': 'true' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(world.github.actions.downloads).toEqual([artifactId]);
    expect(r.stdout).toContain(`artifact ${NAME} (id ${artifactId}) of run 101`);
    expect(r.stdout).toContain(`enforcing the plan reviewed in pull request #7 (${PR_URL})`);
    expect(r.summary).toContain(`pull request [#7](${PR_URL})`);
    expect(r.summary).toContain(`run [101](${PLAN_RUN_URL})`);
    expect(workflowCommands(r.stdout, 'warning')).toEqual([]);
    const audit = csvRecords(String(r.artifact?.get('audit.csv')));
    expect(audit.filter((row) => row.outcome === 'applied').length).toBeGreaterThan(0);
    expect(audit.every((row) => row.trigger === 'merge' && row.commit === MERGE_SHA)).toBe(true);
    expect(world.sandbox.requests.length).toBeGreaterThan(0);
    expect(world.github.unhandled).toEqual([]);
  });

  it('refuses when the instance changed after the review, and writes nothing', async () => {
    await reviewInPullRequest();
    // Someone who never logged in joined long ago: the live plan now deactivates a user nobody reviewed.
    world.sandbox.store.addUser({
      name: 'dora',
      displayName: 'Dora Dormant',
      email: 'dora@example.com',
      created: '2020-01-01T00:00:00Z',
    });
    const r = await merge();
    expect(r.code).not.toBe(0);
    expect(world.sandbox.requests).toEqual([]);
    expect(r.summary).toContain('apply refused');
    expect(r.summary).toContain('the reviewed plan is stale');
    expect(r.summary).toMatch(/\+ deactivate dora/);
    expect(workflowCommands(r.stdout, 'error').join('\n')).toContain('the reviewed plan is stale');
    expect(r.outputs['applied-count']).toBe('0');
  });

  it('without a pull request: refuses before reading the instance when required, else warns and applies', async () => {
    world.github.actions.addWorkflowRun(FULL, {
      id: 301,
      workflowId: WORKFLOW,
      headSha: MERGE_SHA,
      event: 'push',
    });
    const r = await merge({ 'require-reviewed-plan': 'true' });
    expect(r.code).not.toBe(0);
    const reason = 'commit ccccccc belongs to no pull request (pushed directly?)';
    expect(workflowCommands(r.stdout, 'error')).toEqual([
      `::error::refusing to apply: require-reviewed-plan is set and no reviewed plan was found for this merge: ${reason}. Nothing was changed.`,
    ]);
    expect(r.summary).toContain('apply refused');
    expect(world.sandbox.allRequests).toEqual([]);
    expect(r.artifact).toBeNull();

    const warned = await merge();
    expect(warned.code, warned.stdout + warned.stderr).toBe(0);
    expect(workflowCommands(warned.stdout, 'warning')).toEqual([
      `::warning::no reviewed plan was found for this merge: ${reason}. The live plan is applied, bounded by the limits; set require-reviewed-plan: true to refuse instead`,
    ]);
    expect(warned.summary).toContain('No reviewed plan was found for this merge');
    expect(Number(warned.outputs['applied-count'])).toBeGreaterThan(0);
  });
});
