// The Actions side of the fake GitHub REST API: pull requests of a commit, workflow runs, run artifacts and
// the artifact zip download, with state the test registers. github-api.ts routes to it.
//
//   GET /repos/{o}/{r}/commits/{sha}/pulls                  PRs merged as the commit, or whose commits hold it
//   GET /repos/{o}/{r}/actions/runs/{run_id}                 a registered run
//   GET /repos/{o}/{r}/actions/workflows/{id}/runs           runs of a workflow; head_sha, event, status filters
//   GET /repos/{o}/{r}/actions/runs?…                        the same over every workflow
//   GET /repos/{o}/{r}/actions/runs/{run_id}/artifacts       artifacts of a run; name filter
//   GET /repos/{o}/{r}/actions/artifacts?name=               the repository's artifacts, newest first
//   GET /repos/{o}/{r}/actions/artifacts/{id}/zip            302 to a signed blob URL (410 once expired)
//   GET /_blobs/artifact-{id}.zip?sig=…                      the zip bytes, no token (a signed URL)
import { createHash } from 'node:crypto';

export interface FakePullRequest {
  number: number;
  headSha: string;
  /** Set once merged: the commit the merge (or squash, or last rebased commit) made on the base branch. */
  mergeCommitSha: string | null;
  /** Other commits the pull request holds (an open PR answers for these too). */
  commits?: string[];
  baseRef?: string;
}

export interface FakeWorkflowRun {
  id: number;
  workflowId: number;
  headSha: string;
  event: string;
  status?: 'queued' | 'in_progress' | 'completed';
  conclusion?: 'success' | 'failure' | 'cancelled' | null;
  runNumber?: number;
  createdAt?: string;
  /** Default 'main' for push/schedule runs, 'policy-change' for pull_request runs. */
  headBranch?: string;
  /** The run's head is in a fork (a fork pull request). */
  fromFork?: boolean;
}

export interface FakeRunArtifact {
  id: number;
  name: string;
  runId: number;
  zip: Buffer;
  expired?: boolean;
  /** Default: sha256 of `zip`, as GitHub reports for artifacts uploaded by v4 clients. */
  digest?: string;
}

export type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;

/** Binary answer body (the artifact zip). */
export class RawBytes {
  readonly bytes: Buffer;
  readonly type: string;
  constructor(bytes: Buffer, type: string) {
    this.bytes = bytes;
    this.type = type;
  }
}

const NOT_FOUND = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' };
const BLOB = /^\/_blobs\/artifact-(\d+)\.zip$/;

export class FakeActions {
  readonly pulls = new Map<string, FakePullRequest[]>();
  readonly runs = new Map<string, FakeWorkflowRun[]>();
  readonly artifacts = new Map<string, FakeRunArtifact[]>();
  /** Blob downloads served (artifact ids), to assert the client followed the redirect. */
  readonly downloads: number[] = [];
  /** A token without `actions: read`: the run and artifact endpoints answer 403. */
  forbidden = false;

  addPullRequest(repo: string, pr: FakePullRequest): void {
    this.pulls.set(repo, [...(this.pulls.get(repo) ?? []), pr]);
  }
  addWorkflowRun(repo: string, run: FakeWorkflowRun): void {
    this.runs.set(repo, [...(this.runs.get(repo) ?? []), run]);
  }
  addRunArtifact(repo: string, artifact: FakeRunArtifact): void {
    this.artifacts.set(repo, [...(this.artifacts.get(repo) ?? []), artifact]);
  }

  /** The unauthenticated blob URL the zip redirect points at; true when it answered. */
  blob(url: URL, reply: Reply): boolean {
    const m = BLOB.exec(url.pathname);
    if (!m) return false;
    const a = [...this.artifacts.values()].flat().find((x) => x.id === Number(m[1]));
    if (!a || url.searchParams.get('sig') !== `sig-${a.id}`)
      reply(403, { message: 'AuthenticationFailed: bad signature' });
    else {
      this.downloads.push(a.id);
      reply(200, new RawBytes(a.zip, 'application/zip'));
    }
    return true;
  }

  /** Answers an authenticated GET of the Actions endpoints above; false when the path is not one of them. */
  route(url: URL, base: string, reply: Reply): boolean {
    const m = url.pathname.match(/^\/repos\/([^/]+)\/([^/]+)\/(.+)$/);
    if (!m) return false;
    const repo = `${m[1]}/${m[2]}`;
    const rest = m[3] ?? '';
    const q = url.searchParams;
    if (this.forbidden && rest.startsWith('actions/')) {
      reply(403, { message: 'Resource not accessible by integration', status: '403' });
      return true;
    }
    let r: RegExpMatchArray | null;
    if ((r = rest.match(/^commits\/([^/]+)\/pulls$/))) {
      const sha = r[1] ?? '';
      const prs = (this.pulls.get(repo) ?? []).filter(
        (p) => p.mergeCommitSha === sha || p.headSha === sha || (p.commits ?? []).includes(sha),
      );
      reply(
        200,
        prs.map((p) => pullView(repo, p)),
      );
      return true;
    }
    if ((r = rest.match(/^actions\/runs\/(\d+)$/))) {
      const run = (this.runs.get(repo) ?? []).find((x) => x.id === Number(r?.[1]));
      reply(run ? 200 : 404, run ? runView(repo, run, base) : NOT_FOUND);
      return true;
    }
    if ((r = rest.match(/^actions\/(?:workflows\/([^/]+)\/)?runs$/))) {
      const workflow = r[1];
      const runs = (this.runs.get(repo) ?? [])
        .filter((x) => workflow === undefined || String(x.workflowId) === workflow)
        .filter((x) => !q.get('head_sha') || x.headSha === q.get('head_sha'))
        .filter((x) => !q.get('event') || x.event === q.get('event'))
        .filter((x) => !q.get('status') || statusMatches(x, q.get('status') ?? ''))
        .sort((a, b) => b.id - a.id);
      reply(200, { total_count: runs.length, workflow_runs: runs.map((x) => runView(repo, x, base)) });
      return true;
    }
    if ((r = rest.match(/^actions\/runs\/(\d+)\/artifacts$/))) {
      const runId = Number(r[1]);
      if (!(this.runs.get(repo) ?? []).some((x) => x.id === runId)) {
        reply(404, NOT_FOUND);
        return true;
      }
      const list = (this.artifacts.get(repo) ?? [])
        .filter((a) => a.runId === runId)
        .filter((a) => !q.get('name') || a.name === q.get('name'));
      reply(200, { total_count: list.length, artifacts: list.map((a) => artifactView(repo, a, base)) });
      return true;
    }
    if (rest === 'actions/artifacts') {
      const runs = this.runs.get(repo) ?? [];
      const list = (this.artifacts.get(repo) ?? [])
        .filter((a) => !q.get('name') || a.name === q.get('name'))
        .sort((a, b) => b.id - a.id)
        .map((a) => ({
          ...artifactView(repo, a, base),
          workflow_run: runRef(
            runs.find((x) => x.id === a.runId),
            a.runId,
          ),
        }));
      reply(200, { total_count: list.length, artifacts: list });
      return true;
    }
    if ((r = rest.match(/^actions\/artifacts\/(\d+)\/zip$/))) {
      const a = (this.artifacts.get(repo) ?? []).find((x) => x.id === Number(r?.[1]));
      if (!a) reply(404, NOT_FOUND);
      else if (a.expired) reply(410, { message: 'Artifact has expired', status: '410' });
      else reply(302, '', { location: `${base}/_blobs/artifact-${a.id}.zip?sig=sig-${a.id}&se=2099-01-01` });
      return true;
    }
    return false;
  }
}

function statusMatches(run: FakeWorkflowRun, status: string): boolean {
  const s = run.status ?? 'completed';
  return status === s || (s === 'completed' && status === (run.conclusion ?? 'success'));
}

/** The `workflow_run` of a repository artifact listing. */
function runRef(run: FakeWorkflowRun | undefined, id: number) {
  const branch = run?.headBranch ?? (run?.event === 'pull_request' ? 'policy-change' : 'main');
  return {
    id,
    repository_id: 1,
    head_repository_id: run?.fromFork ? 2 : 1,
    head_branch: branch,
    head_sha: run?.headSha ?? '',
  };
}

function pullView(repo: string, p: FakePullRequest) {
  return {
    number: p.number,
    state: p.mergeCommitSha ? 'closed' : 'open',
    html_url: `https://github.com/${repo}/pull/${p.number}`,
    merged_at: p.mergeCommitSha ? '2026-11-24T12:00:00Z' : null,
    merge_commit_sha: p.mergeCommitSha,
    head: { sha: p.headSha, ref: 'policy-change', repo: { full_name: repo } },
    base: { ref: p.baseRef ?? 'main', repo: { full_name: repo } },
  };
}

function runView(repo: string, x: FakeWorkflowRun, base: string) {
  return {
    id: x.id,
    name: 'atlassian-user-policy',
    workflow_id: x.workflowId,
    run_number: x.runNumber ?? x.id,
    event: x.event,
    head_sha: x.headSha,
    status: x.status ?? 'completed',
    conclusion: x.status && x.status !== 'completed' ? null : (x.conclusion ?? 'success'),
    created_at: x.createdAt ?? '2026-11-24T10:00:00Z',
    html_url: `https://github.com/${repo}/actions/runs/${x.id}`,
    url: `${base}/repos/${repo}/actions/runs/${x.id}`,
    path: '.github/workflows/atlassian-user-policy.yml',
  };
}

function artifactView(repo: string, a: FakeRunArtifact, base: string) {
  return {
    id: a.id,
    name: a.name,
    size_in_bytes: a.zip.length,
    expired: a.expired ?? false,
    expires_at: a.expired ? '2026-11-01T00:00:00Z' : '2027-02-22T00:00:00Z',
    created_at: '2026-11-24T10:05:00Z',
    digest: a.digest ?? `sha256:${createHash('sha256').update(a.zip).digest('hex')}`,
    archive_download_url: `${base}/repos/${repo}/actions/artifacts/${a.id}/zip`,
    workflow_run: { id: a.runId },
  };
}
