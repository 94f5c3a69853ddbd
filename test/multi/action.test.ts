// Done when (Action): the same repository of three instances (Jira DC and Cloud sandboxes, a Confluence DC that does
// not answer) in one step: a pull request's plan has one sticky comment with a section per instance and the failed
// one said; a manual apply audits both reachable instances and carries their history; the next scheduled plan
// reports the drift since that run (an admin re-activated a user and joined jira-administrators) and holds the
// re-activated user back. Runs src/ (the bundle is rebuilt after merging).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeArtifactService } from '../fakes/artifact-service.ts';
import { startFakeGitHub } from '../fakes/github-api.ts';
import {
  csvRecords,
  dispatchEvent,
  GITHUB_TOKEN,
  OWNER,
  pullRequestEvent,
  REPO,
  runStep,
  scheduleEvent,
  type World,
  workflowCommands,
} from '../e2e/action-env.ts';
import type { Plan } from '../../src/model.ts';
import { CANARY, NOW, type Repo, startRepo } from './fixture.ts';

const FULL = `${OWNER}/${REPO}`;
const SHA = 'c'.repeat(40);
const ARTIFACT = 'atlassian-user-policy';

let repo: Repo;
let world: World;
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
});
afterEach(() => world.close());

const step = (mode: string, env: Record<string, string> = {}) => ({
  INPUT_POLICY: 'policies/*.yml',
  INPUT_MODE: mode,
  'INPUT_GITHUB-TOKEN': GITHUB_TOKEN,
  INPUT_NOW: NOW.toISOString(),
  INPUT_COMMENT: 'true',
  'INPUT_ARTIFACT-NAME': ARTIFACT,
  ...repo.env,
  ...env,
});

/** Makes the artifacts a run uploaded visible as made by run `runId` on main, which succeeded. */
function publish(runId: number, names: string[]): void {
  world.github.actions.addWorkflowRun(FULL, {
    id: runId,
    workflowId: 7,
    headSha: SHA,
    event: 'workflow_dispatch',
    conclusion: 'success',
    headBranch: 'main',
  });
  for (const [i, name] of names.entries()) {
    const stored = world.artifacts.artifacts.get(name);
    expect(stored?.body, `artifact ${name} was uploaded`).toBeTruthy();
    world.github.actions.addRunArtifact(FULL, { id: runId * 10 + i, name, runId, zip: stored!.body! });
    world.artifacts.artifacts.delete(name);
  }
}

describe('the Action over three instances', { timeout: 240_000 }, () => {
  it('plans a pull request: one comment with every instance, the unreachable one failed and said', async () => {
    const files = repo.files;
    const r = await runStep(world, {
      event: pullRequestEvent({ number: 7, headSha: 'a'.repeat(40) }),
      files,
      runId: '101',
      artifactName: ARTIFACT,
      source: true,
      env: step('plan'),
    });
    expect(r.code).toBe(1);
    expect(workflowCommands(r.stdout, 'error').join('\n')).toMatch(/policies\/wiki\.yml: .*ECONNREFUSED/);
    expect(r.summary).toContain('### Atlassian user policy: 3 instances: 2 planned, 1 failed;');
    expect(world.github.comments).toHaveLength(1);
    const comment = world.github.comments[0]!.body;
    expect(comment.length).toBeLessThan(65_536);
    expect(comment).toContain('❌ failed | policies/wiki.yml');
    expect(comment).toContain('#### ❌ policies/wiki.yml');
    expect(comment).toContain('Atlassian user policy: policies/jira.yml');
    expect(comment).toContain('Atlassian user policy: policies/cloud.yml');
    // Each instance's files in its own directory of the artifact.
    for (const dir of ['policies-jira', 'policies-cloud']) {
      const plan = JSON.parse(String(r.artifact?.get(`${dir}/plan.json`))) as Plan;
      expect(plan.changes.length).toBeGreaterThan(0);
    }
    expect(r.artifact?.has('policies-wiki/plan.json')).toBe(false);
    // No previous run: drift is said to be unavailable, not "none".
    expect(r.summary).toContain('Drift not computed');
    // Masked as a secret, but used by no instance: each policy names its own variables.
    expect(r.stdout.replace(/^::add-mask::.*$/gm, '') + r.summary + comment).not.toContain(CANARY);
    expect(world.sandbox.requests).toEqual([]);
  });

  it('applies, carries the history, and the next plan reports drift and holds a re-activated user back', async () => {
    const files = repo.files;
    const applied = await runStep(world, {
      event: dispatchEvent(SHA, { mode: 'apply' }),
      files,
      runId: '301',
      artifactName: ARTIFACT,
      source: true,
      env: step('apply'),
    });
    expect(applied.code).toBe(1); // the unreachable instance
    expect(applied.summary).toContain('3 instances: 2 applied, 1 failed;');
    const audit = csvRecords(String(applied.artifact?.get('policies-jira/audit.csv')));
    const deactivated = audit.filter((row) => row.kind === 'deactivate' && row.outcome === 'applied');
    expect(deactivated.length).toBeGreaterThan(0);
    expect(csvRecords(String(applied.artifact?.get('policies-cloud/audit.csv'))).length).toBeGreaterThan(0);
    expect(world.artifacts.artifacts.get(`${ARTIFACT}-history`)?.body).toBeTruthy();
    publish(301, [ARTIFACT, `${ARTIFACT}-history`, `${ARTIFACT}-refusals`]);

    // Outside the policy: an admin re-activates one deactivated user and makes another an administrator.
    const back = repo.jira.store.userByName(deactivated[0]!.username!)!;
    back.active = true;
    const newcomer = repo.jira.store
      .users()
      .find(
        (u) => u.active && u.name !== 'admin' && !repo.jira.store.isDirectMember('jira-administrators', u),
      )!;
    repo.jira.store.addMember('jira-administrators', newcomer);

    const nightly = await runStep(world, {
      event: scheduleEvent(SHA),
      files,
      runId: '401',
      artifactName: ARTIFACT,
      source: true,
      env: step('plan'),
    });
    expect(nightly.summary).toContain('Drift since');
    expect(nightly.summary).toContain(
      'Drift since run 301: policies-jira/apply-inventory.csv: 2 changes outside the policy',
    );
    expect(nightly.summary).toContain(
      `${newcomer.name} added to jira-administrators \\(admin group\\) outside the policy`,
    );
    expect(nightly.summary).toContain(
      `${back.name} re-activated by hand after this tool deactivated the account on`,
    );
    const plan = JSON.parse(String(nightly.artifact?.get('policies-jira/plan.json'))) as Plan;
    expect(plan.skipped.find((s) => s.user === back.name)).toMatchObject({ why: 'reactivated-by-hand' });
    const driftCsv = csvRecords(String(nightly.artifact?.get('policies-jira/drift.csv')));
    expect(driftCsv.map((d) => d.kind).sort()).toEqual(['member-added', 'reactivated']);

    // A scheduled apply reports the same drift, against what it read before applying, and holds the user back too.
    world.artifacts.artifacts.clear(); // artifact names are per run
    const nightlyApply = await runStep(world, {
      event: scheduleEvent(SHA),
      files,
      runId: '501',
      artifactName: ARTIFACT,
      source: true,
      env: step('apply'),
    });
    expect(nightlyApply.summary).toContain(
      'Drift since run 301: policies-jira/apply-inventory.csv: 2 changes',
    );
    expect(csvRecords(String(nightlyApply.artifact?.get('policies-jira/drift.csv'))).length).toBe(2);
    expect(repo.jira.store.userByName(back.name)?.active).toBe(true);
    const held = csvRecords(String(nightlyApply.artifact?.get('policies-jira/audit.csv'))).filter(
      (row) => row.username === back.name,
    );
    expect(held).toMatchObject([{ outcome: 'skipped', kind: 'deactivate' }]);
    expect(held[0]!.error).toMatch(/^held back: re-activated by hand/);
  });
});
