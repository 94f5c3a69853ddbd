// `aup sandbox` (runSandboxCommand): prints URL and credentials, serves, and stops when told to.
import { describe, expect, it } from 'vitest';
import { runSandboxCommand, type SandboxHandle } from '../../src/sandbox/index.ts';
import { NOW } from './helpers.ts';

describe('runSandboxCommand', () => {
  it('prints the URL and credentials, serves until aborted, then stops', async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    let handle: SandboxHandle | undefined;
    const running = runSandboxCommand(
      { version: '11.3', users: 25, groups: 2, seed: 1, now: NOW, credentials: { password: 'pw' } },
      { out: (l) => lines.push(l), signal: stop.signal, onReady: (h) => (handle = h) },
    );
    await expect.poll(() => handle).toBeDefined();
    const sb = handle!;
    const text = lines.join('\n');
    expect(text).toContain(sb.url);
    expect(text).toContain('Jira Data Center 11.3.0');
    expect(text).toContain('password: pw (Basic auth is off');
    expect(text).toContain(sb.credentials.token);
    expect(text).toContain(sb.credentials.appPassword);
    const res = await fetch(`${sb.url}/rest/api/2/myself`, {
      headers: { authorization: `Bearer ${sb.credentials.token}` },
    });
    expect(res.status).toBe(200);
    expect(sb.store.users()).toHaveLength(26);

    stop.abort();
    await running;
    expect(lines.at(-1)).toBe('Sandbox stopped.');
    await expect(fetch(`${sb.url}/rest/api/2/serverInfo`)).rejects.toThrow();
  });

  it('serves the demo organisation by default', async () => {
    const stop = new AbortController();
    let handle: SandboxHandle | undefined;
    const running = runSandboxCommand(
      { now: NOW },
      { out: () => undefined, signal: stop.signal, onReady: (h) => (handle = h) },
    );
    await expect.poll(() => handle).toBeDefined();
    expect(handle!.store.user('svc-backup')).toBeDefined();
    expect(handle!.store.user('admin')?.password).toBe('admin');
    stop.abort();
    await running;
  });
});
