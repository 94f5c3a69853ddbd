// The committed Action bundle (dist/index.js), run as a child process with the environment of each event,
// against the sandbox (Jira DC), the fake GitHub REST API and the fake artifact service that the real
// @actions/artifact client uploads to. Run `npm run build` first: this tests the bundle, not src/.
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model.ts';
import { ACTIONS_BOT } from '../fakes/github-api.ts';
import {
  ACTOR,
  BASE_SHA,
  csvRecords,
  dispatchEvent,
  EXAMPLE_POLICY,
  OWNER,
  pullRequestEvent,
  pushEvent,
  REPO,
  runAction,
  scheduleEvent,
  startWorld,
  workflowCommands,
  type EventSpec,
  type RunOutcome,
  type World,
} from './action-env.ts';

const POLICY = 'policies/example.yml';
const MARKER = `<!-- atlassian-user-policy:${POLICY} -->`;
const PR = `${OWNER}/${REPO}#7`;
const MERGE_SHA = 'c'.repeat(40);

let example: string;
let world: World;
beforeEach(async () => {
  example ??= await readFile(EXAMPLE_POLICY, 'utf8');
  world = await startWorld();
});
afterEach(() => world.close());

/** The example policy without its `dormant` rule: what the default branch had before the pull request. */
function withoutDormant(policy: string): string {
  const out = policy.replace(/\n {2}- name: dormant\n(?: {4}.*\n)+/, '\n');
  expect(out).not.toContain('dormant');
  return out;
}

function planOf(r: RunOutcome, file = 'plan.json'): Plan {
  const json = r.artifact?.get(file);
  expect(json, `${file} in the artifact`).toBeDefined();
  return JSON.parse(String(json)) as Plan;
}

/** No secret reaches the comment, the summary, the outputs or the artifact. */
function expectNoSecrets(r: RunOutcome): void {
  const { token, appPassword } = world.sandbox.credentials;
  const texts = [
    r.summary,
    JSON.stringify(r.outputs),
    ...world.github.comments.map((c) => c.body),
    ...[...(r.artifact?.values() ?? [])].map(String),
  ];
  for (const t of texts) {
    expect(t).not.toContain(token);
    expect(t).not.toContain(appPassword);
  }
}

describe('pull_request', () => {
  it('plans read-only, comments once and updates it in place, and calls out what the edit adds', async () => {
    world.github.addFile(`${OWNER}/${REPO}`, BASE_SHA, POLICY, withoutDormant(example));
    const first = await runAction(world, {
      event: pullRequestEvent({ number: 7, headSha: 'a'.repeat(40) }),
      files: { [POLICY]: example },
      runId: '101',
      artifactName: 'plan-101',
    });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain('pull request #7: plan only, nothing is applied');

    // Nothing but reads reached the instance.
    expect(world.sandbox.requests).toEqual([]);
    expect(world.sandbox.allRequests.length).toBeGreaterThan(0);

    // The artifact: the four plan files, each parsing, all describing the same plan.
    const plan = planOf(first);
    expect([...(first.artifact?.keys() ?? [])].sort()).toEqual([
      'inventory.csv',
      'plan.csv',
      'plan.json',
      'plan.md',
    ]);
    expect(plan.formatVersion).toBe(2);
    expect(plan.policy.path).toBe(POLICY);
    expect(plan.changes.length).toBeGreaterThan(10);
    const planRows = csvRecords(String(first.artifact?.get('plan.csv')));
    expect(planRows.filter((row) => row.type === 'change')).toHaveLength(plan.changes.length);
    expect(planRows.filter((row) => row.type === 'skipped')).toHaveLength(plan.skipped.length);
    const inventory = csvRecords(String(first.artifact?.get('inventory.csv')));
    expect(inventory).toHaveLength(world.sandbox.store.users().length);
    expect(inventory[0]).toHaveProperty('username');
    expect(String(first.artifact?.get('plan.md'))).toContain(`### Atlassian user policy: ${POLICY}`);
    const stored = world.artifacts.artifacts.get('plan-101');
    expect(stored?.finalized).toBe(true);

    // One sticky comment by the token's identity, marker first, with the PR's own changes under the status.
    const comments = world.github.commentsOn(PR);
    expect(comments).toHaveLength(1);
    const [comment] = comments;
    expect(comment?.user.login).toBe(ACTIONS_BOT.login);
    expect(comment?.body.startsWith(`${MARKER}\n### Atlassian user policy: ${POLICY}\n`)).toBe(true);
    const dormant = plan.changes.filter((c) => c.rule.type === 'inactivity' && c.rule.name === 'dormant');
    expect(dormant.length).toBeGreaterThan(0);
    const newRule = `- rule **dormant** — **newly enforced**: ⚠️ deactivate ${dormant.length} users`;
    expect(comment?.body).toContain('#### Changes this pull request adds');
    expect(comment?.body).toContain(newRule);
    expect(comment?.body).toMatch(
      /The edit also drops \d+ changes? the policy on main \\\(bbbbbbb\\\) plans/,
    );
    expect(comment?.body.indexOf('#### Changes this pull request adds')).toBeLessThan(
      comment?.body.indexOf('| Change | Count |') ?? 0,
    );
    const contents = world.github.requests.filter((q) => q.path.includes('/contents/'));
    expect(contents.map((q) => [q.path, q.query.ref, q.status])).toEqual([
      [`/repos/${OWNER}/${REPO}/contents/policies%2Fexample.yml`, BASE_SHA, 200],
    ]);

    // The job summary: the same report, with the chart and the run link.
    expect(first.summary).toContain(`### Atlassian user policy: ${POLICY}`);
    expect(first.summary).toContain(newRule);
    expect(first.summary).toContain('```mermaid');
    expect(first.summary).toContain(`[Workflow run](${first.runUrl})`);

    // Outputs, all strings.
    expect(first.outputs).toMatchObject({
      'has-changes': 'true',
      'changes-count': String(plan.changes.length),
      'applied-count': '0',
      'failed-count': '0',
      'comment-id': String(comment?.id),
      'artifact-id': String(stored?.id),
    });
    expect(first.outputs['out-dir']).toMatch(/runner-temp[/\\]atlassian-user-policy$/);
    expect(first.outputs.summary).toBe(
      `${plan.changes.length} changes (${plan.summary.destructive} destructive) in 1 policy file`,
    );
    expectNoSecrets(first);

    // A second commit on the pull request raises a threshold: the same comment is updated in place.
    const edited = example.replace('inactive_days: 60', 'inactive_days: 75');
    expect(edited).not.toBe(example);
    const second = await runAction(world, {
      event: pullRequestEvent({ number: 7, headSha: 'd'.repeat(40) }),
      files: { [POLICY]: edited },
      runId: '102',
      artifactName: 'plan-102',
    });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain(`comment updated (${comment?.id})`);
    const after = world.github.commentsOn(PR);
    expect(after).toHaveLength(1);
    expect(after[0]?.id).toBe(comment?.id);
    expect(after[0]?.body).toContain('threshold 75');
    expect(after[0]?.body).not.toContain('threshold 60');
    expect(after[0]?.body).toContain(newRule);
    expect(world.github.writes().map((w) => w.method)).toEqual(['POST', 'PATCH']);
    expect(second.outputs['comment-id']).toBe(String(comment?.id));
    expect(planOf(second).changes.length).toBeLessThan(plan.changes.length);
    expect(world.sandbox.requests).toEqual([]);
    expect(world.github.unhandled).toEqual([]);
  });

  it('from a fork: validates offline, says why in a notice, and neither comments nor reads the instance', async () => {
    world.github.options.forbidWrites = true;
    const r = await runAction(world, {
      event: pullRequestEvent({ number: 8, headSha: 'e'.repeat(40), fork: true }),
      files: { [POLICY]: example },
      secrets: false,
      runId: '201',
      artifactName: 'plan-201',
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const notices = workflowCommands(r.stdout, 'notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('comes from a fork');
    expect(workflowCommands(r.stdout, 'error')).toEqual([]);
    expect(r.summary).toContain('1 policy file valid');
    expect(r.summary).toContain('validated offline');
    expect(r.outputs).toMatchObject({
      'has-changes': 'false',
      'changes-count': '0',
      summary: 'validated only',
    });
    expect(world.github.comments).toEqual([]);
    expect(world.github.requests).toEqual([]);
    expect(world.sandbox.allRequests).toEqual([]);
    expect(r.artifact).toBeNull();
  });
});

describe('apply events', () => {
  const cases: [string, (sha: string) => EventSpec, Record<string, string>, string][] = [
    ['push to the default branch', pushEvent, {}, 'merge'],
    ['schedule', scheduleEvent, {}, 'automatic'],
    [
      'workflow_dispatch with mode apply',
      (sha) => dispatchEvent(sha, { mode: 'apply' }),
      { mode: 'apply' },
      'manual',
    ],
  ];

  it.each(cases)('%s applies the policy and audits every change', async (_name, event, inputs, trigger) => {
    const activeBefore = world.sandbox.store.users().filter((u) => u.active).length;
    const r = await runAction(world, {
      event: event(MERGE_SHA),
      files: { [POLICY]: example },
      inputs,
      runId: '301',
      artifactName: 'apply-301',
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);

    // What the apply re-planned, under its own names (a reviewed plan.json is never overwritten), and the audit.
    const plan = planOf(r, 'apply-plan.json');
    const audit = csvRecords(String(r.artifact?.get('audit.csv')));
    expect([...(r.artifact?.keys() ?? [])].sort()).toEqual([
      'apply-inventory.csv',
      'apply-plan.csv',
      'apply-plan.json',
      'apply-plan.md',
      'audit.csv',
      'refused.csv',
    ]);
    expect(r.summary).toContain('Full plan in apply-plan.md, apply-plan.json of the artifact **apply-301**');
    expect(audit).toHaveLength(plan.changes.length);
    for (const row of audit) {
      expect(row).toMatchObject({
        run_id: '301',
        trigger,
        actor: ACTOR,
        commit: MERGE_SHA,
        run_url: r.runUrl,
        platform: 'jira-dc',
      });
    }
    // Users of the read-only LDAP directory are skipped by the instance (the Jira DC snapshot cannot
    // tell their directory apart yet), so the audit says skipped with the reason; nothing fails.
    expect(new Set(audit.map((row) => row.outcome))).toEqual(new Set(['applied', 'skipped']));
    const applied = audit.filter((row) => row.outcome === 'applied');
    expect(applied.length).toBeGreaterThan(plan.changes.length / 2);

    // The instance changed: every deactivation the audit calls applied happened.
    const deactivated = applied.filter((row) => row.kind === 'deactivate').map((row) => row.username ?? '');
    expect(deactivated.length).toBeGreaterThan(0);
    for (const name of deactivated) expect(world.sandbox.store.userByName(name)?.active, name).toBe(false);
    expect(world.sandbox.store.userByName('carol')).toBeDefined();
    expect(world.sandbox.store.users().filter((u) => u.active).length).toBeLessThan(activeBefore);
    expect(world.sandbox.requests.length).toBeGreaterThan(0);

    expect(r.outputs).toMatchObject({
      'has-changes': 'true',
      'changes-count': String(plan.changes.length),
      'applied-count': String(applied.length),
      'failed-count': '0',
      'comment-id': '',
    });
    expect(r.summary).toContain(`### Atlassian user policy: ${POLICY}`);
    expect(world.github.comments).toEqual([]);
    expectNoSecrets(r);
  });
});

describe('apply beside the reviewed plan', () => {
  it('leaves the reviewed plan files in out-dir byte-identical and writes its own beside them', async () => {
    const reviewed = await runAction(world, {
      event: pullRequestEvent({ number: 7, headSha: 'a'.repeat(40) }),
      files: { [POLICY]: example },
      runId: '101',
      artifactName: 'plan-101',
    });
    expect(reviewed.code, reviewed.stdout + reviewed.stderr).toBe(0);
    const files = ['plan.json', 'plan.md', 'plan.csv', 'inventory.csv'];
    const before = new Map(files.map((f) => [f, reviewed.artifact?.get(f) ?? Buffer.alloc(0)]));
    // The downloaded plan artifact is the out-dir of the apply, and the plan it enforces.
    const r = await runAction(world, {
      event: pushEvent(MERGE_SHA),
      files: {
        [POLICY]: example,
        ...Object.fromEntries(files.map((f) => [`out/${f}`, String(before.get(f))])),
      },
      inputs: { 'plan-artifact': 'out/plan.json', 'out-dir': 'out' },
      runId: '301',
      artifactName: 'apply-301',
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(Number(r.outputs['applied-count'])).toBeGreaterThan(0);
    for (const f of files)
      expect(r.artifact?.get(f)?.equals(before.get(f)!), `${f} is byte-identical`).toBe(true);
    for (const f of [
      'apply-plan.json',
      'apply-plan.md',
      'apply-plan.csv',
      'apply-inventory.csv',
      'audit.csv',
    ])
      expect(r.artifact?.get(f)?.length, f).toBeGreaterThan(0);
    expect(planOf(r, 'apply-plan.json').changes).toEqual(planOf(reviewed).changes);
  });
});

describe('policy errors', () => {
  it('an invalid policy fails the step with annotations at file:line and applies nothing', async () => {
    const bad = example.replace('inactive_days: 90', 'inactive_days: ninety');
    const r = await runAction(world, {
      event: pushEvent(MERGE_SHA),
      files: { [POLICY]: bad },
      runId: '401',
      artifactName: 'apply-401',
    });
    expect(r.code).not.toBe(0);
    const line = bad.split('\n').findIndex((l) => l.includes('ninety')) + 1;
    const errors = workflowCommands(r.stdout, 'error');
    expect(errors[0]).toMatch(
      new RegExp(`^::error title=.*,file=${POLICY},line=${line},col=\\d+::.*expected a positive integer`),
    );
    expect(errors.at(-1)).toContain('1 policy error; see the annotations');
    expect(r.summary).toContain('invalid policy');
    expect(r.summary).toContain(`${POLICY}:${line}:`);
    expect(world.sandbox.allRequests).toEqual([]);
    expect(r.artifact).toBeNull();
  });

  it('a policy that names a group the instance lacks is annotated where it names it', async () => {
    const ghost = example.replace(
      '  developers:\n',
      '  ghosts:\n    mode: exact\n    members: [alice]\n  developers:\n',
    );
    const r = await runAction(world, {
      event: pullRequestEvent({ number: 9, headSha: 'a'.repeat(40) }),
      files: { [POLICY]: ghost },
      runId: '402',
      artifactName: 'plan-402',
    });
    expect(r.code).not.toBe(0);
    // The planner locates the problem at the value of groups.ghosts, the line after its key.
    const line = ghost.split('\n').findIndex((l) => l.includes('ghosts:')) + 2;
    const errors = workflowCommands(r.stdout, 'error');
    expect(errors[0]).toMatch(
      new RegExp(`^::error title=.*,file=${POLICY},line=${line},col=\\d+::.*group "ghosts" does not exist`),
    );
    expect(r.summary).toContain('does not fit the instance');
    expect(world.sandbox.requests).toEqual([]);
    expect(world.github.comments).toEqual([]);
  });
});
