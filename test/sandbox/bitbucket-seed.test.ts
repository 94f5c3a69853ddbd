// `aup sandbox --platform bitbucket-dc`: the Bitbucket demo organisation (stash-users licensed, sys-admins,
// people licensed directly or both ways, SERVICE accounts, the read-only LDAP directory, never-authenticated
// people), the banner, versions refused with the product's list, and generated organisations.
import { describe, expect, it } from 'vitest';
import {
  bitbucketDemoScenario,
  bitbucketRecords,
  runSandboxCommand,
  type SandboxHandle,
  startSandbox,
} from '../../src/sandbox/index.ts';
import { NOW } from './helpers.ts';

describe('aup sandbox --platform bitbucket-dc', () => {
  it('serves the demo organisation with its banner, until aborted', async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    let handle: SandboxHandle | undefined;
    const running = runSandboxCommand(
      { platform: 'bitbucket-dc', version: '10.0', now: NOW, credentials: { token: 'bb-token' } },
      { out: (l) => lines.push(l), signal: stop.signal, onReady: (h) => (handle = h) },
    );
    await expect.poll(() => handle).toBeDefined();
    const sb = handle!;
    const text = lines.join('\n');
    expect(text).toContain('Bitbucket Data Center 10.0.3');
    expect(text).toContain('token:    bb-token');
    expect(text).toMatch(/\d+ licensed users \(LICENSED_USER through stash-users or granted directly\)/);

    const store = sb.store;
    const records = bitbucketRecords(store);
    const users = store.users();
    const direct = users.filter((u) => records.directOf(u) === 'LICENSED_USER');
    const viaGroup = new Set(store.memberNames('stash-users'));
    expect(direct.some((u) => viaGroup.has(u.name))).toBe(true); // both ways
    expect(direct.some((u) => !viaGroup.has(u.name))).toBe(true); // directly only
    expect(records.directOf(store.user('ops-admin')!)).toBe('ADMIN');
    expect(records.groupPermission('sys-admins')).toBe('SYS_ADMIN');
    expect(users.filter((u) => records.isService(u)).map((u) => u.name)).toContain('svc-nightly-build');
    expect(users.some((u) => u.lastLogin === null)).toBe(true);
    expect(store.directories.find((d) => d.readOnly)?.name).toBe('Corporate LDAP');

    stop.abort();
    await running;
    expect(lines.at(-1)).toBe('Sandbox stopped.');
  });

  it('is deterministic for a given now, and refuses versions of other products', async () => {
    expect(bitbucketDemoScenario(NOW)).toEqual(bitbucketDemoScenario(NOW));
    await expect(runSandboxCommand({ platform: 'bitbucket-dc', version: '10.3' })).rejects.toThrow(
      '--version: Bitbucket Data Center (bitbucket-dc) versions are 8.19 | 9.4 | 10.0, got "10.3"',
    );
  });

  it('generates organisations licensed through stash-users, administered by sys-admins', async () => {
    const sb = await startSandbox({
      platform: 'bitbucket-dc',
      now: NOW,
      generate: { users: 50, groups: 2, seed: 3 },
    });
    try {
      const records = bitbucketRecords(sb.store);
      expect(sb.store.memberNames('stash-users').length).toBeGreaterThan(40);
      expect(sb.store.memberNames('sys-admins').length).toBeGreaterThan(0);
      expect(records.effective(sb.store.user('admin')!)).toBe('SYS_ADMIN');
    } finally {
      await sb.close();
    }
  });
});
