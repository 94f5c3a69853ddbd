import { getOctokit } from '@actions/github';
import { afterEach, describe, expect, it } from 'vitest';
import {
  commentAuthor,
  commentMarker,
  fitComment,
  sameLogin,
  upsertComment,
} from '../../src/github/comment.ts';
import { ACTIONS_BOT, ALICE, MALLORY, startFakeGitHub } from '../fakes/github-api.ts';
import type { FakeGitHub, FakeGitHubOptions } from '../fakes/github-api.ts';
import { captureStdout } from './stdout.ts';

const ISSUE = 'acme/policies#7';
const target = { owner: 'acme', repo: 'policies', issueNumber: 7 };
const marker = commentMarker('prod', 'policies/jira.yml');
let fake: FakeGitHub | undefined;
const stdout = captureStdout();

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(opts: FakeGitHubOptions = {}, token = 'ghs_test') {
  fake = await startFakeGitHub(opts);
  // baseUrl explicitly: @actions/github reads GITHUB_API_URL once, at import time.
  return { fake, octokit: getOctokit(token, { baseUrl: fake.url }) };
}

describe('commentMarker', () => {
  it('joins the key parts into one hidden HTML comment', () => {
    expect(marker).toBe('<!-- atlassian-user-policy:prod:policies/jira.yml -->');
    expect(commentMarker('', 'a.yml')).toBe('<!-- atlassian-user-policy:a.yml -->');
    expect(commentMarker()).toBe('<!-- atlassian-user-policy -->');
    expect(commentMarker('x --> <b>')).toBe('<!-- atlassian-user-policy:x -_ _b_ -->');
  });
});

describe('upsertComment', () => {
  it('creates the comment, then updates it in place: one comment after two runs', async () => {
    const { fake, octokit } = await setup();
    const first = await upsertComment(octokit, { ...target, marker, body: 'plan: 3 changes' });
    const second = await upsertComment(octokit, { ...target, marker, body: 'plan: 4 changes' });

    expect(first).toEqual({ id: expect.any(Number), action: 'created' });
    expect(second).toEqual({ id: first.id, action: 'updated' });
    expect(fake.commentsOn(ISSUE)).toEqual([
      expect.objectContaining({ id: first.id, user: ACTIONS_BOT, body: `${marker}\nplan: 4 changes` }),
    ]);
    expect(fake.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /repos/acme/policies/issues/7/comments',
      `PATCH /repos/acme/policies/issues/comments/${first.id}`,
    ]);
    expect(fake.unhandled).toEqual([]);
  });

  it('does not re-send an unchanged body', async () => {
    const { fake, octokit } = await setup();
    await upsertComment(octokit, { ...target, marker, body: 'same\n' });
    const again = await upsertComment(octokit, { ...target, marker, body: 'same\n' });
    expect(again.action).toBe('unchanged');
    expect(fake.writes()).toHaveLength(1);
    expect(fake.commentsOn(ISSUE)[0]?.updated_at).toBe(fake.commentsOn(ISSUE)[0]?.created_at);
  });

  it('treats a body that differs only in the workflow-run link as unchanged', async () => {
    const { fake, octokit } = await setup();
    const body = (run: number) =>
      `plan\n\n[Workflow run](https://github.com/acme/policies/actions/runs/${run})\n`;
    await upsertComment(octokit, { ...target, marker, body: body(1) });
    expect((await upsertComment(octokit, { ...target, marker, body: body(2) })).action).toBe('unchanged');
    expect((await upsertComment(octokit, { ...target, marker, body: 'other plan\n' })).action).toBe(
      'updated',
    );
    expect(fake.writes()).toHaveLength(2);
  });

  it('leaves a comment by another user alone even when it carries the marker', async () => {
    const { fake, octokit } = await setup();
    const human = fake.addComment(ISSUE, `${marker}\nquoted by a human`, MALLORY);
    const other = fake.addComment(
      ISSUE,
      `${commentMarker('prod', 'policies/jira.yml.bak')}\nother key`,
      ACTIONS_BOT,
    );

    const res = await upsertComment(octokit, { ...target, marker, body: 'the plan' });

    expect(res.action).toBe('created');
    const on = fake.commentsOn(ISSUE);
    expect(on).toHaveLength(3);
    expect(on.find((c) => c.id === human.id)?.body).toBe(`${marker}\nquoted by a human`);
    expect(on.find((c) => c.id === other.id)?.body).toContain('other key');
    expect(fake.writes().some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('finds its comment on a later page, following the Link headers', async () => {
    const { fake, octokit } = await setup({ maxPerPage: 2 });
    for (let i = 0; i < 5; i++) fake.addComment(ISSUE, `chatter ${i}`, ALICE);
    const mine = fake.addComment(ISSUE, `${marker}\nold plan`, ACTIONS_BOT);

    const res = await upsertComment(octokit, { ...target, marker, body: 'new plan' });

    expect(res).toEqual({ id: mine.id, action: 'updated' });
    const pages = fake.requests
      .filter((r) => r.method === 'GET' && r.path.endsWith('/7/comments'))
      .map((r) => r.query.page ?? '1');
    expect(pages).toEqual(['1', '2', '3']);
    expect(fake.commentsOn(ISSUE)).toHaveLength(6);
  });

  it('a personal access token updates the comments of its own user', async () => {
    const { fake, octokit } = await setup({}, 'ghp_alice');
    const mine = fake.addComment(ISSUE, `${marker}\nold`, ALICE);
    fake.addComment(ISSUE, `${marker}\nby the bot`, ACTIONS_BOT);
    expect(await upsertComment(octokit, { ...target, marker, body: 'new' })).toEqual({
      id: mine.id,
      action: 'updated',
    });
    expect(fake.commentsOn(ISSUE).map((c) => c.body)).toEqual([`${marker}\nnew`, `${marker}\nby the bot`]);
  });

  it('a 403 on writing (fork pull request) degrades to a warning, never a throw', async () => {
    const { fake, octokit } = await setup({ forbidWrites: true });
    const res = await upsertComment(octokit, { ...target, marker, body: 'the plan' });
    expect(res).toEqual({
      id: null,
      action: 'forbidden',
      message: expect.stringContaining('acme/policies#7: 403'),
    });
    expect(stdout.lines().filter((l) => l.startsWith('::warning::'))).toHaveLength(1);
    expect(fake.comments).toEqual([]);
  });

  it('other API errors are thrown', async () => {
    const { octokit } = await setup({}, 'ghp_unknown');
    await expect(upsertComment(octokit, { ...target, marker, body: 'x', author: 'x' })).rejects.toMatchObject(
      { status: 401 },
    );
  });

  it('keeps an oversized body under the limit GitHub enforces', async () => {
    const { fake, octokit } = await setup();
    const rows = Array.from({ length: 4000 }, (_, i) => `| user${i} | deactivate | inactive for 400 days |`);
    const body = `## Plan\n<details><summary>changes</summary>\n\n${rows.join('\n')}\n</details>\n`;
    const res = await upsertComment(octokit, { ...target, marker, body });
    expect(res.action).toBe('created');
    const stored = fake.commentsOn(ISSUE)[0]?.body ?? '';
    expect(stored.length).toBeLessThanOrEqual(65_536);
    expect(stored.startsWith(`${marker}\n## Plan`)).toBe(true);
    expect(stored).toMatch(/<\/details>\n\n> Comment truncated/);
  });
});

describe('commentAuthor', () => {
  it('asks GraphQL viewer first', async () => {
    const { fake, octokit } = await setup();
    expect(await commentAuthor(octokit)).toBe('github-actions[bot]');
    expect(await commentAuthor(octokit)).toBe('github-actions[bot]'); // cached per client
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /graphql']);
  });

  it('falls back to GET /user, then to github-actions[bot]', async () => {
    const pat = await setup({ graphql: false }, 'ghp_alice');
    expect(await commentAuthor(pat.octokit)).toBe('alice');
    await pat.fake.close();
    const bot = await setup({ graphql: false }, 'ghs_test'); // GET /user answers 403 to installation tokens
    expect(await commentAuthor(bot.octokit)).toBe('github-actions[bot]');
  });

  it('sameLogin ignores case and the [bot] suffix GraphQL leaves out', () => {
    expect(sameLogin('github-actions[bot]', 'github-actions')).toBe(true);
    expect(sameLogin('Alice', 'alice')).toBe(true);
    expect(sameLogin('mallory', 'alice')).toBe(false);
    expect(sameLogin(undefined, 'alice')).toBe(false);
  });
});

describe('fitComment', () => {
  it('returns short bodies unchanged and closes an open fence when cutting', () => {
    expect(fitComment('short')).toBe('short');
    const cut = fitComment(`intro\n\`\`\`\n${'line\n'.repeat(100)}`, 300);
    expect(cut.length).toBeLessThanOrEqual(300);
    expect(cut).toMatch(/^intro\n```\n(line\n)*```\n\n> Comment truncated/);
  });
});
