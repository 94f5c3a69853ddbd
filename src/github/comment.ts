// One sticky pull-request comment per key: a hidden marker first in the body, found again by marker
// AND author (the token's own identity), updated in place, never re-sent unchanged.
import * as core from '@actions/core';
import type { getOctokit } from '@actions/github';
import { truncateMarkdown } from './fit.ts';

export type Octokit = ReturnType<typeof getOctokit>;

/** GitHub rejects longer comment bodies with 422 "Body is too long". */
export const MAX_COMMENT_CHARS = 65_536;
/** Who GITHUB_TOKEN comments as; the identity used when the token's own login cannot be looked up. */
export const ACTIONS_BOT = 'github-actions[bot]';
const TRUNCATED_NOTE =
  '\n\n> Comment truncated to fit GitHub’s size limit; the full plan is in the job summary and the artifact.';

export interface UpsertCommentArgs {
  owner: string;
  repo: string;
  issueNumber: number;
  /** The hidden marker, from commentMarker(); put first in the body. */
  marker: string;
  body: string;
  /** Login the comment must be authored by; default: the token's identity (see commentAuthor). */
  author?: string;
}

export type UpsertResult =
  | { id: number; action: 'created' | 'updated' | 'unchanged' }
  | { id: null; action: 'forbidden'; message: string };

/** `<!-- atlassian-user-policy:<parts joined by ":"> -->`; empty parts dropped, `--` and `>` neutralised. */
export function commentMarker(...parts: string[]): string {
  const key = parts
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .join(':')
    .replace(/-{2,}/g, '-')
    .replace(/[<>\r\n]/g, '_');
  return key ? `<!-- atlassian-user-policy:${key} -->` : '<!-- atlassian-user-policy -->';
}

/**
 * Creates the comment, or updates the one this identity posted before with the same marker.
 * A 403 anywhere (fork PR, read-only token, missing `pull-requests: write`) is a warning and
 * `{ action: 'forbidden' }`; other API errors are thrown.
 */
export async function upsertComment(octokit: Octokit, args: UpsertCommentArgs): Promise<UpsertResult> {
  const { owner, repo, issueNumber, marker } = args;
  const body = fitComment(`${marker}\n${stripMarker(args.body, marker)}`);
  try {
    const author = args.author ?? (await commentAuthor(octokit));
    const iterator = octokit.paginate.iterator(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100,
    });
    for await (const { data } of iterator) {
      for (const c of data) {
        if (!c.body?.startsWith(marker) || !sameLogin(c.user?.login, author)) continue;
        if (normalise(c.body) === normalise(body)) return { id: c.id, action: 'unchanged' };
        await octokit.rest.issues.updateComment({ owner, repo, comment_id: c.id, body });
        return { id: c.id, action: 'updated' };
      }
    }
    const { data } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issueNumber,
      body,
    });
    return { id: data.id, action: 'created' };
  } catch (err) {
    if (statusOf(err) !== 403) throw err;
    const message =
      `commenting on ${owner}/${repo}#${issueNumber}: 403 ${(err as Error).message}; ` +
      'the token cannot write comments (fork pull request, or the job lacks `permissions: pull-requests: write`). ' +
      'The plan is in the job summary instead.';
    core.warning(message);
    return { id: null, action: 'forbidden', message };
  }
}

const authors = new WeakMap<object, Promise<string>>();

/**
 * The login the token comments as: GraphQL `viewer` (works for GITHUB_TOKEN, app tokens and PATs),
 * then REST GET /user (PATs), else github-actions[bot]. Cached per octokit instance.
 */
export function commentAuthor(octokit: Octokit): Promise<string> {
  let found = authors.get(octokit);
  if (!found) {
    found = lookupAuthor(octokit);
    authors.set(octokit, found);
  }
  return found;
}

async function lookupAuthor(octokit: Octokit): Promise<string> {
  try {
    const r = await octokit.graphql<{ viewer?: { login?: string } }>('query { viewer { login } }');
    if (r.viewer?.login) return r.viewer.login;
  } catch (err) {
    core.debug(`looking up the token's login with GraphQL viewer: ${(err as Error).message}`);
  }
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    if (data.login) return data.login;
  } catch (err) {
    core.debug(`looking up the token's login with GET /user: ${(err as Error).message}`);
  }
  return ACTIONS_BOT;
}

/** Logins compare case-insensitively; GraphQL spells bots without the `[bot]` suffix REST shows. */
export function sameLogin(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const canon = (s: string) => s.toLowerCase().replace(/\[bot\]$/, '');
  return canon(a) === canon(b);
}

/**
 * Last-resort guard under GitHub's limit (the renderer should already degrade the content): cuts at a
 * line, closes an open code fence and `<details>` blocks, and says so.
 */
export function fitComment(body: string, max = MAX_COMMENT_CHARS): string {
  if (body.length <= max) return body;
  core.warning(`the comment body has ${body.length} characters, over GitHub's ${max}; it was truncated`);
  return truncateMarkdown(body, max, TRUNCATED_NOTE, (s) => s.length);
}

function stripMarker(body: string, marker: string): string {
  return body.startsWith(marker) ? body.slice(marker.length).replace(/^\r?\n/, '') : body;
}

/**
 * The body as compared: line endings normalised and the footer's workflow-run link left out, since it names
 * every run. A plan that did not change keeps its comment (and its link to the run that first showed it).
 */
function normalise(s: string): string {
  return s
    .replace(/\r\n/g, '\n')
    .replace(/\[Workflow run\]\([^)\s]*\)/g, '[Workflow run]')
    .trimEnd();
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
