// The pull request's last plan, looked up against the fake GitHub REST API and downloaded by the REAL
// @actions/artifact client (artifact zip endpoint → 302 → signed blob URL). The zip is the one the real
// client uploaded to the fake artifact service.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeArtifactService, type FakeArtifactService } from '../fakes/artifact-service.ts';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-api.ts';
import { captureStdout } from './stdout.ts';
import { smallPlan } from '../report/fixtures.ts';

// @actions/github (which the artifact client calls) reads GITHUB_API_URL when it is first imported, so the
// modules under test are imported after the fake is up and the variable is set.
type PrPlan = typeof import('../../src/github/pr-plan.ts');
let prPlan: PrPlan;
let octokit: import('../../src/github/comment.ts').Octokit;
let github: FakeGitHub;
let service: FakeArtifactService;
let tmp: string;
let zip: Buffer;
const stdout = captureStdout();

const OWNER = 'acme';
const SHA = 'c'.repeat(40);
const HEAD = 'a'.repeat(40);
const THIS_RUN = 900;
const WORKFLOW = 42;
const NAME = 'atlassian-user-policy';
const plan = (policyPath: string) => ({ ...smallPlan(), policy: { path: policyPath, sha256: 'x' } });

beforeAll(async () => {
  [github, service, tmp] = await Promise.all([
    startFakeGitHub(),
    startFakeArtifactService(),
    mkdtemp(path.join(tmpdir(), 'aup-pr-plan-')),
  ]);
  vi.stubEnv('GITHUB_API_URL', github.url);
  vi.stubEnv('GITHUB_SERVER_URL', 'https://github.com');
  vi.stubEnv('GITHUB_RETENTION_DAYS', '');
  vi.stubEnv('ACTIONS_RUNTIME_TOKEN', service.env.ACTIONS_RUNTIME_TOKEN);
  vi.stubEnv('ACTIONS_RESULTS_URL', service.env.ACTIONS_RESULTS_URL);
  prPlan = await import('../../src/github/pr-plan.ts');
  octokit = (await import('@actions/github')).getOctokit('ghs_test');

  // The plan job's artifact: one directory per policy file, as main.ts lays out several policies.
  const out = path.join(tmp, 'plan-out');
  for (const name of ['a', 'b']) {
    await mkdir(path.join(out, `policies-${name}`), { recursive: true });
    await writeFile(
      path.join(out, `policies-${name}`, 'plan.json'),
      JSON.stringify(plan(`policies/${name}.yml`)),
    );
    await writeFile(path.join(out, `policies-${name}`, 'plan.csv'), 'type,kind\r\n');
  }
  const { uploadArtifact } = await import('../../src/github/artifacts.ts');
  const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const files = ['a', 'b'].flatMap((n) =>
    ['plan.json', 'plan.csv'].map((f) => path.join(out, `policies-${n}`, f)),
  );
  await uploadArtifact({ name: NAME, files, rootDir: out }).finally(() => quiet.mockRestore());
  zip = service.artifacts.get(NAME)?.body ?? Buffer.alloc(0);
  expect(zip.subarray(0, 2).toString()).toBe('PK');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([github.close(), service.close()]);
  await rm(tmp, { recursive: true, force: true });
});

let repo: string;
let n = 0;
beforeEach(() => {
  repo = `repo-${++n}`; // each test its own repository in the one fake
});

/** A merged pull request #7 whose head has a successful plan run 101 with the artifact (id 1000). */
function registerReviewedPr(
  o: { artifact?: Partial<{ name: string; expired: boolean; digest: string }> } = {},
) {
  const full = `${OWNER}/${repo}`;
  github.actions.addPullRequest(full, { number: 7, headSha: HEAD, mergeCommitSha: SHA });
  github.actions.addWorkflowRun(full, { id: THIS_RUN, workflowId: WORKFLOW, headSha: SHA, event: 'push' });
  github.actions.addWorkflowRun(full, { id: 99, workflowId: WORKFLOW, headSha: HEAD, event: 'pull_request' });
  github.actions.addWorkflowRun(full, {
    id: 101,
    workflowId: WORKFLOW,
    headSha: HEAD,
    event: 'pull_request',
  });
  github.actions.addWorkflowRun(full, {
    id: 102,
    workflowId: WORKFLOW,
    headSha: HEAD,
    event: 'pull_request',
    conclusion: 'failure',
  });
  // Another workflow's run of the same head is never used.
  github.actions.addWorkflowRun(full, { id: 103, workflowId: 7, headSha: HEAD, event: 'pull_request' });
  github.actions.addRunArtifact(full, { id: 1000, name: NAME, runId: 101, zip, ...o.artifact });
}

async function find(over: Partial<Parameters<PrPlan['findPullRequestPlan']>[0]> = {}) {
  const dir = path.join(tmp, repo);
  const r = await prPlan.findPullRequestPlan({
    octokit,
    token: 'ghs_test',
    owner: OWNER,
    repo,
    sha: SHA,
    runId: String(THIS_RUN),
    artifactName: NAME,
    dir,
    ...over,
  });
  return { r, dir };
}

describe('findPullRequestPlan', () => {
  it('finds the merged pull request, the last successful run of this workflow, and extracts its plans', async () => {
    registerReviewedPr();
    const { r, dir } = await find();
    expect(r.found, r.found ? '' : r.reason).toBe(true);
    if (!r.found) return;
    expect(r.pr).toEqual({ number: 7, url: `https://github.com/${OWNER}/${repo}/pull/7`, headSha: HEAD });
    expect(r.run).toMatchObject({ id: 101, url: `https://github.com/${OWNER}/${repo}/actions/runs/101` });
    expect(r.artifact).toEqual({ id: 1000, name: NAME });
    expect(r.plans.map((p) => p.policy.path).sort()).toEqual(['policies/a.yml', 'policies/b.yml']);
    expect((await readdir(dir, { recursive: true })).sort()).toEqual([
      'policies-a',
      'policies-a/plan.csv',
      'policies-a/plan.json',
      'policies-b',
      'policies-b/plan.csv',
      'policies-b/plan.json',
    ]);
    expect(JSON.parse(await readFile(path.join(dir, 'policies-b/plan.json'), 'utf8'))).toEqual(
      plan('policies/b.yml'),
    );
    // The client asked the public API for the zip, got the redirect and followed it to the blob.
    const zipCalls = github.requests.filter((q) => q.path.endsWith('/actions/artifacts/1000/zip'));
    expect(zipCalls.map((q) => [q.status, q.token])).toEqual([[302, 'ghs_test']]);
    expect(github.actions.downloads).toContain(1000);
    const runsQuery = github.requests.find(
      (q) => q.path === `/repos/${OWNER}/${repo}/actions/workflows/42/runs`,
    );
    expect(runsQuery?.query).toMatchObject({ head_sha: HEAD, event: 'pull_request', status: 'success' });
    expect(github.unhandled).toEqual([]);
  });

  it('says why when the commit belongs to no pull request, or to several none of which merged as it', async () => {
    expect((await find()).r).toEqual({
      found: false,
      reason: 'commit ccccccc belongs to no pull request (pushed directly?)',
    });
    github.actions.addPullRequest(`${OWNER}/${repo}`, {
      number: 3,
      headSha: 'd'.repeat(40),
      mergeCommitSha: null,
      commits: [SHA],
    });
    github.actions.addPullRequest(`${OWNER}/${repo}`, {
      number: 4,
      headSha: 'e'.repeat(40),
      mergeCommitSha: null,
      commits: [SHA],
    });
    const { r } = await find();
    expect(r.found ? '' : r.reason).toBe(
      'commit ccccccc belongs to 2 pull requests (#3, #4) and none was merged as it',
    );
  });

  it('says why when the pull request has no successful run of this workflow', async () => {
    const full = `${OWNER}/${repo}`;
    github.actions.addPullRequest(full, { number: 7, headSha: HEAD, mergeCommitSha: SHA });
    github.actions.addWorkflowRun(full, { id: THIS_RUN, workflowId: WORKFLOW, headSha: SHA, event: 'push' });
    github.actions.addWorkflowRun(full, {
      id: 5,
      workflowId: WORKFLOW,
      headSha: HEAD,
      event: 'pull_request',
      conclusion: 'failure',
    });
    github.actions.addWorkflowRun(full, { id: 6, workflowId: 8, headSha: HEAD, event: 'pull_request' });
    const { r } = await find();
    expect(r.found ? '' : r.reason).toMatch(
      /^no successful run of this workflow for the head aaaaaaa of pull request #7/,
    );
  });

  it('says why when the run has no such artifact, or it expired, and downloads nothing', async () => {
    registerReviewedPr({ artifact: { name: 'other' } });
    const missing = await find();
    expect(missing.r.found ? '' : missing.r.reason).toBe(
      `run 101 of pull request #7 has no artifact named ${NAME}`,
    );
    repo = `${repo}-expired`;
    registerReviewedPr({ artifact: { expired: true } });
    const expired = await find();
    expect(expired.r.found ? '' : expired.r.reason).toBe(
      `artifact ${NAME} of run 101 (pull request #7) expired on 2026-11-01T00:00:00Z`,
    );
    expect(github.requests.filter((q) => q.path.includes(repo) && q.path.endsWith('/zip'))).toEqual([]);
  });

  it('refuses bytes that do not match the artifact digest', async () => {
    registerReviewedPr({ artifact: { digest: `sha256:${'0'.repeat(64)}` } });
    const { r } = await find();
    expect(r.found ? '' : r.reason).toMatch(/the bytes do not match the artifact's digest sha256:0{64}$/);
  });

  it('names the missing permission when the token may not read Actions', async () => {
    registerReviewedPr();
    github.actions.forbidden = true;
    try {
      const { r } = await find();
      expect(r.found ? '' : r.reason).toBe(
        'reading this workflow run 900: 403 Resource not accessible by integration (the job needs the permissions actions: read and pull-requests: read)',
      );
    } finally {
      github.actions.forbidden = false;
    }
  });
});

describe('reviewedPlansForApply', () => {
  const settings = {
    planArtifact: null,
    requireReviewedPlan: false,
    artifactName: NAME,
    githubToken: 'ghs_test',
  };
  const merge = () => ({ trigger: 'merge' as const, repo: { owner: OWNER, repo }, sha: SHA });
  const opts = () => ({ octokit, runId: String(THIS_RUN), dir: path.join(tmp, `${repo}-apply`) });

  it('enforces the pull request plan on a merge and says so in the log and the summary', async () => {
    registerReviewedPr();
    const summary = path.join(tmp, `${repo}-summary.md`);
    await writeFile(summary, '');
    vi.stubEnv('GITHUB_STEP_SUMMARY', summary);
    const source = await prPlan.reviewedPlansForApply(settings, merge(), opts());
    expect(source).toMatchObject({ kind: 'enforce', label: 'the plan of pull request #7' });
    await prPlan.reportReviewedSource(source);
    expect(stdout.text()).toContain(
      `enforcing the plan reviewed in pull request #7 (https://github.com/${OWNER}/${repo}/pull/7)`,
    );
    const text = await readFile(summary, 'utf8');
    expect(text).toContain(`pull request [#7](https://github.com/${OWNER}/${repo}/pull/7)`);
    expect(text).toContain(`run [101](https://github.com/${OWNER}/${repo}/actions/runs/101)`);
  });

  it('without a reviewed plan: warns and applies the live plan, or refuses when require-reviewed-plan is set', async () => {
    const warned = await prPlan.reviewedPlansForApply(settings, merge(), opts());
    expect(warned).toEqual({
      kind: 'unreviewed',
      reason: 'commit ccccccc belongs to no pull request (pushed directly?)',
    });
    await prPlan.reportReviewedSource(warned);
    expect(stdout.lines().filter((l) => l.startsWith('::warning'))).toEqual([
      '::warning::no reviewed plan was found for this merge: commit ccccccc belongs to no pull request (pushed directly?). The live plan is applied, bounded by the limits; set require-reviewed-plan: true to refuse instead',
    ]);
    const refused = await prPlan.reviewedPlansForApply(
      { ...settings, requireReviewedPlan: true },
      merge(),
      opts(),
    );
    expect(refused).toEqual({
      kind: 'refused',
      reason: 'commit ccccccc belongs to no pull request (pushed directly?)',
    });
    const noToken = await prPlan.reviewedPlansForApply(
      { ...settings, githubToken: null, requireReviewedPlan: true },
      merge(),
      {
        ...opts(),
        octokit: null,
      },
    );
    expect(noToken).toEqual({ kind: 'refused', reason: 'no github-token to look the pull request up with' });
  });

  it('looks nothing up for scheduled or manual applies, and plan-artifact wins over the pull request', async () => {
    registerReviewedPr();
    const before = github.requests.length;
    expect(
      await prPlan.reviewedPlansForApply(
        { ...settings, requireReviewedPlan: true },
        { ...merge(), trigger: 'automatic' },
        opts(),
      ),
    ).toEqual({
      kind: 'none',
    });
    const file = path.join(tmp, `${repo}-plan.json`);
    await writeFile(file, JSON.stringify(plan('policies/a.yml')));
    const given = await prPlan.reviewedPlansForApply({ ...settings, planArtifact: file }, merge(), opts());
    expect(given).toMatchObject({ kind: 'enforce', label: 'plan-artifact', plans: [plan('policies/a.yml')] });
    expect(github.requests.length).toBe(before);
  });
});
