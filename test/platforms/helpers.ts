// Shared by the Jira DC integration tests: a seeded organisation, small policies from YAML text, a sandbox
// per test over real HTTP with a fixed clock, connections with an injected sleep, and audit.csv reading.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import type { ApplyRun } from '../../src/app/apply-run.ts';
import type { Snapshot } from '../../src/model.ts';
import { type Connection, connect, type Credentials } from '../../src/platforms/registry.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';
import { declaredFromPolicy, type ResolvedPolicy } from '../../src/policy/resolved.ts';
import { AUDIT_COLUMNS } from '../../src/report/csv.ts';
import {
  JIRA_VERSIONS,
  type JiraVersion,
  type SandboxHandle,
  type SandboxOptions,
  type SandboxStore,
  type Scenario,
  startSandbox,
} from '../../src/sandbox/index.ts';

export const NOW = new Date('2025-06-01T12:00:00.000Z');
export const DAY = 86_400_000;
export const daysAgo = (d: number): string => new Date(NOW.getTime() - d * DAY).toISOString();
export const VERSIONS: readonly JiraVersion[] = JIRA_VERSIONS;
export const LDAP_DIR = 10000;

/**
 * A small organisation: recent, dormant, never-logged-in (old and new), already inactive, a pre-8.4 key,
 * a read-only LDAP user and group, and a nested group (contractors inside developers). `admin`, the token
 * owner, is added by the sandbox (jira-administrators, jira-software-users; logs in with every request).
 */
export function orgScenario(): Scenario {
  return {
    directories: [{ id: LDAP_DIR, name: 'Corporate LDAP', type: 'LDAP', readOnly: true }],
    groups: [
      { name: 'developers', children: ['contractors'] },
      { name: 'contractors' },
      { name: 'qa' },
      { name: 'ldap-staff', directory: LDAP_DIR },
    ],
    users: [
      user('alice', 900, '2025-05-30T08:15:42.123Z', ['jira-software-users', 'developers', 'qa']),
      user('bob', 800, daysAgo(200), ['jira-software-users', 'developers']),
      { ...user('carol', 700, daysAgo(300), ['ldap-staff']), directory: LDAP_DIR },
      user('dave', 400, null, ['jira-software-users']),
      { ...user('erin', 1000, daysAgo(500), ['developers']), active: false },
      user('frank', 300, daysAgo(10), ['jira-software-users', 'contractors']),
      user('gina', 5, null, ['jira-software-users']),
      {
        ...user('henry', 0, daysAgo(20), ['jira-software-users', 'qa']),
        created: '2016-04-01T00:00:00.000Z', // before Jira 8.4: key = lower-cased name
        email: null,
      },
      user('ivan', 600, daysAgo(30), ['jira-software-users']),
    ],
  };
}

function user(name: string, createdDaysAgo: number, lastLogin: string | null, groups: string[]) {
  const display = `${name.charAt(0).toUpperCase()}${name.slice(1)} Tester`;
  return { name, displayName: display, created: daysAgo(createdDaysAgo), lastLogin, groups };
}

/**
 * Every kind the Jira DC adapter writes, plus two changes the read-only LDAP directory refuses
 * (deactivate carol, add alice to ldap-staff).
 */
export const LIFECYCLE = `version: 1
instance: { platform: jira-dc, access_groups: [jira-software-users] }
inactivity:
  - name: dormant
    inactive_days: 90
    action: deactivate
    never_logged_in: { grace_days: 30 }
groups:
  developers: { mode: additive, members: [alice, gina] }
  qa: { mode: exact, members: [alice] }
  ldap-staff: { mode: additive, members: [alice] }
users:
  - { name: erin, state: active }
  - { name: ivan, state: absent }
  - { name: judy, email: judy@example.com, display_name: Judy Jones, groups: [developers] }
limits: { max_fraction: 1, max_deletions: 5 }
`;

/** A policy from YAML text, as loadPolicy would resolve it (sha256 of the text, so edits make plans stale). */
export function policy(text: string, file = 'policy.yml'): ResolvedPolicy {
  const r = parsePolicyText(text, file);
  if (!r.policy) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('\n'));
  const sha256 = createHash('sha256').update(text).digest('hex');
  return { path: file, sha256, policy: r.policy, declared: declaredFromPolicy(r.policy) };
}

/** A clock that only moves when someone sleeps: the sandbox's rate limiter and the client share it. */
export function fakeTime(start = NOW.getTime()) {
  let t = start;
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
  };
}

export interface Harness {
  sb: SandboxHandle;
  /** Sleeps the HTTP clients asked for (backoff and Retry-After), never really waited. */
  waits: number[];
  connect(
    resolved: ResolvedPolicy,
    o?: { readOnly?: boolean; app?: boolean; credentials?: Credentials },
  ): Promise<Connection>;
  close(): Promise<void>;
}

/** A sandbox of `version` seeded with the organisation, its clock fixed at NOW unless `options` say otherwise. */
export async function harness(
  version: JiraVersion,
  options: Partial<SandboxOptions> & { sleep?: (ms: number) => Promise<void> } = {},
): Promise<Harness> {
  const { sleep: injected, ...sandboxOptions } = options;
  const sb = await startSandbox({
    version,
    now: NOW,
    clock: () => NOW.getTime(),
    scenario: orgScenario(),
    ...sandboxOptions,
  });
  const waits: number[] = [];
  const sleep =
    injected ??
    (async (ms: number) => {
      waits.push(ms);
    });
  const conns: Connection[] = [];
  return {
    sb,
    waits,
    async connect(resolved, o = {}) {
      const c = sb.credentials;
      const credentials = o.credentials ?? {
        token: c.token,
        ...(o.app === false ? {} : { appName: c.appName, appPassword: c.appPassword }),
      };
      const conn = await connect(resolved, {
        url: sb.url,
        credentials,
        readOnly: o.readOnly ?? true,
        clock: () => NOW,
        sleep,
      });
      conns.push(conn);
      return conn;
    },
    async close() {
      await Promise.all(conns.map((c) => c.close()));
      await sb.close();
    },
  };
}

/** Every user of the store once, with key, name, email, active; activity as the store's login times. */
export function expectSnapshotMatchesStore(
  snapshot: Snapshot,
  store: SandboxStore,
  o: { activity: 'crowd' | 'bean' | 'unknown'; ignoreActivityOf?: string[] },
): void {
  const users = store.users();
  expect(snapshot.users.map((u) => u.id).sort()).toEqual(users.map((u) => u.key).sort());
  for (const r of users) {
    const u = snapshot.users.find((x) => x.id === r.key)!;
    expect({ name: u.name, email: u.email, active: u.active, displayName: u.displayName }).toEqual({
      name: r.name,
      email: r.email,
      active: r.active,
      displayName: r.displayName,
    });
    if (o.ignoreActivityOf?.includes(r.name)) continue;
    const expected =
      o.activity === 'crowd'
        ? { lastActive: r.lastLogin, activityKnown: true, created: r.created }
        : o.activity === 'bean' && r.lastLogin
          ? { lastActive: r.lastLogin, activityKnown: true, created: null }
          : { lastActive: null, activityKnown: false, created: null };
    expect({
      user: r.name,
      lastActive: u.lastActive,
      activityKnown: u.activityKnown,
      created: u.created,
    }).toEqual({ user: r.name, ...expected });
  }
  for (const g of snapshot.groups) {
    const listed = snapshot.users.filter((u) => u.groups.includes(g.name)).map((u) => u.name);
    expect({ group: g.name, members: listed.sort() }).toEqual({
      group: g.name,
      members: store.memberNames(g.name, { nested: true }),
    });
  }
}

/** One row of audit.csv, every column as text ('' for empty). */
export type AuditRow = Record<(typeof AUDIT_COLUMNS)[number], string>;

export async function readAudit(file: string): Promise<AuditRow[]> {
  return parse(await readFile(file, 'utf8'), { columns: true }) as AuditRow[];
}

export function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'aup-platforms-'));
}

/** The settings of an apply run at NOW, writing audit.csv to `outDir`. */
export function run(outDir: string, extra: Partial<ApplyRun> = {}): ApplyRun {
  return {
    now: NOW,
    clock: () => NOW,
    outDir,
    context: { runId: 'run-1', trigger: 'manual', actor: 'tester', commit: null, runUrl: null },
    ...extra,
  };
}

/** "kind user [group]" of a change or an audit row. */
export const label = (r: { kind: string; user?: string; username?: string; group?: string | null }): string =>
  `${r.kind} ${r.user ?? r.username}${r.group ? ` ${r.group}` : ''}`;

/** The store's users and memberships without login bookkeeping (each request of the token owner is a login). */
export function storeState(store: SandboxStore) {
  return store.toScenario().users.map(({ loginCount: _c, lastLogin: _l, ...u }) => u);
}

/** The writes of an apply without those recording its lease (groups aup-lease-*, src/app/lease.ts). */
export function withoutLease<T extends { path: string; query: unknown; body: unknown }>(requests: T[]): T[] {
  return requests.filter(
    (r) => !/aup-lease-/.test(`${r.path} ${JSON.stringify(r.query)} ${JSON.stringify(r.body)}`),
  );
}
