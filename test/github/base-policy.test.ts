// The base branch's side of the pull-request comparison, read through the (fake) contents API.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { getOctokit } from '@actions/github';
import { afterEach, describe, expect, it } from 'vitest';
import { planOrThrow } from '../../src/app/plan-run.ts';
import { compareWithBase, readBasePolicy, samePolicy } from '../../src/github/base-policy.ts';
import { loadPolicy } from '../../src/policy/load.ts';
import { renderPrDiff } from '../../src/report/pr-diff.ts';
import { loadSnapshot } from '../../src/snapshot/load.ts';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../fakes/github-api.ts';

const CASE = path.join(import.meta.dirname, '../cases/csv-import');
const NOW = new Date('2026-11-25T00:00:00Z');
const SHA = '0123456789abcdef0123456789abcdef01234567';
const at = { owner: 'acme', repo: 'policies', sha: SHA };
let fake: FakeGitHub | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(files: Record<string, string>, opts: FakeGitHubOptions = {}) {
  fake = await startFakeGitHub(opts);
  for (const [p, text] of Object.entries(files)) fake.addFile('acme/policies', SHA, p, text);
  return getOctokit('ghs_test', { baseUrl: fake.url });
}

async function headCase() {
  const head = await loadPolicy('policy.yml', { baseDir: CASE });
  const snapshot = await loadSnapshot(path.join(CASE, 'snapshot.json'));
  const plan = planOrThrow(snapshot, head, NOW);
  return { head, snapshot, plan };
}

const text = (f: string) => readFile(path.join(CASE, f), 'utf8');

describe('readBasePolicy', () => {
  it('decodes the file and reads its import CSV at the base commit', async () => {
    const octokit = await setup({
      'policy.yml': await text('policy.yml'),
      'new-hires.csv': await text('new-hires.csv'),
    });
    const base = await readBasePolicy(octokit, at, 'policy.yml');
    expect(base.kind).toBe('found');
    const { head } = await headCase();
    expect(base.kind === 'found' && samePolicy(base.resolved, head)).toBe(true);
    expect(fake?.requests.map((r) => [r.path, r.query.ref])).toEqual([
      ['/repos/acme/policies/contents/policy.yml', SHA],
      ['/repos/acme/policies/contents/new-hires.csv', SHA],
    ]);
  });

  it('falls back to the raw media type for files the JSON answer leaves out (over 1 MB on GitHub)', async () => {
    const octokit = await setup(
      { 'policy.yml': await text('policy.yml'), 'new-hires.csv': await text('new-hires.csv') },
      { inlineContentLimit: 100 },
    );
    const base = await readBasePolicy(octokit, at, 'policy.yml');
    expect(base.kind === 'found' && base.resolved.declared.map((d) => d.name)).toEqual([
      'ivan',
      'zoe',
      'quitter',
    ]);
  });

  it('reports a missing file as new, and a missing import or an invalid base as unavailable', async () => {
    const octokit = await setup({
      'policy.yml': await text('policy.yml'),
      'bad.yml': 'version: 1\ninstance: { platform: jira-dc }\nlimits: { max_changes: lots }\n',
    });
    expect(await readBasePolicy(octokit, at, 'other.yml')).toEqual({ kind: 'new-file' });
    expect(await readBasePolicy(octokit, at, 'policy.yml')).toEqual({
      kind: 'unavailable',
      reason:
        'the policy at 0123456 is invalid: new-hires.csv:1:1: reading the import CSV named by policy.yml: ' +
        'new-hires.csv does not exist at 0123456',
    });
    const bad = await readBasePolicy(octokit, at, 'bad.yml');
    expect(bad).toMatchObject({ kind: 'unavailable', reason: expect.stringContaining('bad.yml:3:') });
  });

  it('reports other API errors as unavailable', async () => {
    const octokit = await setup({});
    const other = getOctokit('ghp_unknown', { baseUrl: fake?.url });
    const r = await readBasePolicy(other, at, 'policy.yml');
    expect(r).toMatchObject({
      kind: 'unavailable',
      reason: expect.stringMatching(/^reading policy.yml at 0123456: 401 /),
    });
    expect(await readBasePolicy(octokit, at, 'policy.yml')).toEqual({ kind: 'new-file' });
  });
});

describe('compareWithBase', () => {
  it('plans the base against the same snapshot: a row added to the import CSV is called out', async () => {
    const csv = await text('new-hires.csv');
    const octokit = await setup({
      'policy.yml': await text('policy.yml'),
      'new-hires.csv': csv.replace(/^ivan,.*\n/m, ''),
    });
    const { head, snapshot, plan } = await headCase();
    const base = await compareWithBase({ octokit, base: at, head, snapshot, plan, now: NOW });
    expect(base?.kind).toBe('planned');
    const md = renderPrDiff(plan, base ?? { kind: 'new-file' }, { baseName: 'main' });
    expect(md).toContain('- **imported** users: create 1 user');
    expect(md).toContain('- group **developers**: add 1 member');
    // The import row's other group is filed under the import too (typed rule references).
    expect(md).toContain('add 1 member');
    expect(md).not.toContain('declared **users**');
    expect(md).not.toContain('newly enforced');
  });

  it('is null when the pull request does not change the policy or its imports', async () => {
    const octokit = await setup({
      'policy.yml': await text('policy.yml'),
      'new-hires.csv': await text('new-hires.csv'),
    });
    const { head, snapshot, plan } = await headCase();
    expect(await compareWithBase({ octokit, base: at, head, snapshot, plan, now: NOW })).toBeNull();
  });

  it('names groups only the base reads, and explains when the base cannot be planned', async () => {
    const policy = await text('policy.yml');
    const octokit = await setup({
      'policy.yml': `${policy.replace('import:\n  - { csv: new-hires.csv }\n', '')}protect: { groups: [auditors] }\n`,
    });
    const { head, snapshot, plan } = await headCase();
    const base = await compareWithBase({ octokit, base: at, head, snapshot, plan, now: NOW });
    expect(base).toMatchObject({
      kind: 'planned',
      caveats: [expect.stringContaining('the base policy names groups this version does not (auditors)')],
    });

    const other = 'f'.repeat(40);
    fake?.addFile(
      'acme/policies',
      other,
      'policy.yml',
      policy.replace('members: [alice]', 'members: [nobody]'),
    );
    fake?.addFile('acme/policies', other, 'new-hires.csv', await text('new-hires.csv'));
    const unplanned = await compareWithBase({
      octokit,
      base: { ...at, sha: other },
      head,
      snapshot,
      plan,
      now: NOW,
    });
    expect(unplanned).toMatchObject({
      kind: 'unavailable',
      reason: expect.stringContaining('"nobody" does not exist'),
    });
  });

  it('needs a token and a base commit', async () => {
    const { head, snapshot, plan } = await headCase();
    const args = { base: at, head, snapshot, plan, now: NOW };
    expect(await compareWithBase({ ...args, octokit: null })).toMatchObject({ kind: 'unavailable' });
    const octokit = await setup({});
    expect(await compareWithBase({ ...args, octokit, base: { ...at, sha: '' } })).toEqual({
      kind: 'unavailable',
      reason: 'the event names no base commit',
    });
  });
});
