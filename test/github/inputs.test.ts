import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INPUT_NAMES, InputError, readSettings } from '../../src/github/inputs.ts';
import type { InputName } from '../../src/github/inputs.ts';
import { captureStdout } from './stdout.ts';

let ws: string;
const stdout = captureStdout();

beforeEach(async () => {
  ws = await mkdtemp(path.join(tmpdir(), 'aup-inputs-'));
  await mkdir(path.join(ws, 'policies', 'team'), { recursive: true });
  for (const f of ['policies/b.yml', 'policies/a.yaml', 'policies/team/c.yml', 'plan.json']) {
    await writeFile(path.join(ws, f), 'x: 1\n');
  }
  for (const name of INPUT_NAMES) vi.stubEnv(inputVar(name), '');
  vi.stubEnv('GITHUB_WORKSPACE', ws);
  vi.stubEnv('RUNNER_TEMP', '/runner/_temp');
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(ws, { recursive: true, force: true });
});

function inputVar(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}
function inputs(values: Partial<Record<InputName, string>>): void {
  for (const [k, v] of Object.entries(values)) vi.stubEnv(inputVar(k), v);
}
async function problems(values: Partial<Record<InputName, string>>): Promise<string[]> {
  for (const name of INPUT_NAMES) vi.stubEnv(inputVar(name), '');
  inputs({ policy: 'policies/*.yml', ...values });
  const err = await readSettings().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).problems;
}

describe('readSettings', () => {
  it('applies the defaults', async () => {
    inputs({ policy: 'policies/*.yml' });
    expect(await readSettings()).toEqual({
      policy: ['policies/*.yml'],
      policyFiles: ['policies/b.yml'],
      fragmentFiles: new Map(),
      workspace: ws,
      mode: 'auto',
      atlassian: { url: null, token: null, username: null, password: null },
      githubToken: null,
      comment: true,
      commentKey: '',
      artifactName: 'atlassian-user-policy',
      retentionDays: null,
      failOnChanges: false,
      planArtifact: null,
      requireReviewedPlan: false,
      now: null,
      outDir: '/runner/_temp/atlassian-user-policy',
      revert: null,
    });
  });

  it('parses every input', async () => {
    inputs({
      policy: 'policies/**/*.yml\npolicies/a.yaml\n',
      mode: 'Apply',
      'atlassian-url': 'https://jira.acme.com',
      'atlassian-username': 'admin',
      'atlassian-password': 'hunter2',
      'github-token': 'ghs_secret',
      comment: 'FALSE',
      'comment-key': 'nightly',
      'artifact-name': 'audit prod',
      'retention-days': '30',
      'fail-on-changes': 'true',
      'plan-artifact': 'plan.json',
      'require-reviewed-plan': 'true',
      now: '2026-01-31T12:00:00Z',
      'out-dir': 'out',
    });
    const s = await readSettings();
    expect(s).toMatchObject({
      policyFiles: ['policies/a.yaml', 'policies/b.yml', 'policies/team/c.yml'],
      mode: 'apply',
      atlassian: { url: 'https://jira.acme.com', token: null, username: 'admin', password: 'hunter2' },
      githubToken: 'ghs_secret',
      comment: false,
      commentKey: 'nightly',
      artifactName: 'audit prod',
      retentionDays: 30,
      failOnChanges: true,
      planArtifact: path.join(ws, 'plan.json'),
      requireReviewedPlan: true,
      outDir: path.join(ws, 'out'),
    });
    expect(s.now?.toISOString()).toBe('2026-01-31T12:00:00.000Z');
  });

  it('masks the secrets, including the Basic credentials', async () => {
    inputs({
      policy: 'policies/*.yml',
      'atlassian-token': 'tok',
      'atlassian-username': 'u',
      'atlassian-password': 'p',
    });
    await readSettings();
    const masks = stdout.lines().filter((l) => l.startsWith('::add-mask::'));
    expect(masks).toEqual([
      '::add-mask::tok',
      '::add-mask::p',
      `::add-mask::${Buffer.from('u:p').toString('base64')}`,
    ]);
  });

  it('reports every invalid input at once, naming the input and the expected form', async () => {
    const found = await problems({
      mode: 'deploy',
      comment: 'yes',
      'require-reviewed-plan': 'always',
      'retention-days': '0',
      'atlassian-url': 'jira.acme.com',
      now: '2026-01-31T12:00',
      'artifact-name': 'a/b:c',
    });
    expect(found).toEqual([
      'input "atlassian-url": expected an http(s) URL like https://jira.example.com, got "jira.acme.com"',
      'input "artifact-name": "a/b:c" contains ":" "/"; use letters, digits, - _ . and spaces',
      'input "mode": expected one of plan | apply | auto | revert, got "deploy"',
      'input "comment": expected true or false, got "yes"',
      'input "retention-days": expected a whole number of days from 1 to 400, got "0"',
      'input "require-reviewed-plan": expected true or false, got "always"',
      'input "now": expected an ISO date or instant with a zone, like 2026-01-31 or 2026-01-31T12:00:00Z, got "2026-01-31T12:00"',
    ]);
  });

  it('reads the run to revert, and names what is wrong with the revert inputs', async () => {
    inputs({ policy: 'policies/*.yml', mode: 'revert', 'revert-run': '12345' });
    expect((await readSettings()).revert).toEqual({ run: 12345 });
    expect(await problems({ mode: 'revert' })).toEqual([
      'mode "revert" needs input "revert-run" (the id of the run whose audit to revert) or "revert-audit" (its audit.csv)',
    ]);
    expect(await problems({ mode: 'revert', 'revert-run': 'last' })).toEqual([
      'input "revert-run": expected the id of a workflow run (digits, as in .../actions/runs/<id>), got "last"',
    ]);
    expect(await problems({ mode: 'apply', 'revert-run': '1' })).toEqual([
      'input "revert-run" is read only with mode revert (apply the revert) or plan (plan it for review), not with mode apply',
    ]);
    expect(await problems({ mode: 'revert', 'revert-run': '1', 'revert-audit': 'a.csv' })).toEqual([
      'inputs "revert-run" and "revert-audit" are both set; give one (the run to revert, or its audit.csv)',
    ]);
  });

  it('requires policy, and every pattern to match a file', async () => {
    inputs({ policy: '' });
    await expect(readSettings()).rejects.toThrow(/input "policy" is required: a path or glob/);
    expect(await problems({ policy: 'policies/*.yml\npolcies/*.yml' })).toEqual([
      `input "policy": "polcies/*.yml" matched no file under ${ws} (expected a path or glob like policies/*.yml)`,
    ]);
    expect(await problems({ policy: 'policies' })).toEqual([
      'input "policy": "policies" is a directory; give files or a glob, e.g. policies/*.yml',
    ]);
  });

  it('checks credentials come in usable pairs and the plan artifact exists', async () => {
    expect(await problems({ 'atlassian-password': 'p' })).toEqual([
      'input "atlassian-password" is set but "atlassian-username" is empty; give both',
    ]);
    expect(await problems({ 'atlassian-username': 'u' })).toEqual([
      'input "atlassian-username" is set without "atlassian-password" or "atlassian-token"',
    ]);
    expect(await problems({ 'plan-artifact': 'missing/plan.json' })).toEqual([
      'input "plan-artifact": expected a plan.json file or a directory of them (a downloaded plan artifact), "missing/plan.json" does not exist',
    ]);
  });

  it('without RUNNER_TEMP the out-dir is a run-specific temp folder', async () => {
    vi.stubEnv('RUNNER_TEMP', '');
    vi.stubEnv('GITHUB_RUN_ID', '77');
    inputs({ policy: 'policies/b.yml', now: '2026-02-01' });
    const s = await readSettings();
    expect(s.outDir).toBe(path.join(tmpdir(), 'atlassian-user-policy-77'));
    expect(s.now?.toISOString()).toBe('2026-02-01T00:00:00.000Z');
  });

  it('reads an explicit environment instead of process.env', async () => {
    const s = await readSettings({
      GITHUB_WORKSPACE: ws,
      INPUT_POLICY: ' policies/a.yaml ',
      INPUT_MODE: 'plan',
    });
    expect(s).toMatchObject({ policyFiles: ['policies/a.yaml'], mode: 'plan', workspace: ws });
  });
});

describe('fragments matched by the policy glob', () => {
  it('are left out of the policy files and named with the policies that extend them', async () => {
    await writeFile(path.join(ws, 'policies/b.yml'), 'extends: team/c.yml\n');
    await writeFile(path.join(ws, 'policies/team/c.yml'), 'extends: ../shared.yml\n');
    await writeFile(path.join(ws, 'policies/shared.yml'), 'limits: { max_deletions: 1 }\n');
    inputs({ policy: 'policies/**/*.yml' });
    const s = await readSettings();
    expect(s.policyFiles).toEqual(['policies/b.yml']);
    expect([...s.fragmentFiles]).toEqual([
      ['policies/shared.yml', ['policies/b.yml']],
      ['policies/team/c.yml', ['policies/b.yml']],
    ]);
  });
});
