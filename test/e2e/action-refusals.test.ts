// Read-only users do not come back as changes: the apply uploads what the instance refused as the artifact
// `<artifact-name>-refusals`; the next runs (a drift check with fail-on-changes, a pull request's plan) find
// the newest one made on the default branch, plan those changes as skipped with the instance's answer, and
// pass once only such users remain. An artifact of a pull-request run is never trusted. Runs the bundle.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  csvRecords,
  EXAMPLE_POLICY,
  OWNER,
  pullRequestEvent,
  pushEvent,
  REPO,
  runAction,
  scheduleEvent,
  startWorld,
  type World,
} from './action-env.ts';
import { readFile } from 'node:fs/promises';

const POLICY = 'policies/example.yml';
const FULL = `${OWNER}/${REPO}`;
const SHA = 'c'.repeat(40);

let example: string;
let world: World;
beforeEach(async () => {
  example ??= await readFile(EXAMPLE_POLICY, 'utf8');
  world = await startWorld();
});
afterEach(() => world.close());

/** Makes an uploaded artifact visible in the repository's artifact list, as made by run `runId`. */
function publish(name: string, runId: number, event: string, id = runId * 10): void {
  const stored = world.artifacts.artifacts.get(name);
  expect(stored?.body, `artifact ${name} was uploaded`).toBeTruthy();
  world.github.actions.addWorkflowRun(FULL, { id: runId, workflowId: 7, headSha: SHA, event });
  world.github.actions.addRunArtifact(FULL, { id, name, runId, zip: stored!.body! });
  world.artifacts.artifacts.delete(name);
}

describe('refusals carried between runs', () => {
  it('a drift check after an apply passes when only users the instance refused remain', async () => {
    const apply = await runAction(world, {
      event: pushEvent(SHA),
      files: { [POLICY]: example },
      runId: '301',
      artifactName: 'atlassian-user-policy',
    });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const refused = csvRecords(String(apply.artifact?.get('refused.csv')));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.run_id === '301' && r.policy === POLICY)).toBe(true);
    expect(new Set(refused.map((r) => r.kind))).toEqual(new Set(['deactivate', 'remove-access']));
    const writes = world.sandbox.requests.length;
    world.artifacts.artifacts.delete('atlassian-user-policy');
    publish('atlassian-user-policy-refusals', 301, 'push');

    const drift = await runAction(world, {
      event: scheduleEvent(SHA),
      files: { [POLICY]: example },
      inputs: { mode: 'plan', 'fail-on-changes': 'true' },
      runId: '401',
      artifactName: 'atlassian-user-policy',
    });
    expect(drift.code, drift.stdout + drift.stderr).toBe(0);
    expect(drift.stdout).toContain(`carrying ${refused.length} refusals of the apply in run 301`);
    expect(drift.outputs['has-changes']).toBe('false');
    expect(drift.summary).toMatch(/the instance refused this change on \d{4}-\d{2}-\d{2} \\\(run 301\\\)/);
    expect(world.sandbox.requests).toHaveLength(writes);
  });

  it('never trusts refusals uploaded by a pull-request run', async () => {
    const apply = await runAction(world, {
      event: pushEvent(SHA),
      files: { [POLICY]: example },
      runId: '301',
      artifactName: 'atlassian-user-policy',
    });
    expect(apply.code).toBe(0);
    world.artifacts.artifacts.delete('atlassian-user-policy');
    publish('atlassian-user-policy-refusals', 302, 'pull_request');
    const drift = await runAction(world, {
      event: pullRequestEvent({ number: 9, headSha: 'd'.repeat(40) }),
      files: { [POLICY]: example },
      inputs: { 'fail-on-changes': 'true' },
      runId: '402',
      artifactName: 'plan-402',
    });
    expect(drift.stdout).toContain('no refusals carried from an earlier apply: no unexpired artifact');
    expect(drift.outputs['has-changes']).toBe('true');
  });
});
