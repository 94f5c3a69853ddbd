// The Confluence demo organisation and `aup sandbox --platform confluence-dc`: deterministic for a given
// `now`, the people the example policies talk about, and a banner naming the product and version.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import {
  confluenceDemoScenario,
  LDAP_DIRECTORY_ID,
  runSandboxCommand,
  startSandbox,
  type SandboxHandle,
} from '../../src/sandbox/index.ts';
import { get, NOW } from './helpers.ts';
import type { Page, Person } from './confluence-helpers.ts';

const DAY = 86_400_000;

describe('confluenceDemoScenario', () => {
  it('is a deterministic organisation of a few hundred in Confluence’s groups', () => {
    const s = confluenceDemoScenario(NOW);
    expect(JSON.stringify(confluenceDemoScenario(NOW))).toBe(JSON.stringify(s));
    expect(JSON.stringify(confluenceDemoScenario(new Date(NOW.getTime() + DAY)))).not.toBe(JSON.stringify(s));
    expect(s.users.length).toBeGreaterThan(200);
    const names = s.users.map((u) => u.name);
    for (const n of ['admin', 'alice', 'bob', 'ops-oncall', 'svc-backup']) expect(names).toContain(n);
    const groups = new Set(s.users.flatMap((u) => u.groups ?? []));
    for (const g of ['confluence-users', 'confluence-administrators', 'developers', 'contractors'])
      expect(groups).toContain(g);
    expect([...groups].some((g) => g.startsWith('jira-'))).toBe(false);
    expect(s.directories?.find((d) => d.id === LDAP_DIRECTORY_ID)).toMatchObject({
      name: 'Corporate LDAP',
      readOnly: true,
    });
    expect(s.directories?.find((d) => d.id === 1)?.name).toBe('Confluence Internal Directory');
    expect(s.users.some((u) => u.directory === LDAP_DIRECTORY_ID)).toBe(true);
    expect(s.users.some((u) => u.lastLogin === null)).toBe(true);
    expect(s.users.some((u) => u.lastLogin && NOW.getTime() - Date.parse(u.lastLogin) > 180 * DAY)).toBe(
      true,
    );
    expect(s.users.some((u) => u.active === false)).toBe(true);
    expect(s.users.filter((u) => !u.groups?.includes('confluence-users')).length).toBeGreaterThan(2);
    expect(s.users.every((u) => u.key === undefined)).toBe(true);
  });

  it('serves as a sandbox whose active-user list leaves out the unlicensed and never-logged-in', async () => {
    const s = confluenceDemoScenario(NOW);
    const sb = await startSandbox({
      platform: 'confluence-dc',
      scenario: s,
      now: NOW,
      clock: () => NOW.getTime(),
    });
    try {
      const active: Person[] = [];
      for (let next: string | undefined = '/rest/api/admin/users/list/active?limit=200'; next;) {
        const page: Page<Person> = (await get<Page<Person>>(sb, next)).body;
        active.push(...page.results);
        next = page._links.next;
      }
      const unlicensed = s.users.filter((u) => !u.groups?.includes('confluence-users')).map((u) => u.name);
      const never = s.users.filter((u) => u.lastLogin === null).map((u) => u.name);
      const names = new Set(active.map((p) => p.username));
      for (const n of [...unlicensed, ...never]) expect(names.has(n)).toBe(false);
      expect(names.size).toBeGreaterThan(100);
      expect(sb.store.user('admin')?.key).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      await sb.close();
    }
  });
});

describe('aup sandbox --platform confluence-dc', () => {
  it('names the product and version in the banner and serves the Confluence demo', async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    let handle: SandboxHandle | undefined;
    const running = runSandboxCommand(
      { platform: 'confluence-dc', version: '9.5', now: NOW, contextPath: '/confluence' },
      { out: (l) => lines.push(l), signal: stop.signal, onReady: (h) => (handle = h) },
    );
    await expect.poll(() => handle).toBeDefined();
    const sb = handle!;
    expect(sb.platform).toBe('confluence-dc');
    expect(lines[0]).toBe(`Atlassian sandbox: Confluence Data Center 9.5.2 at ${sb.url}`);
    expect(lines.join('\n')).toContain(sb.credentials.token);
    expect(lines.join('\n')).not.toContain('Crowd');
    expect(sb.store.user('ops-oncall')).toBeDefined();
    expect(sb.store.memberNames('confluence-administrators')).toContain('admin');
    const me = await get<Person>(sb, '/rest/api/user/current');
    expect(me.body.username).toBe('admin');
    stop.abort();
    await running;
    expect(lines.at(-1)).toBe('Sandbox stopped.');
  });

  it('refuses a version of another product, listing the product’s versions', async () => {
    await expect(runSandboxCommand({ platform: 'confluence-dc', version: '10.3' })).rejects.toThrow(
      '--version: Confluence Data Center (confluence-dc) versions are 8.5 | 9.2 | 9.5 | 10.2, got "10.3"',
    );
    await expect(runSandboxCommand({ version: '10.2' })).rejects.toThrow(
      '--version: Jira Data Center (jira-dc) versions are 9.12 | 10.3 | 11.3, got "10.2"',
    );
    await expect(runSandboxCommand({ platform: 'jira-cloud' })).rejects.toThrow(
      /^--platform: expected jira-dc \| confluence-dc \| .*, got "jira-cloud"$/,
    );
    const err: string[] = [];
    const io = { out: () => undefined, err: (l: string) => void err.push(l), color: false };
    expect(await main(['sandbox', '--platform', 'confluence-dc', '--version', '11.3'], io)).toBe(1);
    expect(err).toEqual([
      'aup: --version: Confluence Data Center (confluence-dc) versions are 8.5 | 9.2 | 9.5 | 10.2, got "11.3"',
    ]);
    await expect(startSandbox({ platform: 'confluence-dc', version: '11.3' })).rejects.toThrow(
      /versions are 8\.5 \| 9\.2 \| 9\.5 \| 10\.2, got "11\.3"/,
    );
  });
});
