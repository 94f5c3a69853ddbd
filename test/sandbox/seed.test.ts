// The generator is deterministic for a seed and a fixed `now`, and its data looks like a real instance.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  demoScenario,
  generateScenario,
  LDAP_DIRECTORY_ID,
  mulberry32,
  SandboxStore,
  startSandbox,
} from '../../src/sandbox/index.ts';
import { get, NOW, type UserBean } from './helpers.ts';

const DAY = 86_400_000;
const ageDays = (iso: string): number => (NOW.getTime() - Date.parse(iso)) / DAY;

describe('mulberry32', () => {
  it('repeats its sequence for a seed', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const xs = Array.from({ length: 5 }, () => a());
    expect(xs).toEqual(Array.from({ length: 5 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(124)()).not.toBe(xs[0]);
  });
});

describe('generateScenario', () => {
  const opts = { users: 2000, groups: 8, seed: 42, now: NOW };

  it('is deterministic for the same seed and now', () => {
    expect(JSON.stringify(generateScenario(opts))).toBe(JSON.stringify(generateScenario({ ...opts })));
    expect(JSON.stringify(generateScenario({ ...opts, seed: 43 }))).not.toBe(
      JSON.stringify(generateScenario(opts)),
    );
  });

  it('spreads last logins, directories, service accounts and admins realistically', () => {
    const s = generateScenario(opts);
    expect(s.users).toHaveLength(2000);
    expect(new Set(s.users.map((u) => u.name)).size).toBe(2000);
    const logins = s.users.map((u) => u.lastLogin);
    const never = logins.filter((l) => l === null).length;
    const recent = logins.filter((l) => l && ageDays(l) < 30).length;
    const dormant = logins.filter((l) => l && ageDays(l) >= 30 && ageDays(l) <= 400).length;
    expect(never / 2000).toBeGreaterThan(0.05);
    expect(recent / 2000).toBeGreaterThan(0.4);
    expect(dormant / 2000).toBeGreaterThan(0.15);
    for (const u of s.users) {
      if (u.lastLogin) expect(Date.parse(u.created!)).toBeLessThanOrEqual(Date.parse(u.lastLogin));
      expect(Date.parse(u.created!)).toBeLessThanOrEqual(NOW.getTime());
    }
    expect(s.users.filter((u) => u.name.startsWith('svc-')).length).toBe(40);
    expect(s.users.some((u) => u.name === 'svc-backup')).toBe(true);
    const ldap = s.users.filter((u) => u.directory === LDAP_DIRECTORY_ID);
    expect(ldap.length / 2000).toBeGreaterThan(0.15);
    expect(ldap.every((u) => u.email?.endsWith('@corp.example.com'))).toBe(true);
    expect(s.directories?.find((d) => d.id === LDAP_DIRECTORY_ID)).toMatchObject({
      name: 'Corporate LDAP',
      readOnly: true,
    });
    expect(s.users.filter((u) => u.groups?.includes('jira-administrators')).length).toBeGreaterThanOrEqual(2);
    expect(s.users.some((u) => u.active === false)).toBe(true);
    expect(s.users.some((u) => u.key !== undefined && u.key !== u.name)).toBe(true);
  });

  it('gives groups skewed sizes', () => {
    const store = new SandboxStore(generateScenario(opts), NOW);
    const sizes = store
      .groups()
      .filter((g) => !g.name.startsWith('jira-') && g.name !== 'corporate-staff')
      .map((g) => store.membersOf(g.name).length)
      .sort((a, b) => b - a);
    expect(sizes).toHaveLength(8);
    expect(sizes[0]!).toBeGreaterThan(2 * sizes[sizes.length - 1]!);
    expect(store.membersOf('jira-software-users').length).toBeGreaterThan(1900);
  });
});

describe('demoScenario', () => {
  it('is an organisation of a few hundred with the accounts the demo talks about', async () => {
    const s = demoScenario(NOW);
    expect(JSON.stringify(demoScenario(NOW))).toBe(JSON.stringify(s));
    expect(s.users.length).toBeGreaterThan(200);
    const names = s.users.map((u) => u.name);
    expect(names).toContain('admin');
    expect(names).toContain('svc-backup');
    const groups = new Set(s.users.flatMap((u) => u.groups ?? []));
    for (const g of ['developers', 'contractors', 'jira-software-users', 'jira-administrators'])
      expect(groups).toContain(g);
    expect(s.users.some((u) => u.lastLogin === null)).toBe(true);
    expect(s.users.some((u) => u.lastLogin && ageDays(u.lastLogin) > 90)).toBe(true);

    const sb = await startSandbox({ scenario: s, now: NOW, credentials: { password: 'demo' } });
    try {
      const me = await get<UserBean>(
        sb,
        '/rest/api/2/myself',
        `Basic ${Buffer.from('admin:demo').toString('base64')}`,
      );
      expect(me.status).toBe(200);
      expect(me.body.key).toBe('admin');
      expect(sb.store.users()).toHaveLength(s.users.length);
    } finally {
      await sb.close();
    }
  });
});

describe('scenario files', () => {
  it('round-trips a store through a JSON file into a new sandbox', async () => {
    const store = new SandboxStore(generateScenario({ users: 50, groups: 3, seed: 8, now: NOW }), NOW);
    const dir = await mkdtemp(join(tmpdir(), 'aup-sandbox-'));
    const file = join(dir, 'scenario.json');
    try {
      await writeFile(file, JSON.stringify(store.toScenario()));
      const sb = await startSandbox({ scenarioFile: file, now: NOW });
      try {
        expect(sb.store.users().map((u) => [u.key, u.name, u.lastLogin])).toEqual(
          [...store.users(), sb.store.user('admin')!].map((u) => [u.key, u.name, u.lastLogin]),
        );
        expect(sb.store.memberNames('engineering')).toEqual(store.memberNames('engineering'));
      } finally {
        await sb.close();
      }
      await writeFile(file, '{"nope": true}');
      await expect(startSandbox({ scenarioFile: file })).rejects.toThrow(
        /expected an object with a "users" array/,
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
