// Issue 7 item 10: errors name the setting and its value, in one line, against real local servers: an URL
// without a scheme (and where it came from), rejected credentials (which variables, which URL, what the
// server said), https against an http port, an untrusted certificate, a closed port, an unknown host — and
// no stack trace anywhere a user looks.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeUnexpected } from '../../src/commands/failure.ts';
import { harness, type Harness, LIFECYCLE, NOW, tempDir } from '../platforms/helpers.ts';
import { run } from '../helpers/spawn.ts';
import { aup } from './capture.ts';

const ROOT = path.join(import.meta.dirname, '../..');
// openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1,DNS:localhost
const TLS = path.join(ROOT, 'test/fixtures/tls');
const now = ['--now', NOW.toISOString()];
const STACK = /^\s+at .+[:(]/m;

let h: Harness;
let file: string;

beforeEach(async () => {
  h = await harness('10.3');
  file = path.join(await tempDir(), 'policy.yml');
  await writeFile(file, LIFECYCLE);
  const c = h.sb.credentials;
  vi.stubEnv('ATLASSIAN_URL', '');
  vi.stubEnv('ATLASSIAN_TOKEN', c.token);
  vi.stubEnv('ATLASSIAN_USERNAME', '');
  vi.stubEnv('ATLASSIAN_PASSWORD', '');
  vi.stubEnv('ATLASSIAN_APP_NAME', c.appName);
  vi.stubEnv('ATLASSIAN_APP_PASSWORD', c.appPassword);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await h.close();
});

/** A port nothing listens on: listened on once, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP server that answers every connection with a line of text, as an SSH or SMTP port would. */
async function plainTcpServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.end('SSH-2.0-OpenSSH_9.6\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('the instance URL', () => {
  it.each([
    ['--url', (u: string) => ['--url', u], {}],
    ['ATLASSIAN_URL', () => [], { ATLASSIAN_URL: 'jira.example.com' }],
  ] as const)('without a scheme, from %s, is named with where it came from', async (source, flag, env) => {
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    const r = await aup(['plan', '--policy', file, ...now, ...flag('jira.example.com')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `aup: ${source}: expected http(s)://host[:port][/context-path], got "jira.example.com"; did you mean https://jira.example.com?`,
    );
    expect(h.sb.allRequests).toEqual([]);
  });

  it("in the policy's instance.url is named with the file, line and field", async () => {
    await writeFile(
      file,
      LIFECYCLE.replace('platform: jira-dc,', 'platform: jira-dc, url: jira.example.com,'),
    );
    const r = await aup(['plan', '--policy', file, ...now]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^${file.replace(/[.\\/]/g, '\\$&')}:2:\\d+: instance.url: expected an http\\(s\\) URL, got "jira.example.com"`,
      ),
    );
  });

  it('with credentials in it is refused without echoing them', async () => {
    const r = await aup(['plan', '--policy', file, ...now, '--url', 'https://admin:s3cret@jira.example.com']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      '--url: expected http(s)://host[:port][/context-path], got a URL with a username',
    );
    expect(r.stderr).not.toContain('s3cret');
  });
});

describe('rejected credentials', () => {
  it('ATLASSIAN_TOKEN, with the URL and what the server said', async () => {
    vi.stubEnv('ATLASSIAN_TOKEN', 'revoked');
    const r = await aup(['plan', '--policy', file, ...now, '--url', h.sb.url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `aup: ATLASSIAN_TOKEN was rejected by ${h.sb.url}: the server answered GET /rest/api/2/serverInfo with X-Seraph-LoginReason: AUTHENTICATED_FAILED`,
    );
    expect(r.stderr).not.toContain('revoked');
  });

  it('ATLASSIAN_USERNAME / ATLASSIAN_PASSWORD', async () => {
    vi.stubEnv('ATLASSIAN_TOKEN', '');
    vi.stubEnv('ATLASSIAN_USERNAME', h.sb.credentials.username);
    vi.stubEnv('ATLASSIAN_PASSWORD', 'wrong-password');
    const r = await aup(['plan', '--policy', file, ...now, '--url', h.sb.url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `aup: ATLASSIAN_USERNAME / ATLASSIAN_PASSWORD were rejected by ${h.sb.url}: the server answered GET /rest/api/2/serverInfo with X-Seraph-LoginReason: AUTHENTICATED_FAILED`,
    );
  });

  it("the embedded-Crowd application's ATLASSIAN_APP_NAME / ATLASSIAN_APP_PASSWORD", async () => {
    vi.stubEnv('ATLASSIAN_APP_PASSWORD', 'wrong-app-password');
    const r = await aup(['plan', '--policy', file, ...now, '--url', h.sb.url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `aup: ATLASSIAN_APP_NAME / ATLASSIAN_APP_PASSWORD were rejected by ${h.sb.url}/rest/usermanagement/1: GET /rest/usermanagement/1/search answered 401 Unauthorized: Application failed to authenticate`,
    );
  });
});

describe('an instance that cannot be reached', () => {
  it('https against an http port (the sandbox): one line naming the URL and the likely cause', async () => {
    const url = h.sb.url.replace('http:', 'https:');
    const r = await aup(['plan', '--policy', file, ...now, '--url', url]);
    expect(r.code).toBe(1);
    const host = new URL(url).host;
    expect(r.stderr).toBe(
      `aup: cannot reach ${url} (GET /rest/api/2/serverInfo): TLS handshake failed: the server on ${host} does not speak TLS; is the URL http://${host}?`,
    );
  });

  it('https against a port that speaks neither http nor TLS: one line, no OpenSSL dump', async () => {
    const tcp = await plainTcpServer();
    try {
      const url = `https://127.0.0.1:${tcp.port}`;
      const r = await aup(['plan', '--policy', file, ...now, '--url', url]);
      expect(r.code).toBe(1);
      expect(r.stderr.split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(
        new RegExp(`^aup: cannot reach ${url} \\(GET /rest/api/2/serverInfo\\): TLS handshake failed`),
      );
      expect(r.stderr).not.toMatch(/SSL routines|openssl|:error:/);
    } finally {
      await tcp.close();
    }
  });

  it('an untrusted certificate names the code and NODE_EXTRA_CA_CERTS', async () => {
    const server = createHttpsServer(
      {
        key: await readFile(path.join(TLS, 'self-signed.key')),
        cert: await readFile(path.join(TLS, 'self-signed.crt')),
      },
      (_req, res) => res.end('{}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
      const r = await aup(['plan', '--policy', file, ...now, '--url', url]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `aup: cannot reach ${url} (GET /rest/api/2/serverInfo): the server's TLS certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT); if it is signed by your organisation's own CA, point NODE_EXTRA_CA_CERTS at that CA's certificate file`,
      );
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a closed port: connection refused, naming host and port', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const r = await aup(['plan', '--policy', file, ...now, '--url', url]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').at(-1)).toBe(
      `aup: cannot reach ${url} (GET /rest/api/2/serverInfo): connection refused: nothing listens on 127.0.0.1:${port}; is the instance up and the port right?`,
    );
  });

  it('an unknown host: the DNS lookup failed', async () => {
    const r = await aup(['plan', '--policy', file, ...now, '--url', 'https://jira.invalid']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').at(-1)).toBe(
      'aup: cannot reach https://jira.invalid (GET /rest/api/2/serverInfo): the host name jira.invalid was not found (DNS); check the URL',
    );
  });
});

describe('no stack traces', () => {
  it('an unexpected error prints its message and how to report it; the stack only with AUP_DEBUG=1', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'name')");
    const text = describeUnexpected(bug, false);
    expect(text).toBe(
      "aup: unexpected error: Cannot read properties of undefined (reading 'name')\nThis is a bug in aup: please report it with the command you ran (AUP_DEBUG=1 adds the stack trace).",
    );
    expect(text).not.toMatch(STACK);
    expect(describeUnexpected(bug, true)).toMatch(STACK);
  });

  it('the real aup prints none for a TLS error, a closed pipe, or bad input', async () => {
    const aupTs = path.join(ROOT, 'src/aup.ts');
    const node = [process.execPath, '--experimental-strip-types', '--no-warnings=ExperimentalWarning', aupTs];
    const env = {
      ...process.env,
      ATLASSIAN_TOKEN: 'x',
      ATLASSIAN_APP_NAME: '',
      ATLASSIAN_APP_PASSWORD: '',
      AUP_DEBUG: '',
    };
    const tls = await run(
      node[0]!,
      [...node.slice(1), 'plan', '--policy', file, '--url', h.sb.url.replace('http:', 'https:')],
      { env },
    );
    const bad = await run(node[0]!, [...node.slice(1), 'plan', '--policy', file, '--snapshot', ROOT], {
      env,
    });
    // A reader that closes the pipe at once (`aup --help | head -0`): a write to it fails with EPIPE.
    const piped = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(node[0]!, [...node.slice(1), 'validate', path.join(ROOT, 'policies/example.yml')], {
        env,
      });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    for (const r of [tls, bad, piped]) {
      expect(r.stderr).not.toMatch(STACK);
      expect(r.stderr).not.toMatch(/SSL routines|Node\.js v\d/);
    }
    expect([tls.code, bad.code, piped.code]).toEqual([1, 1, 0]);
    expect(tls.stderr).toContain('TLS handshake failed');
    expect(piped.stderr).toBe('');
  });
});
