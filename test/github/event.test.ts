import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideRun, EventError, readEvent } from '../../src/github/event.ts';
import type { GitHubEvent } from '../../src/github/event.ts';
import type { ModeInput } from '../../src/github/inputs.ts';

const repository = { full_name: 'acme/policies', default_branch: 'main' };
const pr = (headRepo: string | null) => ({
  number: 42,
  base: { ref: 'main', sha: 'base111', repo: { full_name: 'acme/policies' } },
  head: { ref: 'edit', sha: 'head222', repo: headRepo === null ? null : { full_name: headRepo } },
});

function event(name: string, payload: Record<string, unknown>, ref = 'refs/heads/main'): GitHubEvent {
  return {
    name,
    payload: { repository, ...payload },
    repository: 'acme/policies',
    ref,
    sha: 'sha999',
    actor: 'octocat',
    serverUrl: 'https://github.com',
    runId: '123',
    runAttempt: '1',
  };
}

const events = {
  pull_request: event('pull_request', { pull_request: pr('acme/policies') }, 'refs/pull/42/merge'),
  'fork pull_request': event('pull_request', { pull_request: pr('eve/policies') }, 'refs/pull/42/merge'),
  'deleted-fork pull_request': event('pull_request', { pull_request: pr(null) }, 'refs/pull/42/merge'),
  pull_request_target: event('pull_request_target', { pull_request: pr('acme/policies') }),
  'push to main': event('push', {}),
  'push to a branch': event('push', {}, 'refs/heads/feature'),
  'push of a tag': event('push', {}, 'refs/tags/v1'),
  schedule: event('schedule', { schedule: '23 4 * * *' }),
  workflow_dispatch: event('workflow_dispatch', { inputs: {} }),
  merge_group: event('merge_group', {}, 'refs/heads/gh-readonly-queue/main/pr-42'),
  repository_dispatch: event('repository_dispatch', {}),
};
type EventKey = keyof typeof events;

// [event, mode input] → [mode, trigger], or 'refused'
const table: [EventKey, ModeInput, string][] = [
  ['pull_request', 'auto', 'plan/-'],
  ['pull_request', 'plan', 'plan/-'],
  ['pull_request', 'apply', 'refused'],
  ['fork pull_request', 'auto', 'validate/-'],
  ['fork pull_request', 'plan', 'validate/-'],
  ['fork pull_request', 'apply', 'refused'],
  ['deleted-fork pull_request', 'auto', 'validate/-'],
  ['pull_request_target', 'auto', 'plan/-'],
  ['pull_request_target', 'apply', 'refused'],
  ['merge_group', 'auto', 'plan/-'],
  ['merge_group', 'apply', 'refused'],
  ['push to main', 'auto', 'apply/merge'],
  ['push to main', 'plan', 'plan/merge'],
  ['push to main', 'apply', 'apply/merge'],
  ['push to a branch', 'auto', 'plan/merge'],
  ['push to a branch', 'apply', 'apply/merge'],
  ['push of a tag', 'auto', 'plan/merge'],
  ['schedule', 'auto', 'apply/automatic'],
  ['schedule', 'plan', 'plan/automatic'],
  ['workflow_dispatch', 'auto', 'plan/manual'],
  ['workflow_dispatch', 'plan', 'plan/manual'],
  ['workflow_dispatch', 'apply', 'apply/manual'],
  ['repository_dispatch', 'auto', 'plan/manual'],
];

describe('decideRun', () => {
  it.each(table)('%s with mode %s → %s', (key, mode, expected) => {
    if (expected === 'refused') {
      expect(() => decideRun(events[key], mode)).toThrow(EventError);
      expect(() => decideRun(events[key], mode)).toThrow(/mode "apply" is refused on \w+ events/);
      return;
    }
    const d = decideRun(events[key], mode);
    expect(`${d.mode}/${d.trigger ?? '-'}`).toBe(expected);
    expect(d.reason).not.toBe('');
  });

  it('reverts only where an apply may run: refused on pull requests, manual on a dispatch', () => {
    expect(() => decideRun(events.pull_request, 'revert')).toThrow(
      /mode "revert" is refused on pull_request events: a revert changes the instance/,
    );
    const d = decideRun(events['push to main'], 'revert');
    expect(`${d.mode}/${d.trigger}`).toBe('revert/merge');
  });

  it('describes the pull request, the run and the actor', () => {
    const d = decideRun(events['fork pull_request'], 'auto');
    expect(d).toMatchObject({
      eventName: 'pull_request',
      actor: 'octocat',
      sha: 'sha999',
      repo: { owner: 'acme', repo: 'policies' },
      runUrl: 'https://github.com/acme/policies/actions/runs/123',
      defaultBranch: 'main',
      pr: {
        number: 42,
        isFork: true,
        baseSha: 'base111',
        headSha: 'head222',
        baseRef: 'main',
        headRepo: 'eve/policies',
      },
    });
    expect(d.reason).toMatch(/from eve\/policies: forks get no secrets/);
    expect(decideRun(events.pull_request, 'auto').pr?.isFork).toBe(false);
    expect(decideRun(events['push to main'], 'auto').pr).toBeUndefined();
  });

  it('never applies a push when the default branch is unknown', () => {
    const e = { ...events['push to main'], payload: {} };
    expect(decideRun(e, 'auto')).toMatchObject({ mode: 'plan', defaultBranch: null });
  });

  it('links the attempt of a re-run', () => {
    expect(decideRun({ ...events.schedule, runAttempt: '2' }, 'auto').runUrl).toBe(
      'https://github.com/acme/policies/actions/runs/123/attempts/2',
    );
  });
});

describe('readEvent', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'aup-event-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads the runner env and the payload file', async () => {
    const file = path.join(dir, 'event.json');
    await writeFile(file, JSON.stringify({ repository, pull_request: pr('eve/policies') }));
    const e = readEvent({
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: file,
      GITHUB_REPOSITORY: 'acme/policies',
      GITHUB_REF: 'refs/pull/42/merge',
      GITHUB_SHA: 'abc',
      GITHUB_ACTOR: 'octocat',
      GITHUB_SERVER_URL: 'https://ghes.acme.internal/',
      GITHUB_RUN_ID: '9',
      GITHUB_RUN_ATTEMPT: '1',
    });
    expect(e).toMatchObject({
      name: 'pull_request',
      repository: 'acme/policies',
      sha: 'abc',
      serverUrl: 'https://ghes.acme.internal',
    });
    expect(decideRun(e, 'auto')).toMatchObject({
      mode: 'validate',
      runUrl: 'https://ghes.acme.internal/acme/policies/actions/runs/9',
    });
  });

  it('names what is missing or broken', async () => {
    expect(() => readEvent({})).toThrow(/GITHUB_EVENT_NAME is not set/);
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '{not json');
    expect(() => readEvent({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: bad })).toThrow(
      /^reading the event payload .*bad\.json/,
    );
    expect(() => readEvent({ GITHUB_EVENT_NAME: 'push' })).toThrow(/GITHUB_REPOSITORY is not set/);
  });
});
