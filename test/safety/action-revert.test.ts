// The Action's undo (issue 13), end to end from source against the sandbox and the GitHub fakes: an apply on
// push uploads its audit; `mode: plan` with `revert-run` plans the inverse for review (its plan.json in the
// artifact); `mode: revert` with the same run and that plan as `plan-artifact` applies it, and the instance is
// back except for deletions. A revert on a pull request is refused.
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model.ts';
import type { SandboxHandle } from '../../src/sandbox/index.ts';
import {
  csvRecords,
  dispatchEvent,
  EXAMPLE_POLICY,
  OWNER,
  pullRequestEvent,
  pushEvent,
  REPO,
  runAction,
  startWorld,
  type World,
} from '../e2e/action-env.ts';

const POLICY = 'policies/example.yml';
const FULL = `${OWNER}/${REPO}`;
const NAME = 'atlassian-user-policy';
const SHA = 'c'.repeat(40);

let example: string;
let world: World;
beforeEach(async () => {
  example ??= await readFile(EXAMPLE_POLICY, 'utf8');
  world = await startWorld();
});
afterEach(() => world.close());

function state(sb: SandboxHandle): Record<string, { active: boolean; groups: string[] }> {
  return Object.fromEntries(
    sb.store.users().map((u) => [u.name, { active: u.active, groups: sb.store.groupsOf(u).sort() }]),
  );
}

/** Makes the artifact a run uploaded visible as that run's, and frees its name for the next run. */
function publish(runId: number): Buffer {
  const stored = world.artifacts.artifacts.get(NAME);
  expect(stored?.body, `artifact of run ${runId} uploaded`).toBeTruthy();
  world.github.actions.addWorkflowRun(FULL, {
    id: runId,
    workflowId: 7,
    headSha: SHA,
    event: 'workflow_dispatch',
  });
  world.github.actions.addRunArtifact(FULL, { id: runId * 10, name: NAME, runId, zip: stored!.body! });
  world.artifacts.artifacts.delete(NAME);
  return stored!.body!;
}

describe('mode: revert', () => {
  it('plans the revert of a run for review, then applies it held to that plan: the instance is back', async () => {
    const before = state(world.sandbox);
    const applied = await runAction(world, {
      event: pushEvent(SHA),
      files: { [POLICY]: example },
      runId: '301',
      artifactName: NAME,
      source: true,
    });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const audit = csvRecords(String(applied.artifact?.get('audit.csv')));
    expect(audit.filter((r) => r.outcome === 'applied').length).toBeGreaterThan(10);
    publish(301);

    const planned = await runAction(world, {
      event: dispatchEvent(SHA, {}),
      files: { [POLICY]: example },
      inputs: { mode: 'plan', 'revert-run': '301' },
      runId: '401',
      artifactName: NAME,
      source: true,
    });
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
    expect(planned.summary).toContain('### Revert of 301');
    const plan = JSON.parse(String(planned.artifact?.get('plan.json'))) as Plan;
    expect(plan.policy.path).toBe('run 301/audit.csv');
    expect(plan.changes.map((c) => c.kind)).toContain('activate');
    const writes = world.sandbox.requests.length;
    publish(401);

    // The reviewed revert plan, as a workflow would download it (actions/download-artifact) into the workspace.
    const reverted = await runAction(world, {
      event: dispatchEvent(SHA, {}),
      files: { [POLICY]: example, 'reviewed/plan.json': JSON.stringify(plan) },
      inputs: { mode: 'revert', 'revert-run': '301', 'plan-artifact': 'reviewed' },
      runId: '501',
      artifactName: NAME,
      source: true,
    });
    expect(reverted.code, reverted.stdout + reverted.stderr).toBe(0);
    expect(world.sandbox.requests.length).toBeGreaterThan(writes);
    const undone = csvRecords(String(reverted.artifact?.get('audit.csv')));
    expect(undone.filter((r) => r.outcome === 'applied').length).toBe(plan.changes.length);
    expect(undone.every((r) => r.run_id === '501' && String(r.rule).startsWith('run 301/audit.csv:'))).toBe(
      true,
    );
    const deleted = audit
      .filter((r) => r.kind === 'delete' && r.outcome === 'applied')
      .map((r) => r.username);
    const created = audit
      .filter((r) => r.kind === 'create-user' && r.outcome === 'applied')
      .map((r) => r.username);
    const after = state(world.sandbox);
    for (const name of created) delete after[String(name)];
    for (const name of deleted) delete before[String(name)];
    expect(after).toEqual(before);
  }, 120_000);

  it('is refused on a pull request, and without the run to revert', async () => {
    const pr = await runAction(world, {
      event: pullRequestEvent({ number: 3, headSha: 'a'.repeat(40) }),
      files: { [POLICY]: example },
      inputs: { mode: 'revert', 'revert-run': '301' },
      runId: '601',
      artifactName: NAME,
      source: true,
    });
    expect(pr.code).toBe(1);
    expect(pr.stdout).toMatch(/::error::mode "revert" is refused on pull_request events/);
    const none = await runAction(world, {
      event: dispatchEvent(SHA, {}),
      files: { [POLICY]: example },
      inputs: { mode: 'revert' },
      runId: '602',
      artifactName: 'x602',
      source: true,
    });
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/mode "revert" needs input "revert-run"/);
    expect(world.sandbox.requests).toEqual([]);
  });
});
