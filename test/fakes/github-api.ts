// A stateful fake of the GitHub REST (and one GraphQL query) subset the Action uses, over real HTTP:
// issue comments (list, create, update), repository contents at a ref (files registered by the test),
// GET /user and the GraphQL `viewer { login }` query; and the Actions endpoints of github-runs.ts (pull
// requests of a commit, workflow runs, run artifacts and their zip download), reached through `fake.actions`.
// Point `getOctokit(token, { baseUrl: fake.url })` (or GITHUB_API_URL in a child process) at it;
// tests assert `fake.comments` and `fake.requests`, not call order. Unmodelled routes answer 404
// naming the route and are listed in `fake.unhandled`.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FakeActions, RawBytes } from './github-runs.ts';
import { listen, parseJson, sendJson } from './serve.ts';

export interface FakeUser {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export interface FakeComment {
  id: number;
  node_id: string;
  /** owner/repo#number */
  issue: string;
  body: string;
  user: FakeUser;
  created_at: string;
  updated_at: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  token: string | null;
  body: unknown;
  status: number;
}

export interface TokenIdentity {
  user: FakeUser;
  /** An installation token (GITHUB_TOKEN, app): GET /user answers 403 as on github.com. */
  installation: boolean;
}

export interface FakeGitHubOptions {
  /** Token → identity. Default: `ghs_test` = github-actions[bot] (installation), `ghp_alice` = alice. */
  tokens?: Record<string, TokenIdentity>;
  /** Largest page the server returns, whatever per_page asks (GitHub: 100). */
  maxPerPage?: number;
  /** Fork-PR token: every write answers 403 "Resource not accessible by integration". */
  forbidWrites?: boolean;
  /** false: POST /graphql answers 403, so identity falls back to REST / the default bot. */
  graphql?: boolean;
  /**
   * Files larger than this come from GET contents without their content (`"encoding": "none"`), as
   * GitHub does over 1 MB; the raw media type still serves them.
   */
  inlineContentLimit?: number;
}

export interface FakeGitHub {
  url: string;
  comments: FakeComment[];
  requests: RecordedRequest[];
  unhandled: string[];
  options: Required<FakeGitHubOptions>;
  /** Pull requests, workflow runs and run artifacts the test registers. */
  actions: FakeActions;
  addComment(issue: string, body: string, user: FakeUser): FakeComment;
  /** Registers a file of `repo` ("owner/name") at `ref` (a SHA or branch) for the contents API. */
  addFile(repo: string, ref: string, path: string, content: string): void;
  commentsOn(issue: string): FakeComment[];
  /** Recorded non-GET REST calls (GraphQL queries excluded). */
  writes(): RecordedRequest[];
  close(): Promise<void>;
}

export const ACTIONS_BOT: FakeUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
export const ALICE: FakeUser = { login: 'alice', id: 1001, type: 'User' };
export const MALLORY: FakeUser = { login: 'mallory', id: 1002, type: 'User' };

const FORBIDDEN = {
  message: 'Resource not accessible by integration',
  documentation_url: 'https://docs.github.com/rest',
  status: '403',
};

export async function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const options: Required<FakeGitHubOptions> = {
    tokens: opts.tokens ?? {
      ghs_test: { user: ACTIONS_BOT, installation: true },
      ghp_alice: { user: ALICE, installation: false },
    },
    maxPerPage: opts.maxPerPage ?? 100,
    forbidWrites: opts.forbidWrites ?? false,
    graphql: opts.graphql ?? true,
    inlineContentLimit: opts.inlineContentLimit ?? 1024 * 1024,
  };
  /** "owner/repo@ref" → path → content */
  const files = new Map<string, Map<string, string>>();
  const comments: FakeComment[] = [];
  const requests: RecordedRequest[] = [];
  const unhandled: string[] = [];
  const actions = new FakeActions();
  let nextId = 5001;
  let tick = 0;
  const clock = () => new Date(Date.UTC(2026, 0, 1) + 1000 * tick++).toISOString();

  function addComment(issue: string, body: string, user: FakeUser): FakeComment {
    const at = clock();
    const c = { id: nextId++, node_id: `IC_${nextId}`, issue, body, user, created_at: at, updated_at: at };
    comments.push(c);
    return c;
  }
  const view = (c: FakeComment, base: string) => ({
    id: c.id,
    node_id: c.node_id,
    body: c.body,
    user: c.user,
    created_at: c.created_at,
    updated_at: c.updated_at,
    html_url: `https://github.com/${c.issue.replace('#', '/pull/')}#issuecomment-${c.id}`,
    url: `${base}/repos/${c.issue.split('#')[0]}/issues/comments/${c.id}`,
  });

  const server = await listen((req, res, raw) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const token = tokenOf(req);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      token,
      body: parseJson(raw),
      status: 0,
    };
    requests.push(record);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      if (body instanceof RawBytes) {
        res.writeHead(status, { 'content-type': body.type, 'content-length': body.bytes.length, ...headers });
        return res.end(body.bytes);
      }
      if (!(body instanceof RawText)) return sendJson(res, status, body, headers);
      res.writeHead(status, { 'content-type': body.type, ...headers });
      res.end(body.text);
    };
    // The signed blob URL the artifact zip redirects to carries no token.
    if (req.method === 'GET' && actions.blob(url, reply)) return;
    route(req, url, record, reply);
  });
  const base = server.url;

  function route(
    req: IncomingMessage,
    url: URL,
    rec: RecordedRequest,
    reply: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): void {
    const who = rec.token === null ? undefined : options.tokens[rec.token];
    if (!who)
      return reply(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    const method = req.method ?? 'GET';
    const body = (rec.body ?? {}) as { body?: unknown; query?: unknown };
    let m: RegExpMatchArray | null;

    if (method === 'POST' && url.pathname === '/graphql') {
      if (!options.graphql) return reply(403, FORBIDDEN);
      if (typeof body.query === 'string' && /\bviewer\s*\{\s*login\s*\}/.test(body.query)) {
        return reply(200, { data: { viewer: { login: who.user.login } } });
      }
      return reply(200, {
        errors: [{ message: `fake GitHub API: unmodelled GraphQL query ${String(body.query)}` }],
      });
    }
    if (method === 'GET' && url.pathname === '/user') {
      if (who.installation) return reply(403, FORBIDDEN);
      return reply(200, { ...who.user });
    }
    if ((m = url.pathname.match(/^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/))) {
      const issue = `${m[1]}/${m[2]}#${m[3]}`;
      if (method === 'GET') {
        const all = comments.filter((c) => c.issue === issue);
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30) || 30, options.maxPerPage);
        const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
        const last = Math.max(1, Math.ceil(all.length / perPage));
        const link = (p: number, rel: string) => {
          const u = new URL(url.pathname, base);
          u.searchParams.set('per_page', String(perPage));
          u.searchParams.set('page', String(p));
          return `<${u.href}>; rel="${rel}"`;
        };
        const links: string[] = [];
        if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
        if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
        const slice = all.slice((page - 1) * perPage, page * perPage).map((c) => view(c, base));
        return reply(200, slice, links.length ? { link: links.join(', ') } : {});
      }
      if (method === 'POST') {
        if (options.forbidWrites) return reply(403, FORBIDDEN);
        const problem = bodyProblem(body.body);
        if (problem) return reply(422, { message: problem });
        return reply(201, view(addComment(issue, body.body as string, who.user), base));
      }
    }
    if (
      (m = url.pathname.match(/^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/)) &&
      method === 'PATCH'
    ) {
      const c = comments.find((x) => x.id === Number(m?.[3]) && x.issue.startsWith(`${m?.[1]}/${m?.[2]}#`));
      if (!c) return reply(404, { message: 'Not Found' });
      if (options.forbidWrites) return reply(403, FORBIDDEN);
      const problem = bodyProblem(body.body);
      if (problem) return reply(422, { message: problem });
      c.body = body.body as string;
      c.updated_at = clock();
      return reply(200, view(c, base));
    }
    if (method === 'GET' && actions.route(url, base, reply)) return;
    if ((m = url.pathname.match(/^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/)) && method === 'GET') {
      return contents(`${m[1]}/${m[2]}`, decodeURIComponent(m[3] ?? ''), url, req, reply);
    }
    unhandled.push(`${method} ${url.pathname}`);
    return reply(404, { message: `fake GitHub API: no route for ${method} ${url.pathname}` });
  }

  /** GET /repos/{owner}/{repo}/contents/{path}?ref=: a file (base64 JSON, or raw), a directory listing, or 404. */
  function contents(
    repo: string,
    file: string,
    url: URL,
    req: IncomingMessage,
    reply: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): void {
    const ref = url.searchParams.get('ref') ?? 'main';
    const tree = files.get(`${repo}@${ref}`) ?? new Map<string, string>();
    const text = tree.get(file);
    const entry = (p: string, t: string) => ({
      type: 'file',
      name: p.split('/').pop(),
      path: p,
      size: Buffer.byteLength(t),
      sha: blobSha(t),
      url: `${base}/repos/${repo}/contents/${p}?ref=${ref}`,
    });
    if (text === undefined) {
      const listing = [...tree].filter(([p]) => p.startsWith(`${file}/`));
      if (listing.length > 0)
        return reply(
          200,
          listing.map(([p, t]) => entry(p, t)),
        );
      return reply(404, {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest',
        status: '404',
      });
    }
    if (/application\/vnd\.github(\.v3)?\.raw/.test(req.headers.accept ?? '')) {
      return reply(200, new RawText(text, 'application/vnd.github.raw; charset=utf-8'));
    }
    const inline = Buffer.byteLength(text) <= options.inlineContentLimit;
    return reply(200, {
      ...entry(file, text),
      encoding: inline ? 'base64' : 'none',
      // GitHub wraps the base64 at 60 characters.
      content: inline
        ? (
            Buffer.from(text)
              .toString('base64')
              .match(/.{1,60}/g) ?? []
          ).join('\n') + '\n'
        : '',
    });
  }
  return {
    url: base,
    comments,
    requests,
    unhandled,
    options,
    actions,
    addComment,
    addFile(repo, ref, path, content) {
      const key = `${repo}@${ref}`;
      if (!files.has(key)) files.set(key, new Map());
      files.get(key)?.set(path, content);
    },
    commentsOn: (issue) => comments.filter((c) => c.issue === issue),
    writes: () => requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql'),
    close: () => server.close(),
  };
}

/** A non-JSON answer body. */
class RawText {
  readonly text: string;
  readonly type: string;
  constructor(text: string, type: string) {
    this.text = text;
    this.type = type;
  }
}

/** The git blob id of a text, as the contents API reports it. */
function blobSha(text: string): string {
  const body = Buffer.from(text);
  return createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
}

function tokenOf(req: IncomingMessage): string | null {
  const m = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1] ?? null;
}

function bodyProblem(body: unknown): string | null {
  if (typeof body !== 'string' || body === '') return 'Validation Failed: body is missing';
  if (body.length > 65_536) return 'Validation Failed: Body is too long (maximum is 65536 characters)';
  return null;
}
