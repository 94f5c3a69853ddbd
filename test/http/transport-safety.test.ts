// Transport guards (issue 13): every request has a deadline (a server trickling its answer cannot hold a run),
// redirects are never followed (credentials never reach another host), and plain http to another machine is
// refused unless the policy allows it.
import { afterEach, describe, expect, it } from 'vitest';
import { HttpError } from '../../src/http/errors.ts';
import { describeHttpFailure } from '../../src/http/describe-error.ts';
import { insecureUrlProblem, isLoopbackHost } from '../../src/http/secure-url.ts';
import { connect, ConfigError } from '../../src/platforms/registry.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';
import { declaredFromPolicy, type ResolvedPolicy } from '../../src/policy/resolved.ts';
import { caught, closeAll, setup, track } from './harness.ts';
import { startServer, type Handler } from './server.ts';

afterEach(closeAll);

const trickle: Handler = (_q, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  const timer = setInterval(() => res.write(' '), 20);
  res.on('close', () => clearInterval(timer));
};

describe('every request has a deadline', () => {
  it('an answer that trickles forever is cut at the deadline: a GET is retried, then fails in one line', async () => {
    const { client, server } = await setup(trickle, { deadlineMs: 150, timeoutMs: 10_000, retries: 1 });
    const err = await caught(client.getJson('/rest/api/2/user/list'));
    expect(err).toBeInstanceOf(HttpError);
    expect(err.message).toBe('GET /rest/api/2/user/list: no complete answer within 1 s (after 1 retry)');
    expect(server.requests).toHaveLength(2);
    expect(describeHttpFailure(err, server.url, { primary: 'ATLASSIAN_TOKEN' })).toBe(
      `cannot reach ${server.url} (GET /rest/api/2/user/list): the server did not finish its answer in time (no complete answer within 1 s (after 1 retry))`,
    );
  });

  it('a POST cut at its deadline is not repeated (the server may have acted on it)', async () => {
    const { client, server } = await setup(trickle, { deadlineMs: 150, timeoutMs: 10_000 });
    const err = await caught(client.post('/rest/api/2/group/user', { body: { name: 'bob' } }));
    expect(err.message).toMatch(/^POST \/rest\/api\/2\/group\/user: no complete answer within 1 s$/);
    expect(server.requests).toHaveLength(1);
  });
});

describe('redirects are never followed', () => {
  it('a redirect to another host reaches nothing there, with or without credentials, for every method', async () => {
    const elsewhere = track(await startServer((_q, res) => void res.writeHead(200).end('{}')));
    const redirect: Handler = (q, res) => {
      res.writeHead(302, { location: `${elsewhere.url}${q.url}` });
      res.end();
    };
    const { client, server } = await setup(redirect, {
      auth: { type: 'bearer', token: 'pat-REDIRECT-SECRET' },
    });
    for (const call of [
      () => client.get('/rest/api/2/user'),
      () => client.post('/rest/api/2/group/user', { body: { name: 'x' } }),
      () => client.put('/rest/api/2/user', { body: { active: false } }),
      () => client.delete('/rest/api/2/user'),
    ]) {
      const err = await caught(call());
      expect(err.message).toMatch(
        /: 302 Found: redirected to http:\/\/127\.0\.0\.1:\d+\/rest\/api\/2\/\S+; check the base URL \(redirects are not followed\)$/,
      );
      expect(err.message).not.toContain('REDIRECT-SECRET');
    }
    expect(server.requests).toHaveLength(4);
    expect(elsewhere.requests).toEqual([]);
  });
});

function policy(text: string): ResolvedPolicy {
  const r = parsePolicyText(text, 'policy.yml');
  if (!r.policy) throw new Error(JSON.stringify(r.diagnostics));
  return { path: 'policy.yml', sha256: 'x', policy: r.policy, declared: declaredFromPolicy(r.policy) };
}

describe('https is required for any host but this machine', () => {
  it('knows loopback hosts', () => {
    for (const h of ['localhost', 'sandbox.localhost', '127.0.0.1', '127.8.9.10', '[::1]', '::1'])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['jira.example.com', '10.0.0.1', '128.0.0.1', 'localhost.example.com', '[::2]'])
      expect(isLoopbackHost(h), h).toBe(false);
  });

  it('refuses http to another host before any connection, naming the URL and both ways out', async () => {
    const resolved = policy('version: 1\ninstance: { platform: jira-dc }\n');
    const err = await caught(
      connect(resolved, {
        url: 'http://jira.example.com/jira',
        credentials: { token: 't' },
        readOnly: true,
        clock: () => new Date(),
      }),
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(
      'http://jira.example.com/jira: plain http would send the credentials to jira.example.com unencrypted; use https://jira.example.com/jira, or set instance.allow_insecure_http: true in the policy if this network is trusted',
    );
  });

  it('allows http to loopback, https anywhere, and http anywhere with allow_insecure_http: true', async () => {
    const strict = policy('version: 1\ninstance: { platform: crowd }\n');
    const lax = policy('version: 1\ninstance: { platform: crowd, allow_insecure_http: true }\n');
    expect(lax.policy.instance.allow_insecure_http).toBe(true);
    expect(strict.policy.instance.allow_insecure_http).toBe(false);
    const creds = { appName: 'a', appPassword: 'p' };
    for (const [p, url] of [
      [strict, 'http://127.0.0.1:9/crowd'],
      [strict, 'https://crowd.example.com/crowd'],
      [lax, 'http://crowd.example.com/crowd'],
    ] as const) {
      const conn = await connect(p, { url, credentials: creds, readOnly: true, clock: () => new Date() });
      await conn.close();
    }
    expect(insecureUrlProblem('http://10.1.2.3:8080', false)).toMatch(
      /^http:\/\/10\.1\.2\.3:8080: plain http/,
    );
  });

  it('a policy with allow_insecure_http of another type is an error located in the file', () => {
    const r = parsePolicyText(
      'version: 1\ninstance:\n  platform: jira-dc\n  allow_insecure_http: "yes"\n',
      'p.yml',
    );
    expect(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.field}: ${d.message}`)).toEqual([
      '4:24 instance.allow_insecure_http: expected true or false, got "yes"',
    ]);
  });
});
