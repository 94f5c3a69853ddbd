// A fake of the Actions artifact results service (Twirp JSON) plus the blob store its signed upload URL
// points at, driven by the REAL @actions/artifact client. Set `fake.env` (ACTIONS_RUNTIME_TOKEN,
// ACTIONS_RESULTS_URL) in the environment the client runs in, and leave GITHUB_SERVER_URL unset or
// https://github.com (any other host counts as GHES and the client refuses).
//
//   POST /twirp/github.actions.results.api.v1.ArtifactService/CreateArtifact   → signed_upload_url
//   PUT  /devstoreaccount1/results/<name>.zip?sig=…&comp=block&blockid=…      → 201 (stage block)
//   PUT  /devstoreaccount1/results/<name>.zip?sig=…&comp=blocklist            → 201 (commit blocks)
//   POST /twirp/github.actions.results.api.v1.ArtifactService/FinalizeArtifact → artifact_id
import { listen, parseJson, sendJson } from './serve.ts';

export const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/';
const BLOB_PREFIX = '/devstoreaccount1/results/';

export interface StoredArtifact {
  id: number | null;
  name: string;
  runBackendId: string;
  jobBackendId: string;
  mimeType: string | null;
  /** expires_at as sent (RFC 3339), or null when no retention was asked. */
  expiresAt: string | null;
  /** The committed blob (the zip), null until the block list is committed. */
  body: Buffer | null;
  /** size and hash as the client reported them in FinalizeArtifact. */
  size: number | null;
  hash: string | null;
  finalized: boolean;
  blocks: Map<string, Buffer>;
}

export interface FakeArtifactServiceOptions {
  runBackendId?: string;
  jobBackendId?: string;
  firstId?: number;
  /** Answer CreateArtifact with this Twirp error. Use a 4xx: the client retries 5xx/429 with 3 s backoff. */
  failCreate?: { status: number; code: string; msg: string };
}

export interface FakeArtifactService {
  url: string;
  /** The env the artifact client needs to talk to this fake. */
  env: { ACTIONS_RUNTIME_TOKEN: string; ACTIONS_RESULTS_URL: string };
  artifacts: Map<string, StoredArtifact>;
  requests: { method: string; path: string; body: unknown }[];
  unhandled: string[];
  close(): Promise<void>;
}

/** An unsigned JWT whose `scp` claim carries the run and job backend ids, as the runner's token does. */
export function fakeRuntimeToken(runBackendId: string, jobBackendId: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const scp = `Actions.ExampleScope Actions.Results:${runBackendId}:${jobBackendId}`;
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ scp, iss: 'fake-actions' })}.sig`;
}

export async function startFakeArtifactService(
  opts: FakeArtifactServiceOptions = {},
): Promise<FakeArtifactService> {
  const runBackendId = opts.runBackendId ?? 'run-backend-1';
  const jobBackendId = opts.jobBackendId ?? 'job-backend-1';
  const token = fakeRuntimeToken(runBackendId, jobBackendId);
  const artifacts = new Map<string, StoredArtifact>();
  const requests: FakeArtifactService['requests'] = [];
  const unhandled: string[] = [];
  let nextId = opts.firstId ?? 1000;

  const server = await listen((req, res, raw) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const isTwirp = url.pathname.startsWith(TWIRP_PREFIX);
    requests.push({ method, path: url.pathname, body: isTwirp ? parseJson(raw) : raw.length });
    const twirpError = (status: number, code: string, msg: string) => sendJson(res, status, { code, msg });

    if (isTwirp && method === 'POST') {
      if (req.headers.authorization !== `Bearer ${token}`)
        return twirpError(401, 'unauthenticated', 'bad runtime token');
      const r = (parseJson(raw) ?? {}) as Record<string, unknown>;
      if (r.workflow_run_backend_id !== runBackendId || r.workflow_job_run_backend_id !== jobBackendId) {
        return twirpError(400, 'invalid_argument', 'backend ids do not match the runtime token');
      }
      const name = String(r.name ?? '');
      const rpc = url.pathname.slice(TWIRP_PREFIX.length);
      if (rpc === 'CreateArtifact') {
        if (opts.failCreate)
          return twirpError(opts.failCreate.status, opts.failCreate.code, opts.failCreate.msg);
        if (artifacts.has(name))
          return twirpError(409, 'already_exists', `an artifact named ${name} already exists`);
        artifacts.set(name, {
          id: null,
          name,
          runBackendId,
          jobBackendId,
          mimeType: typeof r.mime_type === 'string' ? r.mime_type : null,
          expiresAt: typeof r.expires_at === 'string' ? r.expires_at : null,
          body: null,
          size: null,
          hash: null,
          finalized: false,
          blocks: new Map(),
        });
        const signed = `${server.url}${BLOB_PREFIX}${encodeURIComponent(name)}.zip?sig=fakesig&se=2099-01-01`;
        return sendJson(res, 200, { ok: true, signed_upload_url: signed });
      }
      if (rpc === 'FinalizeArtifact') {
        const a = artifacts.get(name);
        if (!a || a.body === null) return twirpError(404, 'not_found', `no uploaded artifact named ${name}`);
        a.size = Number(r.size);
        a.hash = typeof r.hash === 'string' ? r.hash : null;
        a.finalized = true;
        a.id = nextId++;
        return sendJson(res, 200, { ok: true, artifact_id: String(a.id) });
      }
    }

    if (method === 'PUT' && url.pathname.startsWith(BLOB_PREFIX)) {
      const blob = decodeURIComponent(url.pathname.slice(BLOB_PREFIX.length)).replace(/\.zip$/, '');
      const a = artifacts.get(blob);
      if (!a || url.searchParams.get('sig') !== 'fakesig')
        return sendJson(res, 403, { message: 'bad signature' });
      const comp = url.searchParams.get('comp');
      if (comp === 'block') {
        a.blocks.set(url.searchParams.get('blockid') ?? '', raw);
      } else if (comp === 'blocklist') {
        const ids = [...raw.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]+)</g)].map(
          (m) => m[1] ?? '',
        );
        const missing = ids.filter((id) => !a.blocks.has(id));
        if (missing.length > 0) return sendJson(res, 400, { message: `unknown blocks ${missing.join(',')}` });
        a.body = Buffer.concat(ids.map((id) => a.blocks.get(id) as Buffer));
      } else {
        a.body = raw; // single-shot upload (not used by the client today)
      }
      res.writeHead(201, { 'x-ms-request-id': `req-${requests.length}` }).end();
      return;
    }

    unhandled.push(`${method} ${url.pathname}`);
    return twirpError(404, 'bad_route', `fake artifact service: no route for ${method} ${url.pathname}`);
  });

  return {
    url: server.url,
    env: { ACTIONS_RUNTIME_TOKEN: token, ACTIONS_RESULTS_URL: `${server.url}/` },
    artifacts,
    requests,
    unhandled,
    close: () => server.close(),
  };
}
